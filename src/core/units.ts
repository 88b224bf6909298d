/**
 * Units named in a plan's lead/coordinating cells: splitting a cell into unit names, folding a name into a
 * matching key, recognising unit classes ("Sở, ban, ngành tỉnh" = every department) and matching a typed
 * name against the unit registry. Pure functions, no I/O.
 */
import { fold, foldWords } from './text.ts';

export type UnitKind =
  | 'department'
  | 'province_office'
  | 'province_service_center'
  | 'commune'
  | 'commune_service_center'
  | 'district'
  | 'internal_division'
  | 'other';

export type RegistryUnit = { id: number; name: string; kind: UnitKind; aliases: string[] };

export type UnitMatch<U extends RegistryUnit = RegistryUnit> =
  | { kind: 'found'; unit: U }
  | { kind: 'ambiguous'; candidates: U[] }
  | { kind: 'none' };

// ---------------------------------------------------------------------------------------------------------
// Splitting

/**
 * Words that start a unit name. A " và " or a comma splits a cell only when what follows starts with one of
 * these, so "Sở Thông tin và Truyền thông", "Phòng Văn hóa và Thông tin", "Bộ phận TN&TKQ cấp huyện và cấp xã"
 * and "Các phòng, ban, ngành huyện" stay whole. Folded, matched on word boundaries.
 */
const UNIT_HEADS_AFTER_VA = [
  'ubnd', 'uy ban nhan dan', 'van phong', 'so', 'phong', 'trung tam', 'bo phan', 'cong an', 'buu dien',
  'thanh tra', 'chi cuc', 'ban quan ly', 'cac phong', 'cac don vi', 'cac co quan', 'cac so', 'cac ban',
  'don vi', 'co quan',
];

/**
 * After a comma the test is stricter: "ban", "ngành", "đơn vị", "xã", "phường" after a comma are the
 * enumeration inside a class name ("Các phòng, ban, ngành", "Các phòng, đơn vị", "xã, phường, thị trấn"),
 * so only heads that always begin a new, named unit count, and "Sở"/"Phòng" only when a capitalised name
 * follows ("Sở Tư pháp, Sở Nội vụ").
 */
const UNIT_HEADS_AFTER_COMMA = ['ubnd', 'uy ban nhan dan', 'van phong', 'trung tam', 'cong an', 'buu dien', 'thanh tra', 'chi cuc'];

function startsWithHead(text: string, heads: string[]): boolean {
  const words = foldWords(text);
  return heads.some((h) => words === h || words.startsWith(h + ' '));
}

/** "Sở Tư pháp", "Phòng Nội vụ": a head word followed by a capitalised word (case-sensitive on the original). */
function startsWithNamedOffice(text: string): boolean {
  return /^(Sở|Phòng|Ban)\s+\p{Lu}/u.test(text.trim());
}

/** The left side of "HĐND và UBND" is never a unit on its own: "Văn phòng HĐND và UBND huyện" is one office. */
function endsWithHdnd(text: string): boolean {
  return /\bhdnd$/.test(foldWords(text)) || /hoi dong nhan dan$/.test(foldWords(text));
}

/** Splits on `separator` at parenthesis depth 0 only ("(Bộ phận Tiếp nhận và trả kết quả huyện)" stays whole). */
function splitOutsideParens(text: string, separator: RegExp): { part: string; sep: string }[] {
  const out: { part: string; sep: string }[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (depth === 0) {
      separator.lastIndex = i;
      const m = separator.exec(text);
      if (m && m.index === i && m[0].length > 0) {
        out.push({ part: text.slice(start, i), sep: m[0] });
        i += m[0].length;
        start = i;
        continue;
      }
    }
    i++;
  }
  out.push({ part: text.slice(start), sep: '' });
  return out;
}

function cleanUnitName(name: string): string {
  return name
    .replace(/^\s*[-+•*]\s*/, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.;,:]+$/, '')
    .trim();
}

/**
 * Splits a lead/coordinating cell into unit names. Conservative, in this order:
 * 1. new lines, list markers ("- ", "+ ") and ";" always separate names;
 * 2. " và " separates only when the right side starts a unit name (UBND, Văn phòng, Sở, Phòng, Trung tâm,
 *    Bộ phận, Công an, Bưu điện, Thanh tra, Chi cục, "các phòng/đơn vị/cơ quan/sở/ban" ...) and the left side
 *    does not end with "HĐND" ("Văn phòng HĐND và UBND huyện" stays one office);
 * 3. "," separates only before a head that always begins a new named unit (see UNIT_HEADS_AFTER_COMMA) or
 *    "Sở/Phòng/Ban" + a capitalised name;
 * 4. nothing inside parentheses is split; trailing punctuation is dropped; duplicates (same unitKey) removed.
 */
