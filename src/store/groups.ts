import type { PrismaClient } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { audit, type Actor } from './audit.ts';
import { whenNotBusy } from './busy.ts';

/** Chat groups bound to units, officers and administrators. */

export type UnitRef = { id: number; name: string };

export async function groupOf(prisma: PrismaClient, chat: string) {
  return prisma.chatGroup.findUnique({ where: { chat }, include: { unit: true } });
}

/** The coordinating office's bound group, when the (latest) plan names one. */
export async function coordinatorChat(prisma: PrismaClient): Promise<string | null> {
  const plan = await prisma.plan.findFirst({ where: { coordinatorUnitId: { not: null } }, orderBy: { year: 'desc' }, select: { coordinatorUnitId: true } });
  if (!plan?.coordinatorUnitId) return null;
  const group = await prisma.chatGroup.findFirst({ where: { unitId: plan.coordinatorUnitId, active: true }, select: { chat: true } });
  return group?.chat ?? null;
}

/** Records a chat the bot has seen (so administrators can list and bind it). */
export async function seeGroup(prisma: PrismaClient, chat: string, title?: string): Promise<void> {
  const group = await prisma.chatGroup.findUnique({ where: { chat }, select: { title: true, active: true } });
  if (!group) {
    // two messages of a chat never seen before, at once (a double tap): the other one recorded it
    await prisma.chatGroup.create({ data: { chat, title: title ?? '' } }).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
  }
  else if (!group.active || (title && title !== group.title)) {
    await prisma.chatGroup.update({ where: { chat }, data: { active: true, ...(title ? { title } : {}) } });
  }
}

/** Binds a chat to a unit; audited when a person did it (the example plan's set-up binds without one). */
export async function bindGroup(prisma: PrismaClient, chat: string, unitId: number, title?: string, actor?: Actor) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.chatGroup.findUnique({ where: { chat }, select: { unitId: true } });
    const group = await tx.chatGroup.upsert({
      where: { chat },
      create: { chat, title: title ?? '', unitId },
      update: { unitId, active: true },
      include: { unit: { select: { name: true } } },
    });
    if (actor) await audit(tx, actor, { action: 'bind', detail: JSON.stringify({ chat, unitId, unit: group.unit?.name, fromUnitId: before?.unitId ?? null }) });
    return group;
  });
}

/** Pauses or resumes a chat's reminders, audited with the state before and after. */
export async function setPaused(prisma: PrismaClient, chat: string, paused: boolean, actor: Actor) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.chatGroup.findUnique({ where: { chat }, select: { paused: true } });
    const group = await tx.chatGroup.upsert({ where: { chat }, create: { chat, paused }, update: { paused } });
    const state = (p: boolean) => (p ? 'paused' : 'running');
    await audit(tx, actor, { action: paused ? 'pause' : 'resume', fromStatus: state(before?.paused ?? false), toStatus: state(paused), detail: JSON.stringify({ chat }) });
    return group;
  });
}

export async function deactivateGroup(prisma: PrismaClient, chat: string): Promise<void> {
  await prisma.chatGroup.updateMany({ where: { chat }, data: { active: false } });
}

/**
 * A chat got a new id (a Telegram group became a supergroup): its binding and every message still to be sent
 * there move to the new id, in one transaction. The one path for both ways the move is learnt (the group's
 * service message, or a send refused with the new id). Parts of those messages that the old chat received
 * already go again to the new one: the group reads each message whole.
 */
export async function moveChat(prisma: PrismaClient, oldChat: string, newChat: string): Promise<void> {
  await whenNotBusy(() =>
    prisma.$transaction(async (tx) => {
      const old = await tx.chatGroup.findUnique({ where: { chat: oldChat } });
      const existing = await tx.chatGroup.findUnique({ where: { chat: newChat } });
      if (existing) {
        // the new id may already have an unbound row (someone typed a command there first): keep the binding
        if (old && existing.unitId === null) {
          await tx.chatGroup.update({ where: { chat: newChat }, data: { unitId: old.unitId, paused: old.paused, title: existing.title || old.title } });
        }
        await tx.chatGroup.deleteMany({ where: { chat: oldChat } });
      } else {
        await tx.chatGroup.updateMany({ where: { chat: oldChat }, data: { chat: newChat } });
      }
      await tx.delivered.deleteMany({ where: { outbox: { chat: oldChat, status: 'pending' } } });
      await tx.outbox.updateMany({ where: { chat: oldChat, status: 'pending' }, data: { chat: newChat } });
    }),
  );
}

/** The chats of one transport ("zalo:") that are groups: every chat a group row exists for. */
export async function groupChats(prisma: PrismaClient, transport: string): Promise<string[]> {
  const rows = await prisma.chatGroup.findMany({ where: { chat: { startsWith: `${transport}:` } }, select: { chat: true } });
  return rows.map((r) => r.chat);
}

/** The units a person is a focal officer (or leader) of, by name. */
export async function officerUnits(prisma: PrismaClient, user: string): Promise<UnitRef[]> {
  const rows = await prisma.officer.findMany({ where: { user }, select: { unit: { select: { id: true, name: true } } }, orderBy: { unitId: 'asc' } });
  return rows.map((r) => r.unit);
}

/** Makes a person an officer of a unit without an audit entry (the example plan's set-up); kept if they are one. */
export async function ensureOfficer(prisma: PrismaClient, user: string, unitId: number, displayName: string): Promise<void> {
  await prisma.officer.upsert({ where: { user_unitId: { user, unitId } }, create: { user, unitId, displayName }, update: {} });
}

/** Makes a person an officer of a unit (audited); false when they already were (the name is refreshed). */
export async function addOfficer(prisma: PrismaClient, user: string, unit: UnitRef, displayName: string, actor: Actor): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.officer.findUnique({ where: { user_unitId: { user, unitId: unit.id } }, select: { id: true } });
    if (existing) {
      if (displayName) await tx.officer.update({ where: { id: existing.id }, data: { displayName } });
      return false;
    }
    await tx.officer.create({ data: { user, unitId: unit.id, displayName } });
    await audit(tx, actor, { action: 'officer_add', detail: JSON.stringify({ user, unitId: unit.id, unit: unit.name }) });
    return true;
  });
}

/** Takes a person off a unit's officers (audited); false when they were not one. */
export async function removeOfficer(prisma: PrismaClient, user: string, unit: UnitRef, actor: Actor): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.officer.deleteMany({ where: { user, unitId: unit.id } });
    if (count) await audit(tx, actor, { action: 'officer_remove', detail: JSON.stringify({ user, unitId: unit.id, unit: unit.name }) });
    return count > 0;
  });
}

export async function isAdmin(prisma: PrismaClient, envAdmins: readonly string[], user: string): Promise<boolean> {
  if (envAdmins.includes(user)) return true;
  return (await prisma.admin.count({ where: { user } })) > 0;
}
