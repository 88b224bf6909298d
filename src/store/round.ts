import type { PrismaClient } from '../db/database.ts';
import { addDays } from '../core/dates.ts';
import { planRound, type RoundOccurrence, type RoundPlan, type Routing, type WorkdayCalendar } from '../core/round.ts';
import { resolveReminderPolicy } from '../core/plan-policy.ts';
import { localDateOf } from '../core/time.ts';
import { readState, writeState } from './state.ts';

const LAST_ROUND = 'round:last';
/** reminders start at most this many calendar days before a due day (policy allows up to 60 working days) */
const LOOKAHEAD_DAYS = 92;

export type RoundOptions = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkdayCalendar;
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
  return planRound({
    now: opts.now,
    zone: opts.zone,
    officeHours: opts.officeHours,
    calendar: opts.calendar,
    policyOf: (planId) => policies.get(planId)!,
    previousRoundAt: previous ? new Date(previous) : null,
    occurrences,
    routing,
  });
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
  return {
    unitChats: chatsOf,
    isPaused: (unitId) => paused.has(unitId) && !active.has(unitId),
    escalationChats(planId, unitId) {
      const office = coordinator.get(planId);
      const officeChats = office ? chatsOf(office) : [];
      const chats = new Set(officeChats.length ? officeChats : [defaultChat]);
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
