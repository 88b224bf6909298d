import { addDays, formatVi, weekday, type LocalDate } from './dates.ts';
import { describeOffset, shorten, compareCodes } from './messages.ts';
import type { UnitFigures } from './report.ts';
import type { PlannedMessage, PlannedNotice } from './round.ts';
import type { WorkdayCalendar } from './workdays.ts';

/**
 * The periodic messages of a round: the weekly digest (first working day of the week) to each unit's group
 * and to the coordinating office, and the monthly check-in question for ongoing tasks ("Thường xuyên"),
 * which have no due day to be reminded of. Pure; the keys say what each is about, so it is said once.
 */

export type DigestItem = { code: string; content: string; due: LocalDate; offset: number };
export type DigestUnit = { unitId: number; unitName: string; chats: string[]; dueThisWeek: DigestItem[]; overdue: DigestItem[] };
export type CheckinAssignment = { assignmentId: number; code: string; content: string; unitName: string; chats: string[] };

export type PeriodicInput = {
  today: LocalDate;
  calendar: WorkdayCalendar;
  units: DigestUnit[];
  coordinator: { chats: string[]; figures: UnitFigures[] } | null;
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
      const codes = units.flatMap((u) => [...u.dueThisWeek, ...u.overdue].map((i) => i.code));
      messages.push({ chat, kind: 'digest', late, tasks: [...new Set(codes)], noticeKeys: [key], text: unitDigestText(units, week) });
    }
    for (const chat of input.coordinator?.chats ?? []) {
      const key = digestKey(chat, week);
      if (input.said.has(key) || byChat.has(chat)) continue;
      notices.push({ key, kind: 'digest', chat, late });
      messages.push({ chat, kind: 'digest', late, tasks: [], noticeKeys: [key], text: coordinatorDigestText(input.coordinator!.figures, week) });
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
      messages.push({
        chat,
        kind: 'checkin',
        late,
        tasks: [...new Set(list.map((a) => a.code))],
        noticeKeys: list.map((a) => checkinKey(a.assignmentId, chat, month)),
        text: checkinText(list, month),
      });
    }
  }
  return { notices, messages, coordinatorDigestChats };
}

/** A digest lists this many items per list; the rest are counted and left to /overdue and /upcoming. */
export const DIGEST_LIST_MAX = 20;

function itemLines(items: DigestItem[], rest: string): string[] {
  const lines = [...items]
    .sort((a, b) => a.due.localeCompare(b.due) || compareCodes(a.code, b.code))
    .slice(0, DIGEST_LIST_MAX)
    .map((i) => `• ${i.code} ${shorten(i.content, 90)} — hạn ${formatVi(i.due)} (${describeOffset(i.offset)})`);
  if (items.length > DIGEST_LIST_MAX) lines.push(`… và ${items.length - DIGEST_LIST_MAX} ${rest}`);
  return lines;
}

export function unitDigestText(units: DigestUnit[], week: LocalDate): string {
  const lines = [`📅 TỔNG HỢP TUẦN ${formatVi(week)} – ${formatVi(addDays(week, 6))}`];
  for (const u of units) {
    lines.push('', `📌 ${u.unitName}`);
    if (u.overdue.length) lines.push(`❗ Quá hạn (${u.overdue.length}):`, ...itemLines(u.overdue, 'nhiệm vụ quá hạn khác: gõ /overdue để xem đủ.'));
    if (u.dueThisWeek.length) lines.push(`⏰ Đến hạn trong tuần (${u.dueThisWeek.length}):`, ...itemLines(u.dueThisWeek, 'nhiệm vụ khác đến hạn trong tuần: gõ /upcoming để xem đủ.'));
  }
  lines.push('', 'Hoàn thành nhiệm vụ nào thì gõ /done <mã>; /overdue để xem lại danh sách quá hạn.');
  return lines.join('\n');
}

export function coordinatorDigestText(figures: UnitFigures[], week: LocalDate): string {
  const late = figures.filter((f) => f.open_overdue > 0);
  const lines = [
    `📊 TỔNG HỢP TUẦN ${formatVi(week)} – ${formatVi(addDays(week, 6))} CHO CƠ QUAN ĐIỀU PHỐI`,
    late.length ? `${late.length} đơn vị có nhiệm vụ chưa hoàn thành quá hạn:` : 'Không đơn vị nào có nhiệm vụ quá hạn. 👍',
    ...late.slice(0, 20).map((f) => `❗ ${f.unit}: ${f.open_overdue} quá hạn, ${f.open_in_time} đang trong hạn, ${f.done_on_time + f.done_late} đã xong`),
  ];
  if (late.length > 20) lines.push(`… và ${late.length - 20} đơn vị khác.`);
  lines.push('', 'Chi tiết từng đơn vị: /report; danh sách quá hạn của một đơn vị: /overdue <đơn vị>.');
  return lines.join('\n');
}

export function checkinText(list: CheckinAssignment[], month: string): string {
  const [y, m] = month.split('-');
  const lines = [`📝 HỎI THĂM TIẾN ĐỘ THÁNG ${m}/${y} — nhiệm vụ thường xuyên, không có hạn chót:`];
  for (const a of list) lines.push(`• ${a.code} ${shorten(a.content, 100)} (${a.unitName})`);
  lines.push('', 'Trong tháng qua đơn vị đã có kết quả gì? Trả lời tin này (trả lời trực tiếp vào tin nhắn) để ghi nhận.');
  return lines.join('\n');
}
