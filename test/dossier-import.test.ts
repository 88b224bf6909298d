import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoso } from '../commands/hoso.ts';
import { bind } from '../commands/bind.ts';
import type { Command, CommandContext } from '../commands/context.ts';
import { importDossierFile } from '../src/dossier-import.ts';
import type { RawRow } from '../src/core/plan-table.ts';
import { cleanCode, headerColumns, parseDossierRows, parseListDate } from '../src/import/read-dossiers.ts';
import { importUnits } from '../src/store/unit-registry.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';

const rows = (lines: string[][]): RawRow[] => lines.map((cells, i) => ({ cells, source: { row: i + 1 } }));

describe('dates as exports write them', () => {
  it.each([
    ['04/05/2023', '2023-05-04'],
    ['4/5/2023', '2023-05-04'],
    ['04-05-2023', '2023-05-04'],
    ['04.05.2023', '2023-05-04'],
    ['04/05/23', '2023-05-04'],
    ['2023-05-04', '2023-05-04'],
    ['2023/05/04', '2023-05-04'],
    ['2023-05-04T08:00:00Z', '2023-05-04'],
    ['04/05/2023 08:15', '2023-05-04'],
    ['04/05/2023 08:15:30', '2023-05-04'],
    ['08:15 04/05/2023', '2023-05-04'],
    ['04/05/2023 2:30:00 PM', '2023-05-04'],
    ['14h30 04/05/2023', '2023-05-04'],
    ['Thứ Năm, 04/05/2023', '2023-05-04'],
    ['ngày 04 tháng 5 năm 2023', '2023-05-04'],
    ['Ngày 04/05/2023', '2023-05-04'],
    ['45050', '2023-05-04'],
    ['45050.6041', '2023-05-04'],
    ['\u00a004/05/2023\u200b', '2023-05-04'],
  ])('"%s" is %s', (text, date) => {
    expect(parseListDate(text)).toEqual({ ok: true, date });
  });

  it.each(['31/02/2023', '2023-13-01', 'abc', '05 ngày', '12345', '4/5'])('"%s" is not a date', (text) => {
    expect(parseListDate(text)).toEqual({ ok: false });
  });

  it('an empty cell is no date, not a wrong one', () => {
    expect(parseListDate('  ')).toEqual({ ok: true, date: null });
  });
});

