import type { PrismaClient } from '../db/database.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { addDays } from '../core/dates.ts';
import {
  mergePlans,
  missedMoment,
  planRound,
  roundSkipped,
  stagesReached,
  type DueStage,
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
import type { DossierPolicy } from '../core/dossier.ts';
import type { LetterHeader } from '../files/apology-letter.ts';
import { statusChartPng } from '../files/chart.ts';
import { resolveReminderPolicy } from '../core/plan-policy.ts';
import { instantOf, localDateOf } from '../core/time.ts';
import { readState, writeState } from './state.ts';
import { sumInBatches } from './batches.ts';
import { personalChats } from './personal.ts';

const LAST_ROUND = 'round:last';
/** reminders start at most this many calendar days before a due day (policy allows up to 60 working days) */
const LOOKAHEAD_DAYS = 92;

export type RoundOptions = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkingCalendar;
  defaultChat: string;
  /** when dossiers are prompted (NHACVIEC_DOSSIER_POLICY); default 2 and 1 working days before */
  dossierPolicy?: DossierPolicy;
  /** the apology letter's fixed header (NHACVIEC_LETTER_*) */
  letter?: LetterHeader;
  /**
   * the instant a --now start set the clock to: the time before it was jumped over, not spent down, so a
   * moment before it is not "gửi muộn do hệ thống gián đoạn" (as if a round had run then)
   */
  clockSetAt?: Date;
};

/**
 * Loads what a round needs: the open lead occurrences whose last stage is behind the stage their due day
 * has reached (the only ones that can be said today), routing, policies.
 */
export async function loadRound(prisma: PrismaClient, opts: RoundOptions): Promise<RoundPlan> {
  // a day off or outside office hours: nothing to read (rounds run around the clock)
  const skipped = roundSkipped(opts);
  if (skipped) return { at: opts.now, skipped, notices: [], messages: [], stages: [] };
  const today = localDateOf(opts.now, opts.zone);
  const [routing, plans, previous] = await Promise.all([
    loadRouting(prisma, opts.defaultChat),
    prisma.plan.findMany({ select: { id: true, policy: true } }),
    readState(prisma, LAST_ROUND),
  ]);
  const policies = new Map(plans.map((p) => [p.id, resolveReminderPolicy(p.policy)]));
  const previousRoundAt = latest(previous ? new Date(previous) : null, opts.clockSetAt ?? null);
  const lookup = await occurrenceLookup(prisma);
  const dues = await openDues(prisma, addDays(today, LOOKAHEAD_DAYS));
  const occurrences = await occurrencesBehind(prisma, lookup, stagesReached({ today, calendar: opts.calendar, policies: policies.values(), dues }));
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
  const late = missedMoment({ previousRoundAt, now: opts.now }, instantOf(today, opts.officeHours.start, opts.zone));
  const periodic = await loadPeriodic(prisma, opts, today, lookup, routing, plans.map((p) => p.id), late);
  const dossiers = await loadDossierRound(prisma, { ...opts, previousRoundAt, routing, ...(opts.dossierPolicy ? { policy: opts.dossierPolicy } : {}) });
  return mergePlans(plan, { ...periodic, stages: [] }, dossiers);
}

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

type OccurrenceRow = { id: number | bigint; due: string; lastStage: number | bigint | null; unitId: number | bigint; taskId: number | bigint };
/** Turns narrow occurrence rows into round occurrences: the live tasks and the units, read once per round. */
type OccurrenceLookup = (rows: OccurrenceRow[]) => RoundOccurrence[];

