import type { PrismaClient } from '../db/database.ts';
import { randomCode } from '../random-code.ts';

/**
 * Files sent in a chat, waiting for "Nhập" or "Hủy" (PendingImport rows). Every change of status is one
 * conditional UPDATE, so that two confirmations (a double tap, two instances behind a webhook) cannot both
 * start an import: the one whose update matched imports, the other reads the row and says what happened.
 *
 * An import that crashed half-way leaves its row 'importing'; after STALE_MS another confirmation may claim it
 * again. The imports themselves are one transaction each and repeatable (a plan or a list imported twice
 * changes nothing the second time), so a crash between the import's commit and the row's 'done' costs nothing.
 */

export type ImportKind = 'plan' | 'units' | 'dossiers';
export type ImportStatus = 'awaiting_year' | 'ready' | 'importing' | 'done' | 'cancelled' | 'failed' | 'expired';

export type PendingImportRow = {
  id: number;
  token: string;
  kind: ImportKind;
  chat: string;
  user: string;
  fileName: string;
  planName: string | null;
  planYear: number | null;
  status: ImportStatus;
  result: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  expiresAt: Date;
};

/** how long a preview waits for its answer */
export const PENDING_TTL_MS = 24 * 60 * 60_000;
const STALE_MS = 10 * 60_000;
/** rows (without their files) are kept this long after they expire, to answer a late tap */
const KEEP_MS = 30 * 24 * 60 * 60_000;
const EMPTY = new Uint8Array(0);

const columns = {
  id: true,
  token: true,
  kind: true,
  chat: true,
  user: true,
  fileName: true,
  planName: true,
  planYear: true,
  status: true,
  result: true,
  decidedBy: true,
  decidedAt: true,
  expiresAt: true,
} as const;

const asRow = (r: Omit<PendingImportRow, 'kind' | 'status'> & { kind: string; status: string }): PendingImportRow => r as PendingImportRow;

export async function createPendingImport(
  prisma: PrismaClient,
  p: { kind: ImportKind; chat: string; user: string; fileName: string; data: Uint8Array; planName?: string; planYear?: number; now: Date },
): Promise<PendingImportRow> {
  const token = randomCode(8);
  const row = await prisma.pendingImport.create({
    data: {
      token,
      kind: p.kind,
      chat: p.chat,
      user: p.user,
      fileName: p.fileName,
      data: new Uint8Array(p.data),
      planName: p.planName ?? null,
      planYear: p.planYear ?? null,
      status: p.kind === 'plan' && !p.planYear ? 'awaiting_year' : 'ready',
      expiresAt: new Date(p.now.getTime() + PENDING_TTL_MS),
    },
    select: columns,
  });
  // housekeeping, after the row exists (a failure here must not lose the preview): the files of old previews
  // nobody answered are let go, old rows go after a month
  await prisma.pendingImport
    .updateMany({ where: { status: { in: ['awaiting_year', 'ready'] }, expiresAt: { lt: p.now } }, data: { status: 'expired', data: EMPTY } })
    .then(() => prisma.pendingImport.deleteMany({ where: { expiresAt: { lt: new Date(p.now.getTime() - KEEP_MS) } } }))
    .catch(() => {});
  return asRow(row);
}

/** A preview of this chat by token, or (no token typed) the latest one of this chat still waiting for an answer. */
export async function findPendingImport(prisma: PrismaClient, chat: string, token: string | null): Promise<PendingImportRow | null> {
  const row = token
    ? await prisma.pendingImport.findFirst({ where: { token: token.toUpperCase(), chat }, select: columns })
    : await prisma.pendingImport.findFirst({ where: { chat, status: { in: ['awaiting_year', 'ready'] } }, orderBy: { id: 'desc' }, select: columns });
  return row ? asRow(row) : null;
}

export async function fileOf(prisma: PrismaClient, id: number): Promise<Uint8Array> {
  return (await prisma.pendingImport.findUniqueOrThrow({ where: { id }, select: { data: true } })).data;
}

/** A plan's name or year given before "Nhập" (ready once it has a year). False when the row no longer waits. */
export async function revisePlan(prisma: PrismaClient, id: number, planName: string, planYear: number | null, now: Date): Promise<boolean> {
  const { count } = await prisma.pendingImport.updateMany({
    where: { id, status: { in: ['awaiting_year', 'ready'] }, expiresAt: { gt: now } },
    data: { planName, planYear, status: planYear ? 'ready' : 'awaiting_year' },
  });
  return count === 1;
}

/** "Nhập": ready (or an import that crashed long ago) → importing, for exactly one caller. */
export async function claimImport(prisma: PrismaClient, id: number, by: string, now: Date): Promise<boolean> {
  const { count } = await prisma.pendingImport.updateMany({
    where: {
      id,
      OR: [
        { status: 'ready', expiresAt: { gt: now } },
        { status: 'importing', decidedAt: { lt: new Date(now.getTime() - STALE_MS) } },
      ],
    },
    data: { status: 'importing', decidedAt: now, decidedBy: by },
  });
  return count === 1;
}

/** The import's outcome: done (or failed for a file that turned out bad); the file is let go. */
export async function finishImport(prisma: PrismaClient, id: number, status: 'done' | 'failed', result: string): Promise<void> {
  await prisma.pendingImport.update({ where: { id }, data: { status, result, data: EMPTY } });
}

/** An import that failed for a passing reason (a busy database): it may be confirmed again. */
export async function releaseImport(prisma: PrismaClient, id: number): Promise<void> {
  await prisma.pendingImport.updateMany({ where: { id, status: 'importing' }, data: { status: 'ready', decidedAt: null, decidedBy: null } });
}

/** "Hủy": only a preview still waiting can be cancelled. */
export async function cancelImport(prisma: PrismaClient, id: number, by: string, now: Date): Promise<boolean> {
  const { count } = await prisma.pendingImport.updateMany({
    where: { id, status: { in: ['awaiting_year', 'ready'] } },
    data: { status: 'cancelled', decidedBy: by, decidedAt: now, data: EMPTY },
  });
  return count === 1;
}

/** the names of the plans of a year (a preview warns of a second plan where an update was meant) */
export async function plansOfYear(prisma: PrismaClient, year: number): Promise<string[]> {
  return (await prisma.plan.findMany({ where: { year }, select: { name: true }, orderBy: { id: 'asc' } })).map((p) => p.name);
}
