/**
 * Carrying out assignment operations (src/core/assignments.ts) in a handful of statements, whether for one
 * task (/setdeadline, a policy change, a new unit of a class) or for a whole imported plan.
 */
import type { Tx } from '../db/database.ts';
import { assignmentOps, type AssignmentOps, type CurrentAssignment, type WantedAssignment } from '../core/assignments.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { chunks, idTable, jsonTable, providerOf, stamp } from './bulk.ts';

type Num = number | bigint;

/** The assignments (with their occurrences) of the given tasks, or of every task of a plan. */
export async function currentAssignments(tx: Tx, scope: { planId: number } | { taskId: number }): Promise<Map<number, CurrentAssignment[]>> {
  const where = 'planId' in scope ? Prisma.sql`t."planId" = ${scope.planId}` : Prisma.sql`t."id" = ${scope.taskId}`;
  const assignments = await tx.$queryRaw<{ id: Num; taskId: Num; unitId: Num; role: string; viaClass: string | null; archivedAt: unknown }[]>`
    SELECT a."id", a."taskId", a."unitId", a."role", a."viaClass", a."archivedAt" FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId" WHERE ${where}`;
  const occurrences = await tx.$queryRaw<{ id: Num; assignmentId: Num; due: string; status: string; eventId: Num | null }[]>`
    SELECT o."id", o."assignmentId", o."due", o."status", o."eventId"
    FROM "Occurrence" o JOIN "Assignment" a ON a."id" = o."assignmentId" JOIN "Task" t ON t."id" = a."taskId" WHERE ${where}`;
  const byAssignment = new Map<number, CurrentAssignment>();
  const byTask = new Map<number, CurrentAssignment[]>();
  for (const a of assignments) {
    const row: CurrentAssignment = { id: Number(a.id), unitId: Number(a.unitId), role: a.role, viaClass: a.viaClass, archived: a.archivedAt !== null, occurrences: [] };
    byAssignment.set(row.id, row);
    const list = byTask.get(Number(a.taskId));
    if (list) list.push(row);
    else byTask.set(Number(a.taskId), [row]);
  }
  for (const o of occurrences) {
    byAssignment.get(Number(o.assignmentId))?.occurrences.push({ id: Number(o.id), due: o.due, status: o.status, eventId: o.eventId === null ? null : Number(o.eventId) });
  }
  return byTask;
}

/** Applies the operations: archive, update, create assignments; delete and create occurrences. */
export async function applyAssignmentOps(tx: Tx, ops: AssignmentOps, now: Date): Promise<void> {
  const provider = providerOf(tx);
  const at = provider === 'sqlite' ? stamp(now, provider) : now;
  for (const ids of chunks(ops.archive)) {
    await tx.$executeRaw`UPDATE "Assignment" SET "archivedAt" = ${at} WHERE "id" IN (SELECT j."id" FROM ${idTable(ids, provider)})`;
  }
  for (const rows of chunks(ops.update)) {
    await tx.$executeRaw`UPDATE "Assignment" SET "role" = j."role", "viaClass" = j."via", "archivedAt" = NULL
      FROM ${jsonTable(rows, { id: 'int', role: 'text', via: 'text' }, provider)} WHERE "Assignment"."id" = j."id"`;
  }
  const occurrences = [...ops.createOccurrences];
  for (const rows of chunks(ops.create)) {
    const created = await tx.$queryRaw<{ id: Num; taskId: Num; unitId: Num }[]>`
      INSERT INTO "Assignment" ("taskId", "unitId", "role", "viaClass")
      SELECT j."taskId", j."unitId", j."role", j."via" FROM ${jsonTable(rows, { taskId: 'int', unitId: 'int', role: 'text', via: 'text' }, provider)}
      RETURNING "id", "taskId", "unitId"`;
    const idOf = new Map(created.map((c) => [`${Number(c.taskId)}:${Number(c.unitId)}`, Number(c.id)]));
    for (const c of rows) for (const due of c.dues) occurrences.push({ assignmentId: idOf.get(`${c.taskId}:${c.unitId}`) as number, due });
  }
  for (const ids of chunks(ops.deleteOccurrences)) {
    await tx.$executeRaw`DELETE FROM "Occurrence" WHERE "id" IN (SELECT j."id" FROM ${idTable(ids, provider)})`;
  }
  for (const rows of chunks(occurrences)) {
    await tx.$executeRaw`INSERT INTO "Occurrence" ("assignmentId", "due") SELECT j."assignmentId", j."due" FROM ${jsonTable(rows, { assignmentId: 'int', due: 'text' }, provider)}`;
  }
}

/**
 * Makes one task's assignments and occurrences what the plan says: new ones added, dropped ones archived,
 * open occurrences moved to the new due days; completed occurrences are never touched.
 */
export async function syncAssignments(tx: Tx, taskId: number, wanted: WantedAssignment[], dues: string[], now: Date = new Date()): Promise<void> {
  const current = (await currentAssignments(tx, { taskId })).get(taskId) ?? [];
  await applyAssignmentOps(tx, assignmentOps(taskId, current, wanted, dues), now);
}