async function occurrenceLookup(prisma: PrismaClient): Promise<OccurrenceLookup> {
  const [tasks, units] = await Promise.all([
    prisma.task.findMany({ where: { archivedAt: null }, select: { id: true, planId: true, code: true, content: true, deadlineLabel: true } }),
    prisma.unit.findMany({ select: { id: true, name: true } }),
  ]);
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return (rows) => {
    const occurrences: RoundOccurrence[] = [];
    for (const r of rows) {
      const task = taskById.get(Number(r.taskId));
      if (!task) continue; // archived task
      const unitId = Number(r.unitId);
      occurrences.push({
        id: Number(r.id),
        due: r.due,
        lastStage: r.lastStage === null ? null : Number(r.lastStage),
        planId: task.planId,
        code: task.code,
        content: task.content,
        label: task.deadlineLabel,
        unitId,
        unitName: unitName.get(unitId) ?? '',
      });
    }
    return occurrences;
  };
}

/** The distinct due days of open occurrences up to `lastDay`: a walk of the (status, due) index. */
async function openDues(prisma: PrismaClient, lastDay: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ due: string }[]>`
    SELECT DISTINCT "due" FROM "Occurrence" WHERE "status" = 'open' AND "due" <= ${lastDay}`;
  return rows.map((r) => r.due);
}

/**
 * The open occurrences of live lead assignments whose last stage is behind the stage reached by their due
 * day: the hot path of a round. One narrow query per batch of (due day, stage) pairs, portable between SQLite
 * and PostgreSQL. CROSS JOIN fixes SQLite's join order (pairs → the (status, due) index → assignment by key);
 * left to itself, with a few hundred pairs, it scans every assignment instead.
 */
async function occurrencesBehind(prisma: PrismaClient, lookup: OccurrenceLookup, reached: DueStage[]): Promise<RoundOccurrence[]> {
  const occurrences: RoundOccurrence[] = [];
  for (let i = 0; i < reached.length; i += 1000) {
    const pairs = reached.slice(i, i + 1000).map((r) => Prisma.sql`(${r.due}, CAST(${r.stage} AS INTEGER))`);
    const rows = await prisma.$queryRaw<OccurrenceRow[]>`
      WITH "reached" ("due", "stage") AS (VALUES ${Prisma.join(pairs)})
      SELECT o."id", o."due", o."lastStage", a."unitId", a."taskId"
      FROM "reached" r CROSS JOIN "Occurrence" o CROSS JOIN "Assignment" a
      WHERE o."status" = 'open' AND o."due" = r."due" AND (o."lastStage" IS NULL OR o."lastStage" < r."stage")
        AND a."id" = o."assignmentId" AND a."role" = 'lead' AND a."archivedAt" IS NULL`;
    for (const o of lookup(rows)) occurrences.push(o);
  }
  return occurrences;
}

/** The open occurrences of live lead assignments due up to `lastDay` (what a weekly digest lists). */
async function openLeadOccurrences(prisma: PrismaClient, lookup: OccurrenceLookup, lastDay: string): Promise<RoundOccurrence[]> {
  return lookup(
    await prisma.$queryRaw<OccurrenceRow[]>`
      SELECT o."id", o."due", o."lastStage", a."unitId", a."taskId"
      FROM "Occurrence" o JOIN "Assignment" a ON a."id" = o."assignmentId"
      WHERE o."status" = 'open' AND o."due" <= ${lastDay} AND a."role" = 'lead' AND a."archivedAt" IS NULL`,
  );
}

