import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report as reportCommandCli, parseReportAt } from '../src/cli/report.ts';
import { UsageError } from '../src/cli/io.ts';
import { annualPeriod, buildReport, countTotal, halfYearPeriod, monthPeriod, parsePeriod, periodOf, quarterPeriod, type Report } from '../src/core/report.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { CHART_WIDTH, MAX_CHART_UNITS, statusChartPng, statusChartSvg } from '../src/files/chart.ts';
import { DETAIL_HEADERS, SUMMARY_HEADERS, reportCsv, reportWorkbook } from '../src/files/report-xlsx.ts';
import { markDone } from '../src/store/occurrences.ts';
import { loadReportInput, planReport, unitFigures } from '../src/store/report.ts';
import { localDateOf } from '../src/core/time.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const PLAN = 'Kế hoạch KSTTHC huyện Châu Thành năm 2023';
const VP = 'Văn phòng HĐND và UBND huyện';
const TU_PHAP = 'Phòng Tư pháp';
const LONG_TRI = 'UBND xã Long Trì';

describe('reporting periods (Nghị định 09/2019)', () => {
  it('quarters run from the 15th of the month before to the 14th of the last month', () => {
    expect(quarterPeriod(2023, 1)).toEqual({ from: '2022-12-15', to: '2023-03-14', label: 'Quý I/2023' });
    expect(quarterPeriod(2023, 2)).toMatchObject({ from: '2023-03-15', to: '2023-06-14', label: 'Quý II/2023' });
    expect(quarterPeriod(2023, 3)).toMatchObject({ from: '2023-06-15', to: '2023-09-14' });
    expect(quarterPeriod(2023, 4)).toMatchObject({ from: '2023-09-15', to: '2023-12-14', label: 'Quý IV/2023' });
    expect(annualPeriod(2023)).toEqual({ from: '2022-12-15', to: '2023-12-14', label: 'Năm 2023' });
    expect(() => quarterPeriod(2023, 5)).toThrow();
  });

  it('periodOf puts a day in its quarter, the 15th starting the next one', () => {
    expect(periodOf('2022-12-14').label).toBe('Quý IV/2022');
    expect(periodOf('2022-12-15').label).toBe('Quý I/2023');
    expect(periodOf('2023-01-01').label).toBe('Quý I/2023');
    expect(periodOf('2023-03-14').label).toBe('Quý I/2023');
    expect(periodOf('2023-03-15').label).toBe('Quý II/2023');
    expect(periodOf('2023-06-30').label).toBe('Quý III/2023');
  });

  it('parses what people type', () => {
    expect(parsePeriod('q1', '2023-03-31')?.label).toBe('Quý I/2023');
    expect(parsePeriod('quý I', '2023-03-31')?.label).toBe('Quý I/2023');
    expect(parsePeriod('quy 1', '2022-12-20')?.label).toBe('Quý I/2023'); // 20/12/2022 already reports for 2023
    expect(parsePeriod('Quý II/2024', '2023-03-31')?.label).toBe('Quý II/2024');
    expect(parsePeriod('q4 2022', '2023-03-31')?.from).toBe('2022-09-15');
    expect(parsePeriod('năm', '2023-03-31')?.label).toBe('Năm 2023');
    expect(parsePeriod('ca nam 2022', '2023-03-31')?.label).toBe('Năm 2022');
    expect(parsePeriod('quy 5', '2023-03-31')).toBeNull();
    expect(parsePeriod('linh tinh', '2023-03-31')).toBeNull();
  });

  it('6-month and monthly periods of Nghị định 09/2019/NĐ-CP art. 12: 15/12 to 14/06, the 15th of the month before to the 14th', () => {
    expect(halfYearPeriod(2023)).toEqual({ from: '2022-12-15', to: '2023-06-14', label: '6 tháng đầu năm 2023' });
    expect(monthPeriod(2023, 3)).toEqual({ from: '2023-02-15', to: '2023-03-14', label: 'Tháng 3/2023' });
    expect(monthPeriod(2023, 1)).toEqual({ from: '2022-12-15', to: '2023-01-14', label: 'Tháng 1/2023' });
    expect(monthPeriod(2024, 12)).toMatchObject({ from: '2024-11-15', to: '2024-12-14' });
    expect(() => monthPeriod(2023, 13)).toThrow();
    for (const typed of ['6t', '6T', '6 tháng', '6 thang', 'sáu tháng', '6 tháng đầu năm', 'nửa năm']) expect(parsePeriod(typed, '2023-07-01')).toEqual(halfYearPeriod(2023));
    expect(parsePeriod('6 tháng/2024', '2023-07-01')?.label).toBe('6 tháng đầu năm 2024');
    expect(parsePeriod('6t 2022', '2023-07-01')?.from).toBe('2021-12-15');
    expect(parsePeriod('6 tháng', '2022-12-20')?.label).toBe('6 tháng đầu năm 2023');
    for (const typed of ['thang 3', 'tháng 3', 'thang3', 'Tháng 03', 't3', 'T3/2023', 'tháng 3 năm 2023', 'thang 03/2023']) expect(parsePeriod(typed, '2023-07-01')).toEqual(monthPeriod(2023, 3));
    expect(parsePeriod('tháng 1', '2022-12-20')?.label).toBe('Tháng 1/2023');
    expect(parsePeriod('thang 13', '2023-07-01')).toBeNull();
    expect(parsePeriod('thang 0', '2023-07-01')).toBeNull();
    expect(parsePeriod('7 tháng', '2023-07-01')).toBeNull();
  });
});

