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
