import { describe, expect, it } from 'vitest';
import { intToRoman, joinCode, normalizeCode, romanToInt } from '../src/core/task-code.ts';

describe('romanToInt', () => {
  it('reads well-formed numerals in any case', () => {
    expect(romanToInt('I')).toBe(1);
    expect(romanToInt('iv')).toBe(4);
    expect(romanToInt('VII')).toBe(7);
    expect(romanToInt('XIV')).toBe(14);
    expect(romanToInt('MMXXIV')).toBe(2024);
  });
  it('rejects words and malformed numerals', () => {
    expect(romanToInt('IIII')).toBeNull();
    expect(romanToInt('IC')).toBeNull();
    expect(romanToInt('Văn')).toBeNull();
    expect(romanToInt('')).toBeNull();
  });
  it('round-trips with intToRoman', () => {
    for (let n = 1; n <= 50; n++) expect(romanToInt(intToRoman(n))).toBe(n);
  });
});

describe('normalizeCode', () => {
  it.each([
    ['III.2', '3.2'],
    ['3.I.2', '3.1.2'],
    ['3.2.', '3.2'],
    [' 3 . 2 ', '3.2'],
    ['03.02', '3.2'],
    ['II.1.1', '2.1.1'],
    ['iii.2', '3.2'],
    ['3,2', '3.2'],
    ['7', '7'],
  ])('%s -> %s', (typed, code) => {
    expect(normalizeCode(typed)).toBe(code);
  });
  it.each(['', 'abc', '3..2', '0.1', '3 2', 'Văn phòng'])('%s is not a code', (typed) => {
    expect(normalizeCode(typed)).toBeNull();
  });
  it('joins path segments', () => {
    expect(joinCode('3', '1', '2')).toBe('3.1.2');
    expect(joinCode(undefined, '3', '2')).toBe('3.2');
    expect(joinCode('', '1')).toBe('1');
  });
});
