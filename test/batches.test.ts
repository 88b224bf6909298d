import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPostgres } from '../bench/seed-postgres.ts';
import { seedSqlite } from '../bench/seed.ts';
import { report } from '../src/cli/report.ts';
import { openDatabase } from '../src/db/database.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { openDossiers } from '../src/store/dossiers.ts';
import { planReport } from '../src/store/report.ts';
import { overdueItems, upcomingItems } from '../src/store/occurrences.ts';
import { harness, type Harness } from './helpers/app.ts';
import { cli } from './helpers/cli.ts';
import { dropTestSchemas, POSTGRES_URL, testDatabases, type TestDatabase } from './helpers/db.ts';

const databases = await testDatabases();
afterAll(dropTestSchemas);

/** A migrated database of `db`'s kind holding the bench's synthetic province: `units` units, `tasks` tasks each led by all. */
async function province(db: TestDatabase, units: number, tasks: number): Promise<string> {
  const url = await db.url();
  const opened = await openDatabase(url);
  await opened.close();
  const opts = { units, tasks, lastDue: '2024-12-27', spreadDays: 120, lastStage: () => null };
  if (opened.target.provider === 'sqlite') seedSqlite(opened.target.file, opts);
  else await seedPostgres(POSTGRES_URL, opened.target.schema, opts);
  return url;
}

