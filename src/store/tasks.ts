import type { PrismaClient } from '../db/database.ts';
import { normalizeCode } from '../core/task-code.ts';

export type TaskRef = { id: number; code: string; content: string; planId: number; planName: string; planYear: number };

export type TaskLookup =
  /** alias: the typed code named the task by another code (a running number, a former code) */
  | { kind: 'found'; task: TaskRef; alias?: string }
  | { kind: 'ambiguous'; candidates: TaskRef[] }
  | { kind: 'none'; code: string | null };

/**
 * Finds the task a user typed: "3.2", "III.2", "3.I.2" are one code; "2024:3.2" names the plan year.
 * A code that is no task's own code is looked up among aliases ("17", the running number of a plan with
 * two number columns; a code from before a re-import). Among several plans the ones where `preferUnits`
 * has an assignment win; still several → candidates.
 */
export async function findTask(prisma: PrismaClient, typed: string, preferUnits: number[] = []): Promise<TaskLookup> {
  const match = /^(?:(\d{4})\s*[:/])?\s*(.+)$/.exec(typed.trim());
  const year = match?.[1] ? Number(match[1]) : undefined;
  const code = normalizeCode(match?.[2] ?? '');
  if (!code) return { kind: 'none', code: null };
  const live = { archivedAt: null, ...(year ? { plan: { year } } : {}) };
  let rows = await tasksWhere(prisma, { code, ...live });
  const alias = rows.length === 0;
  if (alias) rows = await tasksWhere(prisma, { aliases: { some: { code } }, ...live });
  let found = rows;
  if (found.length > 1 && preferUnits.length) {
    const mine = found.filter((t) => t.assignments.some((a) => preferUnits.includes(a.unitId)));
    if (mine.length) found = mine;
  }
  const refs = found.map((t) => ({ id: t.id, code: t.code, content: t.content, planId: t.planId, planName: t.plan.name, planYear: t.plan.year }));
  if (refs.length === 1) return { kind: 'found', task: refs[0]!, ...(alias ? { alias: code } : {}) };
  if (refs.length > 1) return { kind: 'ambiguous', candidates: refs };
  return { kind: 'none', code };
}

function tasksWhere(prisma: PrismaClient, where: NonNullable<Parameters<PrismaClient['task']['findMany']>[0]>['where']) {
  return prisma.task.findMany({
    where,
    select: {
      id: true,
      code: true,
      content: true,
      planId: true,
      plan: { select: { name: true, year: true } },
      assignments: { where: { archivedAt: null }, select: { unitId: true } },
    },
    orderBy: [{ plan: { year: 'desc' } }, { id: 'asc' }],
  });
}

export async function taskDetails(prisma: PrismaClient, taskId: number) {
  return prisma.task.findUniqueOrThrow({
    where: { id: taskId },
    include: {
      plan: { select: { name: true, year: true } },
      section: { select: { path: true, title: true } },
      assignments: {
        where: { archivedAt: null },
        include: { unit: { select: { id: true, name: true } }, occurrences: { orderBy: { due: 'asc' } } },
        orderBy: { id: 'asc' },
      },
    },
  });
}

export type ListedTask = { code: string; content: string; deadlineLabel: string; planYear: number; /** the units' roles in it (only when units are given) */ roles: string[] };

/** The live tasks of a plan assigned to any of the units (every live task when `unitIds` is undefined). */
export async function tasksOfUnits(prisma: PrismaClient, unitIds: number[] | undefined): Promise<ListedTask[]> {
  const rows = await prisma.task.findMany({
    where: { archivedAt: null, ...(unitIds ? { assignments: { some: { unitId: { in: unitIds }, archivedAt: null } } } : {}) },
    select: { code: true, content: true, deadlineLabel: true, plan: { select: { year: true } }, assignments: unitIds ? { where: { unitId: { in: unitIds }, archivedAt: null }, select: { role: true } } : false },
  });
  return rows.map((t) => ({ code: t.code, content: t.content, deadlineLabel: t.deadlineLabel, planYear: t.plan.year, roles: Array.isArray(t.assignments) ? t.assignments.map((a) => a.role) : [] }));
}
