import type { PrismaClient } from '../db/database.ts';
import { audit, type Actor } from './audit.ts';
import { inBatches } from './batches.ts';
import { outboxOfDelivered } from './outbox.ts';
import type { TaskRef } from './tasks.ts';

/** What people answer by replying to one of the bot's messages: a reminder ("xong"), a monthly check-in. */

export type CheckinAssignment = { id: number; unitId: number; taskId: number; unitName: string; taskCode: string };

/** The assignments a delivered check-in question asked about; empty when the message was no check-in. */
export async function checkinsOfMessage(prisma: PrismaClient, chat: string, messageId: string): Promise<CheckinAssignment[]> {
  const delivered = await prisma.delivered.findUnique({
    where: { chat_messageId: { chat, messageId } },
    select: { outbox: { select: { notices: { select: { key: true } } } } },
  });
  const checkins = delivered?.outbox.notices.filter((n) => n.key.startsWith('checkin:')) ?? [];
  if (!checkins.length) return [];
  const ids = checkins.map((n) => Number(n.key.split(':')[1])).filter(Number.isInteger);
  const rows = await prisma.assignment.findMany({
    where: { id: { in: ids } },
    select: { id: true, unitId: true, taskId: true, unit: { select: { name: true } }, task: { select: { code: true } } },
  });
  return rows.map((a) => ({ id: a.id, unitId: a.unitId, taskId: a.taskId, unitName: a.unit.name, taskCode: a.task.code }));
}

/** Records a unit's check-in answer on each task, in one transaction. */
export async function recordCheckins(prisma: PrismaClient, actor: Actor, taskIds: number[], answer: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const taskId of taskIds) await audit(tx, actor, { action: 'checkin', taskId, detail: answer });
  });
}

/**
 * The tasks of a delivered reminder that are still open, by id; null when the message is not one the bot
 * sent. Only what is still open counts: "xong" to a two-task reminder whose other task is done is unambiguous.
 */
export async function openTasksOfMessage(prisma: PrismaClient, chat: string, messageId: string): Promise<TaskRef[] | null> {
  const delivered = await outboxOfDelivered(prisma, chat, messageId);
  if (!delivered) return null;
  const occurrenceIds = delivered.outbox.notices.map((n) => n.occurrenceId).filter((id): id is number => id !== null);
  const found = await inBatches(occurrenceIds, (ids) =>
    prisma.task.findMany({
      where: { assignments: { some: { occurrences: { some: { id: { in: ids }, status: 'open' } } } } },
      select: { id: true, code: true, content: true, planId: true, plan: { select: { name: true, year: true } } },
    }),
  );
  return [...new Map(found.map((t) => [t.id, t])).values()]
    .sort((a, b) => a.id - b.id)
    .map((t) => ({ id: t.id, code: t.code, content: t.content, planId: t.planId, planName: t.plan.name, planYear: t.plan.year }));
}
