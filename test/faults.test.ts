import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { databaseTrouble, notWritable } from '../src/db/errors.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { startHealthServer } from '../src/health.ts';
import { silentLogger } from '../src/log.ts';
import { startSchedule } from '../src/scheduler.ts';
import { harness, type Harness } from './helpers/app.ts';
import { dropTestSchemas, POSTGRES_URL, postgresAvailable, tempPostgresUrl, tempSqliteUrl } from './helpers/db.ts';
import { smallDisk } from './helpers/tmpfs.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';

const pgUp = await postgresAvailable();
afterAll(dropTestSchemas);

describe.skipIf(!pgUp)('database unavailable for a while (PostgreSQL behind a proxy on 127.0.0.1)', () => {
  it('rounds and sends fail while it is down, the bot keeps running, and everything goes out once when it is back', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5432 });
    await proxy.start();
    const schema = tempPostgresUrl();
    const url = schema.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
    const h = await harness(url);
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-02-13T08:00');
      proxy.down();
      await expect(h.round()).rejects.toThrow();
      // the sender's loop survives the outage (it logs and tries again)
      h.sender.start(20);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.takeOutput()).toBe('');
      proxy.up();
      h.at('2023-02-13T08:15'); // the next scheduled round
      const messages = await h.round();
      expect(messages).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 200));
      await h.sender.stop();
      expect(h.takeOutput().match(/NHẮC VIỆC/g)).toHaveLength(1);
      expect(await h.app.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(1);
      h.at('2023-02-13T08:30');
      expect(await h.round()).toEqual([]);
    } finally {
      await h.sender.stop();
      await h.close();
      await proxy.stop();
      await schema.drop();
    }
  }, 60_000);
});

/** `promise`, or a failure naming `what` after `ms` (a hang must fail the test, not stall it) */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** GET /healthz of a server on an ephemeral loopback port: status and body */
async function healthz(h: Harness): Promise<{ status: number; body: { ok: boolean; status: string } }> {
  const server = await startHealthServer(h.app, new Map([['console', h.console]]), 0, '127.0.0.1');
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; status: string } };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const openOccurrence = (h: Harness, code: string) =>
  h.app.db.prisma.occurrence.findFirstOrThrow({ where: { assignment: { role: 'lead', task: { code } } }, orderBy: { due: 'asc' }, select: { status: true } });

describe('a full disk (SQLite on a small tmpfs)', () => {
  const disk = smallDisk(24 * 1024 * 1024);
  it.skipIf(!disk)('a write fails politely, the next one passes once there is space, /healthz says so, and scheduled rounds resume', async () => {
    const h = await harness(`file:${disk!.dir}/nhacviec.db`);
    const rounds: string[] = [];
    let schedule: { stop(): Promise<void> } | null = null;
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-02-16T08:00');
      // an empty WAL: the next commit has to grow a file
      await h.app.db.prisma.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
      disk!.fill();

      const refused = await within(20_000, '/done on a full disk', h.say('/done 1.1.1 đã ban hành kế hoạch'));
      expect(refused).toContain('chưa ghi được');
      expect(refused).toContain('ổ đĩa chứa cơ sở dữ liệu đã đầy');
      expect((await openOccurrence(h, '1.1.1')).status).toBe('open');
      expect(await healthz(h)).toEqual({ status: 503, body: expect.objectContaining({ ok: false, status: 'database not writable' }) });

      // the scheduler runs a round every second: it fails while the disk is full and goes on
      schedule = startSchedule('* * * * * *', 'Asia/Ho_Chi_Minh', () =>
        h.round().then((messages) => rounds.push(`ok ${messages.length}`), (error: Error) => rounds.push(`failed ${error.message.split('\n').at(-1)}`)), silentLogger);
      await within(10_000, 'a round while full', (async () => { while (!rounds.length) await new Promise((r) => setTimeout(r, 100)); })());
      expect(rounds[0]).toMatch(/^failed .*(full|SQLITE_FULL)/);

      disk!.free();
      expect(await within(20_000, '/done after space came back', h.say('/done 1.1.1 đã ban hành kế hoạch'))).toContain('✅ Đã ghi nhận: 1.1.1');
      expect((await openOccurrence(h, '1.1.1')).status).toBe('done');
      expect(await healthz(h)).toEqual({ status: 200, body: expect.objectContaining({ ok: true, status: 'ok' }) });
      // a scheduled round records the overdue notice of the tasks still open
      await within(15_000, 'a round after space came back', (async () => { while (!rounds.some((r) => r.startsWith('ok'))) await new Promise((r) => setTimeout(r, 100)); })());
      expect(rounds.find((r) => r.startsWith('ok'))).toBe('ok 1');
      const notice = await h.app.db.prisma.outbox.findFirstOrThrow({ where: { kind: 'overdue' } });
      expect(notice.text).toContain('1.1.3');
      expect(notice.text).not.toMatch(/• 1\.1\.1 /);
    } finally {
      await schedule?.stop();
      await h.close();
      disk!.remove();
    }
  }, 90_000);
});

