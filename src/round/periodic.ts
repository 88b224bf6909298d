/**
 * The periodic part of a round: on the first working day of the week the weekly digests (each unit's items
 * due that week or late; the office's figures with a PNG chart), on the first working day of the month the
 * check-in question for ongoing tasks. Reads (store), decides (core/periodic.ts), draws the chart (files).
 */
import type { PrismaClient } from '../db/database.ts';
import { addDays, type LocalDate } from '../core/dates.ts';
import {
  digestKey,
  isFirstWorkingDayOfMonth,
  isFirstWorkingDayOfWeek,
  periodicKeys,
  planPeriodic,
  weekStart,
  type CheckinAssignment,
  type DigestUnit,
} from '../core/periodic.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import type { UnitFigures } from '../core/report.ts';
import type { PlannedMessage, PlannedNotice, Routing } from '../core/round.ts';
import { statusChartPng } from '../files/chart.ts';
import { unitFigures } from '../store/report.ts';
import { ongoingLeadAssignments, openLeadOccurrences, saidKeys } from '../store/round.ts';
import type { OccurrenceLookup } from './occurrences.ts';

export type PeriodicContext = {
  now: Date;
  zone: string;
  today: LocalDate;
  calendar: WorkingCalendar;
  lookup: OccurrenceLookup;
  routing: Routing;
  planIds: number[];
  late: boolean;
};

/** Weekly digests and monthly check-ins, when today is the day for them. */
export async function loadPeriodic(prisma: PrismaClient, ctx: PeriodicContext): Promise<{ notices: PlannedNotice[]; messages: PlannedMessage[] }> {
  const { today, calendar, routing } = ctx;
  const digestDay = isFirstWorkingDayOfWeek(today, calendar);
  const checkinDay = isFirstWorkingDayOfMonth(today, calendar);
  if (!digestDay && !checkinDay) return { notices: [], messages: [] };
  const chatsOf = (unitId: number) => {
    if (routing.isPaused(unitId)) return [];
    const chats = routing.unitChats(unitId);
    return chats.length ? chats : [routing.defaultChat];
  };

  const coordinatorChats = [...new Set(ctx.planIds.flatMap((id) => routing.coordinatorChats(id)))];
  // the office's digest is planned in the same round as the units' ones: once it is in the ledger, this
  // week's digests are said, and the day's later rounds need not read every open occurrence again
  const digestKeys = coordinatorChats.map((chat) => digestKey(chat, weekStart(today)));
  const digestsSaid = digestKeys.length > 0 && (await saidKeys(prisma, digestKeys)).size === digestKeys.length;
  const digests = digestDay && !digestsSaid;
  if (!digests && !checkinDay) return { notices: [], messages: [] };

  const units = new Map<number, DigestUnit>();
  if (digests) {
    // many items share a due day: its working-day offset is counted once
    const offsets = new Map<string, number>();
    const offsetOf = (due: string) => {
      let offset = offsets.get(due);
      if (offset === undefined) offsets.set(due, (offset = calendar.workingDaysBetween(due, today)));
      return offset;
    };
    for await (const page of openLeadOccurrences(prisma, addDays(weekStart(today), 6))) {
      for (const o of ctx.lookup(page)) {
        let unit = units.get(o.unitId);
        if (!unit) {
          unit = { unitId: o.unitId, unitName: o.unitName, chats: chatsOf(o.unitId), dueThisWeek: [], overdue: [] };
          units.set(o.unitId, unit);
        }
        (o.due < today ? unit.overdue : unit.dueThisWeek).push({ code: o.code, content: o.content, due: o.due, offset: offsetOf(o.due) });
      }
    }
  }
  const ongoing: CheckinAssignment[] = [];
  if (checkinDay) {
    for (const a of await ongoingLeadAssignments(prisma)) ongoing.push({ assignmentId: a.assignmentId, code: a.code, content: a.content, unitName: a.unitName, chats: chatsOf(a.unitId) });
  }
  const base = { today, calendar, units: [...units.values()], ongoing };
  const coordinator = digests && coordinatorChats.length ? { chats: coordinatorChats, figures: [] as UnitFigures[] } : null;
  const said = await saidKeys(prisma, periodicKeys({ ...base, coordinator }));
  if (coordinator && coordinator.chats.some((chat) => !said.has(digestKey(chat, weekStart(today))))) {
    coordinator.figures = await unitFigures(prisma, ctx.now, ctx.zone);
  }
  const periodic = planPeriodic({ ...base, coordinator, said, late: ctx.late });
  if (periodic.coordinatorDigestChats.length && coordinator) {
    // the office's weekly digest carries the four-status chart
    const png = await statusChartPng(coordinator.figures, { date: today });
    const chart = { fileName: `bieu-do-tuan-${weekStart(today)}.png`, mime: 'image/png', base64: Buffer.from(png).toString('base64') };
    for (const m of periodic.messages) if (periodic.coordinatorDigestChats.includes(m.chat)) m.attachments = [chart];
  }
  return periodic;
}
