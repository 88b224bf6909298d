/**
 * The civil-service working-day calendar of Viet Nam.
 *
 * Monday..Friday are working days, minus the days off of the year, plus the Saturdays the
 * Government made people work in exchange for a bridge day. Announced years come from data
 * (data/calendar/*.json, loaded by src/files/calendar-data.ts); other years are computed
 * provisionally from the Labour Code 2019 art. 112 and flagged 'provisional'.
 */
import { z } from 'zod';
import {
  addDays,
  compareDates,
  dateParts,
  isLeapYear,
  isLocalDate,
  makeDate,
  toDayNumber,
  weekday,
  formatVi,
  type LocalDate,
} from './dates.ts';
import { lunarToSolar } from './lunar.ts';

export type DayOff = { date: LocalDate; reason: string };

/** One announced year, as stored in data/calendar/YYYY.json. */
export type AnnouncedYear = {
  year: number;
  daysOff: DayOff[];
  workedSaturdays: LocalDate[];
  /** the documents the year follows (notices of the ministry in charge, the Government Office's letters) */
  sources?: string[];
  /** what was checked in those documents and what was not */
  notes?: string[];
  source?: string;
};

/** The `calendar --json` shape of contracts.md. */
export type YearCalendar = {
  year: number;
  status: 'official' | 'provisional';
  daysOff: DayOff[];
  workedSaturdays: LocalDate[];
};

const localDateSchema = z.string().refine(isLocalDate, { message: 'ngày phải có dạng YYYY-MM-DD và có thật' });

export const announcedYearSchema = z
  .object({
    year: z.number().int().min(1900).max(2200),
    daysOff: z.array(z.object({ date: localDateSchema, reason: z.string().trim().min(1, 'thiếu lý do nghỉ') })),
    workedSaturdays: z.array(localDateSchema),
    sources: z.array(z.string().trim().min(1)).optional(),
    notes: z.array(z.string().trim().min(1)).optional(),
    source: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const inYear = (d: string): boolean => isLocalDate(d) && dateParts(d).year === value.year;
    value.daysOff.forEach((off, i) => {
      if (!inYear(off.date)) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i, 'date'], message: `ngày ${off.date} không thuộc năm ${value.year}` });
      }
    });
    const seen = new Set<string>();
    value.daysOff.forEach((off, i) => {
      if (seen.has(off.date)) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i, 'date'], message: `ngày ${off.date} bị lặp` });
      }
      seen.add(off.date);
    });
    value.workedSaturdays.forEach((d, i) => {
      if (!inYear(d)) {
        ctx.addIssue({ code: 'custom', path: ['workedSaturdays', i], message: `ngày ${d} không thuộc năm ${value.year}` });
      } else if (weekday(d) !== 6) {
        ctx.addIssue({ code: 'custom', path: ['workedSaturdays', i], message: `ngày ${d} không phải thứ Bảy` });
      }
    });
  });

export const REASONS = {
  newYear: 'Tết Dương lịch',
  tet: 'Tết Nguyên đán',
  hungKings: 'Giỗ Tổ Hùng Vương',
  victory: 'Ngày Chiến thắng',
  labour: 'Quốc tế Lao động',
  national: 'Quốc khánh',
  compensatory: 'Nghỉ bù',
  swap: 'Hoán đổi ngày làm việc',
} as const;

type Holiday = { date: LocalDate; reason: string };

function isWeekend(d: LocalDate): boolean {
  return weekday(d) >= 6;
}

function mustDate(y: number, m: number, d: number): LocalDate {
  const date = makeDate(y, m, d);
  if (date === null) throw new RangeError(`Ngày không tồn tại: ${d}/${m}/${y}`);
  return date;
}

/**
 * The statutory holidays of a year, weekend ones included (before compensation).
 *
 * Tết: the Government picks the 5 days each year; the provisional choice is the last day of the
 * old lunar year plus days 1..4 of the new one (the most common pattern of past announcements).
 * Quốc khánh: 2/9 plus 1/9 when 1/9 is a weekday, else 3/9. That reproduces 2023 (1/9 Fri),
 * 2024 (1/9 Sun → 3/9) and 2025/2026 (1/9 Mon/Tue): it keeps the pair next to a weekend when it can.
 */
