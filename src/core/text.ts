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
