import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCalendar, announcedYearSchema, provisionalYear, statutoryHolidays } from '../src/core/calendar.ts';
import { loadAnnouncedYears, loadCalendar } from '../src/files/calendar-data.ts';
import { addDays, weekday } from '../src/core/dates.ts';

// domain.md §5, verbatim.
const ANNOUNCED: Record<number, { off: string[]; saturdays: string[] }> = {
  2023: {
    off: ['01-02', '01-20', '01-23', '01-24', '01-25', '01-26', '05-01', '05-02', '05-03', '09-01', '09-04'],
    saturdays: [],
  },
  2024: {
    off: ['01-01', '02-08', '02-09', '02-12', '02-13', '02-14', '04-18', '04-29', '04-30', '05-01', '09-02', '09-03'],
    saturdays: ['05-04'],
  },
  2025: {
    off: ['01-01', '01-27', '01-28', '01-29', '01-30', '01-31', '04-07', '04-30', '05-01', '05-02', '09-01', '09-02'],
    saturdays: ['04-26'],
  },
  2026: {
    off: ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '04-27', '04-30', '05-01', '08-31', '09-01', '09-02'],
    saturdays: ['01-10', '08-22'],
  },
};

const calendar = loadCalendar();

describe('announced calendars 2023-2026', () => {
  it.each(Object.entries(ANNOUNCED))('%s matches domain.md §5', (yearText, expected) => {
    const year = Number(yearText);
    const cal = calendar.year(year);
    expect(cal.status).toBe('official');
    expect(cal.year).toBe(year);
    expect(cal.daysOff.map((d) => d.date)).toEqual(expected.off.map((md) => `${year}-${md}`));
    expect(cal.workedSaturdays).toEqual(expected.saturdays.map((md) => `${year}-${md}`));
    for (const d of cal.daysOff) {
      expect(calendar.isWorkingDay(d.date)).toBe(false);
      expect(d.reason.length).toBeGreaterThan(3);
    }
    for (const s of cal.workedSaturdays) {
      expect(weekday(s)).toBe(6);
      expect(calendar.isWorkingDay(s)).toBe(true);
    }
  });

  it('has exactly the contracts.md shape', () => {
    const cal = calendar.year(2024);
    expect(Object.keys(cal).sort()).toEqual(['daysOff', 'status', 'workedSaturdays', 'year']);
    expect(Object.keys(cal.daysOff[0] ?? {}).sort()).toEqual(['date', 'reason']);
    expect(cal.daysOff.find((d) => d.date === '2024-02-12')?.reason).toBe('Tết Nguyên đán');
    expect(cal.daysOff.find((d) => d.date === '2024-04-18')?.reason).toBe('Giỗ Tổ Hùng Vương');
  });

  it('loads every file of data/calendar regardless of the working directory', () => {
    expect(loadAnnouncedYears().map((y) => y.year)).toEqual([2023, 2024, 2025, 2026]);
    for (const y of loadAnnouncedYears()) expect(y.sources?.length).toBeGreaterThan(0);
  });
});

describe('working-day arithmetic', () => {
  it('knows weekends, days off and worked Saturdays', () => {
    expect(calendar.isWorkingDay('2024-02-07')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-08')).toBe(false);
    expect(calendar.isWorkingDay('2024-02-10')).toBe(false);
    expect(calendar.isWorkingDay('2024-05-04')).toBe(true); // worked Saturday
    expect(calendar.isWorkingDay('2024-05-11')).toBe(false);
    expect(calendar.dayOffReason('2024-05-04')).toBeNull();
    expect(calendar.dayOffReason('2024-04-29')).toMatch(/Hoán đổi/);
    expect(calendar.dayOffReason('2024-05-05')).toBe('Chủ nhật');
  });

  it('moves to working days', () => {
    expect(calendar.onOrAfter('2024-02-08')).toBe('2024-02-15');
    expect(calendar.onOrBefore('2024-02-14')).toBe('2024-02-07');
    expect(calendar.onOrAfter('2024-02-15')).toBe('2024-02-15');
    expect(calendar.nextWorkingDay('2024-02-15')).toBe('2024-02-16');
    expect(calendar.previousWorkingDay('2024-02-15')).toBe('2024-02-07');
    expect(calendar.onOrAfter('2024-05-04')).toBe('2024-05-04');
  });

  it('adds and counts working days', () => {
    expect(calendar.addWorkingDays('2024-02-07', 1)).toBe('2024-02-15');
    expect(calendar.addWorkingDays('2024-02-15', -1)).toBe('2024-02-07');
    expect(calendar.addWorkingDays('2024-02-10', 0)).toBe('2024-02-15');
    expect(calendar.addWorkingDays('2024-02-07', 0)).toBe('2024-02-07');
    expect(calendar.addWorkingDays('2023-12-29', 2)).toBe('2024-01-03'); // over New Year's Day
    expect(calendar.addWorkingDays('2024-04-26', 1)).toBe('2024-05-02');
    expect(calendar.addWorkingDays('2024-05-03', 1)).toBe('2024-05-04'); // worked Saturday
    expect(calendar.workingDaysBetween('2024-02-07', '2024-02-15')).toBe(1);
    expect(calendar.workingDaysBetween('2024-02-15', '2024-02-07')).toBe(-1);
    expect(calendar.workingDaysBetween('2024-03-01', '2024-03-01')).toBe(0);
    // 262 weekdays − 12 days off + 1 worked Saturday (01/01 is off, so (a, b] loses nothing)
    expect(calendar.workingDaysBetween('2024-01-01', '2024-12-31')).toBe(251);
    expect(() => calendar.addWorkingDays('2024-01-01', 1.5)).toThrow();
  });

  it('workingDaysBetween counts (a, b] day by day, across years, announced or provisional', () => {
    const byDay = (a: string, b: string) => {
      const [from, to, sign] = a <= b ? [a, b, 1] : [b, a, -1];
      let n = 0;
      for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) n++;
      return sign * n;
    };
    const days = ['2020-02-29', '2022-12-31', '2023-01-01', '2023-09-04', '2024-02-29', '2024-12-31', '2025-01-01', '2026-08-22', '2027-06-15', '2028-12-31'];
    for (const a of days) for (const b of days) expect(calendar.workingDaysBetween(a, b), `${a} → ${b}`).toBe(byDay(a, b));
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 48271) % 2147483647;
      const a = addDays('2021-01-01', seed % 3000);
      const b = addDays(a, (seed % 801) - 400);
      expect(calendar.workingDaysBetween(a, b), `${a} → ${b}`).toBe(byDay(a, b));
    }
  });
});

