import { describe, it, expect } from 'vitest';
import { hungKingsDate, lunarToSolar, solarToLunar, tetDate } from '../src/core/lunar.ts';
import { addDays, daysBetween } from '../src/core/dates.ts';

// Mùng 1 Tết, Vietnamese calendar (UTC+7).
const TET: Record<number, string> = {
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-02', // China: 2030-02-03
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

// Giỗ Tổ Hùng Vương, 10/3 lunar. 2023-2026 from announcements; the rest from the algorithm,
// cross-checked below against the new moon of the 3rd month.
const HUNG_KINGS: Record<number, string> = {
  2023: '2023-04-29',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
  2027: '2027-04-16',
  2028: '2028-04-04',
  2029: '2029-04-23',
  2030: '2030-04-12',
  2031: '2031-04-01',
  2032: '2032-04-19',
  2033: '2033-04-09',
  2034: '2034-04-28',
  2035: '2035-04-17',
};

describe('Vietnamese lunar calendar', () => {
  it.each(Object.entries(TET))('Tết %s is %s', (year, date) => {
    expect(tetDate(Number(year))).toBe(date);
    expect(lunarToSolar(1, 1, Number(year))).toBe(date);
    expect(solarToLunar(date)).toEqual({ day: 1, month: 1, year: Number(year), leap: false });
  });

  it('uses UTC+7, not the Chinese UTC+8: Tết 2030 is 02/02', () => {
    expect(tetDate(2030)).toBe('2030-02-02');
    expect(solarToLunar('2030-02-03')).toEqual({ day: 2, month: 1, year: 2030, leap: false });
    expect(solarToLunar('2030-02-01').month).toBe(12);
  });

  it.each(Object.entries(HUNG_KINGS))('Giỗ Tổ %s is %s', (year, date) => {
    expect(hungKingsDate(Number(year))).toBe(date);
    expect(solarToLunar(date)).toEqual({ day: 10, month: 3, year: Number(year), leap: false });
  });

  it('keeps Giỗ Tổ 2-3 lunar months after Tết (68..98 days) and new moons 29-30 days apart', () => {
    for (let y = 2023; y <= 2035; y++) {
      const gap = daysBetween(tetDate(y), hungKingsDate(y));
      expect(gap).toBeGreaterThanOrEqual(66);
      expect(gap).toBeLessThanOrEqual(98);
      const month3Start = lunarToSolar(1, 3, y);
      expect(addDays(month3Start, 9)).toBe(hungKingsDate(y));
      const yearLength = daysBetween(tetDate(y), tetDate(y + 1));
      expect([353, 354, 355, 383, 384, 385]).toContain(yearLength);
    }
  });

  it('knows leap months (2023 had a leap 2nd month, 2025 a leap 6th month)', () => {
    expect(lunarToSolar(1, 2, 2023, true)).toBe('2023-03-22');
    expect(solarToLunar('2023-03-22')).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(lunarToSolar(1, 6, 2025, true)).toBe('2025-07-25');
    expect(() => lunarToSolar(1, 5, 2025, true)).toThrow(/nhuận/);
    expect(() => lunarToSolar(1, 1, 2024, true)).toThrow(/nhuận/);
  });

  it('round-trips every day from 2020 to 2036', () => {
    for (let d = '2020-01-01'; d < '2037-01-01'; d = addDays(d, 1)) {
      const l = solarToLunar(d);
      expect(lunarToSolar(l.day, l.month, l.year, l.leap)).toBe(d);
    }
  });

  it('refuses lunar dates that do not exist', () => {
    expect(() => lunarToSolar(31, 1, 2024)).toThrow();
    expect(() => lunarToSolar(1, 13, 2024)).toThrow();
  });
});
