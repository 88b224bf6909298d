import type { PrismaClient } from '../db/database.ts';
import { addDays } from '../core/dates.ts';
import {
  mergePlans,
  missedMoment,
  planRound,
  type PlannedMessage,
  type PlannedNotice,
  type RoundOccurrence,
  type RoundPlan,
  type Routing,
} from '../core/round.ts';
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
import { unitFigures } from './report.ts';
import { loadDossierRound } from './dossier-round.ts';
import { resolveReminderPolicy } from '../core/plan-policy.ts';
import { instantOf, localDateOf } from '../core/time.ts';
import { readState, writeState } from './state.ts';

const LAST_ROUND = 'round:last';
/** reminders start at most this many calendar days before a due day (policy allows up to 60 working days) */
const LOOKAHEAD_DAYS = 92;

export type RoundOptions = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkingCalendar;
  defaultChat: string;
};

/** Loads what a round needs: open lead occurrences due up to the look-ahead, routing, policies. */
export async function loadRound(prisma: PrismaClient, opts: RoundOptions): Promise<RoundPlan> {
  const today = localDateOf(opts.now, opts.zone);
  const rows = await prisma.occurrence.findMany({
    where: {
      status: 'open',
      due: { lte: addDays(today, LOOKAHEAD_DAYS) },
      assignment: { role: 'lead', archivedAt: null, task: { archivedAt: null } },
    },
    select: {
      id: true,
      due: true,
      lastStage: true,
      assignment: {
        select: { unitId: true, unit: { select: { name: true } }, task: { select: { planId: true, code: true, content: true, deadlineLabel: true } } },
      },
    },
  });
  const occurrences: RoundOccurrence[] = rows.map((r) => {
    const task = r.assignment.task;
    return {
      id: r.id,
      due: r.due,
      lastStage: r.lastStage,
      planId: task.planId,
      code: task.code,
      content: task.content,
      label: task.deadlineLabel,
      unitId: r.assignment.unitId,
      unitName: r.assignment.unit.name,
    };
  });
  const [routing, plans, previous] = await Promise.all([
    loadRouting(prisma, opts.defaultChat),
    prisma.plan.findMany({ select: { id: true, policy: true } }),
    readState(prisma, LAST_ROUND),
  ]);
  const policies = new Map(plans.map((p) => [p.id, resolveReminderPolicy(p.policy)]));
  const previousRoundAt = previous ? new Date(previous) : null;
  const plan = planRound({
    now: opts.now,
    zone: opts.zone,
    officeHours: opts.officeHours,
    calendar: opts.calendar,
    policyOf: (planId) => policies.get(planId)!,
    previousRoundAt,
    occurrences,
    routing,
  });
  if (plan.skipped) return plan;
  const late = missedMoment({ previousRoundAt, now: opts.now }, instantOf(today, opts.officeHours.start, opts.zone));
  const periodic = await loadPeriodic(prisma, opts, today, occurrences, routing, plans.map((p) => p.id), late);
  const dossiers = await loadDossierRound(prisma, { ...opts, previousRoundAt, routing });
  return mergePlans(plan, { ...periodic, stages: [] }, dossiers);
}

/** Weekly digests and monthly check-ins, when today is the day for them. */
async function loadPeriodic(
  prisma: PrismaClient,
  opts: RoundOptions,
  today: string,
  occurrences: RoundOccurrence[],
  routing: Routing,
  planIds: number[],
  late: boolean,
): Promise<{ notices: PlannedNotice[]; messages: PlannedMessage[] }> {
  const digestDay = isFirstWorkingDayOfWeek(today, opts.calendar);
  const checkinDay = isFirstWorkingDayOfMonth(today, opts.calendar);
  if (!digestDay && !checkinDay) return { notices: [], messages: [] };
  const chatsOf = (unitId: number) => {
    if (routing.isPaused(unitId)) return [];
    const chats = routing.unitChats(unitId);
    return chats.length ? chats : [routing.defaultChat];
  };

  const units = new Map<number, DigestUnit>();
  if (digestDay) {
    const weekEnd = addDays(weekStart(today), 6);
    for (const o of occurrences) {
      if (o.due > weekEnd) continue;
      let unit = units.get(o.unitId);
      if (!unit) {
        unit = { unitId: o.unitId, unitName: o.unitName, chats: chatsOf(o.unitId), dueThisWeek: [], overdue: [] };
        units.set(o.unitId, unit);
      }
      const offset = opts.calendar.workingDaysBetween(o.due, today);
      (o.due < today ? unit.overdue : unit.dueThisWeek).push({ code: o.code, content: o.content, due: o.due, offset });
    }
  }
  const coordinatorChats = [...new Set(planIds.flatMap((id) => routing.coordinatorChats(id)))];
  const ongoing: CheckinAssignment[] = [];
  if (checkinDay) {
    const rows = await prisma.assignment.findMany({
      where: { role: 'lead', archivedAt: null, task: { archivedAt: null, rule: { contains: '"kind":"ongoing"' } } },
      select: { id: true, unitId: true, unit: { select: { name: true } }, task: { select: { code: true, content: true } } },
    });
    for (const r of rows) ongoing.push({ assignmentId: r.id, code: r.task.code, content: r.task.content, unitName: r.unit.name, chats: chatsOf(r.unitId) });
  }
  const base = { today, calendar: opts.calendar, units: [...units.values()], ongoing };
  const coordinator = digestDay && coordinatorChats.length ? { chats: coordinatorChats, figures: [] as UnitFigures[] } : null;
  const keys = periodicKeys({ ...base, coordinator });
  const said = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const found = await prisma.notice.findMany({ where: { key: { in: keys.slice(i, i + 500) } }, select: { key: true } });
    for (const n of found) said.add(n.key);
  }
  if (coordinator && coordinator.chats.some((chat) => !said.has(digestKey(chat, weekStart(today))))) {
    coordinator.figures = await unitFigures(prisma, opts.now, opts.zone);
  }
  return planPeriodic({ ...base, coordinator, said, late });
}