describe('provisional years', () => {
  it('flags unannounced years as provisional', () => {
    const cal = calendar.year(2027);
    expect(cal.status).toBe('provisional');
    expect(cal.workedSaturdays).toEqual([]);
    for (const d of cal.daysOff) expect(weekday(d.date)).toBeLessThanOrEqual(5);
  });

  it('computes the Labour Code holidays with compensatory days (2027)', () => {
    const off = Object.fromEntries(calendar.year(2027).daysOff.map((d) => [d.date, d.reason]));
    expect(off['2027-01-01']).toBe('Tết Dương lịch');
    // Tết 2027-02-06 is a Saturday: 29 Tết (Fri 05/02), mùng 3-4 (Mon-Tue), then two compensatory days.
    expect(off['2027-02-05']).toBe('Tết Nguyên đán');
    expect(off['2027-02-08']).toBe('Tết Nguyên đán');
    expect(off['2027-02-09']).toBe('Tết Nguyên đán');
    expect(off['2027-02-10']).toMatch(/^Nghỉ bù Tết Nguyên đán/);
    expect(off['2027-02-11']).toMatch(/^Nghỉ bù Tết Nguyên đán/);
    expect(off['2027-04-16']).toBe('Giỗ Tổ Hùng Vương');
    expect(off['2027-04-30']).toBe('Ngày Chiến thắng');
    expect(off['2027-05-03']).toMatch(/^Nghỉ bù Quốc tế Lao động/); // 01/05/2027 is a Saturday
    expect(off['2027-09-01']).toMatch(/^Quốc khánh/);
    expect(off['2027-09-02']).toBe('Quốc khánh');
    expect(Object.keys(off)).toHaveLength(11);
  });

  it('reproduces most of the announced years from the rules alone', () => {
    // The Government's choices (Tết days, swaps) differ; the statutory days and compensations agree.
    const p2023 = provisionalYear(2023).daysOff.map((d) => d.date);
    expect(p2023).toEqual(expect.arrayContaining(['2023-01-02', '2023-05-01', '2023-05-02', '2023-05-03', '2023-09-01', '2023-09-04']));
    const p2024 = provisionalYear(2024).daysOff.map((d) => d.date);
    expect(p2024).toEqual(expect.arrayContaining(['2024-01-01', '2024-04-18', '2024-04-30', '2024-05-01', '2024-09-02', '2024-09-03']));
    const p2026 = provisionalYear(2026).daysOff.map((d) => d.date);
    expect(p2026).toEqual(expect.arrayContaining(['2026-02-16', '2026-02-20', '2026-04-27', '2026-09-01', '2026-09-02']));
  });

  it('gives eleven statutory holidays every year', () => {
    for (let y = 2023; y <= 2040; y++) expect(statutoryHolidays(y)).toHaveLength(11);
  });

  it('works with no data at all', () => {
    const bare = new WorkingCalendar();
    expect(bare.year(2024).status).toBe('provisional');
    expect(bare.isWorkingDay('2024-09-02')).toBe(false);
  });
});

describe('validation of announced data', () => {
  const good = { year: 2030, daysOff: [{ date: '2030-01-01', reason: 'Tết Dương lịch' }], workedSaturdays: [] };

  it('accepts a new year without code change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lich-'));
    try {
      writeFileSync(join(dir, '2030.json'), JSON.stringify(good));
      const cal = loadCalendar(dir);
      expect(cal.year(2030).status).toBe('official');
      expect(cal.year(2030).daysOff).toEqual(good.daysOff);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['date outside the year', { ...good, daysOff: [{ date: '2031-01-01', reason: 'x' }] }, /không thuộc năm 2030/],
    ['impossible date', { ...good, daysOff: [{ date: '2030-02-30', reason: 'x' }] }, /YYYY-MM-DD/],
    ['worked day not a Saturday', { ...good, workedSaturdays: ['2030-01-07'] }, /không phải thứ Bảy/],
    ['missing reason', { ...good, daysOff: [{ date: '2030-01-01', reason: '' }] }, /thiếu lý do/],
  ])('rejects %s naming the file', (_name, data, message) => {
    expect(announcedYearSchema.safeParse(data).success).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'lich-'));
    try {
      writeFileSync(join(dir, '2030.json'), JSON.stringify(data));
      expect(() => loadAnnouncedYears(dir)).toThrow(/2030\.json/);
      expect(() => loadAnnouncedYears(dir)).toThrow(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects broken JSON and duplicated years', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lich-'));
    try {
      writeFileSync(join(dir, 'a.json'), '{ "year": ');
      expect(() => loadAnnouncedYears(dir)).toThrow(/a\.json.*JSON/);
      writeFileSync(join(dir, 'a.json'), JSON.stringify(good));
      writeFileSync(join(dir, 'b.json'), JSON.stringify(good));
      expect(() => loadAnnouncedYears(dir)).toThrow(/b\.json.*2030/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
