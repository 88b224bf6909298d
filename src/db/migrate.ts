import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/**
 * Applies the committed Prisma migrations (prisma/migrations, prisma/postgres/migrations) at start-up,
 * in-process and without the Prisma CLI. It keeps Prisma's own bookkeeping table `_prisma_migrations`
 * (same columns, sha256 checksums), so `prisma migrate status/deploy` agree with it.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATION_DIRS = {
  sqlite: path.join(root, 'prisma', 'migrations'),
  postgres: path.join(root, 'prisma', 'postgres', 'migrations'),
} as const;

// Prisma's migrate takes the same advisory lock key, so the CLI and the bot never migrate at once.
const PG_MIGRATION_LOCK = 72707369;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {}

function checkApplied(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const [name, checksum] of applied) {
    const known = migrations.find((m) => m.name === name);
    if (known && known.checksum !== checksum) {
      throw new MigrationError(`Migration ${name} đã áp dụng khác với tệp hiện có (checksum khác): cơ sở dữ liệu không khớp mã nguồn`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

export function migrateSqlite(db: BetterSqlite3.Database, dir = MIGRATION_DIRS.sqlite): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
    "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  const done: string[] = [];
  // IMMEDIATE takes the write lock first: a second process waits instead of applying the same migration.
  db.transaction(() => {
    const rows = db
      .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all() as { name: string; checksum: string }[];
    for (const m of checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), readMigrations(dir))) {
      db.exec(m.sql);
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(crypto.randomUUID(), m.checksum, Date.now(), m.name, Date.now());
      done.push(m.name);
    }
  }).immediate();
  return done;
}

export async function migratePostgres(client: pg.PoolClient, schema: string, dir = MIGRATION_DIRS.postgres): Promise<string[]> {
  const done: string[] = [];
  await client.query(`SELECT pg_advisory_lock(${PG_MIGRATION_LOCK})`);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    for (const m of checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), readMigrations(dir))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(m.name);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${PG_MIGRATION_LOCK})`);
  }
  return done;
}
