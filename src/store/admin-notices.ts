import type { PrismaClient } from '../db/database.ts';

/**
 * Tells the administrators something through the outbox (a transport problem, a group the bot was removed
 * from). Telegram and Zalo user ids are also their private chat ids.
 */
export async function notifyAdmins(prisma: PrismaClient, admins: readonly string[], text: string, now: Date): Promise<void> {
  for (const chat of admins) {
    await prisma.outbox.create({ data: { chat, kind: 'escalation', text, roundAt: now, nextAttemptAt: now } });
  }
}