describe('report of the example plan through the first quarter of 2023', () => {
  let h: Harness;
  let dbUrl: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-report-'));

  const zone = () => h.app.settings.timezone;
  const assignmentOf = (code: string, unit: string) =>
    h.app.db.prisma.assignment.findFirstOrThrow({ where: { role: 'lead', task: { code }, unit: { name: unit } } });
  const doneAs = async (code: string, unit: string, iso: string) => {
    const now = h.at(iso);
    const a = await assignmentOf(code, unit);
    const result = await markDone(h.app.db.prisma, a.id, { user: 'telegram:77' }, now, zone(), localDateOf(now, zone()));
    expect(result.kind).toBe('done');
  };
  const reportAt = (iso: string, period: Report['period'] = null) =>
    planReport(h.app.db.prisma, { at: h.at(iso), zone: zone(), calendar: h.app.calendar, planName: PLAN, period });
  const unit = (r: Report, name: string) => {
    const u = r.units.find((x) => x.unit === name);
    if (!u) throw new Error(`no unit ${name}`);
    const { unitId: _id, unit: _name, ...counts } = u;
    return counts;
  };

  beforeAll(async () => {
    dbUrl = tempSqliteUrl();
    h = await harness(dbUrl);
    expect(await ensureExamplePlan(h.app)).toBe(true);
    const prisma = h.app.db.prisma;
    await prisma.officer.create({ data: { user: 'telegram:77', unitId: (await prisma.unit.findUniqueOrThrow({ where: { name: LONG_TRI } })).id, displayName: 'Nguyễn Văn A' } });

    // Văn phòng (the console group): 1.1.3 (due 14/02) early, 1.1.1 (due 15/02) on the day, 1.1.2 (due 27/02) late
    h.at('2023-02-10T09:00');
    expect(await h.say('/done 1.1.3')).toContain('đúng hạn');
    h.at('2023-02-15T16:30');
    expect(await h.say('/done 1.1.1')).toContain('đúng hạn');
    h.at('2023-03-20T09:00');
    expect(await h.say('/done 1.1.2')).toContain('quá hạn');
    // the quarter's tasks due 31/03: 1.1.4 on time, 6.1.1 late on Monday 03/04; 2.2.1 and 2.2.4 left open
    h.at('2023-03-29T10:00');
    expect(await h.say('/done 1.1.4')).toContain('đúng hạn');
    h.at('2023-04-03T08:15');
    expect(await h.say('/done 6.1.1')).toContain('quá hạn');
    // other units: Long Trì's 2.2.4 on time, Tư pháp's 6.1.1 late (marked through the store, as a unit's officer would)
    await doneAs('2.2.4', LONG_TRI, '2023-03-30T14:00');
    await doneAs('6.1.1', TU_PHAP, '2023-04-04T09:00');
    // a check-in answer for an ongoing task of Văn phòng (2.1.1 "Thường xuyên"), said in its group
    const task = await prisma.task.findFirstOrThrow({ where: { code: '2.1.1' } });
    await prisma.auditLog.create({ data: { at: new Date('2023-03-01T03:00:00Z'), action: 'checkin', actor: 'console:officer', chat: 'console:main', taskId: task.id, detail: 'Đã tiếp nhận 120 hồ sơ, không có hồ sơ trễ hạn' } });
    await prisma.auditLog.create({ data: { at: new Date('2023-04-03T03:00:00Z'), action: 'checkin', actor: 'console:officer', chat: 'console:main', taskId: task.id, detail: 'Tháng 3: 98 hồ sơ đúng hạn' } });
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // [unit, done_on_time, done_late, open_in_time, open_overdue, no_deadline]
  type Row = [string, number, number, number, number, number];
  const table = (r: Report): Row[] => r.units.map((u) => [u.unit, u.done_on_time, u.done_late, u.open_in_time, u.open_overdue, u.no_deadline]);
  const OTHERS_NO_DEADLINE: [string, number][] = [
    ['Cán bộ, công chức, viên chức tại Bộ phận TN&TKQ các cấp', 1],
    ['Phòng Kinh tế và Hạ tầng', 21],
    ['Phòng Lao động - Thương binh và Xã hội', 21],
    ['Phòng Nội vụ', 21],
    ['Phòng Tài chính - Kế hoạch', 21],
    ['Phòng Tài nguyên và Môi trường', 21],
    ['Phòng Tư pháp', 22],
    ['Phòng Văn hóa và Thông tin', 22],
    ['Trung tâm Văn hóa, Thể thao và Truyền thanh huyện', 1],
    ['UBND thị trấn Tầm Vu', 21],
    ['UBND xã An Lục Long', 21],
    ['UBND xã Dương Xuân Hội', 21],
    ['UBND xã Long Trì', 21],
  ];

  it('Quý I/2023 (15/12/2022 - 14/03/2023), asked on 05/04: judged at the end of 14/03, only what was due in it', async () => {
    const r = await reportAt('2023-04-05T10:00', quarterPeriod(2023, 1));
    expect(r.period).toEqual({ from: '2022-12-15', to: '2023-03-14', label: 'Quý I/2023' });
    expect(r.judgedOn).toBe('2023-03-14');
    // 1.1.3 early and 1.1.1 on the day are on time; 1.1.2 (due 27/02) was still open on 14/03 (done 20/03)
    expect(table(r)).toEqual([[VP, 2, 0, 0, 1, 23], ...OTHERS_NO_DEADLINE.map(([u, n]): Row => [u, 0, 0, 0, 0, n])]);
    expect(r.totals).toEqual({ done_on_time: 2, done_late: 0, open_in_time: 0, open_overdue: 1, no_deadline: 23 + 235 });
    expect(r.late.map((l) => [l.code, l.unit, l.status, l.daysLate, l.workingDaysLate])).toEqual([['1.1.2', VP, 'open_overdue', 15, 11]]);
  });

  it('Quý II/2023 asked on 05/04: the 31/03 deadlines, and 1.1.2 carried over from Quý I (done late in the period)', async () => {
    const r = await reportAt('2023-04-05T10:00', quarterPeriod(2023, 2));
    expect(r.judgedOn).toBe('2023-04-05');
    expect(table(r)).toEqual<Row[]>([
      ['Phòng Văn hóa và Thông tin', 0, 0, 0, 2, 22], // 5.2.2 and 6.1.1
      ['UBND thị trấn Tầm Vu', 0, 0, 0, 2, 21], // 2.2.4 and 6.1.1
      ['UBND xã An Lục Long', 0, 0, 0, 2, 21],
      ['UBND xã Dương Xuân Hội', 0, 0, 0, 2, 21],
      [VP, 1, 2, 0, 2, 23], // 1.1.4 on time; 1.1.2 (carried) and 6.1.1 late; 2.2.1 and 2.2.4 open
      ['Phòng Kinh tế và Hạ tầng', 0, 0, 0, 1, 21],
      ['Phòng Lao động - Thương binh và Xã hội', 0, 0, 0, 1, 21],
      ['Phòng Nội vụ', 0, 0, 0, 1, 21],
      ['Phòng Tài chính - Kế hoạch', 0, 0, 0, 1, 21],
      ['Phòng Tài nguyên và Môi trường', 0, 0, 0, 1, 21],
      [TU_PHAP, 0, 1, 0, 1, 22], // 6.1.1 late (04/04), 2.2.1 open
      ['Trung tâm Văn hóa, Thể thao và Truyền thanh huyện', 0, 0, 0, 1, 1],
      [LONG_TRI, 1, 0, 0, 1, 21], // 2.2.4 on time (30/03), 6.1.1 open
      ['Cán bộ, công chức, viên chức tại Bộ phận TN&TKQ các cấp', 0, 0, 0, 0, 1],
    ]);
    expect(r.rows.find((x) => x.code === '1.1.2')).toMatchObject({ carriedOver: true, status: 'done_late', doneOn: '2023-03-20' });
    // late items: working days after the due day (31/03 was a Friday)
    const late = (code: string, unitName: string) => r.late.find((l) => l.code === code && l.unit === unitName);
    expect(late('6.1.1', TU_PHAP)).toMatchObject({ status: 'done_late', doneOn: '2023-04-04', daysLate: 4, workingDaysLate: 2 });
    expect(late('6.1.1', VP)).toMatchObject({ status: 'done_late', doneOn: '2023-04-03', daysLate: 3, workingDaysLate: 1 });
    expect(late('2.2.1', VP)).toMatchObject({ status: 'open_overdue', doneOn: null, daysLate: 5, workingDaysLate: 3 });
    expect(late('1.1.2', VP)).toMatchObject({ status: 'done_late', daysLate: 21, workingDaysLate: 15 });
    expect(r.late).toHaveLength(r.totals.done_late + r.totals.open_overdue);
    expect(r.late[0]!.status).toBe('open_overdue');
    // per part of the plan (first segment of the section path)
    expect(r.parts.map((p) => [p.part, p.done_on_time, p.done_late, p.open_in_time, p.open_overdue])).toEqual([
      ['1', 1, 1, 0, 0],
      ['2', 1, 0, 0, 6],
      ['3', 0, 0, 0, 0],
      ['4', 0, 0, 0, 0],
      ['5', 0, 0, 0, 2],
      ['6', 0, 2, 0, 10],
    ]);
    expect(r.parts[0]!.title).toBe('Thực hiện các nhiệm vụ trong hoạt động kiểm soát TTHC');
    expect(countTotal(r.totals)).toBe(r.parts.reduce((n, p) => n + countTotal(p), 0));
  });

  it('to date (no period): every occurrence of the plan judged on 05/04; a completion after the instant does not count yet', async () => {
    const r = await reportAt('2023-04-05T10:00');
    expect(r.period).toBeNull();
    expect(unit(r, VP)).toEqual({ done_on_time: 3, done_late: 2, open_in_time: 8, open_overdue: 2, no_deadline: 23 });
    expect(unit(r, TU_PHAP)).toEqual({ done_on_time: 0, done_late: 1, open_in_time: 5, open_overdue: 1, no_deadline: 22 });
    expect(unit(r, LONG_TRI)).toEqual({ done_on_time: 1, done_late: 0, open_in_time: 4, open_overdue: 1, no_deadline: 21 });
    expect(unit(r, 'Trung tâm Văn hóa, Thể thao và Truyền thanh huyện')).toEqual({ done_on_time: 0, done_late: 0, open_in_time: 0, open_overdue: 1, no_deadline: 1 });
    const before = await reportAt('2023-03-31T12:00');
    expect(unit(before, VP)).toEqual({ done_on_time: 3, done_late: 1, open_in_time: 11, open_overdue: 0, no_deadline: 23 });
    expect(unit(before, TU_PHAP)).toEqual({ done_on_time: 0, done_late: 0, open_in_time: 7, open_overdue: 0, no_deadline: 22 });
    // the same figures whatever the server's time zone or the pure path taken
    const input = await loadReportInput(h.app.db.prisma, PLAN);
    expect(buildReport(input, { at: r.at, zone: zone() }, h.app.calendar).units).toEqual(r.units);
    // and the office's weekly digest counts the same (its own query)
    expect(await unitFigures(h.app.db.prisma, r.at, zone())).toEqual(r.units);
    expect(await unitFigures(h.app.db.prisma, before.at, zone())).toEqual(before.units);
  });

  it('ongoing tasks carry their last check-in answer up to the judging instant', async () => {
    const april = await reportAt('2023-04-05T10:00');
    const row = (r: Report) => r.rows.find((x) => x.code === '2.1.1' && x.unit === VP)!;
    expect(row(april)).toMatchObject({ status: 'no_deadline', due: null, statusLabel: 'Không có thời hạn' });
    expect(row(april).lastCheckin).toMatchObject({ on: '2023-04-03', answer: 'Tháng 3: 98 hồ sơ đúng hạn' });
    const march = await reportAt('2023-03-10T10:00');
    expect(row(march).lastCheckin).toMatchObject({ on: '2023-03-01', answer: 'Đã tiếp nhận 120 hồ sơ, không có hồ sơ trễ hạn' });
    const feb = await reportAt('2023-02-20T10:00');
    expect(row(feb).lastCheckin).toBeNull();
  });

  it('the XLSX reads back: titles, Vietnamese headers, one row per unit, totals equal to what was counted', async () => {
    const r = await reportAt('2023-04-05T10:00', quarterPeriod(2023, 2));
    const bytes = await reportWorkbook(r);
    expect(Buffer.from(bytes.subarray(0, 2)).toString()).toBe('PK');
    expect(Buffer.from(await reportWorkbook(r)).equals(Buffer.from(bytes))).toBe(true); // deterministic
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Chi tiết', 'Quá hạn', 'Theo phần']);
    expect(wb.created.toISOString()).toBe(r.judgedAt.toISOString());

    const summary = wb.getWorksheet('Tổng hợp')!;
    const titles = [1, 2, 3].map((n) => String(summary.getCell(n, 1).value));
    expect(titles[1]).toBe(PLAN);
    expect(titles[2]).toContain('Kỳ báo cáo: 15/03/2023 - 14/06/2023');
    const headerRow = 6;
    expect(summary.getRow(headerRow).values).toEqual([undefined, ...SUMMARY_HEADERS]);
    expect(SUMMARY_HEADERS).toEqual(['Đơn vị', 'Hoàn thành đúng hạn', 'Hoàn thành quá hạn', 'Đang thực hiện trong hạn', 'Chưa hoàn thành - quá hạn', 'Không có thời hạn', 'Tổng']);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(summary.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1 });
    const unitRows = [];
    for (let n = headerRow + 1; n <= summary.rowCount; n++) unitRows.push(summary.getRow(n).values as unknown[]);
    expect(unitRows).toHaveLength(r.units.length + 1);
    expect(unitRows.slice(0, -1).map((v) => v[1])).toEqual(r.units.map((u) => u.unit));
    expect(unitRows.find((v) => v[1] === TU_PHAP)!.slice(2)).toEqual([0, 1, 0, 1, 22, 24]);
    const totalRow = unitRows.at(-1)!;
    expect(totalRow[1]).toBe('Tổng cộng');
    expect(totalRow.slice(2, 7)).toEqual([r.totals.done_on_time, r.totals.done_late, r.totals.open_in_time, r.totals.open_overdue, r.totals.no_deadline]);
    // the grand total is the number of detail rows: every counted occurrence and every no-deadline assignment
    const detail = wb.getWorksheet('Chi tiết')!;
    expect(detail.getRow(headerRow).values).toEqual([undefined, ...DETAIL_HEADERS]);
    expect(detail.rowCount - headerRow).toBe(r.rows.length);
    expect(totalRow[7]).toBe(r.rows.length);
    const noDeadline = await h.app.db.prisma.assignment.count({ where: { role: 'lead', occurrences: { none: {} } } });
    expect(r.totals.no_deadline).toBe(noDeadline);
    const tp611 = r.rows.findIndex((x) => x.code === '6.1.1' && x.unit === TU_PHAP);
    const cells = detail.getRow(headerRow + 1 + tp611).values as unknown[];
    expect(cells.slice(1, 4)).toEqual(['6.1.1', r.rows[tp611]!.content, TU_PHAP]);
    expect((cells[4] as Date).toISOString()).toBe('2023-03-31T00:00:00.000Z');
    expect(cells[5]).toBe('Hoàn thành quá hạn');
    expect((cells[6] as Date).toISOString()).toBe('2023-04-04T00:00:00.000Z');
    expect(cells[7]).toBe('Nguyễn Văn A');
    expect(detail.getCell(headerRow + 1, 4).numFmt).toBe('dd/mm/yyyy');

    const late = wb.getWorksheet('Quá hạn')!;
    expect(late.rowCount - headerRow).toBe(r.late.length);
    const lateTp = late.getRow(headerRow + 1 + r.late.findIndex((l) => l.code === '6.1.1' && l.unit === TU_PHAP)).values as unknown[];
    expect(lateTp.slice(7, 9)).toEqual([2, 4]);
  });

  it('the CSV (UTF-8 with BOM) parses back to the detail rows', async () => {
    const r = await reportAt('2023-04-05T10:00', quarterPeriod(2023, 2));
    const csv = reportCsv(r);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const records = parseCsv(csv, { bom: true }) as string[][];
    expect(records[0]).toEqual(DETAIL_HEADERS);
    expect(records).toHaveLength(r.rows.length + 1);
    const tp = records.find((x) => x[0] === '6.1.1' && x[2] === TU_PHAP)!;
    expect(tp.slice(3, 7)).toEqual(['31/03/2023', 'Hoàn thành quá hạn', '04/04/2023', 'Nguyễn Văn A']);
    expect(records.find((x) => x[0] === '1.1.2')![7]).toBe('Tồn từ kỳ trước');
    expect(records.filter((x) => x[4] === 'Chưa hoàn thành - quá hạn')).toHaveLength(r.totals.open_overdue);
  });

  it('the chart is a PNG drawn from the same figures', async () => {
    const r = await reportAt('2023-04-05T10:00', quarterPeriod(2023, 2));
    const svg = statusChartSvg(r.units, { date: r.judgedOn, subtitle: [r.plan] });
    expect(svg).toContain('đến ngày 05/04/2023');
    for (const u of r.units) expect(svg).toContain(u.unit.replace(/&/g, '&amp;'));
    for (const label of ['Hoàn thành đúng hạn', 'Hoàn thành quá hạn', 'Đang thực hiện trong hạn', 'Chưa hoàn thành - quá hạn', 'Không có thời hạn']) expect(svg).toContain(label);
    expect(svg).toContain('<title>Hoàn thành quá hạn: 2</title>'); // Văn phòng's two late completions
    expect(svg).toContain('>28</text>'); // Văn phòng's total: 1 + 2 + 2 + 23
    const png = await statusChartPng(r.units, { date: r.judgedOn });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(Buffer.from(png.subarray(12, 16)).toString('ascii')).toBe('IHDR');
    expect(view.getUint32(16)).toBe(CHART_WIDTH);
    const height = view.getUint32(20);
    expect(height).toBeGreaterThan(14 * 80);
    expect(height).toBeLessThan(3000);

    const many = Array.from({ length: 40 }, (_, i) => ({ unitId: i, unit: `UBND xã Số ${i + 1}`, done_on_time: i, done_late: 1, open_in_time: 2, open_overdue: 3, no_deadline: 4 }));
    const manySvg = statusChartSvg(many);
    expect(manySvg).toContain(`và ${40 - MAX_CHART_UNITS} đơn vị khác`);
    expect(manySvg).toContain('UBND xã Số 25<');
    expect(manySvg).not.toContain('UBND xã Số 26<');
  });

  it('/baocao answers in text, sends the XLSX with /baocao xlsx, takes "quy 1", refuses nonsense', async () => {
    h.at('2023-04-05T10:00');
    const plain = await h.say('/baocao');
    expect(plain).toContain('Số liệu đến ngày 05/04/2023');
    expect(plain).toContain(`${VP}: 3 / 2 / 8 / 2 / 23`);
    const q1 = await h.say('/baocao quy 1');
    expect(q1).toContain('Kỳ báo cáo: 15/12/2022 - 14/03/2023');
    expect(q1).toContain(`${VP}: 2 / 0 / 0 / 1 / 23`);
    expect(await h.say('/baocao q1')).toBe(q1);
    const ask = (text: string) => h.app.handle({ chat: 'console:main', user: 'console:officer', userName: 'Cán bộ', messageId: `m-${text}`, text });
    const reply = await ask('/baocao xlsx');
    expect(reply?.attachment?.fileName).toBe('bao-cao-2023-04-05.xlsx');
    expect(reply?.attachment?.mime).toContain('spreadsheetml');
    expect(reply?.text).toContain('14 đơn vị');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply!.attachment!.data) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Tổng hợp')!.getCell(3, 1).value).toContain('05/04/2023');
    const quarter = await ask('/baocao q2 xlsx');
    expect(quarter?.attachment?.fileName).toBe('bao-cao-quy-ii-2023-2023-04-05.xlsx');
    const chart = await ask('/baocao bieudo');
    expect(chart?.attachment?.mime).toBe('image/png');
    expect(chart?.attachment?.altText).toContain(`${VP}: 3 / 2 / 8 / 2 / 23`); // the figures, for a platform without the picture
    expect(await h.say('/baocao 6 tháng')).toContain('Kỳ báo cáo: 15/12/2022 - 14/06/2023 (6 tháng đầu năm 2023)');
    expect(await h.say('/baocao thang 3')).toContain('Kỳ báo cáo: 15/02/2023 - 14/03/2023 (Tháng 3/2023)');
    expect((await ask('/baocao 6t xlsx'))?.attachment?.fileName).toBe('bao-cao-6-thang-dau-nam-2023-2023-04-05.xlsx');
    const bad = await h.say('/baocao tuan sau');
    expect(bad).toContain('Không hiểu "tuan sau"');
    expect(bad).toContain('/baocao quy 1');
  });

  it('CLI report --json has the contract shape and writes the files', async () => {
    const files = { xlsx: path.join(tmp, 'bc.xlsx'), csv: path.join(tmp, 'bc.csv'), chart: path.join(tmp, 'bc.png') };
    const out = await reportCommandCli.run(['--plan', PLAN, '--at', '2023-04-05', '--xlsx', files.xlsx, '--csv', files.csv, '--chart', files.chart], { db: dbUrl, json: true });
    const json = out.json as { at: string; units: Record<string, unknown>[]; totals: Record<string, number>; files: Record<string, string> };
    expect(json.at).toBe('2023-04-05');
    expect(json.units).toHaveLength(14);
    for (const u of json.units) expect(Object.keys(u)).toEqual(expect.arrayContaining(['unit', 'done_on_time', 'done_late', 'open_in_time', 'open_overdue', 'no_deadline']));
    expect(json.units.find((u) => u.unit === VP)).toMatchObject({ done_on_time: 3, done_late: 2, open_in_time: 8, open_overdue: 2, no_deadline: 23 });
    expect(json.files).toEqual({ xlsx: files.xlsx, csv: files.csv, chart: files.chart });
    expect(fs.readFileSync(files.xlsx).subarray(0, 2).toString()).toBe('PK');
    expect(fs.readFileSync(files.chart).subarray(1, 4).toString()).toBe('PNG');
    expect(fs.readFileSync(files.csv, 'utf8').charCodeAt(0)).toBe(0xfeff);
    expect(out.text).toContain(`${VP}: 3 / 2 / 8 / 2 / 23`);

    const q1 = await reportCommandCli.run(['--at', '2023-04-05T10:00', '--period', 'q1'], { db: dbUrl, json: true });
    expect(q1.json).toMatchObject({ at: '2023-03-14', period: { from: '2022-12-15', to: '2023-03-14', label: 'Quý I/2023' } });
    // a day means the end of that day: 1.1.1 done at 16:30 on its due day counts on 15/02
    const feb = (await reportCommandCli.run(['--at', '15/02/2023'], { db: dbUrl, json: true })).json as typeof json;
    expect(feb.units.find((u) => u.unit === VP)).toMatchObject({ done_on_time: 2, open_overdue: 0 });

    await expect(reportCommandCli.run(['--at', '31/02/2023'], { db: dbUrl, json: true })).rejects.toThrow(UsageError);
    await expect(reportCommandCli.run(['--at', 'hom kia'], { db: dbUrl, json: true })).rejects.toThrow(/không phải ngày hợp lệ/);
    await expect(reportCommandCli.run(['--plan', 'Kế hoạch không có'], { db: dbUrl, json: true })).rejects.toThrow(UsageError);
    await expect(reportCommandCli.run(['--plan', 'Kế hoạch không có'], { db: dbUrl, json: true })).rejects.toThrow(/Không có kế hoạch "Kế hoạch không có"/);
    await expect(reportCommandCli.run(['--period', 'quy 7'], { db: dbUrl, json: true })).rejects.toThrow(UsageError);
    await expect(reportCommandCli.run(['--period', 'thang 13'], { db: dbUrl, json: true })).rejects.toThrow(/--period thang3/);
    // the 6-month and monthly windows of Nghị định 09/2019/NĐ-CP, judged at the end of their last day
    const half = (await reportCommandCli.run(['--at', '2023-07-01', '--period', '6t'], { db: dbUrl, json: true })).json as typeof json & { period: unknown };
    expect(half).toMatchObject({ at: '2023-06-14', period: { from: '2022-12-15', to: '2023-06-14', label: '6 tháng đầu năm 2023' } });
    const march = (await reportCommandCli.run(['--at', '2023-07-01', '--period', 'thang3'], { db: dbUrl, json: true })).json as typeof half;
    expect(march).toMatchObject({ at: '2023-03-14', period: { from: '2023-02-15', to: '2023-03-14', label: 'Tháng 3/2023' } });
    // what a month counts is within its quarter's figures, and the quarter's within the half year's
    const quarter = (await reportCommandCli.run(['--at', '2023-07-01', '--period', 'q1'], { db: dbUrl, json: true })).json as typeof half;
    expect(march.totals.total).toBeGreaterThan(0);
    expect(march.totals.total).toBeLessThan(quarter.totals.total!);
    expect(quarter.totals.total).toBeLessThan(half.totals.total!);
    // the plan name matches without case or diacritics
    const folded = await reportCommandCli.run(['--plan', 'ke hoach kstthc huyen chau thanh nam 2023', '--at', '2023-04-05'], { db: dbUrl, json: true });
    expect((folded.json as typeof json).units).toHaveLength(14);
  });

  it('parseReportAt reads a day as its end in Vietnam time, an instant as given', () => {
    expect(parseReportAt('2023-03-31', 'Asia/Ho_Chi_Minh', new Date()).toISOString()).toBe('2023-03-31T16:59:59.999Z');
    expect(parseReportAt('2023-03-31T08:00', 'Asia/Ho_Chi_Minh', new Date()).toISOString()).toBe('2023-03-31T01:00:00.000Z');
    expect(() => parseReportAt('2023-13-01', 'Asia/Ho_Chi_Minh', new Date())).toThrow(UsageError);
  });
});
