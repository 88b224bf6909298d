import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { addDays, weekday } from '../src/core/dates.ts';
import { harness, type Harness } from './helpers/app.ts';
import { dropTestSchemas, tempSqliteUrl, testDatabases } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';
import { updatePlanPolicy } from '../src/store/plan-policy.ts';
import { unitFigures } from '../src/store/report.ts';
import { upsertDossiers } from '../src/store/dossiers.ts';

const units = [
  { name: 'Văn phòng UBND tỉnh', kind: 'province_office' as const, aliases: ['VP UBND tỉnh'] },
  { name: 'Sở Tư pháp', kind: 'department' as const, aliases: ['STP'] },
  { name: 'Sở Nội vụ', kind: 'department' as const, aliases: [] },
];
const chats = { 'console:office': 'Văn phòng UBND tỉnh', 'console:stp': 'Sở Tư pháp', 'console:snv': 'Sở Nội vụ' };

const databases = await testDatabases();
afterAll(dropTestSchemas);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Notices recorded so far, as "key@local day". */
async function noticesOf(hh: Harness, code: string, chat: string) {
  const rows = await hh.app.db.prisma.notice.findMany({
    where: { occurrence: { assignment: { task: { code } } }, outbox: { chat } },
    include: { outbox: { select: { roundAt: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.map((n) => `${n.key.split(':').slice(2, 4).join(':')}@${new Date(n.outbox.roundAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10)}`);
}

describe('reminder rounds through a simulated year', () => {
  it('reminds on the right working days, escalates once, never on a day off or after hours, stops when done', async () => {
    h = await harness(tempSqliteUrl());
    await seedPlan(h.app, {
      year: 2023,
      units,
      chats,
      tasks: [
        { code: '1.1', deadline: '05/05/2023', lead: ['Sở Tư pháp'] }, // after the 29/4–3/5 holidays
        { code: '1.2', deadline: 'Trước 28/02/2023', lead: ['Sở Nội vụ'] }, // due 27/02 (Monday)
        { code: '1.3', deadline: 'Ngày 05 hàng tháng', lead: ['Sở Tư pháp', 'Sở Nội vụ'] },
      ],
    });
    const sentDays: string[] = [];
    // every day of the year at 08:00 and 18:00 (the evening round must say nothing)
    for (let day = '2023-01-02'; day <= '2023-12-29'; day = addDays(day, 1)) {
      h.at(`${day}T18:00`);
      expect(await h.round()).toEqual([]);
      h.at(`${day}T08:00`);
      const messages = await h.round();
      if (messages.length) {
        sentDays.push(day);
        expect(h.app.calendar.isWorkingDay(day), `message on day off ${day}`).toBe(true);
      }
      if (day === '2023-05-10') {
        // Sở Tư pháp finishes 1.1 on the escalation day: no more notices for it
        const done = await h.app.db.prisma.occurrence.findFirstOrThrow({ where: { due: '2023-05-05' } });
        await h.app.db.prisma.occurrence.update({ where: { id: done.id }, data: { status: 'done', doneAt: new Date('2023-05-10T03:00:00Z') } });
      }
    }
    expect(sentDays.every((d) => weekday(d) <= 5 || d === '2023-01-07')).toBe(true);
    // 1.1 due Friday 05/05/2023: −7 = 21/04, −3 = 27/04, −1 = 04/05 (29/4–3/5 are days off), due day,
    // then overdue on 08/05, 09/05, 10/05 (+3: escalation to the office), and nothing after it was done.
    expect(await noticesOf(h, '1.1', 'console:stp')).toEqual([
      'stage:-7@2023-04-21',
      'stage:-3@2023-04-27',
      'stage:-1@2023-05-04',
      'stage:0@2023-05-05',
      'stage:1@2023-05-08',
      'stage:2@2023-05-09',
      'stage:3@2023-05-10',
    ]);
    expect(await noticesOf(h, '1.1', 'console:office')).toEqual(['escalation:console@2023-05-10']);
    // 1.2 due 27/02 (day before 28/02), never done: overdue daily three days, then every five working days
    const n12 = await noticesOf(h, '1.2', 'console:snv');
    expect(n12.slice(0, 10)).toEqual([
      'stage:-7@2023-02-16',
      'stage:-3@2023-02-22',
      'stage:-1@2023-02-24',
      'stage:0@2023-02-27',
      'stage:1@2023-02-28',
      'stage:2@2023-03-01',
      'stage:3@2023-03-02',
      'stage:8@2023-03-09',
      'stage:13@2023-03-16',
      'stage:18@2023-03-23',
    ]);
    // monthly 1.3: every month's occurrence gets its last reminder the working day before (a due day that
    // falls on a weekend has no due-day morning: the next notice is the overdue one)
    const monthly = await noticesOf(h, '1.3', 'console:stp');
    expect(monthly.filter((n) => n.startsWith('stage:-1@'))).toHaveLength(12);
    expect(monthly).toContain('stage:0@2023-06-05');
    expect(monthly).not.toContain('stage:0@2023-11-05'); // a Sunday
  }, 120_000);
});

describe.each(databases)('plans with different reminder policies on $name', (db) => {
  it('a round says each occurrence the stages of its own plan, when the plans share a due day', async () => {
    h = await harness(await db.url());
    await seedPlan(h.app, { name: 'Kế hoạch A', year: 2023, units, chats, tasks: [{ code: '1.1', deadline: '16/03/2023', lead: ['Sở Tư pháp'] }] });
    await seedPlan(h.app, { name: 'Kế hoạch B', year: 2023, units, chats, tasks: [{ code: '2.1', deadline: '16/03/2023', lead: ['Sở Tư pháp'] }] });
    await updatePlanPolicy(h.app.db.prisma, 'Kế hoạch B', { reminders: { before: [10, 5], onDueDay: false, overdueDaily: 1, overdueEvery: 2 } }, h.app.calendar);
    for (let day = '2023-02-27'; day <= '2023-03-22'; day = addDays(day, 1)) {
      h.at(`${day}T08:00`);
      await h.round();
    }
    expect(await noticesOf(h, '1.1', 'console:stp')).toEqual([
      'stage:-7@2023-03-07',
      'stage:-3@2023-03-13',
      'stage:-1@2023-03-15',
      'stage:0@2023-03-16',
      'stage:1@2023-03-17',
      'stage:2@2023-03-20',
      'stage:3@2023-03-21', // then every five working days: nothing on 22/03
    ]);
    expect(await noticesOf(h, '2.1', 'console:stp')).toEqual([
      'stage:-10@2023-03-02',
      'stage:-5@2023-03-09', // nothing on the due day
      'stage:1@2023-03-17',
      'stage:3@2023-03-21', // one day late, then every two working days
    ]);
    // the office's digest figures (a raw query, run here on each database): one done late, one still open
    const occurrence = await h.app.db.prisma.occurrence.findFirstOrThrow({ where: { assignment: { task: { code: '1.1' } } } });
    await h.app.db.prisma.occurrence.update({ where: { id: occurrence.id }, data: { status: 'done', doneAt: new Date('2023-03-22T02:00:00Z') } });
    const figures = await unitFigures(h.app.db.prisma, new Date('2023-03-22T03:00:00Z'), h.app.settings.timezone);
    expect(figures.map(({ unitId: _, ...f }) => f)).toEqual([
      { unit: 'Sở Tư pháp', done_on_time: 0, done_late: 1, open_in_time: 0, open_overdue: 1, no_deadline: 0 },
    ]);
    // judged before the completion, both are open and late
    expect((await unitFigures(h.app.db.prisma, new Date('2023-03-22T01:00:00Z'), h.app.settings.timezone))[0]!.open_overdue).toBe(2);
  });
});

describe.each(databases)('dossier prompts in the round on $name', (db) => {
  it('prompts 2 and 1 working days before the appointment, each once, and keeps the stage said', async () => {
    h = await harness(await db.url());
    const { idOf } = await seedPlan(h.app, { year: 2023, units, chats, tasks: [{ code: '1.1', deadline: '30/06/2023', lead: ['Sở Tư pháp'] }] });
    await upsertDossiers(h.app.db.prisma, [{ code: 'HS-01', due: '2023-03-17', procedure: 'Cấp phiếu lý lịch tư pháp', applicant: 'Trần Thị B', unitId: idOf('Sở Tư pháp') }], { user: 'console:admin' });
    const said: string[] = [];
    for (const day of ['2023-03-14', '2023-03-15', '2023-03-15', '2023-03-16', '2023-03-16']) {
      h.at(`${day}T09:00`);
      for (const m of await h.round()) if (m.text.includes('HS-01')) said.push(`${day} ${m.chat}`);
    }
    expect(said).toEqual(['2023-03-15 console:stp', '2023-03-16 console:stp']);
    expect((await h.app.db.prisma.dossier.findUniqueOrThrow({ where: { code: 'HS-01' } })).lastStage).toBe(-1);
  });
});

describe.each(databases)('running a round in several processes at once on $name', (db) => {
  it('three processes running the same round at once record and send each message once', async () => {
    const url = await db.url();
    h = await harness(url);
    await seedPlan(h.app, {
      year: 2023,
      units,
      chats,
      tasks: [
        { code: '1.1', deadline: '15/03/2023', lead: ['Sở Tư pháp'] },
        { code: '1.2', deadline: '15/03/2023', lead: ['Sở Nội vụ'] },
      ],
    });
    const log = path.join(os.tmpdir(), `deliveries-${process.pid}-${Date.now()}.jsonl`);
    // three instances (as on three machines): the round lease lets one of them run the round
    const runs = await Promise.all([0, 1, 2].map((i) => botProcess(url, '2023-03-13T08:00', 'send', log, `may-${i}`)));
    expect(runs.every((r) => r.code === 0)).toBe(true);
    const recorded = runs.map((r) => (JSON.parse(r.stdout.split('\n')[0]!) as { messages: number }).messages);
    expect(recorded.filter((n) => n > 0)).toHaveLength(1);
    // the lease lets one process run the round; the others find it held or find every stage said.
    // Monday: one message each to the two units' groups and the office's digest
    const rows = await h.app.db.prisma.outbox.findMany();
    expect(rows.map((r) => r.chat).sort()).toEqual(['console:office', 'console:snv', 'console:stp']);
    expect(rows.filter((r) => r.status !== 'sent').map((r) => ({ chat: r.chat, status: r.status, error: r.lastError }))).toEqual([]);
    const delivered = deliveries(log);
    expect(delivered.map((d) => d.chat).sort()).toEqual(['office', 'snv', 'stp']);
    // and the same round again in this process says nothing new
    h.at('2023-03-13T08:00');
    expect(await h.round()).toEqual([]);
  }, 60_000);
});

describe.each(databases)('crashes on $name', (db) => {
  it('SIGKILL between the ledger write and the send: after a restart everything due goes out, once', async () => {
    const url = await db.url();
    h = await harness(url);
    await seedPlan(h.app, { year: 2023, units, chats, tasks: [{ code: '1.1', deadline: '15/03/2023', lead: ['Sở Tư pháp'] }, { code: '1.2', deadline: '14/03/2023', lead: ['Sở Nội vụ'] }] });
    const log = path.join(os.tmpdir(), `deliveries-${process.pid}-${Date.now()}.jsonl`);
    const killed = await botProcess(url, '2023-03-13T08:00', 'kill-after-record', log);
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(log)).toBe(false); // nothing sent before the crash
    const recorded = await h.app.db.prisma.outbox.count({ where: { status: 'pending' } });
    expect(recorded).toBe(3); // two units and the office's Monday digest
    const restarted = await botProcess(url, '2023-03-13T08:15', 'send', log);
    expect(restarted.code).toBe(0);
    expect(deliveries(log)).toHaveLength(recorded);
    expect(await h.app.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(recorded);
  }, 60_000);

  it('SIGKILL in the middle of a send: the message in flight is sent again after the claim goes stale (the documented case), nothing lost', async () => {
    const url = await db.url();
    h = await harness(url);
    await seedPlan(h.app, { year: 2023, units, chats, tasks: [{ code: '1.1', deadline: '15/03/2023', lead: ['Sở Tư pháp'] }, { code: '1.2', deadline: '14/03/2023', lead: ['Sở Nội vụ'] }] });
    const log = path.join(os.tmpdir(), `deliveries-${process.pid}-${Date.now()}.jsonl`);
    expect((await botProcess(url, '2023-03-13T08:00', 'kill-mid-send', log)).signal).toBe('SIGKILL');
    expect(await h.app.db.prisma.outbox.count({ where: { status: 'sending' } })).toBe(1);
    // a restart within the stale-claim window sends the others but leaves the claimed one alone
    await botProcess(url, '2023-03-13T08:01', 'drain', log);
    expect(await h.app.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(2);
    // after it the claim is stale: sent again
    await botProcess(url, '2023-03-13T08:10', 'drain', log);
    expect(await h.app.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(3);
    const deliveredChats = deliveries(log).map((d) => d.chat);
    expect(new Set(deliveredChats)).toEqual(new Set(['stp', 'snv', 'office']));
    expect(deliveredChats).toHaveLength(4); // the in-flight one twice, the others once
  }, 60_000);
});

describe.each(databases)('SIGKILL at random points, many times, on $name', (db) => {
  it('nothing is lost; a message is duplicated only when a kill hit it in flight', async () => {
    const url = await db.url();
    h = await harness(url);
    const manyUnits = [...units, { name: 'Sở Tài chính', kind: 'department' as const, aliases: [] }, { name: 'Sở Y tế', kind: 'department' as const, aliases: [] }];
    await seedPlan(h.app, {
      year: 2023,
      units: manyUnits,
      chats: { ...chats, 'console:stc': 'Sở Tài chính', 'console:syt': 'Sở Y tế' },
      tasks: Array.from({ length: 12 }, (_, i) => ({
        code: `5.${i + 1}`,
        deadline: `${String(13 + (i % 8)).padStart(2, '0')}/03/2023`,
        lead: [manyUnits[1 + (i % 4)]!.name],
      })),
    });
    const log = path.join(os.tmpdir(), `deliveries-${process.pid}-${Date.now()}.jsonl`);
    let seed = 20231;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let kills = 0;
    const days = ['2023-03-06', '2023-03-07', '2023-03-08', '2023-03-09', '2023-03-10', '2023-03-13', '2023-03-14', '2023-03-15'];
    for (const day of days) {
      const victim = botProcessKilledAfter(url, `${day}T08:00`, log, 300 + random() * 1500);
      if ((await victim).signal === 'SIGKILL') kills++;
      // a supervisor restarts the bot 20 minutes later: the round of the day and the stale in-flight send go out
      expect((await botProcess(url, `${day}T08:20`, 'send', log)).code).toBe(0);
    }
    expect(kills).toBeGreaterThan(0);
    const rows = await h.app.db.prisma.outbox.findMany();
    expect(rows.length).toBeGreaterThan(days.length);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const counts = new Map<string, number>();
    for (const d of deliveries(log)) counts.set(`${d.chat}|${d.text}`, (counts.get(`${d.chat}|${d.text}`) ?? 0) + 1);
    for (const r of rows) expect(counts.get(`${r.chat.split(':')[1]}|${r.text}`), `outbox ${r.id}`).toBeGreaterThanOrEqual(1);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(kills);
  }, 180_000);
});

/** A bot process killed with SIGKILL after `ms` (if it has not finished by then). */
function botProcessKilledAfter(url: string, at: string, log: string, ms: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'helpers', 'round-process.ts'), url, at, 'send', log], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    }),
  );
}

/** The messages a bot process delivered (the office digest's chart file goes as a second send: not counted). */
function deliveries(log: string): { chat: string; text: string; file: string | null }[] {
  return fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { chat: string; text: string; file: string | null })
    .filter((d) => d.file === null);
}

function botProcess(url: string, at: string, mode: string, log: string, instance?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    // node --import tsx: the script runs in this child itself, so its SIGKILL is the child's
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'helpers', 'round-process.ts'), url, at, mode, log], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(instance ? { NHACVIEC_INSTANCE: instance } : {}) },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe('catch-up after downtime', () => {
  it('down for three hours across a reminder time: one late-marked message, not a burst', async () => {
    h = await harness(tempSqliteUrl());
    await seedPlan(h.app, {
      year: 2023,
      units,
      chats,
      tasks: [
        { code: '2.1', deadline: '16/03/2023', lead: ['Sở Tư pháp'] },
        { code: '2.2', deadline: '17/03/2023', lead: ['Sở Tư pháp'] },
      ],
    });
    h.at('2023-03-14T16:45'); // Tuesday: 2.1 is 2 working days ahead (stage −3 said today)
    const first = await h.round();
    expect(first).toHaveLength(1);
    expect(first[0]!.text).not.toContain('gửi muộn');
    // the bot is down from 16:50 Tuesday until 10:45 Wednesday: the −1 reminder of 2.1 (due at 07:30) was missed
    h.at('2023-03-15T10:45');
    const caughtUp = await h.round();
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]!.text).toContain('(gửi muộn do hệ thống gián đoạn)');
    expect(caughtUp[0]!.tasks).toEqual(['2.1']); // 2.2's −3 reminder was said on Tuesday already
    h.at('2023-03-15T11:00');
    expect(await h.round()).toEqual([]);
  });

  it('after a long outage, reminders that no longer make sense fold into the overdue notice', async () => {
    h = await harness(tempSqliteUrl());
    await seedPlan(h.app, { year: 2023, units, chats, tasks: [{ code: '3.1', deadline: '15/03/2023', lead: ['Sở Tư pháp'] }] });
    h.at('2023-03-01T08:00');
    await h.round(); // −10: nothing yet; the bot then stops for three weeks
    h.at('2023-03-20T08:00'); // +3
    const messages = await h.round();
    expect(messages.map((m) => m.chat).sort()).toEqual(['console:office', 'console:stp']);
    const unit = messages.find((m) => m.chat === 'console:stp')!;
    expect(unit.kind).toBe('overdue');
    expect(unit.text).not.toContain('SẮP ĐẾN HẠN');
    expect((await noticesOf(h, '3.1', 'console:stp'))).toEqual(['stage:3@2023-03-20']);
  });
});

