import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../src/core/dates.ts';
import { mergePlans, planRound, type RoundOccurrence, type Routing } from '../src/core/round.ts';
import { planPeriodic } from '../src/core/periodic.ts';
import { MESSAGE_MAX_LINES, renderMessage } from '../src/core/round-message.ts';
import { defaultReminderPolicy } from '../src/core/reminder-policy.ts';
import { parseInstant } from '../src/core/time.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import type { Outgoing, Transport } from '../src/transports/transport.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { runRound } from '../src/reminders.ts';

const zone = 'Asia/Ho_Chi_Minh';
const calendar = loadCalendar();
const officeHours = { start: '07:30', end: '17:00' };
const lineCount = (text: string) => text.split('\n').length;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the example plan on its busiest day', () => {
  it('sends the coordinating office one message of at most 30 lines, grouped by task, saying how to see the rest', async () => {
    const sent: { chat: string; message: Outgoing }[] = [];
    h = await harness(tempSqliteUrl(), { transports: [recorder('console', sent)] });
    await ensureExamplePlan(h.app);
    // Monday 03/07/2023, first of the month, the day after the second quarter's reports fell due: nothing
    // said before (a new database), so every overdue task of the half year comes at once, with the weekly
    // digest and the monthly check-in (the message of the issue was 400 lines)
    h.at('2023-07-03T08:00');
    const messages = await h.round();
    const office = messages.find((m) => m.chat === 'console:main')!;
    expect(lineCount(office.text)).toBeLessThanOrEqual(30);
    const lines = office.text.split('\n');
    expect(lines[0]).toBe('🔔 NHẮC VIỆC — ngày 03/07/2023');
    expect(lines[1], office.text).toMatch(/^Tóm tắt: 🚨 \d+ nhiệm vụ báo cáo lãnh đạo, \d+ nhiệm vụ quá hạn của 1\d đơn vị · 📌 1\d đơn vị chưa gắn nhóm chat được nhắc qua nhóm này · 📅 tổng hợp tuần/);
    // one line for the quarterly report, naming how many units still owe it
    const report = lines.filter((l) => l.startsWith('• 6.1.1 '));
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/ · 1\d đơn vị chưa xong: .+ và \d+ đơn vị khác/);
    // the most late first, and the rest behind /overdue
    const offsets = lines.filter((l) => l.startsWith('• ')).slice(0, 3).map((l) => Number(/trễ (?:\d+–)?(\d+) ngày/.exec(l)?.[1]));
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    // every overdue task is on screen once (the office's own ones in the escalation, with /done); the week's
    // list says where the rest is
    expect(office.text).toMatch(/❗ Quá hạn: \d+ nhiệm vụ của 1\d đơn vị \(gõ \/overdue <đơn vị> để xem đủ\)/);
    expect(office.text).not.toMatch(/^… và/m);
    expect(office.text).toContain('TỔNG HỢP TUẦN 03/07/2023');
    expect(office.text).toContain('HỎI THĂM TIẾN ĐỘ THÁNG 07/2023');
    // the buttons are the office's own tasks only (pressing one marks the office's share)
    const own = await h.app.db.prisma.task.findMany({
      where: { assignments: { some: { role: 'lead', unit: { name: 'Văn phòng HĐND và UBND huyện' } } } },
      select: { code: true },
    });
    expect(office.tasks.length).toBeGreaterThan(0);
    expect(office.tasks.every((c) => own.some((t) => t.code === c))).toBe(true);
    const delivered = sent.filter((s) => s.chat === 'main' && !s.message.attachment);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.message.buttons!.map((b) => b.data)).toEqual(office.tasks.slice(0, 8).map((c) => `/done ${c}`));
  });
});