/** Weekly digests and monthly check-ins, when today is the day for them. */
async function loadPeriodic(
  prisma: PrismaClient,
  opts: RoundOptions,
  today: string,
  lookup: OccurrenceLookup,
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

  const coordinatorChats = [...new Set(planIds.flatMap((id) => routing.coordinatorChats(id)))];
  // the office's digest is planned in the same round as the units' ones: once it is in the ledger, this
  // week's digests are said, and the day's later rounds need not read every open occurrence again
  const digestKeys = coordinatorChats.map((chat) => digestKey(chat, weekStart(today)));
  const digestsSaid = digestKeys.length > 0 && (await sumInBatches(digestKeys, (keys) => prisma.notice.count({ where: { key: { in: keys } } }))) === digestKeys.length;
  const digests = digestDay && !digestsSaid;
  if (!digests && !checkinDay) return { notices: [], messages: [] };

  const units = new Map<number, DigestUnit>();
  if (digests) {
    for (const o of await openLeadOccurrences(prisma, lookup, addDays(weekStart(today), 6))) {
      let unit = units.get(o.unitId);
      if (!unit) {
        unit = { unitId: o.unitId, unitName: o.unitName, chats: chatsOf(o.unitId), dueThisWeek: [], overdue: [] };
        units.set(o.unitId, unit);
      }
      const offset = opts.calendar.workingDaysBetween(o.due, today);
      (o.due < today ? unit.overdue : unit.dueThisWeek).push({ code: o.code, content: o.content, due: o.due, offset });
    }
  }
  const ongoing: CheckinAssignment[] = [];
  if (checkinDay) {
    const rows = await prisma.assignment.findMany({
      where: { role: 'lead', archivedAt: null, task: { archivedAt: null, rule: { contains: '"kind":"ongoing"' } } },
      select: { id: true, unitId: true, unit: { select: { name: true } }, task: { select: { code: true, content: true } } },
    });
    for (const r of rows) ongoing.push({ assignmentId: r.id, code: r.task.code, content: r.task.content, unitName: r.unit.name, chats: chatsOf(r.unitId) });
  }
  const base = { today, calendar: opts.calendar, units: [...units.values()], ongoing };
  const coordinator = digests && coordinatorChats.length ? { chats: coordinatorChats, figures: [] as UnitFigures[] } : null;
  const keys = periodicKeys({ ...base, coordinator });
  const said = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const found = await prisma.notice.findMany({ where: { key: { in: keys.slice(i, i + 500) } }, select: { key: true } });
    for (const n of found) said.add(n.key);
  }
  if (coordinator && coordinator.chats.some((chat) => !said.has(digestKey(chat, weekStart(today))))) {
    coordinator.figures = await unitFigures(prisma, opts.now, opts.zone);
  }
  const periodic = planPeriodic({ ...base, coordinator, said, late });
  if (periodic.coordinatorDigestChats.length && coordinator) {
    // the office's weekly digest carries the four-status chart
    const png = await statusChartPng(coordinator.figures, { date: today });
    const chart = { fileName: `bieu-do-tuan-${weekStart(today)}.png`, mime: 'image/png', base64: Buffer.from(png).toString('base64') };
    for (const m of periodic.messages) if (periodic.coordinatorDigestChats.includes(m.chat)) m.attachments = [chart];
  }
  return periodic;
}

