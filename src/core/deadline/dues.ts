/**
 * The due days a rule gives for one plan year, and the due day of an event-based rule once
 * someone reports the event.
 */
import { addDays, lastDayOfMonth, makeDate, sortUniqueDates, weekday, type LocalDate } from '../dates.ts';
import type { WorkingCalendar } from '../calendar.ts';
import type { DeadlinePolicy } from './policy.ts';
import type { EventRule, Milestone, RecurringRule, Rule, StatedDay } from './rule.ts';

/** "Trước ngày X" under the policy: X − 1 ('previous_day') or X ('same_day'). */
export function beforeDue(bound: LocalDate, policy: DeadlinePolicy): LocalDate {
  return policy.beforeDate === 'previous_day' ? addDays(bound, -1) : bound;
}

/** Move a due day off a day off, per policy (applied last, after every other rule). */
export function applyDayOff(d: LocalDate, calendar: WorkingCalendar, policy: DeadlinePolicy): LocalDate {
  if (policy.dayOff === 'previous_working_day') return calendar.onOrBefore(d);
  if (policy.dayOff === 'next_working_day') return calendar.onOrAfter(d);
  return d;
}

/** The due day of one milestone, before the day-off policy. */
export function milestoneDue(m: Milestone, policy: DeadlinePolicy): LocalDate {
  return m.on === 'before' ? beforeDue(m.date, policy) : m.date;
}

/** A day of a month; a stated 31 in a 30-day month means the last day. */
function dayInMonth(year: number, month: number, day: number | 'last', before = false, policy?: DeadlinePolicy): LocalDate {
  const last = lastDayOfMonth(year, month);
  const d = makeDate(year, month, day === 'last' ? last : Math.min(day, last)) as LocalDate;
  return before && policy ? beforeDue(d, policy) : d;
}

/** The day in the period's last month, or in the month after it (the last period's falls in the next year). */
function shifted(year: number, month: number, next: true | undefined, day: number | 'last', before: boolean, policy: DeadlinePolicy): LocalDate {
  if (!next) return dayInMonth(year, month, day, before, policy);
  return month === 12 ? dayInMonth(year + 1, 1, day, before, policy) : dayInMonth(year, month + 1, day, before, policy);
}

function stated(on: StatedDay | undefined, fallback: number | 'last'): { day: number | 'last'; before: boolean } {
  return on ? { day: on.day, before: on.before } : { day: fallback, before: false };
}

function recurringDues(rule: RecurringRule, year: number, policy: DeadlinePolicy): LocalDate[] {
  switch (rule.every) {
    case 'week': {
      const target = rule.weekday ?? 5; // no stated day: Friday, the last working day of the week
      const out: LocalDate[] = [];
      let d = makeDate(year, 1, 1) as LocalDate;
      d = addDays(d, (target - weekday(d) + 7) % 7);
      for (; d.startsWith(`${year}-`); d = addDays(d, 7)) out.push(d);
      return out;
    }
    case 'month': {
      const { day, before } = stated(rule.on, policy.monthlyDay);
      return Array.from({ length: 12 }, (_, i) => shifted(year, i + 1, rule.nextPeriod, day, before, policy));
    }
    case 'quarter': {
      const { day, before } = stated(rule.on, policy.quarterlyDay);
      // The annual report ("hằng quý và năm") closes with the 4th quarter's (Nghị định 09/2019: both
      // periods end on 14/12), so it adds no separate due day; it is kept in the rule for the label.
      return [3, 6, 9, 12].map((month) => shifted(year, month, rule.nextPeriod, day, before, policy));
    }
    case 'half':
      return [makeDate(year, 6, 30) as LocalDate, makeDate(year, 12, 31) as LocalDate];
    case 'year':
      return rule.on
        ? [dayInMonth(year, rule.on.month, rule.on.day, rule.on.before, policy)]
        : [makeDate(year, 12, 31) as LocalDate];
  }
}

/**
 * Sorted, de-duplicated due days of the plan year. One-off milestones keep their own year (a
 * "trước ngày 01/01/2025" milestone of a 2024 plan is due 31/12/2024, or 01/01/2025 under
 * 'same_day'). Empty for event, on-demand, ongoing and unknown rules.
 */
export function duesOf(rule: Rule, year: number, calendar: WorkingCalendar, policy: DeadlinePolicy): LocalDate[] {
  let raw: LocalDate[];
  switch (rule.kind) {
    case 'once':
      raw = rule.milestones.map((m) => milestoneDue(m, policy));
      break;
    case 'recurring':
      raw = recurringDues(rule, year, policy);
      break;
    default:
      return [];
  }
  return sortUniqueDates(raw.map((d) => applyDayOff(d, calendar, policy)));
}

/**
 * The due day of an event rule given the day the event happened.
 * - after, working days: the offset-th working day after the event (0 = that day if working, else the next).
 * - after, calendar days: event + offset; when that is a day off the time limit runs to the next
 *   working day (Bộ luật Dân sự 2015, điều 148).
 * - before: event − offset (working or calendar days); a day off moves it earlier, never later.
 */
export function eventDue(rule: EventRule, eventDate: LocalDate, calendar: WorkingCalendar): LocalDate {
  if (rule.direction === 'after') {
    return rule.unit === 'working_day'
      ? calendar.addWorkingDays(eventDate, rule.offset)
      : calendar.onOrAfter(addDays(eventDate, rule.offset));
  }
  if (rule.unit === 'working_day') {
    return rule.offset === 0 ? calendar.onOrBefore(eventDate) : calendar.addWorkingDays(eventDate, -rule.offset);
  }
  return calendar.onOrBefore(addDays(eventDate, -rule.offset));
}
