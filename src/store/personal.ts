import type { PrismaClient } from '../db/database.ts';
import { audit, type Actor } from './audit.ts';

/**
 * Personal reminders (/nhacrieng): an officer who turns them on gets, in each round, the items of their units
 * in one direct message. A person's direct chat with the bot is addressed by their user id ("telegram:42",
 * "zalobot:ab12", "console:officer"): on every platform with direct messages the private chat's id is the
 * user's id.
 */

/** The units a person is an officer of, with whether their personal reminders are on. */
export async function officerSettings(prisma: PrismaClient, user: string): Promise<{ units: string[]; on: boolean }> {
  const rows = await prisma.officer.findMany({ where: { user }, select: { personalReminders: true, unit: { select: { name: true } } }, orderBy: { id: 'asc' } });
  return { units: rows.map((r) => r.unit.name), on: rows.some((r) => r.personalReminders) };
}

/** Turns a person's personal reminders on or off for all their units, audited; false when it already was so. */
export async function setPersonalReminders(prisma: PrismaClient, actor: Actor, on: boolean): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.officer.updateMany({ where: { user: actor.user, personalReminders: !on }, data: { personalReminders: on } });
    if (!count) return false;
    await audit(tx, actor, { action: 'personal_reminders', detail: on ? 'on' : 'off' });
    return true;
  });
}

/**
 * The direct chats that get a unit's items, per unit: the officers who turned personal reminders on, for
 * every unit they are an officer of (a unit added to them later included).
 */
export async function personalChats(prisma: PrismaClient): Promise<Map<number, string[]>> {
  const on = await prisma.officer.findMany({ where: { personalReminders: true }, distinct: ['user'], select: { user: true } });
  const chats = new Map<number, string[]>();
  if (!on.length) return chats;
  const rows = await prisma.officer.findMany({ where: { user: { in: on.map((o) => o.user) } }, select: { user: true, unitId: true }, orderBy: { id: 'asc' } });
  for (const r of rows) chats.set(r.unitId, [...(chats.get(r.unitId) ?? []), r.user]);
  return chats;
}
