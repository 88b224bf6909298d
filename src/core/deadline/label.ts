/** Vietnamese one-line descriptions of a rule, for replies, reminders and the import preview. */
import { formatVi, type LocalDate } from '../dates.ts';
import type { WorkingCalendar } from '../calendar.ts';
import { defaultDeadlinePolicy, type DeadlinePolicy } from './policy.ts';
import { applyDayOff, milestoneDue } from './dues.ts';
import type { EventRule, Milestone, Quarter, RecurringRule, Rule, RuleKind } from './rule.ts';

/** A rule's kind in words (the JSON keeps the code). */
export const KIND_LABELS: Record<RuleKind, string> = {
  once: 'có hạn chót',
  recurring: 'định kỳ',
  event: 'theo sự kiện (tính từ ngày sự kiện được báo)',
  on_demand: 'khi phát sinh, theo yêu cầu',
  ongoing: 'thường xuyên, không có hạn chót',
  unknown: 'chưa hiểu, quản trị viên cần đặt thời hạn',
};

const ROMAN: Record<Quarter, string> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' };
const WEEKDAY_NAMES = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];

const two = (n: number): string => String(n).padStart(2, '0');

/** Quarter lists: [2,3] → "II, III"; a run of 3+ → "I-III". */
function quarterNames(quarters: readonly Quarter[]): string {
  const contiguous = quarters.every((q, i) => i === 0 || q === (quarters[i - 1] as number) + 1);
  if (contiguous && quarters.length >= 3) return `${ROMAN[quarters[0] as Quarter]}-${ROMAN[quarters[quarters.length - 1] as Quarter]}`;
  return quarters.map((q) => ROMAN[q]).join(', ');
}

/** What the plan said, in a normal form: "hết Quý II/2024", "trước ngày 28/02/2023". */
export function milestoneSource(m: Milestone): string {
  switch (m.on) {
    case 'date':
      return `ngày ${formatVi(m.date)}`;
    case 'before':
      return `trước ngày ${formatVi(m.date)}`;
    case 'month':
      return `hết tháng ${two(m.month)}/${m.year}`;
    case 'quarter':
      return `hết Quý ${quarterNames(m.quarters)}/${m.year}`;
    case 'half':
      return `hết 6 tháng ${m.half === 1 ? 'đầu' : 'cuối'} năm ${m.year}`;
    case 'year':
      return `hết năm ${m.year}`;
  }
}

function milestoneLabel(m: Milestone, policy: DeadlinePolicy, calendar?: WorkingCalendar): string {
  const due = milestoneDue(m, policy);
  const moved: LocalDate = calendar ? applyDayOff(due, calendar, policy) : due;
  const notes: string[] = [];
  if (m.on !== 'date') notes.push(milestoneSource(m));
  if (m.on === 'before' && policy.beforeDate === 'same_day') notes.push('tính cả ngày này');
  if (moved !== due) {
    notes.push(`${formatVi(due)} là ngày nghỉ, chuyển sang ngày làm việc ${moved < due ? 'liền trước' : 'kế tiếp'}`);
  }
  return notes.length > 0 ? `${formatVi(moved)} (${notes.join('; ')})` : formatVi(moved);
}

function dayText(day: number | 'last', unit: 'tháng' | 'quý'): string {
  if (day === 'last') return `ngày cuối ${unit}`;
  return unit === 'tháng' ? `ngày ${two(day)}` : `ngày ${two(day)} tháng cuối quý`;
}

function beforeText(day: number, policy: DeadlinePolicy, unit: 'tháng' | 'tháng cuối quý' | 'tháng sau' | 'tháng đầu quý sau'): string {
  const where = unit === 'tháng' ? '' : ` ${unit}`;
  if (policy.beforeDate === 'same_day') return `trước ngày ${two(day)}${where} (hạn tính cả ngày ${two(day)})`;
  const due = day === 1 ? 'hạn ngày cuối tháng liền trước' : `hạn ngày ${two(day - 1)}`;
  return `trước ngày ${two(day)}${where} (${due})`;
}

