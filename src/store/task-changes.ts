import type { PrismaClient } from '../db/database.ts';
import type { LocalDate } from '../core/dates.ts';
import { audit, type Actor } from './audit.ts';
import { syncAssignments } from './plan-store.ts';

/** Starts an event-based task's clock: one occurrence per given lead assignment, due on `due`. */
export async function reportEvent(prisma: PrismaClient, taskId: number, assignmentIds: number[], date: LocalDate, due: LocalDate, actor: Actor) {
  return prisma.$transaction(async (tx) => {
    // an event already reported (same due day for every unit) changes nothing
    const fresh: number[] = [];
    for (const assignmentId of assignmentIds) {
      if (!(await tx.occurrence.findUnique({ where: { assignmentId_due: { assignmentId, due } } }))) fresh.push(assignmentId);
    }
    if (!fresh.length) return { eventId: null, created: 0 };
    const event = await tx.event.create({ data: { taskId, date, reportedBy: actor.user, chat: actor.chat } });
    await tx.occurrence.createMany({ data: fresh.map((assignmentId) => ({ assignmentId, due, eventId: event.id })) });
    await audit(tx, actor, { action: 'event', taskId, detail: JSON.stringify({ date, due, assignments: fresh.length }) });
    return { eventId: event.id, created: fresh.length };
  });
}

/** Replaces a task's rule by hand (an unparsed or wrong deadline); open occurrences follow the new dues. */
export async function setTaskRule(prisma: PrismaClient, taskId: number, deadlineText: string, rule: unknown, label: string, dues: LocalDate[], actor: Actor) {
  await prisma.$transaction(async (tx) => {
    const old = await tx.task.findUniqueOrThrow({ where: { id: taskId }, include: { assignments: { where: { archivedAt: null } } } });
    await tx.task.update({ where: { id: taskId }, data: { deadlineText, rule: JSON.stringify(rule), deadlineLabel: label, ruleSetBy: actor.user } });
    await syncAssignments(
      tx,
      taskId,
      old.assignments.map((a) => ({ id: a.unitId, role: a.role as 'lead' | 'coord', via: a.viaClass })),
      dues,
    );
    await audit(tx, actor, { action: 'setdeadline', taskId, detail: JSON.stringify({ from: old.deadlineText, to: deadlineText }) });
  });
}
