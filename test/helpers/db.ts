import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** A fresh SQLite file in a temp folder. */
export function tempSqliteUrl(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-'));
  return `file:${path.join(dir, 'test.db')}`;
}

/** A fresh schema in the test PostgreSQL database; `drop` removes it. */
export function tempPostgresUrl(): { url: string; drop(): Promise<void> } {
  const schema = `t_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  return {
    url: `${POSTGRES_URL}?schema=${schema}`,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

let available: boolean | undefined;
/** Whether the PostgreSQL test server answers; suites on it are skipped with a notice when it does not. */
export async function postgresAvailable(): Promise<boolean> {
  if (available !== undefined) return available;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    available = true;
  } catch {
    available = false;
    console.warn(`PostgreSQL không trả lời tại ${POSTGRES_URL}: bỏ qua các bài kiểm thử PostgreSQL.`);
  } finally {
    await client.end().catch(() => {});
  }
  return available;
}

export type TestDatabase = { name: string; url(): Promise<string> };

const dropAfterRun: (() => Promise<void>)[] = [];
/** Drops the PostgreSQL schemas this test file created (call from afterAll). */
export async function dropTestSchemas(): Promise<void> {
  for (const drop of dropAfterRun.splice(0)) await drop().catch(() => {});
}

/**
 * The databases a suite runs against: SQLite always, the PostgreSQL test server when it answers (CI has
 * it; elsewhere its suites are skipped with a notice).
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const list: TestDatabase[] = [{ name: 'SQLite', url: async () => tempSqliteUrl() }];
  if (await postgresAvailable()) {
    list.push({
      name: 'PostgreSQL',
      async url() {
        const pg_ = tempPostgresUrl();
        dropAfterRun.push(pg_.drop);
        return pg_.url;
      },
    });
  }
  return list;
}
