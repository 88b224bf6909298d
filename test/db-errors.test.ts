import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { databaseTrouble, isBusy, isDatabaseError, isUniqueViolation, notWritable } from '../src/db/errors.ts';
import { dropTestSchemas, POSTGRES_URL, postgresAvailable, testDatabases, tempSqliteUrl } from './helpers/db.ts';

const databases = await testDatabases();
const pgUp = await postgresAvailable();
afterAll(dropTestSchemas);

/** the error `run` throws (the test fails if it throws none) */
async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const sqliteFile = () => tempSqliteUrl().slice('file:'.length);

describe('database errors are classified in one place, from the real drivers and through Prisma', () => {
  describe.each(databases)('$name through Prisma', (target) => {
    it('a taken unique key, as a model query and as a raw statement', async () => {
      const db = await openDatabase(await target.url());
      try {
        await db.prisma.state.create({ data: { key: 'k', value: 'v' } });
        const model = await caught(() => db.prisma.state.create({ data: { key: 'k', value: 'v' } }));
        const raw = await caught(() => db.prisma.$executeRaw`INSERT INTO "State" ("key", "value", "updatedAt") VALUES ('k', 'v', ${new Date()})`);
        for (const error of [model, raw]) {
          expect(isUniqueViolation(error)).toBe(true);
          expect(notWritable(error)).toBeNull();
          expect(isBusy(error)).toBe(false);
          expect(isDatabaseError(error)).toBe(true);
        }
      } finally {
        await db.close();
      }
    });

    it('a read-only transaction refuses a write: "readonly", said in Vietnamese', async () => {
      const db = await openDatabase(await target.url());
      try {
        // SQLite: query_only makes the connection read-only; PostgreSQL: a READ ONLY transaction (SQLSTATE 25006)
        const readOnly = db.target.provider === 'sqlite' ? 'PRAGMA query_only = ON' : 'SET TRANSACTION READ ONLY';
        const error = await caught(() =>
          db.prisma.$transaction(async (tx) => {
            await tx.$executeRawUnsafe(readOnly);
            await tx.state.create({ data: { key: 'ro', value: 'v' } });
          }),
        );
        // SQLite: a connection refused as read-only while its file is writable is opened anew (as after a
        // read-only mount was made writable), so the write /healthz tries passes
        expect(await db.writable()).toEqual({ ok: true });
        expect(notWritable(error)).toBe('readonly');
        expect(isUniqueViolation(error)).toBe(false);
        expect(databaseTrouble(error)).toBe('cơ sở dữ liệu đang ở chế độ chỉ đọc (tệp, thư mục hoặc máy chủ không cho ghi)');
        // and the next write passes
        await db.prisma.state.create({ data: { key: 'rw', value: 'v' } });
      } finally {
        await db.close();
      }
    });
  });

  it('SQLite full (a database capped by max_page_count), through Prisma and from the driver', async () => {
    const url = tempSqliteUrl();
    const db = await openDatabase(url);
    try {
      const [{ page_count: pages }] = (await db.prisma.$queryRawUnsafe('PRAGMA page_count')) as { page_count: number | bigint }[] as [{ page_count: number | bigint }];
      await db.prisma.$queryRawUnsafe(`PRAGMA max_page_count = ${Number(pages) + 2}`);
      const error = await caught(() => db.prisma.state.create({ data: { key: 'big', value: 'x'.repeat(100_000) } }));
      expect(notWritable(error)).toBe('full');
      expect(databaseTrouble(error)).toBe('ổ đĩa chứa cơ sở dữ liệu đã đầy');
      expect(isBusy(error)).toBe(false);
      expect(isUniqueViolation(error)).toBe(false);
      await db.prisma.$queryRawUnsafe('PRAGMA max_page_count = 1073741823');
      await db.prisma.state.create({ data: { key: 'big', value: 'x'.repeat(100_000) } });
    } finally {
      await db.close();
    }
    const raw = new BetterSqlite3(url.slice('file:'.length));
    try {
      raw.pragma(`max_page_count = ${raw.pragma('page_count', { simple: true }) as number}`);
      expect(notWritable(await caught(() => raw.prepare('INSERT INTO "State" ("key", "value", "updatedAt") VALUES (?, ?, 0)').run('big2', 'x'.repeat(100_000))))).toBe('full');
    } finally {
      raw.close();
    }
  });

  it('SQLite read-only and busy, from the driver', async () => {
    const file = sqliteFile();
    new BetterSqlite3(file).exec('CREATE TABLE t (x TEXT)');
    const readOnly = new BetterSqlite3(file, { readonly: true });
    const writer = new BetterSqlite3(file);
    const other = new BetterSqlite3(file, { timeout: 0 });
    try {
      const ro = await caught(() => readOnly.prepare('INSERT INTO t VALUES (1)').run());
      expect(notWritable(ro)).toBe('readonly');
      expect(isDatabaseError(ro)).toBe(true);
      writer.exec('BEGIN IMMEDIATE');
      const busy = await caught(() => other.prepare('INSERT INTO t VALUES (2)').run());
      writer.exec('ROLLBACK');
      expect(isBusy(busy)).toBe(true);
      expect(notWritable(busy)).toBeNull();
      expect(databaseTrouble(busy)).toBe('cơ sở dữ liệu đang bận (một tiến trình khác đang ghi)');
    } finally {
      for (const c of [readOnly, writer, other]) c.close();
    }
  });

  it('a file that cannot be written (EACCES, EROFS, ENOSPC from the filesystem) is not writable', async () => {
    for (const [code, reason] of [['EACCES', 'readonly'], ['EROFS', 'readonly'], ['ENOSPC', 'full']] as const) {
      const error = Object.assign(new Error(`${code}: open 'x'`), { code });
      expect(notWritable(error)).toBe(reason);
    }
    expect(notWritable(await caught(() => fs.readFileSync('/nonexistent/nhacviec')))).toBeNull();
  });

  it('other errors are none of these, and not database errors', () => {
    const plain = new Error('the 2067th row timed in at 13:00');
    expect(isUniqueViolation(plain)).toBe(false);
    expect(notWritable(plain)).toBeNull();
    expect(isDatabaseError(plain)).toBe(false);
    expect(isDatabaseError(new TypeError('x'))).toBe(false);
  });

  it.skipIf(!pgUp)('PostgreSQL errors from the driver: SQLSTATE codes', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const ro = await caught(() => client.query('CREATE TEMP TABLE t (x int)'));
      await client.query('ROLLBACK');
      expect(notWritable(ro)).toBe('readonly');
      expect(isDatabaseError(ro)).toBe(true);
      await client.query('CREATE TEMP TABLE u (x int PRIMARY KEY)');
      await client.query('INSERT INTO u VALUES (1)');
      const dup = await caught(() => client.query('INSERT INTO u VALUES (1)'));
      expect(isUniqueViolation(dup)).toBe(true);
      expect(notWritable(dup)).toBeNull();
    } finally {
      await client.end();
    }
  });
});