export function statutoryHolidays(year: number): Holiday[] {
  const holidays: Holiday[] = [{ date: mustDate(year, 1, 1), reason: REASONS.newYear }];
  const tet = lunarToSolar(1, 1, year);
  for (let i = -1; i <= 3; i++) {
    const date = addDays(tet, i);
    // The 30th of the old year can fall in the previous solar year only in theory (Tết is ≥ 21/01).
    if (dateParts(date).year === year) holidays.push({ date, reason: REASONS.tet });
  }
  holidays.push({ date: lunarToSolar(10, 3, year), reason: REASONS.hungKings });
  holidays.push({ date: mustDate(year, 4, 30), reason: REASONS.victory });
  holidays.push({ date: mustDate(year, 5, 1), reason: REASONS.labour });
  const sep1 = mustDate(year, 9, 1);
  holidays.push({ date: isWeekend(sep1) ? mustDate(year, 9, 3) : sep1, reason: `${REASONS.national} (ngày liền kề)` });
  holidays.push({ date: mustDate(year, 9, 2), reason: REASONS.national });
  return holidays.sort((a, b) => compareDates(a.date, b.date));
}

/**
 * Provisional calendar: the weekday holidays, plus for each holiday on a Saturday or Sunday the
 * first later weekday that is not already off (Labour Code art. 112(3)). Only weekdays are listed:
 * weekend days are not working days anyway, exactly like the announced tables.
 */
export function provisionalYear(year: number): YearCalendar {
  const holidays = statutoryHolidays(year);
  const off = new Map<LocalDate, string>();
  for (const h of holidays) if (!isWeekend(h.date)) off.set(h.date, h.reason);
  const allHolidayDates = new Set(holidays.map((h) => h.date));
  for (const h of holidays) {
    if (!isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || off.has(d) || allHolidayDates.has(d)) d = addDays(d, 1);
    off.set(d, `${REASONS.compensatory} ${h.reason} (${formatVi(h.date)} rơi vào ${weekday(h.date) === 6 ? 'thứ Bảy' : 'Chủ nhật'})`);
  }
  const daysOff = [...off.entries()]
    .map(([date, reason]) => ({ date, reason }))
    .sort((a, b) => compareDates(a.date, b.date));
  return { year, status: 'provisional', daysOff, workedSaturdays: [] };
}

type YearIndex = { calendar: YearCalendar; off: Set<LocalDate>; worked: Set<LocalDate>; prefix?: Int32Array };

export class WorkingCalendar {
  private readonly announced = new Map<number, AnnouncedYear>();
  private readonly cache = new Map<number, YearIndex>();

  constructor(years: readonly AnnouncedYear[] = []) {
    for (const raw of years) {
      const parsed = announcedYearSchema.parse(raw);
      if (this.announced.has(parsed.year)) throw new Error(`Lịch năm ${parsed.year} được khai báo hai lần`);
      this.announced.set(parsed.year, parsed);
    }
  }

  /** The documents an announced year follows (empty for a provisional year). */
  sourcesOf(y: number): string[] {
    const data = this.announced.get(y);
    return [...(data?.sources ?? (data?.source ? [data.source] : []))];
  }

  /** Years with an announced (official) calendar, ascending. */
  announcedYears(): number[] {
    return [...this.announced.keys()].sort((a, b) => a - b);
  }

  year(y: number): YearCalendar {
    const { calendar } = this.index(y);
    return {
      ...calendar,
      daysOff: calendar.daysOff.map((d) => ({ ...d })),
      workedSaturdays: [...calendar.workedSaturdays],
    };
  }

  private index(y: number): YearIndex {
    const cached = this.cache.get(y);
    if (cached) return cached;
    const data = this.announced.get(y);
    const calendar: YearCalendar = data
      ? {
          year: y,
          status: 'official',
          daysOff: [...data.daysOff].sort((a, b) => compareDates(a.date, b.date)),
          workedSaturdays: [...data.workedSaturdays].sort(compareDates),
        }
      : provisionalYear(y);
    const entry: YearIndex = {
      calendar,
      off: new Set(calendar.daysOff.map((d) => d.date)),
      worked: new Set(calendar.workedSaturdays),
    };
    this.cache.set(y, entry);
    return entry;
  }

