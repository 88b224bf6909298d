/**
 * The reminder round's rows: what src/reminders.ts reads to plan a round, and the one transaction that records
 * it in the ledger. Rows in, rows out: the deciding is in src/core/, the attachments in src/files/.
 */
import type { PrismaClient, Tx } from '../db/database.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { DueStage, RoundPlan, RoutingRows } from '../core/round.ts';
import { readState, writeState } from './state.ts';
import { BATCH, inBatches } from './batches.ts';
import { personalChats } from './personal.ts';

/** The State key of the last recorded round's instant. */
const LAST_ROUND = 'round:last';

/** When the last round was recorded (null before the first). */
export async function lastRoundAt(prisma: PrismaClient): Promise<Date | null> {
  const value = await readState(prisma, LAST_ROUND);
  return value ? new Date(value) : null;
}

export function planRows(prisma: PrismaClient) {
  return prisma.plan.findMany({ select: { id: true, policy: true, coordinatorUnitId: true } });
}

export async function routingRows(prisma: PrismaClient): Promise<RoutingRows> {
  const [groups, plans, leaders, personal] = await Promise.all([
    prisma.chatGroup.findMany({ where: { active: true, unitId: { not: null } }, select: { chat: true, unitId: true, paused: true } }),
    prisma.plan.findMany({ select: { id: true, coordinatorUnitId: true } }),
    prisma.unit.findMany({ where: { leaderChat: { not: null } }, select: { id: true, leaderChat: true } }),
    personalChats(prisma),
  ]);
  return { groups: groups.map((g) => ({ chat: g.chat, unitId: g.unitId!, paused: g.paused })), plans, leaders: leaders.map((u) => ({ id: u.id, leaderChat: u.leaderChat! })), personal };
}

/** The live tasks and every unit's name: what an occurrence row is said with. */
export async function taskAndUnitRows(prisma: PrismaClient) {
  const [tasks, units] = await Promise.all([
    prisma.task.findMany({ where: { archivedAt: null }, select: { id: true, planId: true, code: true, content: true, deadlineLabel: true } }),
    prisma.unit.findMany({ select: { id: true, name: true } }),
  ]);
  return { tasks, units };
}

/** An open occurrence of a live lead assignment, as narrow as a round reads it. */
export type OccurrenceRow = { id: number | bigint; due: string; lastStage: number | bigint | null; unitId: number | bigint; taskId: number | bigint };

/**
 * The distinct due days of open occurrences up to `lastDay` with how many are open on each (an upper bound
 * of what a round reads of that day): a walk of the (status, due) index.
 */
export async function openDues(prisma: PrismaClient, lastDay: string): Promise<{ due: string; open: number }[]> {
  const rows = await prisma.$queryRaw<{ due: string; n: number | bigint }[]>`
    SELECT "due", COUNT(*) AS "n" FROM "Occurrence" WHERE "status" = 'open' AND "due" <= ${lastDay} GROUP BY "due"`;
  return rows.map((r) => ({ due: r.due, open: Number(r.n) }));
}

/** Rows a round reads at once: its memory is a page's, whatever the province's size. */
export const ROUND_PAGE = 1000;

/**
 * The open occurrences of live lead assignments whose last stage is behind the stage reached by their due
 * day, page by page (the hot path of a round). Due days go together while their open counts fit a page (an
 * upper bound: on a heavy day one open occurrence in seven is behind, so a page is ten times ROUND_PAGE,
 * which keeps a statement's cost over its rows, not its round trip, on PostgreSQL); a day with more open than
 * a page is read in id order, a page at a time. Portable between SQLite and
 * PostgreSQL. CROSS JOIN fixes SQLite's join order (pairs → the (status, due) index → assignment by key);
 * left to itself, with a few hundred pairs, it scans every assignment instead.
 */