describe('the busiest day of the example plan, computed', () => {
  it('is found by planning a round at 08:00 on every working day of 2023 on a new database; its office message fits', async () => {
    h = await harness(tempSqliteUrl());
    await ensureExamplePlan(h.app);
    const office = 'console:main';
    // a new database is the worst case: nothing said before, so every open item of the day comes at once
    let busiest = { day: '', notices: 0 };
    for (let day = '2023-01-01'; day <= '2023-12-31'; day = addDays(day, 1)) {
      if (!h.app.calendar.isWorkingDay(day)) continue;
      const dry = await runRound(h.app.roundDeps, h.at(`${day}T08:00`), { dryRun: true });
      const notices = dry!.plan.messages.filter((m) => m.chat === office).reduce((n, m) => n + m.noticeKeys.length, 0);
      if (notices > busiest.notices) busiest = { day, notices };
    }
    // the day the most is said to the office; every day after a quarter's reports fell due is a candidate
    expect(busiest.notices).toBeGreaterThan(100);
    h.at(`${busiest.day}T08:00`);
    const messages = await h.round();
    const text = messages.find((m) => m.chat === office)!.text;
    expect(lineCount(text), `${busiest.day}: ${busiest.notices} notices\n${text}`).toBeLessThanOrEqual(30);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`🔔 NHẮC VIỆC — ngày ${busiest.day.split('-').reverse().join('/')}`);
    expect(lines[1]).toMatch(/^Tóm tắt: /);
    // grouped by task: no task's line twice, the latest first, and how to see the rest
    const tasks = lines.filter((l) => l.startsWith('• ')).map((l) => l.split(' ')[1]);
    expect(new Set(tasks).size, text).toBe(tasks.length);
    const offsets = lines.filter((l) => l.startsWith('• ') && /trễ/.test(l)).map((l) => Number(/trễ (?:\d+–)?(\d+) ngày/.exec(l)?.[1]));
    expect(offsets.slice(0, 3)).toEqual([...offsets.slice(0, 3)].sort((a, b) => b - a));
    // the office's own overdue tasks are escalated to it too: said once, in the escalation, with their /done
    expect(lines.filter((l) => l.startsWith('• 1.1.3 '))).toEqual([expect.stringMatching(/ · Văn phòng HĐND và UBND huyện · \/done 1\.1\.3$/)]);
    // a list cut short says how many more and the command that shows them; none says "… và N khác" alone
    for (const [i, l] of lines.entries()) if (l.startsWith('… và ')) expect(lines[i - 1], text).toMatch(/^• /);
    for (const l of lines.filter((l) => l.startsWith('… và '))) expect(l).toMatch(/(gõ|xem bằng) \/(overdue|upcoming|list)/);
  }, 240_000);
});

