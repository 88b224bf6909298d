import crypto from 'node:crypto';
import type { PrismaClient } from '../db/database.ts';
import { randomCode } from '../random-code.ts';
import { audit, type Actor } from './audit.ts';

/**
 * Administrators: those of NHACVIEC_ADMINS (the settings, read at start) and those kept in the database
 * (`admin add`, `/quantri <mã>`), which count at once, without a restart. `isAdmin` (groups.ts) asks both.
 */

export type AdminEntry = { id: string; source: 'env' | 'db'; added: Date | null };

export async function listAdmins(prisma: PrismaClient, envAdmins: readonly string[]): Promise<AdminEntry[]> {
  const rows = await prisma.admin.findMany({ orderBy: { createdAt: 'asc' }, select: { user: true, createdAt: true } });
  const env = new Set(envAdmins);
  return [
    ...[...env].map((id) => ({ id, source: 'env' as const, added: null })),
    ...rows.filter((r) => !env.has(r.user)).map((r) => ({ id: r.user, source: 'db' as const, added: r.createdAt })),
  ];
}

/** Every administrator's address, for notices (Telegram and Zalo user ids are their private chats). */
export async function adminAddresses(prisma: PrismaClient, envAdmins: readonly string[]): Promise<string[]> {
  return (await listAdmins(prisma, envAdmins)).map((a) => a.id);
}

/** Whether a person on a chat platform administers the bot (the console's simulated officer does not count). */
export async function anyAdmin(prisma: PrismaClient, envAdmins: readonly string[]): Promise<boolean> {
  return envAdmins.some((a) => !a.startsWith('console:')) || (await prisma.admin.count()) > 0;
}

/** Adds a database administrator (audited); a new administrator also kills any claim code still alive. */
export async function addAdmin(prisma: PrismaClient, user: string, actor: Actor): Promise<'added' | 'exists'> {
  return prisma.$transaction(async (tx) => {
    if (await tx.admin.findUnique({ where: { user } })) return 'exists';
    await tx.admin.create({ data: { user, addedBy: actor.user } });
    await audit(tx, actor, { action: 'admin_add', detail: user });
    await tx.state.deleteMany({ where: { key: { startsWith: CLAIM_PREFIX } } });
    return 'added';
  });
}

export async function removeAdmin(prisma: PrismaClient, user: string, actor: Actor): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.admin.deleteMany({ where: { user } });
    if (count) await audit(tx, actor, { action: 'admin_remove', detail: user });
    return count > 0;
  });
}

// --- the one-time claim code -------------------------------------------------------------------------

/**
 * A bot with no administrator prints a one-time code at start-up; `/quantri <code>` in a private chat makes
 * the sender the first administrator, and every code dies. Each instance keeps its own code in a State row
 * (`admin-claim:<instance>`), as a SHA-256 hash: several instances sharing a database each print a working
 * code, and the first claim kills them all. The code has 60 random bits (12 Crockford base-32 characters),
 * so guessing is hopeless; still, a code dies after MAX_FAILURES tries (each counted before the comparison,
 * so a flood of guesses at once gets no more) and when it expires; the per-person rate limit slows each sender.
 */
const CLAIM_PREFIX = 'admin-claim:';
export const CLAIM_TTL_MS = 24 * 60 * 60_000;
const MAX_FAILURES = 10;

type ClaimState = { hash: string; failures: number };

/** Crockford base 32 as people type it: any case, dashes and spaces, O for 0, I and L for 1. */
function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function hashCode(code: string): string {
  return crypto.createHash('sha256').update(`nhacviec-claim:${normalizeCode(code)}`).digest('hex');
}

/** A new code for this instance when no administrator exists (printed once, never stored in clear); else null. */
export async function issueClaimCode(prisma: PrismaClient, envAdmins: readonly string[], holder: string, now: Date): Promise<{ code: string; expiresAt: Date } | null> {
  if (await anyAdmin(prisma, envAdmins)) {
    await prisma.state.deleteMany({ where: { key: { startsWith: CLAIM_PREFIX } } });
    return null;
  }
  const raw = randomCode(12);
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  const expiresAt = new Date(now.getTime() + CLAIM_TTL_MS);
  const value = JSON.stringify({ hash: hashCode(code), failures: 0 } satisfies ClaimState);
  const key = `${CLAIM_PREFIX}${holder}`;
  await prisma.state.upsert({ where: { key }, create: { key, value, expiresAt }, update: { value, expiresAt, holder: null } });
  return { code, expiresAt };
}