export async function loadRouting(prisma: PrismaClient, defaultChat: string): Promise<Routing> {
  const [groups, plans, leaders] = await Promise.all([
    prisma.chatGroup.findMany({ where: { active: true, unitId: { not: null } }, select: { chat: true, unitId: true, paused: true } }),
    prisma.plan.findMany({ select: { id: true, coordinatorUnitId: true } }),
    prisma.unit.findMany({ where: { leaderChat: { not: null } }, select: { id: true, leaderChat: true } }),
  ]);
  const active = new Map<number, string[]>();
  const paused = new Set<number>();
  for (const g of groups) {
    const unitId = g.unitId!;
    if (g.paused) paused.add(unitId);
    else active.set(unitId, [...(active.get(unitId) ?? []), g.chat]);
  }
  const leaderChat = new Map(leaders.map((u) => [u.id, u.leaderChat!]));
  const coordinator = new Map(plans.map((p) => [p.id, p.coordinatorUnitId]));
  const chatsOf = (unitId: number) => active.get(unitId) ?? [];
  const officeChats = (planId: number) => {
    const office = coordinator.get(planId);
    const chats = office ? chatsOf(office) : [];
    return chats.length ? chats : [defaultChat];
  };
  return {
    unitChats: chatsOf,
    coordinatorChats: officeChats,
    isPaused: (unitId) => paused.has(unitId) && !active.has(unitId),
    escalationChats(planId, unitId) {
      const chats = new Set(officeChats(planId));
      const leader = leaderChat.get(unitId);
      if (leader) chats.add(leader);
      return [...chats];
    },
    defaultChat,
  };
}

export type RecordedRound = { plan: RoundPlan; outboxIds: number[] };

/**
 * Records a planned round in one transaction: the outbox rows, the notices (unique keys: a stage said
 * once is never said again), the stages reached and the round's instant. A concurrent round that recorded
 * the same notice first makes this one fail whole, so nothing is said twice.
 */
export async function recordRound(prisma: PrismaClient, plan: RoundPlan): Promise<RecordedRound> {
  if (plan.skipped) return { plan, outboxIds: [] };
  const outboxIds: number[] = [];
  await prisma.$transaction(
    async (tx) => {
      for (const message of plan.messages) {
        const row = await tx.outbox.create({
          data: {
            chat: message.chat,
            kind: message.kind,
            text: message.text,
            tasks: JSON.stringify(message.tasks),
            attachments: JSON.stringify(message.attachments ?? []),
            late: message.late,
            roundAt: plan.at,
            nextAttemptAt: plan.at,
          },
          select: { id: true },
        });
        outboxIds.push(row.id);
        const notices = plan.notices.filter((n) => message.noticeKeys.includes(n.key));
        if (notices.length) {
          await tx.notice.createMany({
            data: notices.map((n) => ({ key: n.key, kind: n.kind, occurrenceId: n.occurrenceId ?? null, dossierId: n.dossierId ?? null, outboxId: row.id })),
          });
        }
      }
      // grouped by stage: a round over many occurrences makes few statements
      const byStage = new Map<string, number[]>();
      for (const s of plan.stages) {
        const key = `${s.occurrenceId !== undefined ? 'o' : 'd'}:${s.stage}`;
        byStage.set(key, [...(byStage.get(key) ?? []), s.occurrenceId ?? s.dossierId]);
      }
      for (const [key, ids] of byStage) {
        const stage = Number(key.slice(2));
        for (let i = 0; i < ids.length; i += 500) {
          const where = { id: { in: ids.slice(i, i + 500) } };
          if (key.startsWith('o')) await tx.occurrence.updateMany({ where, data: { lastStage: stage } });
          else await tx.dossier.updateMany({ where, data: { lastStage: stage } });
        }
      }
      await writeState(tx, LAST_ROUND, plan.at.toISOString());
    },
    { timeout: 120_000 },
  );
  return { plan, outboxIds };
}
