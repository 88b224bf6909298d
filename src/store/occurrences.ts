import type { PrismaClient } from '../db/database.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { LocalDate } from '../core/dates.ts';
import { statusOf, type Status } from '../core/status.ts';
import { audit, type Actor } from './audit.ts';
import { inBatches } from './batches.ts';

export type OpenItem = { occurrenceId: number; due: LocalDate; code: string; content: string; label: string; unitId: number; unitName: string; planYear: number };

const itemSelect = {
  id: true,
  due: true,
  assignment: {
    select: {
      unitId: true,
      unit: { select: { name: true } },
      task: { select: { code: true, content: true, deadlineLabel: true, plan: { select: { year: true } } } },
    },
  },
} as const;

type ItemRow = { id: number; due: string; assignment: { unitId: number; unit: { name: string }; task: { code: string; content: string; deadlineLabel: string; plan: { year: number } } } };
const toItem = (r: ItemRow): OpenItem => ({
  occurrenceId: r.id,
  due: r.due,
  code: r.assignment.task.code,
  content: r.assignment.task.content,
  label: r.assignment.task.deadlineLabel,
  unitId: r.assignment.unitId,
  unitName: r.assignment.unit.name,
  planYear: r.assignment.task.plan.year,
});

const liveLead = { role: 'lead', archivedAt: null, task: { archivedAt: null } } as const;

type Num = number | bigint;
type UnitItemRow = { id: Num; due: string; unitId: Num; unitName: string; code: string; content: string; label: string; planYear: Num };

/**
 * Open lead occurrences due in `due`, of some units or of all, by due day. For some units the rows are read
 * from the units' assignments (their index) to their occurrences ("CROSS JOIN" keeps SQLite to that order;
 * PostgreSQL plans it as any join): the way from the open occurrences of every unit, which the ORM's query
 * takes, reads the whole plan's overdue rows to keep one unit's (about 5× slower at 100k occurrences).
 */
async function openLeadItems(prisma: PrismaClient, due: { lt?: LocalDate; gte?: LocalDate; lte?: LocalDate }, unitIds?: number[]): Promise<OpenItem[]> {
  if (!unitIds) {
    const rows = await prisma.occurrence.findMany({
      where: { status: 'open', due, assignment: liveLead },
      select: itemSelect,
      orderBy: [{ due: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toItem);
  }
  const dueSql = Prisma.join(
    [
      ...(due.lt !== undefined ? [Prisma.sql`o."due" < ${due.lt}`] : []),
      ...(due.gte !== undefined ? [Prisma.sql`o."due" >= ${due.gte}`] : []),
      ...(due.lte !== undefined ? [Prisma.sql`o."due" <= ${due.lte}`] : []),
    ],
    ' AND ',
  );
  const rows = await inBatches(unitIds, (units) =>
    prisma.$queryRaw<UnitItemRow[]>`
      SELECT o."id", o."due", a."unitId", u."name" AS "unitName", t."code", t."content", t."deadlineLabel" AS "label", p."year" AS "planYear"
      FROM "Assignment" a CROSS JOIN "Occurrence" o
        JOIN "Unit" u ON u."id" = a."unitId" JOIN "Task" t ON t."id" = a."taskId" JOIN "Plan" p ON p."id" = t."planId"
      WHERE a."unitId" IN (${Prisma.join(units)}) AND a."role" = 'lead' AND a."archivedAt" IS NULL AND t."archivedAt" IS NULL
        AND o."assignmentId" = a."id" AND o."status" = 'open' AND ${dueSql}`,
  );
  return rows
    .map((r) => ({ occurrenceId: Number(r.id), due: r.due, code: r.code, content: r.content, label: r.label, unitId: Number(r.unitId), unitName: r.unitName, planYear: Number(r.planYear) }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.occurrenceId - b.occurrenceId));
}

/** Open lead occurrences due before `today` (overdue), of some units or of all. */
export function overdueItems(prisma: PrismaClient, today: LocalDate, unitIds?: number[]): Promise<OpenItem[]> {
  return openLeadItems(prisma, { lt: today }, unitIds);
}

/** Open lead occurrences due from `from` to `to` inclusive. */
export function upcomingItems(prisma: PrismaClient, from: LocalDate, to: LocalDate, unitIds?: number[]): Promise<OpenItem[]> {
  return openLeadItems(prisma, { gte: from, lte: to }, unitIds);
}

export type DoneResult =
  | { kind: 'done'; occurrenceId: number; due: LocalDate; status: Status; openUnits: number; totalUnits: number }
  | { kind: 'nothing_open' };

/**
 * Marks the earliest open occurrence of an assignment done (recurring tasks: the oldest period first),
 * with the audit row, in one transaction.
 */
export async function markDone(prisma: PrismaClient, assignmentId: number, actor: Actor, now: Date, zone: string, today: LocalDate, note?: string): Promise<DoneResult> {
  return prisma.$transaction(async (tx) => {
    const occ = await tx.occurrence.findFirst({ where: { assignmentId, status: 'open' }, orderBy: { due: 'asc' } });
    if (!occ) return { kind: 'nothing_open' as const };
    const { count } = await tx.occurrence.updateMany({
      where: { id: occ.id, status: 'open' },
      data: { status: 'done', doneAt: now, doneBy: actor.user, doneNote: note ?? null },
    });
    if (count !== 1) return { kind: 'nothing_open' as const };
    const status = statusOf({ due: occ.due, doneAt: now }, today, zone);
    const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId }, select: { taskId: true } });
    await audit(tx, actor, { action: 'done', taskId: assignment.taskId, occurrenceId: occ.id, fromStatus: 'open', toStatus: status, detail: note });
    const totalUnits = await tx.assignment.count({ where: { taskId: assignment.taskId, role: 'lead', archivedAt: null } });
    const openUnits = await tx.assignment.count({
      where: { taskId: assignment.taskId, role: 'lead', archivedAt: null, occurrences: { some: { status: 'open', due: { lte: occ.due } } } },
    });
    return { kind: 'done' as const, occurrenceId: occ.id, due: occ.due, status, openUnits, totalUnits };
  });
}

export type UndoResult = { kind: 'undone'; occurrenceId: number; due: LocalDate } | { kind: 'nothing_done' };

/** Reopens the most recently completed occurrence of an assignment. */
export async function undoDone(prisma: PrismaClient, assignmentId: number, actor: Actor): Promise<UndoResult> {
  return prisma.$transaction(async (tx) => {
    const occ = await tx.occurrence.findFirst({ where: { assignmentId, status: 'done' }, orderBy: [{ doneAt: 'desc' }, { due: 'desc' }] });
    if (!occ) return { kind: 'nothing_done' as const };
    await tx.occurrence.update({ where: { id: occ.id }, data: { status: 'open', doneAt: null, doneBy: null, doneNote: null } });
    const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId }, select: { taskId: true } });
    await audit(tx, actor, { action: 'undo', taskId: assignment.taskId, occurrenceId: occ.id, fromStatus: 'done', toStatus: 'open' });
    return { kind: 'undone' as const, occurrenceId: occ.id, due: occ.due };
  });
}
