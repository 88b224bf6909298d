/**
 * Encodings and clean text (#18 item 6): Excel's "Unicode text" (UTF-16 with a byte-order mark) and UTF-8 with or
 * without one read alike; binary and non-UTF-8 bytes get a clear message; whatever is stored is NFC without
 * control characters, from files and from chat messages (a NUL made PostgreSQL refuse a /done).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedPlan } from '../src/core/plan-table.ts';
import { cleanText } from '../src/core/text.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { PlanFileError } from '../src/import/errors.ts';
import { readDossierFile } from '../src/import/read-dossiers.ts';
import { readPlanFile, readPlanRows } from '../src/import/read-plan-file.ts';
import { planCsvText, writePlanText } from '../src/import/write-plan.ts';
import { importPlan } from '../src/store/plan-store.ts';
import { harness } from './helpers/app.ts';
import { dropTestSchemas, postgresAvailable, tempPostgresUrl } from './helpers/db.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-text-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => new URL(`../../shared/fixtures/${name}`, import.meta.url).pathname;
const write = (name: string, data: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
};
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};
const essence = (plan: ParsedPlan) => plan.tasks.map((t) => [t.code, t.content, t.leadText, t.coordText, t.deadlineText, t.result, t.note]);

describe('cleanText', () => {
  it.each([
    ['NUL and other controls are dropped', 'a\u0000b\u0007c\u001bd\u007fe\u0085f', 'abcdef'],
    ['tab and line breaks stay; Word\u2019s manual break, form feed and Unicode separators become \\n', 'a\tb\r\nc\u000bd\u000ce\u2028f\u2029g', 'a\tb\r\nc\nd\ne\nf\ng'],
    ['combining marks are composed (NFC)', 'Va\u0306n pho\u0300ng', 'Văn phòng'],
    ['zero-width space and a stray BOM are dropped; the emoji ZWJ stays', 'Sở\u200b Tư\ufeff pháp 👩\u200d💻', 'Sở Tư pháp 👩\u200d💻'],
    ['a lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
  ])('%s', (_what, input, output) => {
    expect(cleanText(input)).toBe(output);
  });
});

describe('text files in every encoding Excel and Word save', () => {
  let source: ParsedPlan;
  let tsv: string;
  beforeAll(async () => {
    source = await readPlanFile(fixture('plan-chau-thanh-2023-appendix.tsv.txt'));
    tsv = writePlanText(source);
  });

  it.each([
    ['UTF-8', (t: string) => Buffer.from(t, 'utf8')],
    ['UTF-8 with a BOM', (t: string) => Buffer.from(`\ufeff${t}`, 'utf8')],
    ['UTF-16 LE with a BOM (Excel "Unicode Text")', (t: string) => Buffer.from(`\ufeff${t}`, 'utf16le')],
    ['UTF-16 BE with a BOM', (t: string) => utf16be(`\ufeff${t}`)],
    ['UTF-16 LE without a BOM', (t: string) => Buffer.from(t, 'utf16le')],
    ['UTF-8 typed with combining marks (NFD)', (t: string) => Buffer.from(t.normalize('NFD'), 'utf8')],
  ])('%s reads as the same plan', async (label, encode) => {
    const file = write(`ke-hoach-${label.replace(/\W+/g, '-')}.txt`, encode(tsv));
    const plan = await readPlanFile(file);
    expect(essence(plan)).toEqual(essence(source));
    expect(plan.tasks.every((t) => t.content === t.content.normalize('NFC'))).toBe(true);
  });

  it('a CSV saved as UTF-16 and a dossier list saved as "Unicode Text" read too', async () => {
    const csv = await readPlanFile(write('ke-hoach-utf16.csv', Buffer.from(`\ufeff${planCsvText(source)}`, 'utf16le')));
    expect(essence(csv)).toEqual(essence(source));
    const list = 'Mã hồ sơ\tTên thủ tục\tNgười nộp\tNgày tiếp nhận\tNgày hẹn trả\tĐơn vị giải quyết\r\nHS-01\tCấp giấy phép\tNguyễn Văn Ánh\t01/03/2024\t15/03/2024\tVăn phòng\r\n';
    const parsed = await readDossierFile(write('ho-so.txt', Buffer.from(`\ufeff${list.normalize('NFD')}`, 'utf16le')));
    expect(parsed.dossiers).toEqual([expect.objectContaining({ code: 'HS-01', applicant: 'Nguyễn Văn Ánh', due: '2024-03-15', unit: 'Văn phòng' })]);
  });

  it('control characters in cells are dropped from every format (a NUL in a CSV is not "binary")', async () => {
    const dirty = planCsvText(source).replace('Văn phòng HĐND và UBND huyện', 'Văn phòng\u0000 HĐND\u0007 và UBND huyện');
    const rows = (await readPlanRows(write('ban.csv', dirty))).rows;
    expect(rows.some((r) => r.cells.includes('Văn phòng HĐND và UBND huyện'))).toBe(true);
    expect(rows.every((r) => r.cells.every((c) => !/[\u0000-\u0008\u000e-\u001f]/.test(c)))).toBe(true);
  });

  it('binary and non-UTF-8 bytes are refused with a message that says so and what to do', async () => {
    const binary = write('anh.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await expect(readPlanRows(binary)).rejects.toThrow(/nội dung nhị phân, không phải văn bản/);
    await expect(readDossierFile(binary)).rejects.toThrow(/nội dung nhị phân/);
    // Windows-1258 (Excel's plain "CSV" on a Vietnamese Windows): not valid UTF-8
    const ansi = write('ansi.csv', Buffer.from([0x53, 0x54, 0x54, 0x2c, 0x4e, 0xf4, 0x69, 0x20, 0x64, 0x75, 0x6e, 0x67, 0x0a, 0x31, 0x2c, 0xd0, 0x0a]));
    const error = await readPlanRows(ansi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as Error).message).toMatch(/không phải văn bản UTF-8.*"CSV UTF-8" hoặc "Unicode Text"/);
  });
});

describe('the plan name given on the CLI', () => {
  it('is stored NFC without control characters', async () => {
    const { runCli } = await import('../src/cli/run.ts');
    const { tempSqliteUrl } = await import('./helpers/db.ts');
    const r = await runCli(['import', fixture('plan-chau-thanh-2023-appendix.tsv.txt'), '--year', '2023', '--plan', 'Ke\u0000 hoa\u0323ch Châu Thành', '--dry-run', '--json', '--db', tempSqliteUrl()]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout!).plan.name).toBe('Ke hoạch Châu Thành');
  }, 60_000);
});

describe('a NUL typed in a chat or an imported file reaches PostgreSQL as nothing', async () => {
  const available = await postgresAvailable();
  afterAll(dropTestSchemas);

  it.runIf(available)('/done with a NUL in its note is recorded, not the generic apology; an import with NULs is stored', async () => {
    const { url, drop } = tempPostgresUrl();
    const h = await harness(url);
    try {
      expect(await ensureExamplePlan(h.app)).toBe(true);
      h.at('2023-03-15T09:00');
      const answer = await h.say('/done 1.1.2 đã gửi\u0000 báo cáo\u0007');
      expect(answer).toContain('✅ Đã ghi nhận: 1.1.2');
      const occurrence = await h.app.db.prisma.occurrence.findFirstOrThrow({ where: { status: { not: 'open' }, assignment: { task: { code: '1.1.2' } } } });
      expect(occurrence.doneNote).toBe('đã gửi báo cáo');

      const source = await readPlanFile(fixture('plan-chau-thanh-2023-appendix.tsv.txt'));
      const file = write('nul.csv', planCsvText(source).replaceAll('Văn phòng HĐND và UBND huyện', 'Văn phòng HĐND\u0000 và UBND huyện'));
      const summary = await importPlan(h.app.db.prisma, await readPlanFile(file), { name: 'Có NUL', year: 2023, calendar: h.app.calendar, actor: { user: 'test' }, now: h.app.clock() });
      expect(summary.tasks).toHaveLength(40);
      const units = await h.app.db.prisma.unit.findMany({ where: { name: { contains: 'HĐND' } } });
      expect(units.map((u) => u.name)).toEqual(['Văn phòng HĐND và UBND huyện']);
    } finally {
      await h.close();
      await drop();
    }
  }, 120_000);
});