function recurringLabel(rule: RecurringRule, policy: DeadlinePolicy): string {
  switch (rule.every) {
    case 'week':
      return rule.weekday ? `${WEEKDAY_NAMES[rule.weekday]} hằng tuần` : 'Hằng tuần, hạn Thứ Sáu';
    case 'month':
      if (rule.nextPeriod && rule.on) {
        return `Hằng tháng, ${rule.on.before ? beforeText(rule.on.day, policy, 'tháng sau') : `hạn ngày ${two(rule.on.day)} tháng sau`}`;
      }
      if (rule.on?.before) return `Hằng tháng, ${beforeText(rule.on.day, policy, 'tháng')}`;
      if (rule.on) return `Ngày ${two(rule.on.day)} hằng tháng`;
      return `Hằng tháng, hạn ${dayText(policy.monthlyDay, 'tháng')}`;
    case 'quarter': {
      const head = rule.alsoYear ? 'Hằng quý và năm' : 'Hằng quý';
      if (rule.nextPeriod && rule.on) {
        return `${head}, ${rule.on.before ? beforeText(rule.on.day, policy, 'tháng đầu quý sau') : `hạn ngày ${two(rule.on.day)} tháng đầu quý sau`}`;
      }
      if (rule.on?.before) return `${head}, ${beforeText(rule.on.day, policy, 'tháng cuối quý')}`;
      return `${head}, hạn ${dayText(rule.on ? rule.on.day : policy.quarterlyDay, 'quý')}`;
    }
    case 'half':
      return '6 tháng một lần, hạn 30/06 và 31/12';
    case 'year':
      if (!rule.on) return 'Hằng năm, hạn 31/12';
      return `Hằng năm, ${rule.on.before ? 'trước ngày' : 'hạn ngày'} ${two(rule.on.day)}/${two(rule.on.month)}${
        rule.on.before ? (policy.beforeDate === 'previous_day' ? ' (hạn ngày liền trước)' : ' (tính cả ngày này)') : ''
      }`;
  }
}

export function eventLabel(rule: EventRule): string {
  if (rule.immediate) return `Ngay sau khi ${rule.trigger} (trong ngày, hoặc ngày làm việc kế tiếp)`;
  if (rule.direction === 'after' && rule.offset === 0) return `Sau ${rule.trigger} (hạn: ngày đó, hoặc ngày làm việc kế tiếp)`;
  const amount = `${two(rule.offset)} ${rule.unit === 'working_day' ? 'ngày làm việc' : 'ngày'}`;
  if (rule.direction === 'after') return `${amount} kể từ ${rule.trigger}`;
  const label = `${amount} trước ${rule.trigger}`.replace(/ trước trước /, ' trước ');
  return rule.anchor === 'dossier_due' ? `${label} (tính theo từng hồ sơ)` : label;
}

/**
 * Without a calendar the day-off policy cannot be applied, so the label shows the computed day as is.
 */
export function labelOf(rule: Rule, year: number, calendar?: WorkingCalendar, policy: DeadlinePolicy = defaultDeadlinePolicy): string {
  void year; // one-off milestones carry their own year; recurring labels are the same every year
  switch (rule.kind) {
    case 'once':
      return `Hạn chót ${rule.milestones.map((m) => milestoneLabel(m, policy, calendar)).join('; ')}`;
    case 'recurring':
      return recurringLabel(rule, policy);
    case 'event':
      return eventLabel(rule);
    case 'on_demand':
      return `${rule.trigger} — không có hạn chót`;
    case 'ongoing':
      return 'Thường xuyên — không có hạn chót';
    case 'unknown':
      return `Chưa hiểu thời hạn: ${rule.reason} — quản trị viên cần đặt thời hạn`;
  }
}