  /** Why that day is not worked, or null when it is a working day. */
  dayOffReason(d: LocalDate): string | null {
    const { off, worked, calendar } = this.index(dateParts(d).year);
    if (worked.has(d)) return null;
    if (off.has(d)) return calendar.daysOff.find((x) => x.date === d)?.reason ?? REASONS.compensatory;
    const wd = weekday(d);
    if (wd === 6) return 'Thứ Bảy';
    if (wd === 7) return 'Chủ nhật';
    return null;
  }

  isWorkingDay(d: LocalDate): boolean {
    const { off, worked } = this.index(dateParts(d).year);
    if (worked.has(d)) return true;
    return weekday(d) <= 5 && !off.has(d);
  }

  /** d itself when it is a working day, else the first working day after it. */
  onOrAfter(d: LocalDate): LocalDate {
    let x = d;
    while (!this.isWorkingDay(x)) x = addDays(x, 1);
    return x;
  }

  /** d itself when it is a working day, else the last working day before it. */
  onOrBefore(d: LocalDate): LocalDate {
    let x = d;
    while (!this.isWorkingDay(x)) x = addDays(x, -1);
    return x;
  }

  /** The first working day strictly after d. */
  nextWorkingDay(d: LocalDate): LocalDate {
    return this.onOrAfter(addDays(d, 1));
  }

  /** The last working day strictly before d. */
  previousWorkingDay(d: LocalDate): LocalDate {
    return this.onOrBefore(addDays(d, -1));
  }

  /**
   * n > 0: the n-th working day strictly after d; n < 0: the |n|-th working day strictly before d;
   * n = 0: onOrAfter(d), i.e. d itself when it is a working day ("within 0 working days" = today,
   * or the next working day when today is off).
   */
  addWorkingDays(d: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`Số ngày làm việc phải là số nguyên: ${n}`);
    if (n === 0) return this.onOrAfter(d);
    let x = d;
    if (n > 0) for (let i = 0; i < n; i++) x = this.nextWorkingDay(x);
    else for (let i = 0; i < -n; i++) x = this.previousWorkingDay(x);
    return x;
  }

  /**
   * Working days in (a, b] when b ≥ a, and minus the working days in (b, a] when b < a.
   * So for a working day a, workingDaysBetween(a, addWorkingDays(a, n)) === n for every n.
   */
  workingDaysBetween(a: LocalDate, b: LocalDate): number {
    const cmp = compareDates(a, b);
    if (cmp === 0) return 0;
    const [from, to, sign] = cmp < 0 ? [a, b, 1] : [b, a, -1];
    // (from, to] = working days up to `to` minus those up to `from`, each counted from its year's 1 January,
    // plus the whole years in between: constant work per year instead of per day (reports and digests ask
    // this for every occurrence)
    const [yFrom, yTo] = [dateParts(from).year, dateParts(to).year];
    let count = this.workingDaysThrough(to) - this.workingDaysThrough(from);
    for (let y = yFrom; y < yTo; y++) count += this.workingDaysInYear(y);
    return sign * count;
  }

  /** Working days from 1 January of d's year through d. */
  private workingDaysThrough(d: LocalDate): number {
    const year = dateParts(d).year;
    return this.prefix(year)[toDayNumber(d) - toDayNumber(makeDate(year, 1, 1)!) + 1]!;
  }

  private workingDaysInYear(y: number): number {
    const prefix = this.prefix(y);
    return prefix[prefix.length - 1]!;
  }

  /** prefix[i]: working days among the first i days of the year. */
  private prefix(y: number): Int32Array {
    const entry = this.index(y);
    if (!entry.prefix) {
      const first = makeDate(y, 1, 1)!;
      const days = isLeapYear(y) ? 366 : 365;
      const prefix = new Int32Array(days + 1);
      for (let i = 0, d = first; i < days; i++, d = addDays(d, 1)) prefix[i + 1] = prefix[i]! + (this.isWorkingDay(d) ? 1 : 0);
      entry.prefix = prefix;
    }
    return entry.prefix;
  }
}