export function splitUnits(cell: string): string[] {
  const pieces = cell
    .replace(/<[^>]*>/g, '\n')
    .split(/\r?\n/)
    .flatMap((line) => splitOutsideParens(line, /;/y).map((p) => p.part));

  const names: string[] = [];
  for (const piece of pieces) {
    for (const byVa of splitOnVa(piece)) {
      names.push(...splitOnComma(byVa));
    }
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = cleanUnitName(raw);
    if (name === '') continue;
    const key = unitKey(name) || fold(name);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

function splitOnVa(text: string): string[] {
  // "va" too: officers type without diacritics.
  const parts = splitOutsideParens(text, /\s+v[àa]\s+/iy);
  const out: string[] = [];
  let current = parts[0]?.part ?? '';
  for (let i = 1; i < parts.length; i++) {
    const next = parts[i]?.part ?? '';
    if (startsWithHead(next, UNIT_HEADS_AFTER_VA) && !endsWithHdnd(current)) {
      out.push(current);
      current = next;
    } else {
      current = `${current} ${(parts[i - 1]?.sep ?? ' và ').trim()} ${next}`;
    }
  }
  out.push(current);
  return out;
}

function splitOnComma(text: string): string[] {
  const parts = splitOutsideParens(text, /\s*,\s*/y);
  const out: string[] = [];
  let current = parts[0]?.part ?? '';
  for (let i = 1; i < parts.length; i++) {
    const next = parts[i]?.part ?? '';
    if (startsWithHead(next, UNIT_HEADS_AFTER_COMMA) || startsWithNamedOffice(next)) {
      out.push(current);
      current = next;
    } else {
      current = `${current}, ${next}`;
    }
  }
  out.push(current);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Keys

/**
 * Long forms folded to the abbreviation plans also use, so both spellings meet on one key.
 * Applied to folded words (foldWords turns "&" and "-" into spaces: "TN&TKQ" -> "tn tkq").
 */
const ABBREVIATIONS: [RegExp, string][] = [
  [/\buy ban nhan dan\b/g, 'ubnd'],
  [/\bhoi dong nhan dan\b/g, 'hdnd'],
  [/\btiep nhan va tra ket qua\b/g, 'tn tkq'],
  [/\btiep nhan va ket qua\b/g, 'tn tkq'],
  [/\bban quan ly khu kinh te\b/g, 'bqlkkt'],
  [/\bphuc vu hanh chinh cong\b/g, 'pvhcc'],
];

/**
 * Filler removed from a key: a leading "các"/"những" (plural marker), a trailing "có liên quan"/"liên quan".
 * "đơn vị"/"cơ quan" are kept: in "Các phòng, đơn vị" they carry the meaning.
 */
export function unitKey(name: string): string {
  let key = foldWords(name);
  for (const [re, abbr] of ABBREVIATIONS) key = key.replace(re, abbr);
  key = key
    .replace(/^(cac|nhung)\s+/, '')
    .replace(/\s*(co\s+)?lien\s+quan$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return key;
}

// ---------------------------------------------------------------------------------------------------------
// Classes

type ClassRule = { pattern: RegExp; kinds: UnitKind[]; label: string };

/**
 * Class names tested against foldWords(name) with a leading "các" removed. Kept as data: new plans bring
 * new spellings. Legacy (before 1 July 2025) district-level names map to kind 'district'.
 */
const CLASS_RULES: ClassRule[] = [
  { pattern: /^so ban nganh( tinh)?$/, kinds: ['department'], label: 'Sở, ban, ngành tỉnh' },
  { pattern: /^(ubnd|uy ban nhan dan) (cap xa|cac xa( phuong)?( thi tran| dac khu)*|xa phuong( thi tran| dac khu)*)$/, kinds: ['commune'], label: 'UBND cấp xã' },
  { pattern: /^(ubnd|uy ban nhan dan) cap huyen$/, kinds: ['district'], label: 'UBND cấp huyện' },
  { pattern: /^phong ban nganh( thuoc)? huyen$/, kinds: ['district'], label: 'Các phòng, ban, ngành huyện' },
  { pattern: /^phong ban nganh$/, kinds: ['district'], label: 'Các phòng, ban, ngành huyện' },
  { pattern: /^phong don vi( thuoc (so|ban|co quan))?$/, kinds: ['internal_division'], label: 'Các phòng, đơn vị' },
  { pattern: /^(trung tam phuc vu hanh chinh cong|trung tam pvhcc) cap xa$/, kinds: ['commune_service_center'], label: 'Trung tâm Phục vụ hành chính công cấp xã' },
  { pattern: /^bo phan (mot cua|tn tkq|tiep nhan va tra ket qua) cap xa$/, kinds: ['commune_service_center'], label: 'Bộ phận Một cửa cấp xã' },
  { pattern: /^bo phan (mot cua|tn tkq|tiep nhan va tra ket qua) (cac cap|cap huyen va cap xa)$/, kinds: ['district', 'commune_service_center'], label: 'Bộ phận Một cửa các cấp' },
];

/**
 * "Các đơn vị có liên quan", "Các cơ quan có liên quan", "Các phòng ban ngành có liên quan": nobody in
 * particular. Such a name is kept as text only; it is neither a class to expand nor a unit to match.
 */
export function isVagueUnit(name: string): boolean {
  const words = foldWords(name);
  if (words === '') return false;
  return /(^| )(co )?lien quan$/.test(words) || /^(cac )?(don vi|co quan)$/.test(words);
}

/** The unit class a name stands for, or null for a single unit (or a vague one: see isVagueUnit). */
export function classOf(name: string): { kinds: UnitKind[]; label: string } | null {
  if (isVagueUnit(name)) return null;
  let words = foldWords(name).replace(/^(cac|tat ca cac)\s+/, '');
  for (const [re, abbr] of ABBREVIATIONS) words = words.replace(re, abbr);
  for (const rule of CLASS_RULES) {
    if (rule.pattern.test(words)) return { kinds: [...rule.kinds], label: rule.label };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

function initials(key: string): string {
  return key
    .split(' ')
    .filter((w) => w !== 'va')
    .map((w) => w[0] ?? '')
    .join('');
}

/** True when each query word is a prefix of a unit word, in order ("vp ubnd" no; "van ph ubnd" yes). */
function wordsPrefixInOrder(query: string[], unit: string[]): boolean {
  let j = 0;
  for (const q of query) {
    while (j < unit.length && !(unit[j] as string).startsWith(q)) j++;
    if (j === unit.length) return false;
    j++;
  }
  return true;
}

function uniqueById<U extends RegistryUnit>(units: U[]): U[] {
  const seen = new Set<number>();
  return units.filter((u) => (seen.has(u.id) ? false : (seen.add(u.id), true)));
}

function decide<U extends RegistryUnit>(candidates: U[]): UnitMatch<U> | null {
  const unique = uniqueById(candidates);
  if (unique.length === 1) return { kind: 'found', unit: unique[0] as U };
  if (unique.length > 1) return { kind: 'ambiguous', candidates: unique };
  return null;
}

/**
 * Finds the registry unit a typed or printed name means. Stages, the first that yields anything decides:
 * 1. exact key (name or alias, see unitKey);
 * 2. abbreviation: the query is one word equal to the initials of a name/alias ("stp" = "Sở Tư pháp");
 * 3. prefix: every query word is a prefix of a name word, in order ("van phong" = "Văn phòng UBND tỉnh");
 * 4. contains: the name key contains the query key on word boundaries.
 * Several units at the deciding stage give 'ambiguous' with all of them: never a guess.
 */
export function matchUnit<U extends RegistryUnit>(query: string, registry: U[]): UnitMatch<U> {
  const qKey = unitKey(query);
  if (qKey === '') return { kind: 'none' };
  const keyed = registry.map((unit) => ({ unit, keys: [unit.name, ...unit.aliases].map(unitKey).filter((k) => k !== '') }));

  const exact = decide(keyed.filter((u) => u.keys.includes(qKey)).map((u) => u.unit));
  if (exact) return exact;

  const qWords = qKey.split(' ');
  if (qWords.length === 1 && qKey.length >= 2) {
    const abbr = decide(keyed.filter((u) => u.keys.some((k) => initials(k) === qKey)).map((u) => u.unit));
    if (abbr) return abbr;
  }

  const prefix = decide(keyed.filter((u) => u.keys.some((k) => wordsPrefixInOrder(qWords, k.split(' ')))).map((u) => u.unit));
  if (prefix) return prefix;

  const contains = decide(keyed.filter((u) => u.keys.some((k) => ` ${k} `.includes(` ${qKey} `))).map((u) => u.unit));
  if (contains) return contains;

  return { kind: 'none' };
}
