import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { calendar as calendarCli } from '../src/cli/calendar.ts';
import { interpretDeadline } from '../src/core/deadline/index.ts';
import { defaultCalendarDir, loadAnnouncedYears, loadCalendar } from '../src/files/calendar-data.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';

describe('each announced year names the documents it follows', () => {
  it('no year says "cần kiểm tra"; each cites the Labour Code and the year\'s notices by number', () => {
    const numbers: Record<number, RegExp[]> = {
      2023: [/8056\/VPCP-KGVX/, /5034\/TB-LĐTBXH/],
      2024: [/5015\/TB-LĐTBXH/, /2450\/VPCP-KGVX/],
      2025: [/6150\/TB-BLĐTBXH/],
      2026: [/12729\/VPCP-KGVX/, /9441\/TB-BNV/],
    };
    for (const y of loadAnnouncedYears(defaultCalendarDir)) {
      const text = JSON.stringify(y);
      expect(text).not.toMatch(/cần kiểm tra/);
      expect(y.sources![0]).toMatch(/Bộ luật Lao động số 45\/2019\/QH14/);
      for (const n of numbers[y.year] ?? []) expect(y.sources!.join('\n')).toMatch(n);
      expect(y.notes?.length).toBeGreaterThan(0);
    }
  });

  it('the calendar CLI shows them', async () => {
    const out = await calendarCli.run(['--year', '2025'], { json: true });
    expect((out.json as { sources: string[] }).sources.join('\n')).toContain('Thông báo số 6150/TB-BLĐTBXH');
    expect(out.text).toContain('Căn cứ:');
  });
});

describe('a new statutory day off is one line in the year\'s file', () => {
  let h: Harness | undefined;
  const saved = process.env.NHACVIEC_CALENDAR_DIR;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    if (saved === undefined) delete process.env.NHACVIEC_CALENDAR_DIR;
    else process.env.NHACVIEC_CALENDAR_DIR = saved;
  });

  /** A copy of data/calendar with 24/11/2026 (Ngày Văn hóa Việt Nam) added to 2026.json. */
  function withCultureDay(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lich-'));
    for (const name of fs.readdirSync(defaultCalendarDir)) fs.copyFileSync(path.join(defaultCalendarDir, name), path.join(dir, name));
    const file = path.join(dir, '2026.json');
    const year = JSON.parse(fs.readFileSync(file, 'utf8')) as { daysOff: { date: string; reason: string }[] };
    year.daysOff.push({ date: '2026-11-24', reason: 'Ngày Văn hóa Việt Nam' });
    fs.writeFileSync(file, JSON.stringify(year, null, 2));
    return dir;
  }

  it('working days, a deadline kept off days off, a dossier\'s letter deadline and the CLI all move', async () => {
    const dir = withCultureDay();
    const before = loadCalendar(defaultCalendarDir);
    const after = loadCalendar(dir);
    expect(before.isWorkingDay('2026-11-24')).toBe(true);
    expect(after.isWorkingDay('2026-11-24')).toBe(false);
    expect(after.dayOffReason('2026-11-24')).toBe('Ngày Văn hóa Việt Nam');
    expect([before.addWorkingDays('2026-11-20', 3), after.addWorkingDays('2026-11-20', 3)]).toEqual(['2026-11-25', '2026-11-26']);

    // a plan whose due days falling on a day off move to the working day before
    const policy = { dayOff: 'previous_working_day' as const };
    expect(interpretDeadline('Ngày 24/11/2026', 2026, { calendar: before, policy }).dues).toEqual(['2026-11-24']);
    expect(interpretDeadline('Ngày 24/11/2026', 2026, { calendar: after, policy }).dues).toEqual(['2026-11-23']);

    // the bot reading that folder: the apology letter of a dossier due 25/11 is due a day earlier
    const dueOn = async (calendarDir?: string) => {
      h = await harness(tempSqliteUrl(), { env: calendarDir ? { NHACVIEC_CALENDAR_DIR: calendarDir } : {} });
      await seedPlan(h.app, { year: 2026, units: [{ name: 'Sở Tư pháp', kind: 'department', aliases: [] }], chats: { 'console:main': 'Sở Tư pháp' }, tasks: [{ code: '1.1', deadline: '31/12/2026', lead: ['Sở Tư pháp'] }] });
      h.at('2026-11-16T09:00');
      const reply = await h.say('/hoso VH-1 25/11/2026 Cấp phiếu lý lịch tư pháp; Trần Thị B');
      await h.close();
      h = undefined;
      return /chậm nhất ngày (\d\d\/\d\d\/\d{4})/.exec(reply ?? '')?.[1];
    };
    expect(await dueOn()).toBe('24/11/2026');
    expect(await dueOn(dir)).toBe('23/11/2026');

    // the administrator's calendar CLI reads the same folder as the bot
    process.env.NHACVIEC_CALENDAR_DIR = dir;
    const cli = await calendarCli.run(['--year', '2026'], { json: true });
    expect((cli.json as { daysOff: { date: string }[] }).daysOff.map((d) => d.date)).toContain('2026-11-24');
  });
});