describe('headers and rows of real exports', () => {
  it('finds the columns by meaning in other wordings, with extra columns, the due date before a number of days', () => {
    const found = headerColumns(['STT', 'Số biên nhận', 'Thời hạn giải quyết', 'Lĩnh vực', 'Tên TTHC', 'Chủ hồ sơ', 'Thời gian tiếp nhận', 'Hẹn trả', 'Tình trạng', 'Ngày trả kết quả', 'Đơn vị xử lý', 'Trạng thái thanh toán']);
    expect(Object.fromEntries(found!)).toEqual({ code: 1, due: 7, procedure: 4, applicant: 5, received: 6, status: 8, returned: 9, unit: 10 });
    // without an appointment column, "Ngày trả kết quả" is the appointment
    expect(headerColumns(['Mã hồ sơ', 'Ngày trả kết quả'])?.get('due')).toBe(1);
    expect(headerColumns(['Ma ho so', 'Han xu ly', 'Trang thai'])?.get('status')).toBe(2);
    const other = headerColumns(['Mã HS', 'Địa chỉ công dân', 'Số điện thoại người nộp', 'Tên công dân', 'Cơ quan thụ lý', 'Ngày hẹn trả KQ']);
    expect(Object.fromEntries(other!)).toEqual({ code: 0, applicant: 3, unit: 4, due: 5 });
    expect(headerColumns(['Mã hồ sơ', 'Kết quả xử lý', 'Ngày hẹn trả'])?.get('status')).toBe(1);
  });

  it('codes lose their spaces; statuses with or without diacritics; a return date closes the row', () => {
    const parsed = parseDossierRows(
      rows([
        ['DANH SÁCH HỒ SƠ'],
        ['Mã hồ sơ', 'Ngày hẹn trả', 'Trạng thái', 'Ngày trả kết quả', 'Ghi chú'],
        ['000.00.20.H12 - 230420 - 0001', '04/05/2023', 'DA TRA KET QUA', '03/05/2023', 'x'],
        ['H12-2', '04/05/2023', 'cho bo sung', '', ''],
        ['H12-3', '04/05/2023', 'Đang xử lý', '05/05/2023', ''],
        ['H12-4', '04/05/2023', 'Mức độ 4', '', ''],
        ['H12-5', '04/05/2023', '', '', ''],
      ]),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.dossiers.map((d) => [d.code, d.status?.status ?? null, d.status?.late ?? null, d.returnedOn])).toEqual([
      ['000.00.20.H12-230420-0001', 'returned', null, '2023-05-03'],
      ['H12-2', 'paused', null, null],
      ['H12-3', 'returned', true, '2023-05-05'],
      ['H12-4', null, null, null],
      ['H12-5', null, null, null],
    ]);
    expect(parsed.warnings.map((w) => w.message)).toContain('Dòng 6 (hồ sơ H12-4): chưa hiểu trạng thái "Mức độ 4"; coi như hồ sơ đang giải quyết');
    expect(cleanCode(' A\u200b B\tC ')).toBe('ABC');
  });

  it('only rows without a code or a real due date are errors; a received date after the due date is dropped with a warning', () => {
    const parsed = parseDossierRows(
      rows([
        ['Mã hồ sơ', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Đơn vị'],
        ['A-1', '10/05/2023', '04/05/2023', 'Phòng Không Có'],
        ['', '01/05/2023', '04/05/2023', ''],
        ['A-3', '', '31/02/2023', ''],
        ['A-4', 'hôm qua', '', ''],
      ]),
    );
    expect(parsed.errors.map((e) => e.message)).toEqual(['Dòng 3: thiếu mã hồ sơ', 'Dòng 4 (hồ sơ A-3): ngày hẹn trả "31/02/2023" không phải ngày hợp lệ (dạng ngày/tháng/năm, ví dụ 04/05/2023)', 'Dòng 5 (hồ sơ A-4): thiếu ngày hẹn trả']);
    expect(parsed.dossiers.map((d) => [d.code, d.received, d.unit])).toEqual([['A-1', null, 'Phòng Không Có']]);
    expect(parsed.warnings.map((w) => w.message)).toContain('Dòng 2 (hồ sơ A-1): ngày tiếp nhận 10/05/2023 sau ngày hẹn trả 04/05/2023; bỏ qua ngày tiếp nhận');
  });

  it('a code listed twice keeps its most final row and says which', () => {
    const parsed = parseDossierRows(
      rows([
        ['Mã hồ sơ', 'Ngày hẹn trả', 'Trạng thái'],
        ['B-1', '04/05/2023', 'Đã trả kết quả'],
        ['B-1', '04/05/2023', 'Đang xử lý'],
        ['B-2', '04/05/2023', 'Đang xử lý'],
        ['B-2', '08/05/2023', 'Chờ bổ sung'],
        ['B-3', '04/05/2023', 'Đang xử lý'],
        ['B-3', '04/05/2023', 'Đang xử lý'],
      ]),
    );
    expect(parsed.dossiers.map((d) => [d.code, d.status?.status, d.due])).toEqual([
      ['B-1', 'returned', '2023-05-04'],
      ['B-2', 'paused', '2023-05-08'],
      ['B-3', 'processing', '2023-05-04'],
    ]);
    const messages = parsed.warnings.map((w) => w.message);
    expect(messages).toContain('Dòng 3 (hồ sơ B-1): mã hồ sơ đã có ở dòng 2 với dữ liệu khác; dùng dòng 2 (đã trả kết quả, hẹn trả 04/05/2023)');
    expect(messages).toContain('Dòng 5 (hồ sơ B-2): mã hồ sơ đã có ở dòng 4 với dữ liệu khác; dùng dòng 5 (tạm dừng tính thời hạn (chờ bổ sung hoặc tạm dừng), hẹn trả 08/05/2023)');
    expect(messages).toContain('Dòng 7 (hồ sơ B-3): trùng dòng 6, bỏ qua');
  });
});

describe('statuses and units through the store (SQLite)', () => {
  let h: Harness;
  let dir: string;
  const units = [
    { name: 'Văn phòng UBND tỉnh', kind: 'province_office' as const, aliases: [] },
    { name: 'Sở Tư pháp', kind: 'department' as const, aliases: ['STP'] },
  ];
  beforeAll(async () => {
    h = await harness(tempSqliteUrl());
    await seedPlan(h.app, { year: 2023, units, chats: { 'console:stp': 'Sở Tư pháp' }, officers: { 'console:officer': 'Sở Tư pháp' }, tasks: [{ code: '1.1', deadline: '30/06/2023', lead: ['Sở Tư pháp'] }] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-'));
  });
  afterAll(() => h.close());

  const prisma = () => h.app.db.prisma;
  const csv = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };
  let n = 0;
  const run = (command: Command, args: string, chat = 'console:stp', user = 'console:officer') => {
    const ctx: CommandContext = {
      prisma: prisma(),
      now: h.app.clock(),
      zone: h.app.settings.timezone,
      calendar: h.app.calendar,
      admins: ['console:admin'],
      message: { chat, user, userName: 'Người thử', messageId: `m${++n}`, text: `/${command.name} ${args}` },
      args,
    };
    return command.run(ctx);
  };
  const status = async (code: string) => (await prisma().dossier.findUniqueOrThrow({ where: { code } })).status;

  it('stores each status; a re-import updates it with an audit row; a closed one is not reopened', async () => {
    h.at('2023-03-10T09:00');
    const first = await importDossierFile(
      prisma(),
      csv('a.csv', [
        'Mã hồ sơ,Ngày hẹn trả,Trạng thái,Đơn vị',
        'S-1,17/03/2023,Đang xử lý,Sở Tư pháp',
        'S-2,17/03/2023,Chờ bổ sung,Sở Tư pháp',
        'S-3,17/03/2023,Đã hủy,Sở Tư pháp',
        'S-4,17/03/2023,Từ chối tiếp nhận,Sở Tư pháp',
      ]),
    );
    expect(first.dossiers.map((d) => d.status)).toEqual(['processing', 'paused', 'cancelled', 'rejected']);
    expect(await status('S-2')).toBe('paused');
    const second = await importDossierFile(
      prisma(),
      csv('b.csv', [
        'Mã hồ sơ,Ngày hẹn trả,Trạng thái,Ngày trả kết quả,Đơn vị',
        'S-1,17/03/2023,Đã trả kết quả,16/03/2023,Sở Tư pháp',
        'S-2,20/03/2023,Đang xử lý,,Sở Tư pháp',
        'S-3,17/03/2023,Đang xử lý,,Sở Tư pháp',
        'S-4,17/03/2023,Từ chối,,Sở Tư pháp',
      ]),
    );
    expect(second.updated).toEqual(['S-1', 'S-2']);
    const s1 = await prisma().dossier.findUniqueOrThrow({ where: { code: 'S-1' } });
    expect(s1).toMatchObject({ status: 'returned', returnedOn: '2023-03-16', statusText: 'Đã trả kết quả' });
    expect(await status('S-2')).toBe('processing');
    expect(await status('S-3')).toBe('cancelled');
    expect(second.warnings.map((w) => w.message)).toContain('Hồ sơ S-3 đã ghi nhận đã hủy; tệp ghi "Đang xử lý": giữ trạng thái đã ghi nhận, không mở lại.');
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { dossierId: s1.id, action: 'dossier_update' } });
    expect(audit).toMatchObject({ fromStatus: 'processing', toStatus: 'returned' });
    expect(audit.detail).toContain('trạng thái: đang giải quyết → đã trả kết quả');
    // the export's other wording of the same status is kept without counting as a change
    const third = await importDossierFile(prisma(), csv('c.csv', ['Mã hồ sơ,Ngày hẹn trả,Trạng thái,Đơn vị', 'S-4,17/03/2023,Từ chối,Sở Tư pháp']));
    expect(third.unchanged).toBe(1);
  });

  it('/hoso says a paused dossier is paused and gets no prompt; the list marks it', async () => {
    await importDossierFile(prisma(), csv('p.csv', ['Mã hồ sơ,Ngày hẹn trả,Tình trạng,Đơn vị', 'P-1,17/03/2023,Tạm dừng,Sở Tư pháp']));
    const shown = (await run(hoso, 'P-1')).text;
    expect(shown).toContain('Trạng thái: ⏸ tạm dừng tính thời hạn');
    expect(shown).toContain('(theo hệ thống một cửa: "Tạm dừng")');
    expect(shown).toContain('Bot không nhắc hồ sơ này trong thời gian tạm dừng');
    expect((await run(hoso, '')).text).toContain('• P-1 — hẹn trả 17/03/2023 (còn 5 ngày làm việc) — ⏸ tạm dừng (chờ bổ sung), không nhắc');
    expect((await run(hoso, 'S-3')).text).toContain('Trạng thái: đã hủy (theo hệ thống một cửa: "Đã hủy"). Bot không nhắc hồ sơ này nữa.');
    expect((await run(hoso, 'tra S-3')).text).toBe('Hồ sơ S-3 đã đóng (đã hủy); không ghi nhận trả kết quả.');
    h.at('2023-03-15T09:00');
    const said = (await h.round()).filter((m) => m.kind === 'apology');
    expect(said.flatMap((m) => m.tasks)).toEqual([]);
  });

  it('an unknown unit is stored pending and prompted in the default group; /bind then the registry claim its dossiers', async () => {
    h.at('2023-03-20T09:00');
    const r = await importDossierFile(
      prisma(),
      csv('u.csv', ['Mã hồ sơ,Ngày hẹn trả,Đơn vị giải quyết', 'U-1,24/03/2023,Sở Khoa học và Công nghệ', 'U-2,24/03/2023,sở khoa hoc va cong nghe', 'U-3,24/03/2023,Trung tâm XYZ']),
    );
    expect(r.pendingUnits).toEqual(['Sở Khoa học và Công nghệ', 'Trung tâm XYZ']);
    expect(r.warnings.map((w) => w.message)).toContain(
      'Dòng 2 (hồ sơ U-1): đơn vị "Sở Khoa học và Công nghệ" chưa có trong danh mục; đã lưu ở trạng thái chờ xác nhận, lời nhắc gửi về nhóm mặc định cho đến khi quản trị viên gắn nhóm (/bind) hoặc nhập danh mục đơn vị',
    );
    const pending = await prisma().unit.findMany({ where: { status: 'pending' }, orderBy: { id: 'asc' } });
    expect(pending.map((u) => u.name)).toEqual(['Sở Khoa học và Công nghệ', 'Trung tâm XYZ']);
    const [u1, u2] = await Promise.all(['U-1', 'U-2'].map((code) => prisma().dossier.findUniqueOrThrow({ where: { code } })));
    expect(u1!.unitId).toBe(pending[0]!.id);
    expect(u2!.unitId).toBe(pending[0]!.id);

    h.at('2023-03-22T09:00');
    const prompts = async () =>
      (await h.round()).filter((m) => m.kind === 'apology' && m.tasks.some((t) => t.startsWith('U-'))).map((m) => ({ ...m, tasks: m.tasks.filter((t) => t.startsWith('U-')) }));
    const said = await prompts();
    expect(said.map((m) => [m.chat, m.tasks])).toEqual([['console:main', ['U-1', 'U-2', 'U-3']]]);
    expect(said[0]!.text).toContain('📌 Đơn vị Sở Khoa học và Công nghệ (đơn vị mới, chờ quản trị viên xác nhận hoặc gắn nhóm bằng /bind):');

    // /bind in a group claims the pending unit: the next prompt goes there
    expect((await run(bind, 'so khoa hoc va cong nghe', 'console:skhcn', 'console:admin')).text).toContain('Đã gắn nhóm này với đơn vị Sở Khoa học và Công nghệ');
    h.at('2023-03-23T09:00');
    const next = await prompts();
    expect(next.map((m) => [m.chat, m.tasks])).toEqual([
      ['console:skhcn', ['U-1', 'U-2']],
      ['console:main', ['U-3']],
    ]);

    // the registry names "Trung tâm XYZ" differently, with the export's name as an alias: U-3 moves, the pending unit goes
    const claimed = await importUnits(prisma(), [{ name: 'Trung tâm Dịch vụ XYZ tỉnh', kind: 'other', aliases: ['Trung tâm XYZ'] }], h.app.calendar);
    expect(claimed.dossiers).toBe(1);
    const u3 = await prisma().dossier.findUniqueOrThrow({ where: { code: 'U-3' }, include: { unit: true } });
    expect(u3.unit?.name).toBe('Trung tâm Dịch vụ XYZ tỉnh');
    expect(await prisma().unit.count({ where: { name: 'Trung tâm XYZ' } })).toBe(0);
    const history = await prisma().auditLog.findMany({ where: { dossierId: u3.id }, orderBy: { id: 'asc' } });
    expect(history.at(-1)!.detail).toBe('đơn vị giải quyết: Trung tâm Dịch vụ XYZ tỉnh (theo danh mục đơn vị)');
  });
});
