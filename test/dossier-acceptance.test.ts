import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { importDossierFile } from '../src/dossier-import.ts';
import { harness, type Harness } from './helpers/app.ts';
import { dropTestSchemas, testDatabases } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';

/**
 * Issue #14's acceptance, end to end through the real import and round code: an export with a returned row,
 * a cancelled row, a paused row, an open row and an unknown unit imports without error; the round two working
 * days before the due date (Friday 17/03/2023) asks for a letter for the open rows only, the unknown unit's in
 * the default group; the returned one gets nothing, before and after a re-import that returns the open row.
 */

const databases = await testDatabases();
afterAll(dropTestSchemas);

const units = [
  { name: 'Văn phòng UBND tỉnh', kind: 'province_office' as const, aliases: [] },
  { name: 'Sở Tư pháp', kind: 'department' as const, aliases: ['STP'] },
];

const HEADER = ['STT', 'Số hồ sơ', 'Tên thủ tục hành chính', 'Tổ chức, cá nhân', 'Ngày tiếp nhận', 'Ngày hẹn trả kết quả', 'Cơ quan giải quyết', 'Trạng thái', 'Kênh nộp'];
const FIRST: string[][] = [
  ['1', 'HS-TRA', 'Cấp phiếu lý lịch tư pháp', 'Trần Thị B', '01/03/2023', '17/03/2023', 'Sở Tư pháp', 'Đã trả kết quả', 'Trực tuyến'],
  ['2', 'HS-HUY', 'Cấp phiếu lý lịch tư pháp', 'Lê Văn C', '01/03/2023', '17/03/2023', 'Sở Tư pháp', 'Đã hủy', 'Trực tiếp'],
  ['3', 'HS-BOSUNG', 'Cấp phiếu lý lịch tư pháp', 'Phạm Văn D', '01/03/2023', '17/03/2023', 'Sở Tư pháp', 'Chờ bổ sung', 'Trực tuyến'],
  ['4', 'HS-MO', 'Cấp phiếu lý lịch tư pháp', 'Võ Thị E', '01/03/2023', '17/03/2023', 'Sở Tư pháp', 'Đang xử lý', 'Trực tuyến'],
  ['5', 'HS-LA', 'Cấp giấy phép hoạt động', 'Công ty TNHH F', '01/03/2023', '17/03/2023', 'Sở Khoa học và Công nghệ', 'dang xu ly', 'Trực tuyến'],
];
// the next export: the open row has been returned
const SECOND = FIRST.map((r) => (r[1] === 'HS-MO' ? [...r.slice(0, 7), 'Đã trả kết quả', r[8]!] : r));

async function writeFile(dir: string, format: 'csv' | 'xlsx', name: string, rows: string[][]): Promise<string> {
  const file = path.join(dir, `${name}.${format}`);
  if (format === 'csv') {
    fs.writeFileSync(file, [HEADER, ...rows].map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n'));
    return file;
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Hồ sơ');
  ws.addRow(['DANH SÁCH HỒ SƠ TTHC']);
  ws.addRow(HEADER);
  for (const r of rows) {
    // dates as real Excel dates, as the one-stop systems write them
    const date = (t: string) => {
      const [d, m, y] = t.split('/').map(Number);
      return new Date(Date.UTC(y!, m! - 1, d!));
    };
    ws.addRow([Number(r[0]), r[1], r[2], r[3], date(r[4]!), date(r[5]!), r[6], r[7], r[8]]);
  }
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(databases)('issue #14 acceptance on $name', (db) => {
  it.each(['csv', 'xlsx'] as const)('a %s export: letters only for the open rows, the unknown unit in the default group, nothing for the returned one', async (format) => {
    h = await harness(await db.url());
    await seedPlan(h.app, { year: 2023, units, chats: { 'console:stp': 'Sở Tư pháp', 'console:office': 'Văn phòng UBND tỉnh' }, tasks: [{ code: '1.1', deadline: '30/06/2023', lead: ['Sở Tư pháp'] }] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acceptance-'));
    const prompts = async () =>
      (await h!.round())
        .filter((m) => m.kind === 'apology')
        .map((m) => ({ chat: m.chat, tasks: m.tasks, text: m.text }))
        .sort((a, b) => a.chat.localeCompare(b.chat));

    h.at('2023-03-10T09:00');
    const imported = await importDossierFile(h.app.db.prisma, await writeFile(dir, format, 'lan-1', FIRST));
    expect(imported.added).toEqual(['HS-TRA', 'HS-HUY', 'HS-BOSUNG', 'HS-MO', 'HS-LA']);
    expect(imported.dossiers.map((d) => d.status)).toEqual(['returned', 'cancelled', 'paused', 'processing', 'processing']);
    expect(imported.pendingUnits).toEqual(['Sở Khoa học và Công nghệ']);

    // a week before: nothing yet for anyone
    expect(await prompts()).toEqual([]);

    // Wednesday 15/03, two working days before Friday 17/03
    h.at('2023-03-15T09:00');
    const first = await prompts();
    expect(h.app.defaultChat).toBe('console:main');
    expect(first.map((m) => [m.chat, m.tasks])).toEqual([
      ['console:main', ['HS-LA']],
      ['console:stp', ['HS-MO']],
    ]);
    expect(first[0]!.text).toContain('📌 Đơn vị Sở Khoa học và Công nghệ');
    expect(first[1]!.text).toContain('Hồ sơ HS-MO — Võ Thị E');
    const letters = await h.app.db.prisma.outbox.findMany({ where: { kind: 'apology' }, select: { attachments: true } });
    expect(letters.flatMap((o) => (JSON.parse(o.attachments) as { fileName: string }[]).map((f) => f.fileName)).sort()).toEqual([
      expect.stringMatching(/-HS-LA\.docx$/),
      expect.stringMatching(/-HS-MO\.docx$/),
    ]);
    for (const code of ['HS-TRA', 'HS-HUY', 'HS-BOSUNG']) expect(first.some((m) => m.text.includes(code))).toBe(false);

    // the next export says the open row was returned: from then on only the unknown unit's row is prompted
    const second = await importDossierFile(h.app.db.prisma, await writeFile(dir, format, 'lan-2', SECOND));
    expect(second.updated).toEqual(['HS-MO']);
    expect(second.unchanged).toBe(4);
    h.at('2023-03-16T09:00');
    const next = await prompts();
    expect(next.map((m) => [m.chat, m.tasks])).toEqual([['console:main', ['HS-LA']]]);
    // and after the due date, no overdue notice for any closed or paused one
    h.at('2023-03-20T09:00');
    const overdue = await h.round();
    expect(overdue.flatMap((m) => m.tasks).filter((t) => t.startsWith('HS-'))).toEqual(['HS-LA']);
    const notices = await h.app.db.prisma.notice.findMany({ where: { dossierId: { not: null } }, include: { dossier: { select: { code: true } } } });
    expect([...new Set(notices.map((n) => n.dossier!.code))].sort()).toEqual(['HS-LA', 'HS-MO']);
  });
});
