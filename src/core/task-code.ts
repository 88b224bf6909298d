/**
 * Task codes: the short code users type ("/done 3.2"). A code is the row's path in the plan with Roman
 * numerals turned into Arabic ones: part 3, group I, item 2 -> "3.1.2"; groups only: group III, item 2 -> "3.2".
 * The Roman forms users copy from the document ("III.2", "3.I.2") are the same code. Pure functions.
 */

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/**
 * "XIV" -> 14; null when the text is not a well-formed Roman numeral (case-insensitive).
 * Well-formed means it round-trips: "IIII" or "IC" are rejected, so a stray word is never read as a number.
 */
export function romanToInt(roman: string): number | null {
  const text = roman.trim().toUpperCase();
  if (!/^[IVXLCDM]+$/.test(text)) return null;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = ROMAN_VALUES[text[i] as string] ?? 0;
    const next = ROMAN_VALUES[text[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 && intToRoman(total) === text ? total : null;
}

/** 14 -> "XIV" (1..3999). */
export function intToRoman(value: number): string {
  const table: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let rest = Math.trunc(value);
  let out = '';
  for (const [n, r] of table) {
    while (rest >= n) {
      out += r;
      rest -= n;
    }
  }
  return out;
}

/** One segment of a code: Arabic digits or a Roman numeral, as a positive integer; null otherwise. */
function segmentValue(segment: string): number | null {
  if (/^\d{1,4}$/.test(segment)) {
    const n = Number.parseInt(segment, 10);
    return n > 0 ? n : null;
  }
  return romanToInt(segment);
}

/**
 * The canonical form of a typed or printed code: dot-separated Arabic numbers without leading zeros.
 * 'III.2' -> '3.2', '3.I.2' -> '3.1.2', '3.2.' -> '3.2', ' 3 . 2 ' -> '3.2', '03.02' -> '3.2'.
 * A comma or a dash between numbers is read as a dot ("3,2" is what a numeric keypad gives).
 * Null when the text is not a code (empty, a word, a zero segment).
 */
export function normalizeCode(typed: string): string | null {
  const text = typed.trim().replace(/\s*([.,-])\s*/g, '$1').replace(/[.,)]+$/, '');
  if (text === '' || /\s/.test(text)) return null;
  const segments = text.split(/[.,-]/);
  const values: number[] = [];
  for (const segment of segments) {
    const value = segmentValue(segment);
    if (value === null) return null;
    values.push(value);
  }
  return values.join('.');
}

/** Joins path segments into a code, skipping empty ones: codeOf('3', '1', '2') -> '3.1.2'. */
export function joinCode(...segments: (string | undefined)[]): string {
  return segments.filter((s): s is string => s !== undefined && s !== '').join('.');
}
