/**
 * Plan tables in layouts the PlanLayout options do not describe, built row by row with the project's writers
 * (gridDocxBuffer, gridXlsxBuffer) and read back: three header rows with "Thời gian" over "Bắt đầu | Kết thúc",
 * numbers with trailing dots ("1.1."), parts as letters "A." over Roman groups, lead and coordinating units in
 * one cell, a title block and a signature block around the table, spacer rows and notes rows across it.
 * Each pins the codes as printed, the task count, the units and deadlines, and that no task is empty.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { gridDocxBuffer, gridXlsxBuffer, type GridCell, type GridRow } from '../src/import/write-plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'nhacviec-grid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Cell = string | [string, number] | GridCell;
const cell = (c: Cell): GridCell => (typeof c === 'string' ? { text: c } : Array.isArray(c) ? { text: c[0], span: c[1], bold: true } : c);
const H = (...cells: Cell[]): GridRow => ({ header: true, cells: cells.map((c) => ({ bold: true, ...cell(c) })) });
const R = (...cells: Cell[]): GridRow => ({ cells: cells.map(cell) });

const VP = 'Văn phòng UBND tỉnh';
const TP = 'Sở Tư pháp';
/** [code, content, lead, coord, deadline] */
type Want = [string, string, string, string, string];

type Case = {
  grid: GridRow[];
  before?: string[];
  after?: string[];
  /** DOCX: tables of their own above and below the plan's (the agency and motto block, the signature block) */
  tables?: { before: GridRow[][]; after: GridRow[][] };
  /** XLSX: the column the table starts in */
  startColumn?: number;
  sections: [string, string][];
  tasks: Want[];
};