describe('the scheduler', () => {
  it('says so in the log when a round is still running at the next tick, and runs again once it ends', async () => {
    const warnings: string[] = [];
    const log = Object.assign(Object.create(silentLogger) as typeof silentLogger, { warn: (_: unknown, msg?: string) => void warnings.push(String(msg)) });
    let release!: () => void;
    let ticks = 0;
    const schedule = startSchedule('* * * * * *', 'Asia/Ho_Chi_Minh', () => (++ticks === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()), log);
    try {
      await within(10_000, 'a skipped tick', (async () => { while (!warnings.length) await new Promise((r) => setTimeout(r, 50)); })());
      expect(warnings[0]).toBe('round skipped: the previous one is still running');
      expect(ticks).toBe(1);
      release();
      await within(10_000, 'the next tick', (async () => { while (ticks < 2) await new Promise((r) => setTimeout(r, 50)); })());
    } finally {
      release?.();
      await schedule.stop();
    }
  }, 30_000);
});

describe('a COMMIT failing at the driver (SQLITE_FULL injected into better-sqlite3)', () => {
  /** the next COMMIT fails like SQLite's on a full disk: rolled back by SQLite itself, or (like SQLITE_BUSY) left open */
  function failNextCommit(leaveOpen: boolean): () => void {
    const prepare = BetterSqlite3.prototype.prepare;
    let armed = true;
    BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, sql: string) {
      if (armed && sql === 'COMMIT') {
        armed = false;
        const fail = () => {
          if (!leaveOpen) this.exec('ROLLBACK');
          throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
        };
        const statement = { bind: () => statement, run: fail, reader: false };
        return statement as unknown as BetterSqlite3.Statement;
      }
      return prepare.call(this, sql);
    } as typeof prepare;
    return () => {
      BetterSqlite3.prototype.prepare = prepare;
    };
  }

  it.each([
    ['rolled back by SQLite', false],
    ['left open', true],
  ])('/done gets an answer, the next write passes, a round runs (%s)', async (_, leaveOpen) => {
    const h = await harness(tempSqliteUrl());
    let restore = () => {};
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-02-16T08:00');
      restore = failNextCommit(leaveOpen);
      const refused = await within(20_000, '/done with a failing COMMIT', h.say('/done 1.1.1'));
      expect(refused).toContain('ổ đĩa chứa cơ sở dữ liệu đã đầy');
      expect((await openOccurrence(h, '1.1.1')).status).toBe('open');
      expect(await h.app.db.prisma.auditLog.count({ where: { action: 'done' } })).toBe(0);
      // the fault was one COMMIT: /healthz tries a write of its own and finds the database writable again
      expect((await healthz(h)).body.status).toBe('ok');

      expect(await within(10_000, '/done after the failed COMMIT', h.say('/done 1.1.1'))).toContain('✅ Đã ghi nhận: 1.1.1');
      expect(await within(10_000, '/hoso after the failed COMMIT', h.say('/hoso H12-0001 20/03/2023 Chứng thực bản sao; Trần Thị B'))).toContain('✅');
      const messages = await within(10_000, 'a round after the failed COMMIT', h.round());
      expect(messages.map((m) => m.kind)).toEqual(['overdue']);
    } finally {
      restore();
      await h.close();
    }
  }, 60_000);
});