// Prisma refuses a statement binding over 999 values on SQLite (32,766 on PostgreSQL) unless it splits it
// itself, SQLite stops at 32,766 and PostgreSQL's protocol at 65,535: lists of ids are read in batches.
describe.each(databases)('a province past the parameter limits ($name)', (db) => {
  describe('100,000 tasks', () => {
    let url: string;
    beforeAll(async () => {
      url = await province(db, 1, 100_000);
    }, 120_000);

    // the CLI's command on SQLite, the chat's on PostgreSQL: one 100k report each (both read through planReport)
    it(db.name === 'SQLite' ? 'the report command answers with the figures' : '/baocao answers with the figures', async () => {
      if (db.name === 'SQLite') {
        const out = await report.run(['--at', '2024-12-01'], { db: url, json: true });
        const json = out.json as { units: { unit: string; open_in_time: number; open_overdue: number }[] };
        expect(json.units).toEqual([expect.objectContaining({ unit: 'UBND xã Thử 1', open_in_time: 22_517, open_overdue: 77_483 })]);
        return;
      }
      const h = await harness(url);
      try {
        h.at('2024-12-01T10:00');
        expect(await h.say('/baocao')).toContain('UBND xã Thử 1: 0 / 0 / 22517 / 77483 / 0');
      } finally {
        await h.close();
      }
    }, 300_000);
  });

  describe('1,200 units', () => {
    let url: string;
    let h: Harness;
    beforeAll(async () => {
      url = await province(db, 1_200, 1);
      h = await harness(url);
    }, 120_000);
    afterAll(() => h.close());

    it('overdue and upcoming items of every unit, in due order', async () => {
      const units = (await h.app.db.prisma.unit.findMany({ select: { id: true } })).map((u) => u.id);
      const overdue = await overdueItems(h.app.db.prisma, '2025-01-01', units);
      expect(overdue).toHaveLength(1_200);
      expect(new Set(overdue.map((i) => i.unitId)).size).toBe(1_200);
      expect(overdue).toEqual(await overdueItems(h.app.db.prisma, '2025-01-01'));
      expect(await upcomingItems(h.app.db.prisma, '2024-12-01', '2025-01-01', units)).toEqual(await upcomingItems(h.app.db.prisma, '2024-12-01', '2025-01-01'));
    });

    it('open dossiers of every unit: the first ones by due day', async () => {
      const units = (await h.app.db.prisma.unit.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((u) => u.id);
      await h.app.db.prisma.dossier.createMany({ data: units.map((unitId, i) => ({ code: `H-${String(i).padStart(5, '0')}`, due: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`, unitId })) });
      const list = await openDossiers(h.app.db.prisma, units, 30);
      expect(list).toEqual(await openDossiers(h.app.db.prisma, undefined, 30));
      expect(list[0]).toMatchObject({ code: 'H-00000', due: '2025-01-01' });
    });

    it('"xong" in reply to a reminder about 1,200 occurrences finds its task', async () => {
      const occurrences = await h.app.db.prisma.occurrence.findMany({ select: { id: true } });
      const outbox = await h.app.db.prisma.outbox.create({ data: { chat: 'console:main', kind: 'reminder', text: 'nhắc', roundAt: new Date(), status: 'sent' } });
      await h.app.db.prisma.delivered.create({ data: { outboxId: outbox.id, chat: 'console:main', messageId: '1200' } });
      await h.app.db.prisma.notice.createMany({ data: occurrences.map((o) => ({ key: `occ:${o.id}:before:1`, kind: 'reminder', occurrenceId: o.id, outboxId: outbox.id })) });
      // one task led by 1,200 units: the answer says whose it is, not the generic apology
      expect(await h.say('#1200 xong')).toContain('Nhiệm vụ 1.1 có nhiều đơn vị chủ trì (UBND xã Thử 1; UBND xã Thử 2; UBND xã Thử 3 và 1197 đơn vị khác)');
    });
  });
});

it('the report reads the same on both databases: done dates and names, sections, check-ins', async () => {
  const reports: unknown[] = [];
  for (const db of databases) {
    const h = await harness(await db.url());
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-02-14T09:00');
      await h.app.db.prisma.officer.updateMany({ where: { user: 'console:officer' }, data: { displayName: 'Trần Văn A' } });
      expect(await h.say('/done 1.1.1')).toContain('✅');
      h.at('2023-02-20T16:30');
      expect(await h.say('/done 1.1.3 muộn')).toContain('✅');
      // a monthly check-in answer for a task without a deadline
      const ongoing = await h.app.db.prisma.assignment.findFirstOrThrow({ where: { role: 'lead', occurrences: { none: {} } }, orderBy: { id: 'asc' } });
      await h.app.db.prisma.auditLog.create({ data: { action: 'checkin', actor: 'console:officer', chat: 'console:main', taskId: ongoing.taskId, detail: 'Đang thực hiện', at: new Date('2023-03-01T02:00:00Z') } });
      const report = await planReport(h.app.db.prisma, { at: new Date('2023-04-05T10:00:00Z'), zone: 'Asia/Ho_Chi_Minh', calendar: h.app.calendar });
      expect(report.rows.some((r) => r.doneBy === 'Trần Văn A')).toBe(true);
      expect(report.rows.some((r) => r.lastCheckin?.answer === 'Đang thực hiện')).toBe(true);
      reports.push(report);
    } finally {
      await h.close();
    }
  }
  for (const other of reports.slice(1)) expect(other).toEqual(reports[0]);
}, 120_000);

it('a database error reaches the CLI user as a Vietnamese sentence, never as Prisma\'s quote of the code', async () => {
  const sqlite = databases[0]!;
  const url = await sqlite.url();
  await (await openDatabase(url)).close();
  // a table gone from under the bot (a botched manual repair): Prisma's message quotes src/store/report.ts
  const raw = new BetterSqlite3(url.slice('file:'.length));
  raw.exec('ALTER TABLE "Plan" RENAME TO "PlanCu"');
  raw.close();
  const out = await cli(['report', '--db', url]);
  expect(out.code).toBe(2);
  expect(out.stderr).toBe('Lỗi: cơ sở dữ liệu báo lỗi khi xử lý yêu cầu. Đặt LOG_LEVEL=error để xem chi tiết kỹ thuật.\n');
  const logged = await cli(['report', '--db', url], { LOG_LEVEL: 'error' });
  expect(logged.stderr).toContain('The table `main.Plan` does not exist');
  expect(logged.stderr.trim().split('\n').at(-1)).toBe('Lỗi: cơ sở dữ liệu báo lỗi khi xử lý yêu cầu.');
}, 60_000);