describe('periodic messages', () => {
  it('weekly digest on the first working day of the week and a monthly check-in for ongoing tasks; a reply records the answer', async () => {
    h = await harness(tempSqliteUrl(), { consoleUser: 'console:officer-stp' });
    await seedPlan(h.app, {
      year: 2023,
      units,
      chats: { 'console:main': 'Sở Tư pháp', 'console:office': 'Văn phòng UBND tỉnh' },
      officers: { 'console:officer-stp': 'Sở Tư pháp' },
      tasks: [
        { code: '4.1', deadline: 'Thường xuyên', lead: ['Sở Tư pháp'] },
        { code: '4.2', deadline: '05/05/2023', lead: ['Sở Tư pháp'] },
      ],
    });
    // Tuesday 02/05/2023 is a day off; Thursday 04/05 is the first working day of that week and of May
    h.at('2023-05-02T08:00');
    expect(await h.round()).toEqual([]);
    h.at('2023-05-04T08:00');
    const messages = await h.round();
    const stp = messages.find((m) => m.chat === 'console:main')!;
    expect(stp.text).toContain('TỔNG HỢP TUẦN 01/05/2023');
    expect(stp.text).toContain('HỎI THĂM TIẾN ĐỘ THÁNG 05/2023');
    expect(messages.find((m) => m.chat === 'console:office')!.text).toContain('CHO CƠ QUAN ĐIỀU PHỐI');
    // the office's digest carries the four-status chart as a PNG
    const office = await h.app.db.prisma.outbox.findFirstOrThrow({ where: { chat: 'console:office', kind: 'digest' } });
    const [chart] = JSON.parse(office.attachments) as { fileName: string; mime: string; base64: string }[];
    expect(chart!.mime).toBe('image/png');
    expect(Buffer.from(chart!.base64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    h.at('2023-05-04T08:15'); // the day's next round: digests and check-ins are said once
    expect(await h.round()).toEqual([]);
    h.at('2023-05-05T08:00');
    expect((await h.round()).every((m) => !m.text.includes('HỎI THĂM'))).toBe(true);
    const delivered = await h.app.db.prisma.delivered.findFirstOrThrow({ where: { chat: 'console:main' }, orderBy: { id: 'asc' } });
    const answer = await h.say(`#${delivered.messageId} Đã niêm yết đủ 35 thủ tục`);
    expect(answer).toContain('Đã ghi nhận kết quả của Sở Tư pháp cho nhiệm vụ 4.1');
    const log = await h.app.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'checkin' } });
    expect(log.detail).toBe('Đã niêm yết đủ 35 thủ tục');
  });
});
