import type { LocalDate } from './dates.ts';

/** What the round planners need of the working-day calendar (WorkingCalendar has it; tests may fake it). */
export interface WorkdayCalendar {
  isWorkingDay(date: LocalDate): boolean;
  /** working days in (a, b] when b ≥ a, minus those in (b, a] when b < a */
  workingDaysBetween(a: LocalDate, b: LocalDate): number;
}

/** 0 on the due day, −n when n working days remain before it, +n when n working days late. */
export function workdayOffset(calendar: WorkdayCalendar, today: LocalDate, due: LocalDate): number {
  if (due < today) return calendar.workingDaysBetween(due, today);
  // −(working days in [today, due)): those in (today, due], plus today, minus the due day
  const between = calendar.workingDaysBetween(today, due);
  return (calendar.isWorkingDay(due) ? 1 : 0) - (calendar.isWorkingDay(today) ? 1 : 0) - between;
}