export async function loadRouting(prisma: PrismaClient, defaultChat: string): Promise<Routing> {
  const [groups, plans, leaders, personal] = await Promise.all([
    prisma.chatGroup.findMany({ where: { active: true, unitId: { not: null } }, select: { chat: true, unitId: true, paused: true } }),
    prisma.plan.findMany({ select: { id: true, coordinatorUnitId: true } }),
    prisma.unit.findMany({ where: { leaderChat: { not: null } }, select: { id: true, leaderChat: true } }),
    personalChats(prisma),
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
    personalChats: (unitId) => personal.get(unitId) ?? [],
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
export async function recordRound(prisma: PrismaClient, plan: RoundPlan, provider: 'sqlite' | 'postgres'): Promise<RecordedRound> {
  if (plan.skipped) return { plan, outboxIds: [] };
  const outboxIds: number[] = [];
  const noticeByKey = new Map(plan.notices.map((n) => [n.key, n]));
  // Raw multi-row statements: Prisma's createMany/updateMany cost ~0.1 ms a row here, and a heavy day's
  // round over 100k occurrences records ten thousand notices.
  await prisma.$transaction(
    async (tx) => {
      const rows = plan.messages.length ? await insertOutbox(tx, plan) : [];
      outboxIds.push(...rows.map((r) => Number(r.id)));
      // a round has one message per chat, so the chat tells which row each message became
      const rowOfChat = new Map(rows.map((r) => [r.chat, Number(r.id)]));
      const notices = plan.messages.flatMap((message) =>
        message.noticeKeys.map((key) => {
          const n = noticeByKey.get(key)!;
          return { key, kind: n.kind, occurrenceId: n.occurrenceId ?? null, dossierId: n.dossierId ?? null, outboxId: rowOfChat.get(message.chat)! };
        }),
      );
      // unique keys: a notice recorded by a concurrent round makes this whole transaction fail
      await insertNotices(tx, notices, plan.at, provider);
      const occurrenceStages = plan.stages.flatMap((s) => (s.occurrenceId !== undefined ? [{ id: s.occurrenceId, stage: s.stage }] : []));
      const dossierStages = plan.stages.flatMap((s) => (s.dossierId !== undefined ? [{ id: s.dossierId, stage: s.stage }] : []));
      if (occurrenceStages.length) await tx.$executeRaw`UPDATE "Occurrence" SET "lastStage" = j."stage" FROM ${idStages(occurrenceStages, provider)} WHERE "Occurrence"."id" = j."id"`;
      if (dossierStages.length) await tx.$executeRaw`UPDATE "Dossier" SET "lastStage" = j."stage" FROM ${idStages(dossierStages, provider)} WHERE "Dossier"."id" = j."id"`;
      await writeState(tx, LAST_ROUND, plan.at.toISOString());
    },
    { timeout: 120_000 },
  );
  return { plan, outboxIds };
}

type TxClient = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function insertOutbox(tx: TxClient, plan: RoundPlan) {
  const values = plan.messages.map(
    (m) =>
      Prisma.sql`(${m.chat}, ${m.kind}, ${m.text}, ${JSON.stringify(m.tasks)}, ${JSON.stringify(m.attachments ?? [])}, ${m.late}, ${'pending'}, ${0}, ${plan.at}, ${plan.at}, ${new Date()})`,
  );
  return tx.$queryRaw<{ id: number | bigint; chat: string }[]>`
    INSERT INTO "Outbox" ("chat", "kind", "text", "tasks", "attachments", "late", "status", "attempts", "nextAttemptAt", "roundAt", "createdAt")
    VALUES ${Prisma.join(values)} RETURNING "id", "chat"`;
}

/** (id, stage) rows from one JSON parameter, as the table `j` of an UPDATE … FROM (both databases have it). */
function idStages(rows: { id: number; stage: number }[], provider: 'sqlite' | 'postgres') {
  const json = JSON.stringify(rows);
  return provider === 'sqlite'
    ? Prisma.sql`(SELECT e.value->>'id' AS "id", e.value->>'stage' AS "stage" FROM json_each(${json}) e) AS j`
    : Prisma.sql`json_to_recordset(${json}::json) AS j("id" int, "stage" int)`;
}

type NoticeRow = { key: string; kind: string; occurrenceId: number | null; dossierId: number | null; outboxId: number };

/** The rows come as one JSON parameter, read by json_each (SQLite) or json_to_recordset (PostgreSQL). */
async function insertNotices(tx: TxClient, notices: NoticeRow[], at: Date, provider: 'sqlite' | 'postgres'): Promise<void> {
  if (!notices.length) return;
  const rows = JSON.stringify(notices);
  if (provider === 'sqlite') {
    // DateTime columns hold Prisma's ISO text (the adapter's iso8601 format)
    const stamp = at.toISOString().replace('Z', '+00:00');
    await tx.$executeRaw`INSERT INTO "Notice" ("key", "kind", "occurrenceId", "dossierId", "outboxId", "createdAt")
      SELECT j.value->>'key', j.value->>'kind', j.value->>'occurrenceId', j.value->>'dossierId', j.value->>'outboxId', ${stamp}
      FROM json_each(${rows}) j`;
    return;
  }
  await tx.$executeRaw`INSERT INTO "Notice" ("key", "kind", "occurrenceId", "dossierId", "outboxId", "createdAt")
    SELECT j."key", j."kind", j."occurrenceId", j."dossierId", j."outboxId", ${at}
    FROM json_to_recordset(${rows}::json) AS j("key" text, "kind" text, "occurrenceId" int, "dossierId" int, "outboxId" int)`;
}
