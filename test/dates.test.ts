import { describe, it, expect } from 'vitest';
import {
  addDays,
  compareDates,
  daysBetween,
  formatVi,
  fromDayNumber,
  isLocalDate,
  lastDayOfMonth,
  makeDate,
  sortUniqueDates,
  toDayNumber,
  weekday,
} from '../src/core/dates.ts';

describe('dates', () => {
  it('builds only dates that exist', () => {
    expect(makeDate(2024, 2, 29)).toBe('2024-02-29');
    expect(makeDate(2023, 2, 29)).toBeNull();
    expect(makeDate(2024, 2, 31)).toBeNull();
    expect(makeDate(2024, 13, 1)).toBeNull();
    expect(makeDate(2024, 0, 1)).toBeNull();
    expect(makeDate(2024, 4, 31)).toBeNull();
    expect(makeDate(2024, 1.5, 1)).toBeNull();
    expect(makeDate(1900, 2, 29)).toBeNull();
    expect(makeDate(2000, 2, 29)).toBe('2000-02-29');
  });

  it('recognises local dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-2-9')).toBe(false);
    expect(isLocalDate('2024-02-29T00:00')).toBe(false);
    expect(isLocalDate(20240229)).toBe(false);
  });

  it('knows month lengths', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => lastDayOfMonth(2024, m))).toEqual([
      31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(lastDayOfMonth(2023, 2)).toBe(28);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2024-03-10', 0)).toBe('2024-03-10');
  });

  it('gives ISO weekdays (1 = Monday .. 7 = Sunday)', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2024-02-10')).toBe(6); // Tết Giáp Thìn, a Saturday
    expect(weekday('2023-01-01')).toBe(7);
    expect(weekday('2024-01-01')).toBe(1);
    expect(weekday('2026-09-02')).toBe(3);
  });

  it('counts and compares', () => {
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2024-12-31', '2024-01-01')).toBe(-365);
    expect(compareDates('2024-01-02', '2024-01-10')).toBeLessThan(0);
    expect(compareDates('2024-01-10', '2024-01-10')).toBe(0);
    expect(sortUniqueDates(['2024-03-01', '2024-01-01', '2024-03-01'])).toEqual(['2024-01-01', '2024-03-01']);
  });

  it('formats the Vietnamese way', () => {
    expect(formatVi('2024-06-30')).toBe('30/06/2024');
    expect(formatVi('2023-02-05')).toBe('05/02/2023');
  });

  it('round-trips day numbers over four centuries', () => {
    for (let n = toDayNumber('1900-01-01'); n < toDayNumber('2300-01-01'); n += 37) {
      expect(toDayNumber(fromDayNumber(n))).toBe(n);
    }
  });

  it('rejects malformed input', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow();
    expect(() => formatVi('hôm nay')).toThrow();
  });
});
