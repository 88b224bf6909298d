/**
 * Text folding for matching what people type against what plans say:
 * "Văn phòng" and "van phong" must meet. Pure functions, no I/O.
 */

/** Lower-case, strip Vietnamese diacritics (đ → d), collapse white space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Fold and keep only letters, digits and single spaces: punctuation becomes a space. */
export function foldWords(text: string): string {
  return fold(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Control characters nothing should store (PostgreSQL refuses NUL outright); tab and line breaks stay. */
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u200B\uFEFF]/g;
/** Line breaks other than \n and \r: Word's manual break (vertical tab), form feed, Unicode's separators. */
const OTHER_BREAKS = /[\u000B\u000C\u2028\u2029]/g;

/**
 * Text as it is stored, from whatever came in (a file, a chat message): well-formed UTF-16 (a lone surrogate
 * becomes U+FFFD), composed (NFC: "Văn phòng" typed with combining marks equals the precomposed one), without
 * control characters or zero-width spaces; other line breaks become "\n".
 */
export function cleanText(text: string): string {
  return text.toWellFormed().normalize('NFC').replace(OTHER_BREAKS, '\n').replace(CONTROL, '');
}
