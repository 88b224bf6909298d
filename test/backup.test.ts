import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { harness, type Harness } from './helpers/app.ts';
import { cli } from './helpers/cli.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const statusOf = async (prisma: Harness['app']['db']['prisma']) => ({
  tasks: (await prisma.task.findMany({ orderBy: { id: 'asc' }, select: { code: true, archivedAt: true, deadlineText: true } })).map((t) => `${t.code}|${t.archivedAt !== null}|${t.deadlineText}`),
  occurrences: (await prisma.occurrence.findMany({ orderBy: { id: 'asc' }, select: { id: true, due: true, status: true, doneBy: true } })).map((o) => `${o.id}|${o.due}|${o.status}|${o.doneBy}`),
});

describe('backup (contracts.md): a consistent copy of the SQLite database while the bot runs', () => {
  let url: string;
  let h: Harness;
  beforeAll(async () => {
    url = tempSqliteUrl();
    h = await harness(url);
    await ensureExamplePlan(h.app);
    h.at('2023-03-15T09:00');
    for (const code of ['1.1.1', '1.1.2', '1.1.3']) expect(await h.say(`/done ${code}`)).toContain('Đã ghi nhận');
  });
  afterAll(() => h.close());

  it('copies while another connection writes: the restored copy has every task and status, whole transactions only, mode 0600', async () => {
    const expected = await statusOf(h.app.db.prisma);
    expect(expected.occurrences.filter((o) => o.includes('|done|')).length).toBeGreaterThanOrEqual(3);

    // another connection writes pairs of rows, each pair in one transaction, all through the backup
    const writer = new BetterSqlite3(url.slice('file:'.length), { timeout: 10_000 });
    const insert = writer.prepare(`INSERT INTO "AuditLog" ("action", "actor") VALUES ('writer', ?)`);
    const pair = writer.transaction((i: number) => {
      insert.run(`a${i}`);
      insert.run(`b${i}`);
    });
    let writing = true;
    let pairs = 0;
    const writes = (async () => {
      while (writing) {
        pair(pairs++);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-backup-')), 'sao-luu.db');
    const r = await cli(['backup', file, '--json'], { DATABASE_URL: url });
    writing = false;
    await writes;
    writer.close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({ file, bytes: fs.statSync(file).size, tasks: expected.tasks.length });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['sao-luu.db']);

    // restore: the copy put in place of a database, opened by the app
    const restoredUrl = tempSqliteUrl();
    fs.copyFileSync(file, restoredUrl.slice('file:'.length));
    const restored = await openDatabase(restoredUrl);
    try {
      expect(await statusOf(restored.prisma)).toEqual(expected);
      const written = await restored.prisma.auditLog.count({ where: { action: 'writer' } });
      expect(written % 2).toBe(0);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(pairs * 2);
    } finally {
      await restored.close();
    }
  }, 60_000);

  it('never overwrites a file; a missing database or PostgreSQL are explained (exit 1)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-backup-'));
    const existing = path.join(dir, 'co-roi.db');
    fs.writeFileSync(existing, 'giữ nguyên');
    const taken = await cli(['backup', existing], { DATABASE_URL: url });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('đã có');
    expect(fs.readFileSync(existing, 'utf8')).toBe('giữ nguyên');

    const missing = await cli(['backup', path.join(dir, 'x.db')], { DATABASE_URL: `file:${path.join(dir, 'khong-co.db')}` });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Không có cơ sở dữ liệu');
    expect(fs.existsSync(path.join(dir, 'khong-co.db'))).toBe(false);

    const pg = await cli(['backup'], { DATABASE_URL: 'postgresql://nv:bimat@127.0.0.1:5432/nhacviec?schema=so_noi_vu' });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain('pg_dump');
    expect(pg.stderr).toContain('--schema=so_noi_vu');
    expect(pg.stderr).not.toContain('bimat');
  }, 60_000);

  it('by default the copy is named by the minute, beside the database', async () => {
    const r = await cli(['backup'], { DATABASE_URL: url });
    expect(r.code, r.stderr).toBe(0);
    const dir = path.dirname(url.slice('file:'.length));
    const copies = fs.readdirSync(dir).filter((f) => /^backup-\d{8}-\d{4}\.db$/.test(f));
    expect(copies).toHaveLength(1);
    expect(r.stdout).toContain(copies[0]);
  }, 60_000);
});
