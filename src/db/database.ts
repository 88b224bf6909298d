import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgres/client.ts';
import { guardAdapter, WriteHealth, type WriteState } from './guarded-adapter.ts';
import { migratePostgres, migrateSqlite } from './migrate.ts';
import { NameAsTextPool } from './pg-pool.ts';
import { parseDatabaseUrl, redact, type DatabaseTarget } from './target.ts';
import { createPrivateFile } from '../files/private-file.ts';

export type { PrismaClient } from '../generated/sqlite/client.ts';
/** A transaction client: what `prisma.$transaction(async (tx) => ...)` hands over. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface Database {
  readonly prisma: PrismaClient;
  readonly target: DatabaseTarget;
  /**
   * Whether the database takes writes now (for /healthz): not after a write failed because the disk is full or
   * the file is read-only, until a write passes again (a small one is tried here) or, for SQLite, while the file
   * cannot be written at all.
   */
  writable(): Promise<WriteState>;
  close(): Promise<void>;
}

export type { WriteState } from './guarded-adapter.ts';

export class DatabaseUnavailableError extends Error {}

/**
 * Opens the database of DATABASE_URL, creating the SQLite file and applying pending migrations first.
 * Both providers hand back the same client API (the two generated clients come from one schema).
 */
export async function openDatabase(url: string): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') return openSqlite(target);
  return openPostgres(target);
}

function openSqlite(target: Extract<DatabaseTarget, { provider: 'sqlite' }>): Database {
  // SQLite gives the WAL and shared-memory files the mode of the database file
  if (target.file !== ':memory:') createPrivateFile(target.file);
  const raw = new BetterSqlite3(target.file, { timeout: 10_000 });
  try {
    // WAL lets readers (a CLI report) run beside the bot's writes; it is a property of the file.
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    migrateSqlite(raw);
  } finally {
    raw.close();
  }
  const health = new WriteHealth();
  const canWrite = () => fs.promises.access(target.file, fs.constants.W_OK).then(() => true, () => false);
  const reopenable = target.file === ':memory:' ? undefined : canWrite;
  const prisma = new PrismaClient({ adapter: guardAdapter(new PrismaBetterSQLite3({ url: target.url, timeout: 10_000 }), health, reopenable) });
  const fileWritable = async () => {
    if (target.file === ':memory:') return;
    await fs.promises.access(target.file, fs.constants.W_OK).catch((error: unknown) => health.failed(error));
  };
  return { prisma, target, writable: () => writable(prisma, health, fileWritable), close: () => prisma.$disconnect() };
}

async function openPostgres(target: Extract<DatabaseTarget, { provider: 'postgres' }>): Promise<Database> {
  const pool = new NameAsTextPool({
    connectionString: target.url,
    options: `-c search_path="${target.schema}"`,
    max: 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client's error (server restart) must not kill the process; the next query reconnects.
  pool.on('error', () => {});
  let client;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end();
    throw new DatabaseUnavailableError(`Không kết nối được PostgreSQL ${redact(target.url)}: ${(error as Error).message}`);
  }
  try {
    await migratePostgres(client, target.schema);
  } finally {
    client.release();
  }
  const health = new WriteHealth();
  const adapter = guardAdapter(new PrismaPg(pool, { schema: target.schema }), health);
  const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  return {
    prisma,
    target,
    writable: () => writable(prisma, health),
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

async function writable(prisma: PrismaClient, health: WriteHealth, check?: () => Promise<void>): Promise<WriteState> {
  await check?.();
  if (!health.current().ok) {
    // the last write failed: whether one passes now (space freed, file made writable) takes a write
    await prisma.state.upsert({ where: { key: 'health:write' }, create: { key: 'health:write', value: '' }, update: { value: '' } }).catch(() => {});
  }
  return health.current();
}
