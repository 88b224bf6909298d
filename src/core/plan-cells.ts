/** Cell text of plan tables as the readers hand it over: cleaning and joining. Pure. */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Cleans one cell: HTML tags dropped (<br>, <p>, <li>, <ol>, <div> become line breaks, inline tags vanish),
 * entities decoded, spaces collapsed inside each line, empty lines dropped. Line breaks are kept as "\n"
 * because they carry lists ("- ...", "+ ..."); a one-line list ("- a; - b") is broken into lines.
 */
export function cleanCellText(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  text = text
    .replace(/<\s*br\s*\/?\s*>/gi, '\n')
    .replace(/<\/?\s*(p|div|li|ol|ul|tr|table)\b[^>]*>/gi, '\n')
    .replace(/<\/?\s*[a-z][a-z0-9]*\b[^>]*>/gi, '');
  text = decodeEntities(text);
  const lines = text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim())
    .filter((line) => line !== '')
    .flatMap(splitInlineList);
  return lines.join('\n');
}

/** "- a; - b." -> ["- a;", "- b."]: only for a line that itself starts as a list item. */
function splitInlineList(line: string): string[] {
  if (!/^[-+•]\s/.test(line)) return [line];
  return line.split(/(?<=[;.:])\s+(?=[-+•]\s)/);
}

/** Joins the text of a cell continued on another row: a list item on its own line, anything else after a space. */
export function appendText(to: string, more: string): string {
  if (more === '') return to;
  if (to === '') return more;
  return /^[-+•]\s/.test(more) ? `${to}\n${more}` : `${to} ${more}`;
}

export function shorten(text: string): string {
  const one = text.replace(/\n/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

const LEAD_LABEL = String.raw`(?:(?:đơn vị|cơ quan|don vi|co quan)\s+)?(?:chủ trì|chu tri)`;
const COORD_LABEL = String.raw`(?:(?:đơn vị|cơ quan|don vi|co quan)\s+)?(?:phối hợp|phoi hop)`;
/** "Chủ trì: A; Phối hợp: B" (or on two lines, with bullets). */
const LABELLED = new RegExp(String.raw`^[-+•]?\s*${LEAD_LABEL}\s*[:：–-]\s*([^]+?)\s*(?:[;.,]?\s*\n|[;.]\s+|,\s+(?=${COORD_LABEL}))\s*[-+•]?\s*${COORD_LABEL}\s*[:：–-]\s*([^]+?)[;.]?$`, 'iu');
const LEAD_ONLY = new RegExp(String.raw`^[-+•]?\s*${LEAD_LABEL}\s*[:：–-]\s*([^]+?)[;.]?$`, 'iu');
/** "A (chủ trì); B (phối hợp)". */
const BRACKETED = /^([^]+?)\s*\((?:chủ trì|chu tri)\)\s*[;,.]?\s*([^]+?)\s*\((?:phối hợp|phoi hop)\)[;.]?$/iu;
/** "A chủ trì, phối hợp với B". */
const SENTENCE = /^([^]+?)\s+(?:chủ trì|chu tri)\s*[,;]?\s*(?:phối hợp|phoi hop)(?:\s+(?:với|voi))?\s+([^]+?)[;.]?$/iu;

/**
 * Lead and coordinating units written in one cell ("Chủ trì: Sở Tư pháp; Phối hợp: Văn phòng UBND tỉnh",
 * "Sở Tư pháp (chủ trì), các sở (phối hợp)"), as plans with a single "Đơn vị thực hiện" column do: the lead
 * and the coordinating units apart; the coordinating cell, if the table has one, keeps its own text after.
 */
export function splitAssignment(lead: string, coord: string): { lead: string; coord: string } {
  const m = LABELLED.exec(lead) ?? BRACKETED.exec(lead) ?? SENTENCE.exec(lead);
  if (m) return { lead: (m[1] as string).trim(), coord: appendText((m[2] as string).trim(), coord) };
  const only = LEAD_ONLY.exec(lead);
  if (only && !/(?:phối hợp|phoi hop)/iu.test(only[1] as string)) return { lead: (only[1] as string).trim(), coord };
  return { lead, coord };
}
