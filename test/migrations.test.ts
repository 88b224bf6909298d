import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migratePostgres, migrateSqlite } from '../src/db/migrate.ts';
import { POSTGRES_URL, postgresAvailable } from './helpers/db.ts';

/**
 * The committed migrations must lead to exactly the schema in prisma/schema.prisma. Several branches add
 * migrations side by side; a merge that loses a column (or a snapshot that misses one, so the next migration
 * re-adds it) shows here as a difference between the database the migrations build and the one Prisma builds
 * from the schema in one step.
 */

const root = path.resolve(import.meta.dirname, '..');

/** The SQL Prisma writes to create the schema from nothing (offline, its WASM engine). */
function createScript(provider: 'sqlite' | 'postgres'): string {
  const schema = provider === 'sqlite' ? 'prisma/schema.prisma' : 'prisma/postgres/schema.prisma';
  const url = provider === 'sqlite' ? 'file:./data/unused.db' : POSTGRES_URL;
  return execFileSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', schema, '--script'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA: provider, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
  });
}

function sqliteShape(db: BetterSqlite3.Database): Record<string, unknown> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as { name: string }[];
  const shape: Record<string, unknown> = {};
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[])
      .map((c) => `${c.name} ${c.type} ${c.notnull ? 'NOT NULL' : 'NULL'} ${c.dflt_value ?? ''} ${c.pk ? 'PK' : ''}`)
      .sort();
    const indexes = (db.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number }[])
      .filter((i) => !i.name.startsWith('sqlite_autoindex'))
      .map((i) => `${i.name} ${i.unique ? 'UNIQUE' : ''} ${(db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(',')}`)
      .sort();
    const foreign = (db.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string; from: string; to: string; on_delete: string }[])
      .map((f) => `${f.from} -> ${f.table}.${f.to} ${f.on_delete}`)
      .sort();
    shape[name] = { columns, indexes, foreign };
  }
  return shape;
}

describe('migrations lead to prisma/schema.prisma', () => {
  it('the newest migration keeps the schema it leads to (what the next migration is diffed from)', () => {
    for (const [dir, schema] of [['prisma/migrations', 'prisma/schema.prisma'], ['prisma/postgres/migrations', 'prisma/postgres/schema.prisma']] as const) {
      const newest = fs.readdirSync(path.join(root, dir)).filter((d) => fs.existsSync(path.join(root, dir, d, 'schema.prisma'))).sort().at(-1)!;
      expect(fs.readFileSync(path.join(root, dir, newest, 'schema.prisma'), 'utf8'), `${dir}/${newest}`).toBe(fs.readFileSync(path.join(root, schema), 'utf8'));
    }
  });

  it('SQLite: the migrations build the same tables, columns, indexes and keys as the schema', () => {
    const migrated = new BetterSqlite3(':memory:');
    migrateSqlite(migrated);
    const direct = new BetterSqlite3(':memory:');
    direct.exec(createScript('sqlite'));
    expect(sqliteShape(migrated)).toEqual(sqliteShape(direct));
    migrated.close();
    direct.close();
  }, 60_000);

  const schemas: string[] = [];
  afterAll(async () => {
    if (!schemas.length) return;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  });

  it('PostgreSQL: the same', async (ctx) => {
    if (!(await postgresAvailable())) return ctx.skip();
    const stamp = `${Date.now()}_${process.pid}`;
    const [a, b] = [`t_mig_a_${stamp}`, `t_mig_b_${stamp}`];
    schemas.push(a, b);
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const client = await pool.connect();
    try {
      await migratePostgres(client, a);
      await client.query(`CREATE SCHEMA "${b}"`);
      await client.query(`SET search_path TO "${b}"`);
      await client.query(createScript('postgres'));
      const shape = async (schema: string) => {
        const columns = await client.query(
          `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
           WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
          [schema],
        );
        const indexes = await client.query(`SELECT tablename, indexname, regexp_replace(indexdef, '"?' || $1 || '"?\\.', '', 'g') AS def FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations' ORDER BY indexname`, [schema]);
        // a sequence named from another search_path comes schema-qualified
        const unqualified = (v: unknown) => (typeof v === 'string' ? v.split(`${schema}.`).join('').split(`"${schema}".`).join('') : v);
        return { columns: columns.rows.map((r) => ({ ...r, column_default: unqualified(r.column_default) })), indexes: indexes.rows.map((r) => ({ ...r, def: String(r.def).replace(/ ON \S+\./, ' ON ') })) };
      };
      expect(await shape(a)).toEqual(await shape(b));
    } finally {
      client.release();
      await pool.end();
    }
  }, 60_000);
});
