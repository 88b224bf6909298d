import type { PrismaClient } from '../db/database.ts';
import { adminAddresses } from './admins.ts';

/**
 * Tells the administrators something through the outbox (a transport problem, a group the bot was removed
 * from): those of NHACVIEC_ADMINS and those kept in the database. Telegram and Zalo user ids are also their
 * private chat ids. `skip` leaves some out (a Zalo session problem is not sent through Zalo).
 */
export async function notifyAdmins(prisma: PrismaClient, envAdmins: readonly string[], text: string, now: Date, skip: (admin: string) => boolean = () => false): Promise<void> {
  for (const chat of (await adminAddresses(prisma, envAdmins)).filter((a) => !skip(a))) {
    await prisma.outbox.create({ data: { chat, kind: 'escalation', text, roundAt: now, nextAttemptAt: now } });
  }
}
