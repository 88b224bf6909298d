import { addDays, weekday, type LocalDate } from './dates.ts';
import type { CheckinAssignment, DigestUnit, MessagePart, OfficeFigures } from './message-parts.ts';
import { readsReplies } from './messages.ts';
import { renderMessage } from './round-message.ts';
import type { PlannedMessage, PlannedNotice } from './round.ts';
import type { WorkdayCalendar } from './workdays.ts';

export type { CheckinAssignment, DigestItem, DigestUnit } from './message-parts.ts';

/**
 * The periodic messages of a round: the weekly digest (first working day of the week) to each unit's group
 * and to the coordinating office, and the monthly check-in question for ongoing tasks ("Thường xuyên"),
 * which have no due day to be reminded of. Pure; the keys say what each is about, so it is said once.
 */

export type PeriodicInput = {
  today: LocalDate;
  calendar: WorkdayCalendar;
  units: DigestUnit[];
  coordinator: { chats: string[]; figures: OfficeFigures[] } | null;
  ongoing: CheckinAssignment[];
  /** keys already in the ledger */
  said: ReadonlySet<string>;
  late: boolean;
};

/** Monday of the week of `d`. */
export function weekStart(d: LocalDate): LocalDate {
  return addDays(d, 1 - weekday(d));
}

/** Whether `d` is the first working day of its week (Monday, or Tuesday after a Monday holiday...). */
export function isFirstWorkingDayOfWeek(d: LocalDate, calendar: WorkdayCalendar): boolean {
  for (let x = weekStart(d); x < d; x = addDays(x, 1)) if (calendar.isWorkingDay(x)) return false;
  return calendar.isWorkingDay(d);
}

export function isFirstWorkingDayOfMonth(d: LocalDate, calendar: WorkdayCalendar): boolean {
  for (let x = `${d.slice(0, 8)}01`; x < d; x = addDays(x, 1)) if (calendar.isWorkingDay(x)) return false;
  return calendar.isWorkingDay(d);
}

export const digestKey = (chat: string, week: LocalDate) => `digest:${chat}:${week}`;
export const checkinKey = (assignmentId: number, chat: string, month: string) => `checkin:${assignmentId}:${month}:${chat}`;

/** The candidate keys of this round's periodic messages, so the store can say which are already said. */
export function periodicKeys(input: Omit<PeriodicInput, 'said' | 'late'>): string[] {
  const keys: string[] = [];
  const week = weekStart(input.today);
  if (isFirstWorkingDayOfWeek(input.today, input.calendar)) {
    for (const u of input.units) for (const chat of u.chats) keys.push(digestKey(chat, week));
    for (const chat of input.coordinator?.chats ?? []) keys.push(digestKey(chat, week));
  }
  if (isFirstWorkingDayOfMonth(input.today, input.calendar)) {
    for (const a of input.ongoing) for (const chat of a.chats) keys.push(checkinKey(a.assignmentId, chat, input.today.slice(0, 7)));
  }
  return keys;
}

export type PeriodicPlan = {
  notices: PlannedNotice[];
  messages: PlannedMessage[];
  /** the chats that get the coordinating office's digest (the store attaches its chart) */
  coordinatorDigestChats: string[];
};

export function planPeriodic(input: PeriodicInput): PeriodicPlan {
  const notices: PlannedNotice[] = [];
  const messages: PlannedMessage[] = [];
  const coordinatorDigestChats: string[] = [];
  const week = weekStart(input.today);
  const late = input.late;

  if (isFirstWorkingDayOfWeek(input.today, input.calendar)) {
    const byChat = new Map<string, DigestUnit[]>();
    for (const u of input.units) {
      if (!u.dueThisWeek.length && !u.overdue.length) continue;
      for (const chat of u.chats) if (!input.said.has(digestKey(chat, week))) byChat.set(chat, [...(byChat.get(chat) ?? []), u]);
    }
    for (const [chat, units] of byChat) {
      const key = digestKey(chat, week);
      notices.push({ key, kind: 'digest', chat, late });
      messages.push(message(chat, 'digest', late, [key], { kind: 'digest', today: input.today, week, units }));
    }
    for (const chat of input.coordinator?.chats ?? []) {
      const key = digestKey(chat, week);
      if (input.said.has(key) || byChat.has(chat)) continue;
      notices.push({ key, kind: 'digest', chat, late });
      messages.push(message(chat, 'digest', late, [key], { kind: 'officeDigest', today: input.today, week, figures: input.coordinator!.figures }));
      coordinatorDigestChats.push(chat);
    }
  }

  if (isFirstWorkingDayOfMonth(input.today, input.calendar)) {
    const month = input.today.slice(0, 7);
    const byChat = new Map<string, CheckinAssignment[]>();
    for (const a of input.ongoing) {
      for (const chat of a.chats) {
        const key = checkinKey(a.assignmentId, chat, month);
        if (input.said.has(key)) continue;
        notices.push({ key, kind: 'checkin', chat, late });
        byChat.set(chat, [...(byChat.get(chat) ?? []), a]);
      }
    }
    for (const [chat, list] of byChat) {
      const keys = list.map((a) => checkinKey(a.assignmentId, chat, month));
      messages.push(message(chat, 'checkin', late, keys, { kind: 'checkin', today: input.today, month, list }));
    }
  }
  return { notices, messages, coordinatorDigestChats };
}

/** A periodic message: an overview, so it carries no "Đã xong" buttons (no task codes). */
function message(chat: string, kind: 'digest' | 'checkin', late: boolean, noticeKeys: string[], part: MessagePart): PlannedMessage {
  return { chat, kind, late, tasks: [], noticeKeys, text: renderMessage([part], { replies: readsReplies(chat) }), parts: [part] };
}
