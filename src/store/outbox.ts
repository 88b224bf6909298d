import type { PrismaClient } from '../db/database.ts';
import { whenNotBusy } from './busy.ts';

export type OutboxAttachment = { fileName: string; mime: string; base64: string };
export type OutboxRow = { id: number; chat: string; kind: string; text: string; tasks: string[]; attachments: OutboxAttachment[]; late: boolean; attempts: number };

/** A row left in `sending` this long ago belongs to a process that died mid-send: it is sent again. */
export const STALE_CLAIM_MS = 5 * 60_000;

/** Pending rows ready to go, oldest first; rows claimed by a dead process count as pending again. */
export async function readyRows(prisma: PrismaClient, now: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await prisma.outbox.findMany({
    where: {
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'sending', claimedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
      ],
    },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, chat: true, kind: true, text: true, tasks: true, attachments: true, late: true, attempts: true },
  });
  return rows.map((r) => ({ ...r, tasks: JSON.parse(r.tasks) as string[], attachments: JSON.parse(r.attachments) as OutboxAttachment[] }));
}

/** How many messages wait to go out (pending, or being sent). */
export function backlog(prisma: PrismaClient): Promise<number> {
  return prisma.outbox.count({ where: { status: { in: ['pending', 'sending'] } } });
}

/** Atomically takes a row for this process; false if another process took it first. */
export async function claim(prisma: PrismaClient, row: OutboxRow, holder: string, now: Date): Promise<boolean> {
  const stale = new Date(now.getTime() - STALE_CLAIM_MS);
  const { count } = await whenNotBusy(() => prisma.outbox.updateMany({
    where: {
      id: row.id,
      attempts: row.attempts,
      OR: [{ status: 'pending' }, { status: 'sending', claimedAt: { lt: stale } }],
    },
    data: { status: 'sending', claimedBy: holder, claimedAt: now, attempts: { increment: 1 } },
  }));
  return count === 1;
}

export async function markSent(prisma: PrismaClient, id: number, now: Date): Promise<void> {
  await whenNotBusy(() => prisma.outbox.updateMany({ where: { id }, data: { status: 'sent', sentAt: now, lastError: null } }));
}

/** Records the platform ids of one sent part of a row (one id per part). */
export async function recordPart(prisma: PrismaClient, outboxId: number, chat: string, messageIds: string[]): Promise<void> {
  for (const messageId of messageIds) {
    // one statement (no read-then-write): under SQLite's WAL a read that turns into a write can fail at once
    await whenNotBusy(
      () => prisma.$executeRaw`INSERT INTO "Delivered" ("outboxId", "chat", "messageId") VALUES (${outboxId}, ${chat}, ${messageId}) ON CONFLICT ("chat", "messageId") DO NOTHING`,
    );
  }
}


/** How many parts of a row went out already (an earlier attempt failed after them). */
export async function deliveredParts(prisma: PrismaClient, outboxId: number): Promise<number> {
  return prisma.delivered.count({ where: { outboxId } });
}

export async function markRetry(prisma: PrismaClient, id: number, error: string, at: Date): Promise<void> {
  await whenNotBusy(() => prisma.outbox.updateMany({ where: { id }, data: { status: 'pending', nextAttemptAt: at, lastError: error, claimedBy: null, claimedAt: null } }));
}

export async function markFailed(prisma: PrismaClient, id: number, error: string): Promise<void> {
  await whenNotBusy(() => prisma.outbox.updateMany({ where: { id }, data: { status: 'failed', lastError: error, claimedBy: null } }));
}

/** The outbox row a platform message belongs to (for replies to a reminder). */
export async function outboxOfDelivered(prisma: PrismaClient, chat: string, messageId: string) {
  return prisma.delivered.findUnique({
    where: { chat_messageId: { chat, messageId } },
    select: { outbox: { select: { id: true, notices: { select: { occurrenceId: true } } } } },
  });
}