describe('a round over a plan of any size', () => {
  const routing: Routing = {
    // units 1–5 have a group each, the others none: their items go to the office's group
    unitChats: (unitId) => (unitId <= 5 ? [`telegram:-${unitId}`] : []),
    isPaused: () => false,
    escalationChats: () => ['telegram:-1'],
    coordinatorChats: () => ['telegram:-1'],
    defaultChat: 'telegram:-1',
  };
  const now = parseInstant('2023-10-16T08:00', zone)!;
  /** 80 tasks × 60 units; due days spread over the weeks around 16/10/2023, nothing said yet */
  const occurrences: RoundOccurrence[] = [];
  for (let t = 1; t <= 80; t++) {
    for (let u = 1; u <= 60; u++) {
      occurrences.push({
        id: t * 100 + u,
        due: addDays('2023-10-16', (t % 40) - 30),
        lastStage: null,
        planId: 1,
        code: `${Math.ceil(t / 10)}.${((t - 1) % 10) + 1}`,
        content: `Nhiệm vụ số ${t}: rà soát, công khai thủ tục hành chính trên Cổng dịch vụ công`,
        label: 'Hạn chót',
        unitId: u,
        unitName: `UBND xã Thử ${u}`,
      });
    }
  }
  const plan = planRound({ now, zone, officeHours, calendar, policyOf: () => defaultReminderPolicy, previousRoundAt: null, occurrences, routing });

  it('writes every chat one message of at most one screen', () => {
    expect(plan.notices.length).toBeGreaterThan(2000);
    for (const m of plan.messages) expect(lineCount(m.text), m.chat).toBeLessThanOrEqual(MESSAGE_MAX_LINES);
  });

  it("the office's group: escalations first, the latest task first, each with its units, then how many more", () => {
    const office = plan.messages.find((m) => m.chat === 'telegram:-1')!;
    const lines = office.text.split('\n');
    expect(lines[1]).toMatch(/^Tóm tắt: 🚨 \d+ nhiệm vụ báo cáo lãnh đạo, \d+ nhiệm vụ quá hạn, \d+ nhiệm vụ sắp đến hạn của 60 đơn vị · 📌 55 đơn vị chưa gắn nhóm chat/);
    expect(lines[3]).toBe('🚨 BÁO CÁO LÃNH ĐẠO: nhiệm vụ quá hạn nhiều ngày');
    expect(lines[4]).toMatch(/^• \d+\.\d+ Nhiệm vụ số \d+: .*trễ \d+ ngày làm việc\) · 60 đơn vị chưa xong: UBND xã Thử 1, /);
    const rest = lines.find((l) => l.startsWith('… và '))!;
    expect(rest).toMatch(/nhiệm vụ quá hạn, \d+ nhiệm vụ sắp đến hạn khác: gõ \/overdue <đơn vị> và \/upcoming để xem đủ danh sách\.$/);
    // the office (unit 1) can mark its own share done: its buttons are its tasks, the escalations are not
    expect(office.tasks.length).toBeGreaterThan(8);
    const escalated = plan.notices.filter((n) => n.kind === 'escalation').length;
    expect(escalated).toBeGreaterThan(0);
  });

  it("a unit's own group: one line per task with /done, no unit names, its codes as buttons, the most urgent first", () => {
    const unit = plan.messages.find((m) => m.chat === 'telegram:-3')!;
    const tasks = unit.text.split('\n').filter((l) => l.startsWith('• '));
    expect(tasks.length).toBeGreaterThan(5);
    for (const l of tasks) expect(l).toMatch(/^• (\S+) .* · \/done \1$/);
    expect(unit.text).not.toContain('UBND xã Thử');
    expect(unit.tasks.slice(0, tasks.length)).toEqual(tasks.map((l) => l.split(' ')[1]));
  });

  it("the parts a chat gets from several planners share the screen; another planner's text is kept whole", () => {
    const periodic = planPeriodic({
      today: '2023-10-16',
      calendar,
      units: [{ unitId: 3, unitName: 'UBND xã Thử 3', chats: ['telegram:-3'], overdue: Array.from({ length: 30 }, (_, i) => ({ code: `9.${i + 1}`, content: `Việc ${i}`, due: '2023-09-01', offset: 30 })), dueThisWeek: [] }],
      coordinator: null,
      ongoing: [],
      said: new Set(),
      late: false,
    });
    const dossier = { chat: 'telegram:-3', kind: 'apology' as const, late: false, tasks: ['HS-01'], noticeKeys: ['dossier:1'], text: '📂 NHẮC HỒ SƠ TTHC\n• Hồ sơ HS-01' };
    const merged = mergePlans(plan, { ...periodic, stages: [] }, { notices: [], messages: [dossier], stages: [] }).messages.find((m) => m.chat === 'telegram:-3')!;
    expect(lineCount(merged.text)).toBeLessThanOrEqual(MESSAGE_MAX_LINES);
    // the most urgent part first, cut to what fits; the others keep their title and counts
    expect(merged.text).toContain('❗ QUÁ HẠN');
    expect(merged.text).toMatch(/… và \d+ nhiệm vụ quá hạn, 20 nhiệm vụ sắp đến hạn khác/);
    expect(merged.text).toContain('📂 NHẮC HỒ SƠ TTHC\n• Hồ sơ HS-01');
    expect(merged.text).toContain('📅 TỔNG HỢP TUẦN 16/10/2023 – 22/10/2023 — UBND xã Thử 3\n❗ Quá hạn: 30 nhiệm vụ (gõ /overdue để xem đủ)');
    // buttons only for plan tasks: never a dossier code nor a digest's
    expect(merged.tasks).not.toContain('HS-01');
    expect(merged.tasks.some((c) => c.startsWith('9.'))).toBe(false);
  });
});

describe('renderMessage', () => {
  const item = { kind: 'reminder' as const, code: '1.2', content: 'Ban hành kế hoạch', label: '', due: '2023-02-15', offset: -1, unitName: 'Phòng Tư pháp', unbound: false, late: false };
  it('a single reminder: no summary, the task with its command, replying "xong" offered', () => {
    expect(renderMessage([{ kind: 'tasks', today: '2023-02-14', items: [item] }])).toBe(
      [
        '🔔 NHẮC VIỆC — ngày 14/02/2023',
        '',
        '⏰ SẮP ĐẾN HẠN',
        '• 1.2 Ban hành kế hoạch — hạn 15/02/2023 (còn 1 ngày làm việc) · /done 1.2',
        '',
        'Xong thì gõ /done 1.2 hoặc trả lời "xong" vào tin này; /help để xem các lệnh.',
      ].join('\n'),
    );
  });

  it('a late item says so at the top and on its line', () => {
    const text = renderMessage([{ kind: 'tasks', today: '2023-02-14', items: [{ ...item, late: true }] }]);
    expect(text.split('\n')[1]).toBe('⚠️ Một số nhắc nhở (gửi muộn do hệ thống gián đoạn).');
    expect(text).toContain('· /done 1.2 (gửi muộn)');
  });
});

/** A console-named transport that records what the sender gives it. */
function recorder(name: 'console', sent: { chat: string; message: Outgoing }[]): Transport {
  let id = 0;
  return {
    name,
    maxLength: 4096,
    start: async () => {},
    stop: async () => {},
    status: () => ({ name, connected: true }),
    async send(chat, message) {
      sent.push({ chat, message });
      return [String(++id)];
    },
  };
}
