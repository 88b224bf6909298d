import type { PrismaClient } from '../db/database.ts';
import { normalizeCode } from '../core/task-code.ts';

export type TaskRef = { id: number; code: string; content: string; planId: number; planName: string; planYear: number };

export type TaskLookup =
  | { kind: 'found'; task: TaskRef }
  | { kind: 'ambiguous'; candidates: TaskRef[] }
  | { kind: 'none'; code: string | null };

/**
 * Finds the task a user typed: "3.2", "III.2", "3.I.2" are one code; "2024:3.2" names the plan year.
 * Among several plans the ones where `preferUnits` has an assignment win; still several → candidates.
 */
export async function findTask(prisma: PrismaClient, typed: string, preferUnits: number[] = []): Promise<TaskLookup> {
  const match = /^(?:(\d{4})\s*[:/])?\s*(.+)$/.exec(typed.trim());
  const year = match?.[1] ? Number(match[1]) : undefined;
  const code = normalizeCode(match?.[2] ?? '');
  if (!code) return { kind: 'none', code: null };
  const rows = await prisma.task.findMany({
    where: { code, archivedAt: null, ...(year ? { plan: { year } } : {}) },
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
  let found = rows;
  if (found.length > 1 && preferUnits.length) {
    const mine = found.filter((t) => t.assignments.some((a) => preferUnits.includes(a.unitId)));
    if (mine.length) found = mine;
  }
  const refs = found.map((t) => ({ id: t.id, code: t.code, content: t.content, planId: t.planId, planName: t.plan.name, planYear: t.plan.year }));
  if (refs.length === 1) return { kind: 'found', task: refs[0]! };
  if (refs.length > 1) return { kind: 'ambiguous', candidates: refs };
  return { kind: 'none', code };
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
