import { describe, it, expect } from 'vitest';
import { interpretDeadline, parseDeadline, type DeadlinePolicy } from '../src/core/deadline/index.ts';
import { addDays, compareDates, makeDate } from '../src/core/dates.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import { prng } from './helpers/random.ts';

const calendar = loadCalendar();


const int = (rnd: () => number, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T,>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const two = (n: number): string => String(n).padStart(2, '0');
const ROMAN = ['I', 'II', 'III', 'IV'];

function randomPhrase(rnd: () => number, year: number): string {
  const m = int(rnd, 1, 12);
  const d = int(rnd, 1, 28);
  const q = int(rnd, 1, 4);
  const templates = [
    () => `${two(d)}/${two(m)}/${year}`,
    () => `Trước ngày ${d}/${m}/${year}`,
    () => `Tháng ${two(m)}/${year}`,
    () => `Quý ${ROMAN[q - 1]}/${year}`,
    () => `Quý ${ROMAN[q - 1]}, ${ROMAN[Math.min(3, q)]} năm ${year}`,
    () => `Năm ${year}`,
    () => pick(rnd, ['6 tháng đầu năm', '6 tháng cuối năm']),
    () => `Ngày ${two(d)} hàng tháng`,
    () => `Định kỳ hằng tháng (trước ngày ${d} hằng tháng)`,
    () => pick(rnd, ['Hàng quý', 'Hằng quý, năm', '02 lần/năm', 'Định kỳ 06 tháng/01 lần', 'Hàng năm', 'Hằng tháng']),
    () => `${pick(rnd, ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'])} hằng tuần`,
    () => `- Quý ${ROMAN[q - 1]}/${year}. - Trước ngày ${two(d)}/${two(m)}/${year}.`,
  ];
  return pick(rnd, templates)();
}

function randomPolicy(rnd: () => number): Partial<DeadlinePolicy> {
  return {
    beforeDate: pick(rnd, ['previous_day', 'same_day'] as const),
    monthlyDay: pick(rnd, ['last', 1, 15, 31] as const),
    quarterlyDay: pick(rnd, ['last', 17, 19] as const),
    dayOff: pick(rnd, ['keep', 'previous_working_day', 'next_working_day'] as const),
  };
}

describe('due days', () => {
  it('are sorted, unique, near the plan year and deterministic', () => {
    const rnd = prng(20240601);
    for (let i = 0; i < 600; i++) {
      const year = int(rnd, 2023, 2030);
      const text = randomPhrase(rnd, year);
      const policy = randomPolicy(rnd);
      const got = interpretDeadline(text, year, { calendar, policy });
      expect(got.kind, text).toMatch(/^(once|recurring)$/);
      for (let k = 1; k < got.dues.length; k++) expect(compareDates(got.dues[k - 1] as string, got.dues[k] as string), text).toBeLessThan(0);
      // "trước ngày 01" and the day-off policy may step a few days out of the year, never more.
      const from = addDays(makeDate(year, 1, 1) as string, -10);
      const to = addDays(makeDate(year, 12, 31) as string, 10);
      for (const d of got.dues) {
        expect(d >= from && d <= to, `${text} → ${d}`).toBe(true);
        if (policy.dayOff !== 'keep') expect(calendar.isWorkingDay(d), `${text} → ${d}`).toBe(true);
      }
      if (got.kind === 'recurring' && /hàng tháng|hằng tháng/i.test(text)) expect(got.dues).toHaveLength(12);
      expect(interpretDeadline(text, year, { calendar, policy })).toEqual(got);
    }
  });
});

describe('working-day arithmetic', () => {
  it('round-trips: workingDaysBetween(a, addWorkingDays(a, n)) = n', () => {
    const rnd = prng(7);
    const start = '2023-01-01';
    for (let i = 0; i < 2000; i++) {
      const a = addDays(start, int(rnd, 0, 8 * 365));
      const n = int(rnd, -40, 40);
      const b = calendar.addWorkingDays(a, n);
      if (n !== 0) expect(calendar.isWorkingDay(b)).toBe(true);
      if (n > 0) expect(b > a).toBe(true);
      if (n < 0) expect(b < a).toBe(true);
      if (calendar.isWorkingDay(a) || n > 0) expect(calendar.workingDaysBetween(a, b), `${a} ${n}`).toBe(n);
      const w = calendar.onOrAfter(a);
      expect(calendar.addWorkingDays(calendar.addWorkingDays(w, n), -n)).toBe(w);
    }
  });
});

describe('robustness', () => {
  const rnd = prng(42);
  const randomUnicode = (len: number): string => {
    let s = '';
    for (let i = 0; i < len; i++) {
      const r = rnd();
      s += r < 0.5 ? pick(rnd, ['Quý', 'ngày', 'trước', '/', '-', ' ', '2024', 'I', '(', ')', '<i>', '\n', 'hằng', 'tháng', '&nbsp;', '0'])
        : String.fromCodePoint(int(rnd, 0, r < 0.9 ? 0x2fff : 0x10ffff));
    }
    return s;
  };

  it('never throws on random text', () => {
    for (let i = 0; i < 3000; i++) {
      const text = randomUnicode(int(rnd, 0, 60));
      const rule = parseDeadline(text, 2024, { content: randomUnicode(30), note: randomUnicode(10) });
      expect(typeof rule.kind).toBe('string');
      expect(() => interpretDeadline(text, 2024, { calendar })).not.toThrow();
    }
  });

  it('stays fast on very long input (100k characters)', () => {
    const inputs = [
      'a'.repeat(100_000),
      '1/'.repeat(50_000),
      'quy i, '.repeat(14_000),
      'ngay '.repeat(20_000),
      '<'.repeat(100_000),
      randomUnicode(100_000).slice(0, 100_000),
    ];
    for (const text of inputs) {
      const t0 = performance.now();
      const rule = parseDeadline(text, 2024, { content: text, note: text });
      const ms = performance.now() - t0;
      expect(rule.kind).toBe('unknown');
      expect(ms, `${text.slice(0, 10)}… took ${ms} ms`).toBeLessThan(1500);
    }
    // Long context with a short cell is read, not refused.
    const t0 = performance.now();
    const rule = parseDeadline('Hàng quý', 2024, { content: 'quy '.repeat(25_000), note: 'ngay 1 '.repeat(14_000) });
    expect(rule.kind).toBe('recurring');
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('scales linearly on cells just under the length cap', () => {
    const time = (n: number): number => {
      const text = 'Quý II, '.repeat(n);
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) parseDeadline(text, 2024);
      return performance.now() - t0;
    };
    time(20);
    expect(time(240)).toBeLessThan(500);
  });
});