describe('a read-only database (the file through a read-only mount)', () => {
  const disk = smallDisk(24 * 1024 * 1024);
  it.skipIf(!disk)('/done says so, nothing changes, /healthz reports the database not writable, and writes pass once the file is writable again', async () => {
    const writer = await harness(`file:${disk!.dir}/nhacviec.db`);
    let reader: Harness | null = null;
    try {
      await ensureExamplePlan(writer.app);
      // the writable connection stays open, as a bot's does; the second bot sees the same file read-only
      reader = await harness(`file:${disk!.readOnlyView()}/nhacviec.db`);
      reader.at('2023-02-16T08:00');
      expect(await within(20_000, '/done on a read-only file', reader.say('/done 1.1.1'))).toContain('cơ sở dữ liệu đang ở chế độ chỉ đọc');
      expect(await reader.say('/overdue')).toContain('1.1.1');
      expect((await openOccurrence(writer, '1.1.1')).status).toBe('open');
      expect(await healthz(reader)).toEqual({ status: 503, body: expect.objectContaining({ status: 'database not writable' }) });
      expect(await healthz(writer)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });

      // the operator makes the file writable again: the same bot writes without a restart
      disk!.makeViewsWritable();
      expect(await healthz(reader)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
      expect(await within(20_000, '/done once the file is writable', reader.say('/done 1.1.1'))).toContain('✅ Đã ghi nhận: 1.1.1');
      expect((await openOccurrence(writer, '1.1.1')).status).toBe('done');
    } finally {
      await reader?.close();
      await writer.close();
      disk!.remove();
    }
  }, 60_000);
});

describe.skipIf(!pgUp)('PostgreSQL: commits that lose their connection', () => {
  it('do not use up the pool: the next transaction still gets a connection', async () => {
    const schema = tempPostgresUrl();
    const db = await openDatabase(schema.url);
    const killer = new pg.Client({ connectionString: POSTGRES_URL });
    await killer.connect();
    try {
      // more than the pool holds (10)
      for (let i = 0; i < 12; i++) {
        const attempt = db.prisma.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await tx.state.create({ data: { key: `lost:${i}`, value: 'x' } });
          await killer.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        });
        await expect(within(15_000, `transaction ${i}`, attempt)).rejects.toThrow();
      }
      await within(15_000, 'a transaction after the lost commits', db.prisma.$transaction(async (tx) => tx.state.create({ data: { key: 'kept', value: 'x' } })));
      expect((await db.prisma.state.findMany({ select: { key: true } })).map((s) => s.key)).toEqual(['kept']);
    } finally {
      await killer.end();
      await db.close();
      await schema.drop();
    }
  }, 60_000);
});

describe.skipIf(!pgUp)('PostgreSQL on a full disk (the schema\'s tables in a tablespace on a small tmpfs)', () => {
  const disk = smallDisk(8 * 1024 * 1024);
  it.skipIf(!disk)('a write fails as "full" by its SQLSTATE (53100), said in Vietnamese, and the next passes once there is space', async () => {
    const schema = tempPostgresUrl();
    const tablespace = `nv_full_${process.pid}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const db = await openDatabase(schema.url);
    try {
      execFileSync('chown', ['postgres:postgres', disk!.dir]);
      await admin.query(`CREATE TABLESPACE ${tablespace} LOCATION '${disk!.dir}'`);
      const name = new URL(schema.url).searchParams.get('schema')!;
      await admin.query(`ALTER TABLE "${name}"."State" SET TABLESPACE ${tablespace}`);
      disk!.fill();
      // rows that cannot be compressed, until the table cannot grow
      const big = () => crypto.randomBytes(6_000).toString('base64');
      let error: unknown = null;
      for (let i = 0; i < 10_000 && !error; i++) {
        await db.prisma.state.create({ data: { key: `fill:${i}`, value: big() } }).catch((e: unknown) => (error = e));
      }
      expect(error).not.toBeNull();
      expect(notWritable(error)).toBe('full');
      expect(databaseTrouble(error)).toBe('ổ đĩa chứa cơ sở dữ liệu đã đầy');
      expect((await db.writable()).ok).toBe(false);
      disk!.free();
      await db.prisma.state.create({ data: { key: 'after', value: big() } });
      expect(await db.writable()).toEqual({ ok: true });
    } finally {
      await db.close();
      await schema.drop();
      await admin.query(`DROP TABLESPACE IF EXISTS ${tablespace}`).catch(() => {});
      await admin.end();
      disk!.remove();
    }
  }, 60_000);
});
