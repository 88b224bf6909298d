import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE } from '../src/example.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planCsvText, writePlanDocx } from '../src/import/write-plan.ts';
import { openDatabase } from '../src/db/database.ts';
import { cli } from './helpers/cli.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-cli-'));
type ImportJson = { plan: { name: string; year: number }; tasks: { code: string; deadline: string; lead: string[]; rule: { kind: string } }[]; warnings: { row: number; message: string }[]; added: string[]; changed: string[]; archived: string[] };

async function counts(url: string) {
  const db = await openDatabase(url);
  try {
    return {
      tasks: await db.prisma.task.count(),
      archived: await db.prisma.task.count({ where: { archivedAt: { not: null } } }),
      occurrences: await db.prisma.occurrence.count(),
      done: await db.prisma.occurrence.count({ where: { status: 'done' } }),
      units: await db.prisma.unit.count(),
    };
  } finally {
    await db.close();
  }
}

describe('deadline and calendar (contracts.md)', () => {
  it('a monthly phrase gives 12 dues, one per month', async () => {
    const r = await cli(['deadline', 'Định kỳ hằng tháng (trước ngày 22 hằng tháng)', '--year', '2024', '--json']);
    expect(r.code).toBe(0);
    const json = r.json as { kind: string; dues: string[]; event: unknown; label: string };
    expect(json.kind).toBe('recurring');
    expect(json.dues).toHaveLength(12);
    expect(new Set(json.dues.map((d) => d.slice(5, 7))).size).toBe(12);
    expect(json.event).toBeNull();
    expect(json.label).toMatch(/tháng/);
  });

  it('an event phrase carries its event; a phrase it cannot read is unknown, never a date', async () => {
    const event = (await cli(['deadline', 'Trong thời gian 10 ngày kể từ ngày tiếp nhận', '--year', '2023', '--json'])).json as { kind: string; dues: string[]; event: Record<string, unknown> };
    expect(event).toMatchObject({ kind: 'event', dues: [], event: { direction: 'after', offset: 10, unit: 'calendar_day' } });
    const unknown = (await cli(['deadline', 'ngày 31/02/2023', '--year', '2023', '--json'])).json as { kind: string; dues: string[] };
    expect(unknown).toMatchObject({ kind: 'unknown', dues: [] });
  });

  it('calendar --json has the contract shape; 2026 is announced, 2031 provisional', async () => {
    const y2026 = (await cli(['calendar', '--year', '2026', '--json'])).json as { year: number; status: string; daysOff: { date: string; reason: string }[]; workedSaturdays: string[] };
    expect(y2026.status).toBe('official');
    expect(y2026.workedSaturdays).toEqual(['2026-01-10', '2026-08-22']);
    expect(y2026.daysOff.map((d) => d.date)).toContain('2026-02-16');
    const y2031 = (await cli(['calendar', '--year', '2031', '--json'])).json as { status: string };
    expect(y2031.status).toBe('provisional');
  });

  it('wrong input: exit 1 and a Vietnamese message on stderr', async () => {
    const noYear = await cli(['deadline', 'Quý I/2023']);
    expect(noYear.code).toBe(1);
    expect(noYear.stderr).toContain('Thiếu --year');
    const badYear = await cli(['calendar', '--year', 'hai nghìn']);
    expect(badYear.code).toBe(1);
    expect(badYear.stderr).toContain('không hợp lệ');
    const unknown = await cli(['khonglenh']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không có lệnh');
  });
});

describe('import (contracts.md)', () => {
  it('imports the example plan, re-imports it without change, and re-imports an edited deadline as exactly one change', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    expect((await cli(['units', 'import', EXAMPLE.units], env)).code).toBe(0);
    const first = await cli(['import', EXAMPLE.plan, '--year', '2023', '--plan', 'Châu Thành 2023', '--json'], env);
    expect(first.code).toBe(0);
    const json = first.json as ImportJson;
    expect(json.plan).toEqual({ name: 'Châu Thành 2023', year: 2023 });
    expect(json.tasks).toHaveLength(40);
    expect(json.added).toHaveLength(40);
    expect(json.tasks.find((t) => t.code === '1.1.2')).toMatchObject({ deadline: 'Trước 28/02/2023', lead: ['Văn phòng HĐND và UBND huyện'], rule: { kind: 'once' } });
    const before = await counts(url);

    const again = (await cli(['import', EXAMPLE.plan, '--year', '2023', '--plan', 'Châu Thành 2023', '--json'], env)).json as ImportJson;
    expect({ added: again.added, changed: again.changed, archived: again.archived }).toEqual({ added: [], changed: [], archived: [] });
    expect(await counts(url)).toEqual(before);

    // the same plan with one deadline edited and one task removed, as a CSV
    const parsed = await readPlanFile(EXAMPLE.plan);
    const edited = {
      ...parsed,
      tasks: parsed.tasks.filter((t) => t.code !== '2.1.3').map((t) => (t.code === '1.1.2' ? { ...t, deadlineText: 'Trước 15/03/2023' } : t)),
    };
    const file = path.join(tmp(), 'ke-hoach-sua.csv');
    fs.writeFileSync(file, planCsvText(edited));
    const third = (await cli(['import', file, '--year', '2023', '--plan', 'Châu Thành 2023', '--json'], env)).json as ImportJson;
    expect(third.changed).toEqual(['1.1.2']);
    expect(third.archived).toEqual(['2.1.3']);
    expect(third.added).toEqual([]);
    const db = await openDatabase(url);
    try {
      const occ = await db.prisma.occurrence.findMany({ where: { assignment: { role: 'lead', task: { code: '1.1.2' } } } });
      expect(occ.map((o) => o.due)).toEqual(['2023-03-14']);
      expect((await db.prisma.task.findFirstOrThrow({ where: { code: '2.1.3' } })).archivedAt).not.toBeNull();
    } finally {
      await db.close();
    }
  }, 60_000);

  it('a dry run writes nothing', async () => {
    const url = tempSqliteUrl();
    const r = await cli(['import', EXAMPLE.plan, '--year', '2023', '--dry-run', '--json'], { DATABASE_URL: url });
    expect(r.code).toBe(0);
    expect((r.json as ImportJson).tasks).toHaveLength(40);
    expect((await counts(url)).tasks).toBe(0);
  });

  it('a plan imported before its unit registry gets the class assignments when the registry comes', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    const r = await cli(['import', EXAMPLE.plan, '--year', '2023', '--json'], env);
    expect((r.json as ImportJson).warnings.some((w) => w.message.includes('nhóm đơn vị'))).toBe(true);
    expect((await cli(['units', 'import', EXAMPLE.units], env)).code).toBe(0);
    const db = await openDatabase(url);
    try {
      // 2.1.2: "UBND các xã, thị trấn" lead: every commune of the registry has its own assignment now
      const leads = await db.prisma.assignment.findMany({ where: { role: 'lead', archivedAt: null, task: { code: '2.1.2' } }, include: { unit: true } });
      expect(leads.map((a) => a.unit.name).sort()).toEqual(['UBND thị trấn Tầm Vu', 'UBND xã An Lục Long', 'UBND xã Dương Xuân Hội', 'UBND xã Long Trì']);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('damaged files: exit 1, a message naming the problem, an unchanged database', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    await cli(['import', EXAMPLE.plan, '--year', '2023'], env);
    const before = await counts(url);
    const dir = tmp();
    const docx = path.join(dir, 'day-du.docx');
    await writePlanDocx(await readPlanFile(EXAMPLE.plan), docx);
    const truncated = path.join(dir, 'hong.docx');
    fs.writeFileSync(truncated, fs.readFileSync(docx).subarray(0, 2000));
    const binary = path.join(dir, 'nhi-phan.xlsx');
    fs.writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const empty = path.join(dir, 'rong.csv');
    fs.writeFileSync(empty, '');
    const noHeader = path.join(dir, 'khong-tieu-de.csv');
    fs.writeFileSync(noHeader, 'a,b,c\n1,2,3\n4,5,6\n');
    for (const file of [truncated, binary, empty, noHeader]) {
      const r = await cli(['import', file, '--year', '2023'], env);
      expect(r.code, file).toBe(1);
      expect(r.stderr.trim().length, file).toBeGreaterThan(10);
      expect(r.stderr, file).toMatch(/[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/i);
    }
    expect(await counts(url)).toEqual(before);
  }, 60_000);
});

describe('remind (contracts.md)', () => {
  it('prints the round as JSON with chat, kind, tasks and text; a second run records nothing new', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    await cli(['units', 'import', EXAMPLE.units], env);
    await cli(['import', EXAMPLE.plan, '--year', '2023'], env);
    const dry = (await cli(['remind', '--at', '2023-02-13T08:00', '--dry-run', '--json'], env)).json as { at: string; messages: { chat: string; kind: string; tasks: string[]; text: string }[] };
    expect(dry.at).toBe('2023-02-13T01:00:00.000Z');
    expect(dry.messages.length).toBeGreaterThan(0);
    const real = (await cli(['remind', '--at', '2023-02-13T08:00', '--json'], env)).json as typeof dry;
    expect(real.messages).toEqual(dry.messages);
    const again = (await cli(['remind', '--at', '2023-02-13T08:00', '--json'], env)).json as typeof dry;
    expect(again.messages).toEqual([]);
    const bad = await cli(['remind', '--at', 'thứ hai'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('không phải thời điểm hợp lệ');
  }, 60_000);
});

describe('policy (per plan)', () => {
  it('changes the deadline convention and the reminder stages; a wrong value changes nothing', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    await cli(['units', 'import', EXAMPLE.units], env);
    await cli(['import', EXAMPLE.plan, '--year', '2023', '--plan', 'CT'], env);
    const dueOf112 = async () => {
      const db = await openDatabase(url);
      try {
        return (await db.prisma.occurrence.findMany({ where: { assignment: { role: 'lead', task: { code: '1.1.2' } } } })).map((o) => o.due);
      } finally {
        await db.close();
      }
    };
    expect(await dueOf112()).toEqual(['2023-02-27']);
    const set = await cli(['policy', '--plan', 'CT', '--set', '{"deadline":{"beforeDate":"same_day"},"reminders":{"before":[5,2,1]}}', '--json'], env);
    expect(set.code).toBe(0);
    expect((set.json as { effective: { reminders: { before: number[] } } }).effective.reminders.before).toEqual([5, 2, 1]);
    expect(await dueOf112()).toEqual(['2023-02-28']);
    const bad = await cli(['policy', '--plan', 'CT', '--set', '{"reminders":{"before":[-3]}}'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('không hợp lệ, chưa thay đổi gì');
    const shown = await cli(['policy', '--plan', 'CT'], env);
    expect(shown.stdout).toContain('Nhắc trước hạn 5, 2, 1 ngày làm việc');
    expect((await cli(['policy', '--plan', 'Không có'], env)).code).toBe(1);
  }, 60_000);
});
