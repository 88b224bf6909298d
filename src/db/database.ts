import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgres/client.ts';
import { migratePostgres, migrateSqlite } from './migrate.ts';
import { NameAsTextPool } from './pg-pool.ts';
import { parseDatabaseUrl, redact, type DatabaseTarget } from './target.ts';

export type { PrismaClient } from '../generated/sqlite/client.ts';
/** A transaction client: what `prisma.$transaction(async (tx) => ...)` hands over. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface Database {
  readonly prisma: PrismaClient;
  readonly target: DatabaseTarget;
  close(): Promise<void>;
}

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
  if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const raw = new BetterSqlite3(target.file, { timeout: 10_000 });
  try {
    // WAL lets readers (a CLI report) run beside the bot's writes; it is a property of the file.
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    migrateSqlite(raw);
  } finally {
    raw.close();
  }
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.url, timeout: 10_000 }) });
  return { prisma, target, close: () => prisma.$disconnect() };
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
  const adapter = new PrismaPg(pool, { schema: target.schema });
  const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  return {
    prisma,
    target,
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
