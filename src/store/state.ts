import type { PrismaClient, Tx } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { whenNotBusy } from './busy.ts';

/** Small durable values (the last round's instant) in the State table. */
export async function readState(db: PrismaClient | Tx, key: string): Promise<string | null> {
  return (await db.state.findUnique({ where: { key } }))?.value ?? null;
}

export async function writeState(db: PrismaClient | Tx, key: string, value: string): Promise<void> {
  await db.state.upsert({ where: { key }, create: { key, value }, update: { value } });
}

/**
 * A lease row: only one process at a time holds `name` (the scheduler's round). It expires, so a crashed
 * holder does not block the others for longer than `ttlMs`.
 */
export async function tryLease(db: PrismaClient, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const key = `lease:${name}`;
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await whenNotBusy(() =>
    db.state.updateMany({
      where: { key, OR: [{ holder }, { expiresAt: { lt: now } }] },
      data: { holder, expiresAt, value: holder },
    }),
  );
  if (taken.count === 1) return true;
  try {
    await whenNotBusy(() => db.state.create({ data: { key, value: holder, holder, expiresAt } }));
    return true;
  } catch (error) {
    // another process holds it (unique key); any other failure (a full disk) is not "someone else's turn"
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function releaseLease(db: PrismaClient, name: string, holder: string): Promise<void> {
  await db.state.updateMany({ where: { key: `lease:${name}`, holder }, data: { expiresAt: new Date(0) } });
}
