import crypto from 'node:crypto';

/** Crockford's base 32: no I, L, O or U, so a code read aloud or typed by hand is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` random characters of Crockford's base 32 (5 bits each, uniform: 256 is a multiple of 32). */
export function randomCode(length: number): string {
  return [...crypto.randomBytes(length)].map((b) => ALPHABET[b & 31]).join('');
}