/**
 * Whether this instance's code can still be used: not used, burnt, used up or expired. A running bot with no
 * administrator asks this to print a fresh code when its last one died (src/claim-code.ts).
 */
export async function claimCodeAlive(prisma: PrismaClient, holder: string, now: Date): Promise<boolean> {
  const row = await prisma.state.findUnique({ where: { key: `${CLAIM_PREFIX}${holder}` }, select: { value: true, expiresAt: true } });
  return Boolean(row && row.expiresAt && row.expiresAt > now && parseClaim(row.value).failures < MAX_FAILURES);
}

export type ClaimOutcome =
  | 'claimed' // the sender is now an administrator
  | 'has_admin' // there is an administrator already: codes are dead
  | 'no_code' // no live code (none printed, expired, or used up)
  | 'wrong' // not the code
  | 'burnt'; // the right code, typed where others can read it: it is dead now

/**
 * Tries a typed claim code. `privateChat` false means the code was typed in a group: a right code is then
 * burnt instead of used, since everyone there has read it.
 */
export async function claimAdmin(prisma: PrismaClient, envAdmins: readonly string[], typed: string, opts: { actor: Actor; privateChat: boolean; now: Date }): Promise<ClaimOutcome> {
  if (await anyAdmin(prisma, envAdmins)) return 'has_admin';
  const rows = await prisma.state.findMany({ where: { key: { startsWith: CLAIM_PREFIX }, expiresAt: { gt: opts.now } } });
  if (!rows.length) return 'no_code';
  // each code's try is taken before the code is compared: guesses sent all at once cannot outrun the count
  const tried: { key: string; state: ClaimState; value: string }[] = [];
  for (const row of rows) {
    const taken = await takeTry(prisma, row);
    if (taken) tried.push(taken);
  }
  if (!tried.length) return 'no_code';
  const wanted = Buffer.from(hashCode(typed), 'hex');
  const match = tried.find((r) => {
    const stored = Buffer.from(r.state.hash, 'hex');
    return stored.length === wanted.length && crypto.timingSafeEqual(stored, wanted);
  });
  if (!match) {
    for (const r of tried) if (r.state.failures >= MAX_FAILURES) await prisma.state.deleteMany({ where: { key: r.key, value: r.value } });
    return 'wrong';
  }
  if (!opts.privateChat) {
    await prisma.state.deleteMany({ where: { key: { startsWith: CLAIM_PREFIX } } });
    return 'burnt';
  }
  return prisma.$transaction(async (tx) => {
    // the row's deletion is the claim: of two people sending the code at once, one deletes it
    const { count } = await tx.state.deleteMany({ where: { key: match.key, expiresAt: { gt: opts.now } } });
    if (!count || (await tx.admin.count()) > 0) return count ? 'has_admin' : 'no_code';
    await tx.admin.create({ data: { user: opts.actor.user, addedBy: 'claim-code' } });
    await audit(tx, opts.actor, { action: 'admin_add', detail: `${opts.actor.user} (mã nhận quyền quản trị)` });
    await tx.state.deleteMany({ where: { key: { startsWith: CLAIM_PREFIX } } });
    return 'claimed';
  });
}

/**
 * Counts one try of a code (compare-and-set on the row's value, again if another try changed it meanwhile);
 * null when the code is used up (then removed) or gone. At most MAX_FAILURES tries are ever taken per code.
 */
async function takeTry(prisma: PrismaClient, row: { key: string; value: string }): Promise<{ key: string; state: ClaimState; value: string } | null> {
  let current: { key: string; value: string } | null = row;
  while (current) {
    const state = parseClaim(current.value);
    if (state.failures >= MAX_FAILURES) {
      await prisma.state.deleteMany({ where: { key: current.key, value: current.value } });
      return null;
    }
    const next = { ...state, failures: state.failures + 1 };
    const value = JSON.stringify(next);
    const { count } = await prisma.state.updateMany({ where: { key: current.key, value: current.value }, data: { value } });
    if (count) return { key: current.key, state: next, value };
    current = await prisma.state.findUnique({ where: { key: row.key }, select: { key: true, value: true } });
  }
  return null;
}

function parseClaim(value: string): ClaimState {
  try {
    const parsed = JSON.parse(value) as Partial<ClaimState>;
    return { hash: String(parsed.hash ?? ''), failures: Number(parsed.failures ?? 0) };
  } catch {
    return { hash: '', failures: MAX_FAILURES };
  }
}