export async function* occurrencesBehind(prisma: PrismaClient, reached: (DueStage & { open: number })[], page = 10 * ROUND_PAGE): AsyncGenerator<OccurrenceRow[]> {
  for (let i = 0; i < reached.length; ) {
    if (reached[i]!.open > page) {
      const { due, stage } = reached[i++]!;
      for (let after = 0; ; ) {
        const rows = await prisma.$queryRaw<OccurrenceRow[]>`
          SELECT o."id", o."due", o."lastStage", a."unitId", a."taskId"
          FROM "Occurrence" o CROSS JOIN "Assignment" a
          WHERE o."status" = 'open' AND o."due" = ${due} AND o."id" > ${after} AND (o."lastStage" IS NULL OR o."lastStage" < CAST(${stage} AS INTEGER))
            AND a."id" = o."assignmentId" AND a."role" = 'lead' AND a."archivedAt" IS NULL
          ORDER BY o."id" LIMIT ${page}`;
        if (rows.length) yield rows;
        if (rows.length < page) break;
        after = Number(rows.at(-1)!.id);
      }
      continue;
    }
    const batch: DueStage[] = [];
    // at most BATCH pairs (two bound values each) and about a page of rows in one statement
    for (let rows = 0; i < reached.length && batch.length < BATCH && rows + reached[i]!.open <= page; i++) {
      rows += reached[i]!.open;
      batch.push(reached[i]!);
    }
    const pairs = batch.map((r) => Prisma.sql`(${r.due}, CAST(${r.stage} AS INTEGER))`);
    const rows = await prisma.$queryRaw<OccurrenceRow[]>`
      WITH "reached" ("due", "stage") AS (VALUES ${Prisma.join(pairs)})
      SELECT o."id", o."due", o."lastStage", a."unitId", a."taskId"
      FROM "reached" r CROSS JOIN "Occurrence" o CROSS JOIN "Assignment" a
      WHERE o."status" = 'open' AND o."due" = r."due" AND (o."lastStage" IS NULL OR o."lastStage" < r."stage")
        AND a."id" = o."assignmentId" AND a."role" = 'lead' AND a."archivedAt" IS NULL`;
    if (rows.length) yield rows;
  }
}

/**
 * The open occurrences of live lead assignments due up to `lastDay` (what a weekly digest lists), by page
 * (ten times a round's: the digests keep an item of each row anyway, so fewer statements cost no memory) in
 * the (status, due) index's order (due day, then id), which SQLite walks without sorting. The bare
 * `due >= after` bounds the index range: with only the OR, SQLite starts every page at the first due day.
 */
export async function* openLeadOccurrences(prisma: PrismaClient, lastDay: string, page = 10 * ROUND_PAGE): AsyncGenerator<OccurrenceRow[]> {
  for (let after = { due: '', id: 0 }; ; ) {
    const rows = await prisma.$queryRaw<OccurrenceRow[]>`
      SELECT o."id", o."due", o."lastStage", a."unitId", a."taskId"
      FROM "Occurrence" o CROSS JOIN "Assignment" a
      WHERE o."status" = 'open' AND o."due" <= ${lastDay} AND o."due" >= ${after.due} AND (o."due" > ${after.due} OR o."id" > ${after.id})
        AND a."id" = o."assignmentId" AND a."role" = 'lead' AND a."archivedAt" IS NULL
      ORDER BY o."due", o."id" LIMIT ${page}`;
    if (rows.length) yield rows;
    if (rows.length < page) return;
    const last = rows.at(-1)!;
    after = { due: last.due, id: Number(last.id) };
  }
}

/** Which of `keys` are in the ledger already. */
export async function saidKeys(prisma: PrismaClient, keys: readonly string[]): Promise<Set<string>> {
  const found = await inBatches(keys, (batch) => prisma.notice.findMany({ where: { key: { in: batch } }, select: { key: true } }));
  return new Set(found.map((n) => n.key));
}

/** The live lead assignments of ongoing tasks ("Thường xuyên"): the monthly check-in asks about them. */
export async function ongoingLeadAssignments(prisma: PrismaClient) {
  const rows = await prisma.assignment.findMany({
    where: { role: 'lead', archivedAt: null, task: { archivedAt: null, rule: { contains: '"kind":"ongoing"' } } },
    select: { id: true, unitId: true, unit: { select: { name: true } }, task: { select: { code: true, content: true } } },
  });
  return rows.map((r) => ({ assignmentId: r.id, unitId: r.unitId, unitName: r.unit.name, code: r.task.code, content: r.task.content }));
}

