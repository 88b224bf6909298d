import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../src/core/messages.ts';

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
const boundaries = (text: string) => new Set([...graphemes.segment(text)].map((s) => s.index).concat(text.length));

/**
 * Where each part ends in `text`, checking that the parts are `text` in order with nothing lost but the line
 * breaks (and blank lines) at the cuts.
 */
function cuts(text: string, parts: string[]): number[] {
  const ends: number[] = [];
  let at = 0;
  parts.forEach((part, k) => {
    // what was dropped before this part: line breaks, and lines of nothing but spaces
    while (at < text.length && !text.startsWith(part, at) && /\s/.test(text[at]!)) at++;
    expect(text.startsWith(part, at), `part ${k} at ${at}`).toBe(true);
    at += part.length;
    ends.push(at);
  });
  expect(text.slice(at).trim()).toBe('');
  return ends.slice(0, -1);
}

// tokens of real messages: Vietnamese as typed (precomposed) and as some keyboards send it (combining marks),
// emoji with skin tones, families and flags, spaces, numbers, a long unbroken run
const token = fc.constantFrom(
  'Nguyễn',
  'Thị',
  'Đã',
  'hoàn',
  'thành',
  'nhiệm',
  'vụ',
  'Nguye\u0302\u0303n', // ễ as e + circumflex + tilde
  'Đa\u0303',
  'thu\u031b\u0309', // ửa's marks on u
  '👍',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🇻🇳',
  '🔔',
  '⏰',
  '3.2.1',
  ' ',
  ' ',
  '  ',
  '\t',
  'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001234',
);
const line = fc.array(token, { maxLength: 40 }).map((t) => t.join(''));
const text = fc.array(line, { minLength: 1, maxLength: 30 }).map((lines) => lines.join('\n'));
/** the longest grapheme above is the family emoji: 11 code units */
const limit = fc.integer({ min: 12, max: 300 });

describe('splitText: long replies in parts for Telegram (4096) and Zalo (2000)', () => {
  it('parts fit the limit, none is blank, and together they are the text', () => {
    fc.assert(
      fc.property(text, limit, (t, n) => {
        const parts = splitText(t, n);
        if (t.length <= n) return void expect(parts).toEqual([t]);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(n);
          expect(part.trim()).not.toBe('');
        }
        cuts(t, parts);
      }),
      { numRuns: 500 },
    );
  });

  it('never cuts inside a grapheme: not between the halves of an emoji, a letter and its marks, a flag or a family', () => {
    fc.assert(
      fc.property(text, limit, (t, n) => {
        const allowed = boundaries(t);
        for (const end of cuts(t, splitText(t, n))) expect(allowed.has(end), `cut at ${end}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts only at line breaks when every line fits', () => {
    fc.assert(
      fc.property(text, limit, (t, n) => {
        fc.pre(t.split('\n').every((l) => l.length <= n));
        for (const end of cuts(t, splitText(t, n))) expect(t[end]).toBe('\n');
      }),
      { numRuns: 500 },
    );
  });

  it('any text, any limit: still fitting and whole, even with lone surrogates and graphemes longer than a part', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 2, max: 50 }), (t, n) => {
        const parts = splitText(t, n);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(n);
        // a character is never cut in two: no lone surrogate appears that was not in the text
        if (t.isWellFormed()) for (const part of parts) expect(part.isWellFormed()).toBe(true);
        if (t.trim()) cuts(t, parts);
      }),
      { numRuns: 1000 },
    );
  });

  it('at the platforms\' limits: a long digest in Vietnamese with emoji, cut at lines, parts full', () => {
    const entry = (i: number) => `• ${i}.1 Rà soát, công bố thủ tục hành chính thuộc thẩm quyền 👍🏽\n   Chủ trì: UBND xã Thử ${i} · Hạn chót 30/06/2025`;
    const digest = ['🔔 NHẮC VIỆC — ngày 02/06/2025', '', ...Array.from({ length: 200 }, (_, i) => entry(i + 1))].join('\n');
    for (const n of [4096, 2000]) {
      const parts = splitText(digest, n);
      for (const end of cuts(digest, parts)) expect(digest[end]).toBe('\n');
      // as full as they can be: the next part's first line would not have fitted
      for (let k = 0; k + 1 < parts.length; k++) expect(parts[k]!.length + 1 + parts[k + 1]!.split('\n')[0]!.length).toBeGreaterThan(n);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(n);
    }
  });

  it('a line longer than a part is cut after a space, else between graphemes', () => {
    const words = Array.from({ length: 30 }, () => 'Nguyễn').join(' ');
    const parts = splitText(words, 50);
    for (const part of parts.slice(0, -1)) expect(part.endsWith(' ')).toBe(true);
    expect(parts.join('')).toBe(words);
    // no space at all: an emoji run is cut between emoji, never between the halves of one
    const thumbs = '👍🏽'.repeat(100);
    const cut = splitText(thumbs, 9); // 👍🏽 is 4 code units: two to a part, never half of one
    expect(cut.join('')).toBe(thumbs);
    for (const part of cut) expect(part).toMatch(/^(👍🏽)+$/);
  });

  it('the old splitter\'s failure: an emoji across the limit stays whole', () => {
    const text = `${'a'.repeat(4095)}😀 xong`;
    const parts = splitText(text, 4096);
    expect(parts).toEqual(['a'.repeat(4095), '😀 xong']);
    expect(parts.every((p) => p.isWellFormed())).toBe(true);
  });

  it('the pieces of one cut line are separate parts, never joined by a line break the text lacks', () => {
    // found by the property above (seed -1612428847): two pieces that fit together came back as "Nguyễn \nThị"
    expect(splitText('Nguyễn Thị👨‍👩‍👧‍👦\n', 12)).toEqual(['Nguyễn ', 'Thị', '👨‍👩‍👧‍👦']);
  });

  it('a text within the limit is one part, unchanged', () => {
    expect(splitText('  Đã xong\n\n', 4096)).toEqual(['  Đã xong\n\n']);
  });
});
