/**
 * Turns a raw deadline cell into a folded string (lower case, no diacritics, single spaces)
 * that regular expressions can read, while remembering where each folded character came from,
 * so the parser can quote the original Vietnamese (a trigger such as "ngày tiếp nhận").
 */
import { fold } from '../text.ts';

export type Folded = {
  /** The cleaned original: tags removed, entities decoded. */
  readonly source: string;
  /** Folded text. */
  readonly s: string;
  /** origin[i] = index in `source` of folded character i. */
  readonly origin: readonly number[];
};

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Remove HTML tags (bounded, so a stray '<' cannot make this quadratic) and decode common entities. */
export function cleanCell(text: string): string {
  return text
    .replace(/<\/?[a-zA-Z][^<>]{0,300}>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_m, name: string) => ENTITIES[name] ?? ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[•·●▪]/g, '-')
    .replace(/[\u00a0\u2000-\u200b\u202f\u3000]/g, ' ');
}

function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 128) return c.toLowerCase();
  return fold(c);
}

/** Fold with a position map; runs of white space become one space; trimmed. */
export function foldWithMap(raw: string): Folded {
  const source = cleanCell(raw);
  const out: string[] = [];
  const origin: number[] = [];
  let lastWasSpace = true; // drops leading spaces
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      if (!lastWasSpace) {
        out.push(' ');
        origin.push(i);
        lastWasSpace = true;
      }
      continue;
    }
    const f = foldChar(c);
    for (const ch of f) {
      if (ch === ' ') continue;
      out.push(ch);
      origin.push(i);
      lastWasSpace = false;
    }
  }
  if (out[out.length - 1] === ' ') {
    out.pop();
    origin.pop();
  }
  return { source, s: out.join(''), origin };
}

/** The original text behind folded[start, end). */
export function originalSlice(f: Folded, start: number, end: number): string {
  if (end <= start || start >= f.origin.length) return '';
  const from = f.origin[start] ?? 0;
  const to = (f.origin[Math.min(end, f.origin.length) - 1] ?? from) + 1;
  return f.source.slice(from, to);
}

/**
 * Replace folded[start, end) ranges by nothing and re-collapse spaces, keeping the map.
 * Used to drop legal references ("Thông tư 01/2020/TT-VPCP") whose numbers look like dates.
 */
export function removeRanges(f: Folded, ranges: readonly [number, number][]): Folded {
  if (ranges.length === 0) return f;
  const drop = new Uint8Array(f.s.length);
  for (const [a, b] of ranges) for (let i = a; i < b; i++) drop[i] = 1;
  const out: string[] = [];
  const origin: number[] = [];
  let lastWasSpace = true;
  for (let i = 0; i < f.s.length; i++) {
    const ch = drop[i] ? ' ' : (f.s[i] as string);
    if (ch === ' ') {
      if (!lastWasSpace) {
        out.push(' ');
        origin.push(f.origin[i] ?? 0);
        lastWasSpace = true;
      }
      continue;
    }
    out.push(ch);
    origin.push(f.origin[i] ?? 0);
    lastWasSpace = false;
  }
  if (out[out.length - 1] === ' ') {
    out.pop();
    origin.pop();
  }
  return { source: f.source, s: out.join(''), origin };
}

/**
 * Rewrites every match of `re` (global) in the folded text, keeping the map: the replacement's characters map
 * to where the match began, so a trigger quoted across a rewrite still quotes the original.
 */
export function rewrite(f: Folded, re: RegExp, replacement: (match: RegExpExecArray) => string): Folded {
  const out: string[] = [];
  const origin: number[] = [];
  let last = 0;
  for (const m of f.s.matchAll(re)) {
    for (let i = last; i < m.index; i++) {
      out.push(f.s[i] as string);
      origin.push(f.origin[i] ?? 0);
    }
    const at = f.origin[m.index] ?? 0;
    for (const ch of replacement(m as RegExpExecArray)) {
      out.push(ch);
      origin.push(at);
    }
    last = m.index + m[0].length;
  }
  if (last === 0 && out.length === 0) return f;
  for (let i = last; i < f.s.length; i++) {
    out.push(f.s[i] as string);
    origin.push(f.origin[i] ?? 0);
  }
  return { source: f.source, s: out.join(''), origin };
}

/**
 * Spellings and abbreviations offices use, in the folded text, brought to the one form the patterns read:
 * the old "quí", "Q1"/"Q.III" and "T6/2024", "sáu tháng", "ngày LV".
 */