const CASES: Record<string, Case> = {
  'three header rows, "Thời gian" merged over "Bắt đầu | Kết thúc", "Phân công" over the units': {
    grid: [
      H({ text: 'STT', vmerge: 'restart' }, { text: 'Nội dung công việc', vmerge: 'restart' }, ['Phân công thực hiện', 2], ['Thời gian', 2], { text: 'Sản phẩm', vmerge: 'restart' }),
      H({ text: '', vmerge: 'continue' }, { text: '', vmerge: 'continue' }, 'Chủ trì', 'Phối hợp', 'Bắt đầu', 'Kết thúc', { text: '', vmerge: 'continue' }),
      H('(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)'),
      R('I', ['Công tác chỉ đạo, điều hành', 6]),
      R('1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 01/2024', 'Tháng 02/2024', 'Kế hoạch'),
      R('2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý II/2024', 'Quý III/2024', 'Báo cáo'),
      R('II', ['Công bố, công khai TTHC', 6]),
      R('1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, '', 'Thường xuyên', 'Quyết định'),
    ],
    sections: [['1', 'Công tác chỉ đạo, điều hành'], ['2', 'Công bố, công khai TTHC']],
    tasks: [
      ['1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'],
      ['2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Thường xuyên'],
    ],
  },
  'numbers with trailing dots: parts "1.", "2." and tasks "1.1.", "2.1."': {
    grid: [
      H('TT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn hoàn thành'),
      R('1.', ['Công tác chỉ đạo, điều hành', 4]),
      R('1.1.', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'),
      R('1.2.', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'),
      R('2.', ['Công bố, công khai TTHC', 4]),
      R('2.1.', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Thường xuyên'),
      R('2.2.', 'Công khai TTHC tại Bộ phận Một cửa', 'UBND cấp huyện', '', 'Thường xuyên'),
      R('3.', ['Báo cáo', 4]),
      R('3.1.', 'Báo cáo kết quả kiểm soát TTHC', VP, '', 'Hằng quý, 01 lần/quý'),
    ],
    sections: [['1', 'Công tác chỉ đạo, điều hành'], ['2', 'Công bố, công khai TTHC'], ['3', 'Báo cáo']],
    tasks: [
      ['1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'],
      ['2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Thường xuyên'],
      ['2.2', 'Công khai TTHC tại Bộ phận Một cửa', 'UBND cấp huyện', '', 'Thường xuyên'],
      ['3.1', 'Báo cáo kết quả kiểm soát TTHC', VP, '', 'Hằng quý, 01 lần/quý'],
    ],
  },
  'parts as letters "A.", "B." with Roman groups under them': {
    grid: [
      H('STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành'),
      R('A.', ['KIỂM SOÁT THỦ TỤC HÀNH CHÍNH', 4]),
      R('I.', ['Công tác chỉ đạo, điều hành', 4]),
      R('1.', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'),
      R('2.', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'),
      R('II.', ['Công bố, công khai TTHC', 4]),
      R('1.', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Ngay khi có văn bản của Trung ương'),
      R('B.', ['CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG', 4]),
      R('I.', ['Tiếp nhận và trả kết quả', 4]),
      R('1.', 'Số hóa hồ sơ, kết quả giải quyết TTHC', 'UBND cấp xã', '', 'Thường xuyên'),
    ],
    sections: [
      ['1', 'KIỂM SOÁT THỦ TỤC HÀNH CHÍNH'],
      ['1.1', 'Công tác chỉ đạo, điều hành'],
      ['1.2', 'Công bố, công khai TTHC'],
      ['2', 'CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG'],
      ['2.1', 'Tiếp nhận và trả kết quả'],
    ],
    tasks: [
      ['1.1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'],
      ['1.2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Ngay khi có văn bản của Trung ương'],
      ['2.1.1', 'Số hóa hồ sơ, kết quả giải quyết TTHC', 'UBND cấp xã', '', 'Thường xuyên'],
    ],
  },
  'lead and coordinating units in one "Đơn vị thực hiện" cell': {
    grid: [
      H('STT', 'Nội dung công việc', 'Đơn vị thực hiện', 'Thời gian thực hiện', 'Sản phẩm'),
      R('I', ['Công tác chỉ đạo, điều hành', 4]),
      R('1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', `Chủ trì: ${VP}; Phối hợp: Các sở, ngành`, 'Tháng 02/2024', 'Kế hoạch'),
      R('2', 'Kiểm tra việc thực hiện kiểm soát TTHC', `- Chủ trì: ${TP}\n- Phối hợp: ${VP}, Sở Nội vụ`, 'Quý III/2024', 'Báo cáo'),
      R('3', 'Rà soát, đơn giản hóa TTHC', `${TP} (chủ trì), các sở, ngành (phối hợp)`, 'Quý II/2024', 'Báo cáo'),
      R('II', ['Công bố, công khai TTHC', 4]),
      R('1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', 'Thường xuyên', 'Quyết định'),
      R('2', 'Công khai TTHC tại Bộ phận Một cửa', 'Đơn vị chủ trì: UBND cấp huyện', 'Thường xuyên', ''),
    ],
    sections: [['1', 'Công tác chỉ đạo, điều hành'], ['2', 'Công bố, công khai TTHC']],
    tasks: [
      ['1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, `${VP}, Sở Nội vụ`, 'Quý III/2024'],
      ['1.3', 'Rà soát, đơn giản hóa TTHC', TP, 'các sở, ngành', 'Quý II/2024'],
      ['2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', '', 'Thường xuyên'],
      ['2.2', 'Công khai TTHC tại Bộ phận Một cửa', 'UBND cấp huyện', '', 'Thường xuyên'],
    ],
  },
  'a title block and a signature block around the table, spacer rows and notes rows across it': {
    before: [
      'ỦY BAN NHÂN DÂN TỈNH AN GIANG',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      '',
      'PHỤ LỤC',
      'DANH MỤC NHIỆM VỤ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2024',
      '(Kèm theo Kế hoạch số 15/KH-UBND ngày 12/01/2024 của UBND tỉnh)',
      '',
    ],
    after: ['', 'Nơi nhận:', '- Như trên;', '- Lưu: VT.', 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Nguyễn Văn A'],
    grid: [
      H('STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Ghi chú'),
      R('I', ['Công tác chỉ đạo, điều hành', 5]),
      R('1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024', ''),
      R('', '', '', '', '', ''),
      R('2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024', ''),
      R(['Ghi chú: Các đơn vị báo cáo kết quả thực hiện về Văn phòng UBND tỉnh trước ngày 15/12/2024 để tổng hợp.', 6]),
      R('II', ['Công bố, công khai TTHC', 5]),
      R('1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Thường xuyên', ''),
      R('', '', '', '', '', ''),
      R(['* Nhiệm vụ ở mục II thực hiện theo Quyết định số 1085/QĐ-UBND ngày 20/5/2023.', 6]),
    ],
    sections: [['1', 'Công tác chỉ đạo, điều hành'], ['2', 'Công bố, công khai TTHC']],
    tasks: [
      ['1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', 'Quý III/2024'],
      ['2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Thường xuyên'],
    ],
  },
  'the agency and signature blocks as tables of their own (DOCX), the table from column C (XLSX), numbered notes under "Ghi chú:"': {
    tables: {
      before: [[R('ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 15/KH-UBND', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nAn Giang, ngày 12 tháng 01 năm 2024')]],
      after: [[R('Nơi nhận:\n- Như trên;\n- Lưu: VT.', 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn A')]],
    },
    startColumn: 3,
    before: ['KẾ HOẠCH', 'Kiểm soát thủ tục hành chính năm 2024', ''],
    after: ['', 'Nơi nhận:', '1. Như trên;', '2. Lưu: VT.'],
    grid: [
      H('STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Kinh phí'),
      R('I', ['Công tác chỉ đạo, điều hành', 5]),
      R('1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024', 'Ngân sách tỉnh'),
      R('2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', '02 lần/năm', ''),
      R('II', ['Công bố, công khai TTHC', 5]),
      R('1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Quý/lần', ''),
      R(['Ghi chú:', 6]),
      R(['1. Các đơn vị báo cáo kết quả về Văn phòng UBND tỉnh trước ngày 15/12/2024.', 6]),
      R(['2. Kinh phí thực hiện từ nguồn ngân sách được giao.', 6]),
    ],
    sections: [['1', 'Công tác chỉ đạo, điều hành'], ['2', 'Công bố, công khai TTHC']],
    tasks: [
      ['1.1', 'Ban hành Kế hoạch kiểm soát TTHC năm 2024', VP, 'Các sở, ngành', 'Tháng 02/2024'],
      ['1.2', 'Kiểm tra việc thực hiện kiểm soát TTHC', TP, '', '02 lần/năm'],
      ['2.1', 'Công bố danh mục TTHC', 'Các sở, ban, ngành tỉnh', VP, 'Quý/lần'],
    ],
  },
};

let n = 0;
describe('plan tables in layouts built row by row (DOCX and XLSX by the project writers)', () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const opts = { ...(c.before ? { before: c.before } : {}), ...(c.after ? { after: c.after } : {}) };
    for (const [ext, data] of [
      ['docx', await gridDocxBuffer(c.grid, { ...opts, ...(c.tables ? { tablesBefore: c.tables.before, tablesAfter: c.tables.after } : {}) })],
      ['xlsx', await gridXlsxBuffer(c.grid, { ...opts, ...(c.startColumn ? { startColumn: c.startColumn } : {}) })],
    ] as const) {
      const path = join(dir, `grid-${++n}.${ext}`);
      writeFileSync(path, data);
      const plan = await readPlanFile(path);
      expect(plan.tasks.map((t) => [t.code, t.content, t.leadText, t.coordText, t.deadlineText]), ext).toEqual(c.tasks);
      expect(plan.sections.map((s) => [s.path, s.title]), ext).toEqual(c.sections);
      for (const t of plan.tasks) expect(t.content !== '' && t.leadText !== '' && t.deadlineText !== '', `${ext} ${t.code}`).toBe(true);
      expect(plan.warnings.map((w) => w.message), ext).toEqual([]);
    }
  });
});
