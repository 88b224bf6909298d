import type { PrismaClient } from '../db/database.ts';

/** Chat groups bound to units, officers and administrators. */

export async function groupOf(prisma: PrismaClient, chat: string) {
  return prisma.chatGroup.findUnique({ where: { chat }, include: { unit: true } });
}

/** Records a chat the bot has seen (so administrators can list and bind it). */
export async function seeGroup(prisma: PrismaClient, chat: string, title?: string): Promise<void> {
  const group = await prisma.chatGroup.findUnique({ where: { chat }, select: { title: true, active: true } });
  if (!group) {
    // two messages of a chat never seen before, at once (a double tap): the other one recorded it
    await prisma.chatGroup.create({ data: { chat, title: title ?? '' } }).catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code !== 'P2002') throw error;
    });
  }
  else if (!group.active || (title && title !== group.title)) {
    await prisma.chatGroup.update({ where: { chat }, data: { active: true, ...(title ? { title } : {}) } });
  }
}

export async function bindGroup(prisma: PrismaClient, chat: string, unitId: number, title?: string) {
  return prisma.chatGroup.upsert({
    where: { chat },
    create: { chat, title: title ?? '', unitId },
    update: { unitId, active: true },
  });
}

export async function setPaused(prisma: PrismaClient, chat: string, paused: boolean) {
  return prisma.chatGroup.upsert({ where: { chat }, create: { chat, paused }, update: { paused } });
}

export async function deactivateGroup(prisma: PrismaClient, chat: string): Promise<void> {
  await prisma.chatGroup.updateMany({ where: { chat }, data: { active: false } });
}

/** A Telegram group upgraded to a supergroup keeps its binding under the new id. */
export async function moveGroup(prisma: PrismaClient, oldChat: string, newChat: string): Promise<void> {
  const existing = await prisma.chatGroup.findUnique({ where: { chat: newChat } });
  if (existing) {
    // the new id may already have an unbound row (someone typed a command there first): keep the binding
    const old = await prisma.chatGroup.findUnique({ where: { chat: oldChat } });
    if (old && existing.unitId === null) {
      await prisma.chatGroup.update({ where: { chat: newChat }, data: { unitId: old.unitId, paused: old.paused, title: existing.title || old.title } });
    }
    await prisma.chatGroup.deleteMany({ where: { chat: oldChat } });
    return;
  }
  await prisma.chatGroup.updateMany({ where: { chat: oldChat }, data: { chat: newChat } });
}

export async function officerUnits(prisma: PrismaClient, user: string): Promise<number[]> {
  const rows = await prisma.officer.findMany({ where: { user }, select: { unitId: true } });
  return rows.map((r) => r.unitId);
}

export async function isAdmin(prisma: PrismaClient, envAdmins: readonly string[], user: string): Promise<boolean> {
  if (envAdmins.includes(user)) return true;
  return (await prisma.admin.count({ where: { user } })) > 0;
}