/** A recorded round without its notices and stages (a round over a million rows records ~140k). */
export type RecordedRound = { plan: Pick<RoundPlan, 'at' | 'skipped' | 'messages'>; notices: number; outboxIds: number[] };

/**
 * Records a planned round in one transaction: the outbox rows, the notices (unique keys: a stage said
 * once is never said again), the stages reached and the round's instant; `now` is the outbox rows' creation
 * time. A concurrent round that recorded the same notice first makes this one fail whole, so nothing is said
 * twice. Rows go in pages (Prisma's createMany/updateMany cost ~0.1 ms a row here; one JSON parameter of every
 * notice would hold a second copy of the round in memory).
 */
export async function recordRound(prisma: PrismaClient, plan: RoundPlan, provider: 'sqlite' | 'postgres', now: Date = plan.at): Promise<RecordedRound> {
  const summary = { at: plan.at, skipped: plan.skipped, messages: plan.messages };
  if (plan.skipped) return { plan: summary, notices: 0, outboxIds: [] };
  const outboxIds: number[] = [];
  await prisma.$transaction(
    async (tx) => {
      // a round has one message per chat, so the chat tells which row each message became
      const rowOfChat = new Map<string, number>();
      for (let i = 0; i < plan.messages.length; i += OUTBOX_PAGE) {
        for (const r of await insertOutbox(tx, plan, plan.messages.slice(i, i + OUTBOX_PAGE), now)) {
          outboxIds.push(Number(r.id));
          rowOfChat.set(r.chat, Number(r.id));
        }
      }
      // the ledger's order: each message's notices in turn
      const noticeOf = new Map(plan.notices.map((n) => [n.key, n]));
      let page: NoticeRow[] = [];
      for (const message of plan.messages) {
        for (const key of message.noticeKeys) {
          const n = noticeOf.get(key)!;
          page.push({ key, kind: n.kind, occurrenceId: n.occurrenceId ?? null, dossierId: n.dossierId ?? null, outboxId: rowOfChat.get(message.chat)! });
          if (page.length === WRITE_PAGE) {
            // unique keys: a notice recorded by a concurrent round makes this whole transaction fail
            await insertNotices(tx, page, plan.at, provider);
            page = [];
          }
        }
      }
      await insertNotices(tx, page, plan.at, provider);
      for (let i = 0; i < plan.stages.length; i += WRITE_PAGE) {
        const stages = plan.stages.slice(i, i + WRITE_PAGE);
        const occurrenceStages = stages.flatMap((s) => (s.occurrenceId !== undefined ? [{ id: s.occurrenceId, stage: s.stage }] : []));
        const dossierStages = stages.flatMap((s) => (s.dossierId !== undefined ? [{ id: s.dossierId, stage: s.stage }] : []));
        if (occurrenceStages.length) await tx.$executeRaw`UPDATE "Occurrence" SET "lastStage" = j."stage" FROM ${idStages(occurrenceStages, provider)} WHERE "Occurrence"."id" = j."id"`;
        if (dossierStages.length) await tx.$executeRaw`UPDATE "Dossier" SET "lastStage" = j."stage" FROM ${idStages(dossierStages, provider)} WHERE "Dossier"."id" = j."id"`;
      }
      await writeState(tx, LAST_ROUND, plan.at.toISOString());
    },
    { timeout: 120_000 },
  );
  return { plan: summary, notices: plan.notices.length, outboxIds };
}

/** Notices and stages in one statement: one JSON parameter of ~0.5 MB. */
const WRITE_PAGE = 5000;

/** Outbox rows in one INSERT: 11 bound values a row, well under SQLite's and PostgreSQL's limits. */
const OUTBOX_PAGE = 500;

function insertOutbox(tx: Tx, plan: RoundPlan, messages: RoundPlan['messages'], now: Date) {
  const values = messages.map(
    (m) =>
      Prisma.sql`(${m.chat}, ${m.kind}, ${m.text}, ${JSON.stringify(m.tasks)}, ${JSON.stringify(m.attachments ?? [])}, ${m.late}, ${'pending'}, ${0}, ${plan.at}, ${plan.at}, ${now})`,
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
async function insertNotices(tx: Tx, notices: NoticeRow[], at: Date, provider: 'sqlite' | 'postgres'): Promise<void> {
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