const SPELLINGS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/(?<![a-z])qui(?![a-z])/g, () => 'quy'],
  [/(?<![a-z])q\.? ?(iv|iii|ii|i|0?[1-4])(?![a-z0-9])/g, (m) => `quy ${m[1]}`],
  [/(?<![a-z0-9])t\.? ?(\d{1,2}) ?\/ ?(\d{4})(?![0-9])/g, (m) => `thang ${m[1]}/${m[2]}`],
  [/(?<![a-z])sau thang (dau|cuoi) nam/g, (m) => `6 thang ${m[1]} nam`],
  [/(?<![a-z])ngay lv(?![a-z])/g, () => 'ngay lam viec'],
  // a time limit in hours ("trong vòng 24 giờ kể từ", "08 giờ làm việc"): whole days, rounded down so the due
  // day is never later than the limit (24 giờ = 1 ngày; 8 giờ làm việc = 1 ngày làm việc; 12 giờ = the same day)
  [
    /(?<=(?:trong|vong|qua|da|nhat|han|gian|sau) )(\d{1,4}) ?(?:gio|h)( lam viec)?(?=,? (?:ke tu|tinh tu|sau khi|sau|\()|[,;.)]|$)(?!,? (?:ngay|thu|chieu|sang)(?![a-z]))/g,
    (m) => `${Math.floor(Number(m[1]) / (m[2] ? 8 : 24))} ngay${m[2] ?? ''}`,
  ],
  // a time limit in words: "trong vòng một ngày làm việc" ("sáu" is left alone: folded it reads "sau", after)
  [
    /(?<=(?:trong|vong|qua|da|nhat|han|gian) )(mot|hai|ba|bon|nam|bay|tam|chin|muoi) ngay(?= lam viec|,? (?:ke tu|tinh tu|sau khi|sau|truoc|\())/g,
    (m) => `${['mot', 'hai', 'ba', 'bon', 'nam', '', 'bay', 'tam', 'chin', 'muoi'].indexOf(m[1] as string) + 1} ngay`,
  ],
  // the hour of the day right before the day ("chậm nhất 16 giờ ngày 15/6/2024", "16h00, ngày"): only the day counts
  [/(?<![a-z0-9])(?:vao |luc )?\d{1,2} ?(?:gio|h)(?: ?\d{1,2}(?: ?(?:phut|'))?)?,? (?=ngay \d)/g, () => ''],
  // the hour of a deadline ("trước 16 giờ", "17h00", "16h30'"): the day is what the rule keeps
  [/(?<!(?:trong|vong|sau|qua|da|nhat|han) )(?<![a-z0-9])(?:vao |truoc |luc )?\d{1,2} ?(?:gio|h)(?: ?\d{1,2}(?: ?(?:phut|'))?)?(?![a-z0-9])(?: (?=ngay|thu|chieu|sang))?/g, (m) => (m[0].startsWith('truoc') ? 'truoc ' : '')],
  // a month named in words before a year: "Tháng Ba/2024", "tháng Mười hai năm 2024"
  [/(?<![a-z])thang (muoi hai|muoi mot|muoi|gieng|chap|mot|hai|ba|tu|nam|sau|bay|tam|chin)(?= ?(?:\/ ?\d{4}|nam \d{4}))/g, (m) => `thang ${MONTH_WORDS[m[1] as string]}`],
];

const MONTH_WORDS: Record<string, number> = {
  gieng: 1, mot: 1, hai: 2, ba: 3, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10, 'muoi mot': 11, 'muoi hai': 12, chap: 12,
};

export function canonicalSpelling(f: Folded): Folded {
  return SPELLINGS.reduce((acc, [re, to]) => rewrite(acc, re, to), f);
}

/**
 * Legal references: "Thông tư 01/2020/TT-VPCP", "Quyết định số 766/QĐ-TTg ngày 24/6/2022",
 * "Nghị định 63/2010/NĐ-CP". Their numbers and dates are not deadlines.
 */
const LEGAL_REFERENCE =
  /(?:(?:thong tu|nghi dinh|quyet dinh|cong van|ke hoach|nghi quyet|chi thi|thong bao|van ban|luat|so) (?:so )?)?\d{1,5}\/[0-9a-z][0-9a-z./-]{0,40}(?: ngay \d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{2,4})?/g;

/** Ranges of legal references; a plain date such as 15/02/2023 is not one (needs a letter part). */
export function legalReferenceRanges(s: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of s.matchAll(LEGAL_REFERENCE)) {
    // A document number has letters after its slash(es): "37/kh-ubnd", "01/2020/tt-vpcp".
    const numberPart = /\d{1,5}\/[0-9a-z./-]*/.exec(m[0])?.[0] ?? '';
    if (!/[a-z]/.test(numberPart)) continue;
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}
