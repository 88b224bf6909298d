import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedPlan } from '../src/core/plan-table.ts';
import { PlanFileError } from '../src/import/errors.ts';
import { readPlanFile, readPlanRows } from '../src/import/read-plan-file.ts';
import { groupsPlan } from './helpers/plans.ts';
import { planDocxBuffer, planXlsxBuffer, writePlanCsv, writePlanDocx, writePlanText, writePlanXlsx } from '../src/import/write-plan.ts';

const fixturePath = (name: string): string => new URL(`../../shared/fixtures/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nhacviec-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What must survive a round trip: everything but the source row, the printed number and review flags. */
const essence = (plan: ParsedPlan): unknown => ({
  title: plan.title,
  sections: plan.sections,
  tasks: plan.tasks.map((t) => [t.code, t.sectionPath, t.content, t.leadText, t.coordText, t.lead, t.coord, t.deadlineText, t.result, t.note]),
});

describe.each([
  ['plan-chau-thanh-2023-appendix.tsv.txt', 40],
  ['plan-bqlkkt-2024-appendix.txt', 20],
])('round trip of %s', (name, count) => {
  it('gives the same tasks from DOCX, XLSX, CSV (, and ;) and tab-separated text', async () => {
    const source = await readPlanFile(fixturePath(name));
    expect(source.tasks).toHaveLength(count);
    const base = join(dir, name.replace(/\W+/g, '-'));
    await writePlanDocx(source, `${base}.docx`);
    await writePlanXlsx(source, `${base}.xlsx`);
    await writePlanCsv(source, `${base}.csv`, ',');
    await writePlanCsv(source, `${base}-semicolon.csv`, ';');
    writeFileSync(`${base}.txt`, writePlanText(source));
    for (const [file, format] of [
      [`${base}.docx`, 'docx'],
      [`${base}.xlsx`, 'xlsx'],
      [`${base}.csv`, 'csv'],
      [`${base}-semicolon.csv`, 'csv'],
      [`${base}.txt`, 'text'],
    ] as const) {
      expect((await readPlanRows(file)).format).toBe(format);
      const again = await readPlanFile(file);
      expect(essence(again), file).toEqual(essence(source));
      expect(again.warnings.filter((w) => !/không có thời hạn/.test(w.message)), file).toEqual([]);
    }
  });
});

describe('writers are deterministic', () => {
  it('write the same bytes twice', async () => {
    const plan = await readPlanFile(fixturePath('plan-chau-thanh-2023-appendix.tsv.txt'));
    expect(Buffer.compare(await planDocxBuffer(plan), await planDocxBuffer(plan))).toBe(0);
    expect(Buffer.compare(await planXlsxBuffer(plan), await planXlsxBuffer(plan))).toBe(0);
  });
});

describe('docx details', () => {
  it('reads vertical merges as the same value in every row and gridSpan as spans', async () => {
    const plan = await readPlanFile(fixturePath('plan-chau-thanh-2023-appendix.tsv.txt'));
    const path = join(dir, 'details.docx');
    await writePlanDocx(plan, path);
    const { rows } = await readPlanRows(path);
    const part = rows.find((r) => r.cells[0]?.startsWith('1. Thực hiện'));
    expect(part?.spans?.[0]).toBe(7);
    expect(part?.spans?.slice(1)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

async function expectPlanFileError(path: string, pattern: RegExp): Promise<void> {
  const error = await readPlanFile(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlanFileError);
  expect((error as PlanFileError).message).toMatch(pattern);
}

describe('damaged and unsupported files', () => {
  it('a truncated DOCX', async () => {
    const plan = await readPlanFile(fixturePath('plan-chau-thanh-2023-appendix.tsv.txt'));
    const whole = await planDocxBuffer(plan);
    const path = join(dir, 'cut.docx');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectPlanFileError(path, /^Tệp DOCX bị hỏng hoặc không đầy đủ: .*cut\.docx/);
  });
  it('a DOCX without any table', async () => {
    const { Document, Packer, Paragraph } = await import('docx');
    const path = join(dir, 'no-table.docx');
    writeFileSync(path, await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Kế hoạch')] }] })));
    await expectPlanFileError(path, /^Không tìm thấy bảng nào trong tệp .*no-table\.docx/);
  });
  it('a sheet with no header row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Trang 1');
    sheet.addRow(['1', 'Việc gì đó', 'Văn phòng']);
    const path = join(dir, 'no-header.xlsx');
    await workbook.xlsx.writeFile(path);
    await expectPlanFileError(path, /^Không tìm thấy dòng tiêu đề của bảng .*"Trang 1"/);
  });
  it('a binary file', async () => {
    const path = join(dir, 'garbage.txt');
    writeFileSync(path, Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x10, 0x00, 0x80]));
    await expectPlanFileError(path, /^Không nhận ra định dạng tệp .*garbage\.txt.*hỗ trợ \.docx, \.xlsx, \.csv, \.tsv, \.txt/);
  });
  it('an empty file', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    await expectPlanFileError(path, /^Tệp rỗng: .*empty\.csv/);
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, '\n \n');
    await expectPlanFileError(blank, /^Tệp rỗng/);
  });
  it('an old .xls workbook', async () => {
    const path = join(dir, 'old.xls');
    writeFileSync(path, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    await expectPlanFileError(path, /Excel cũ \(\.xls\): hãy mở bằng Excel và lưu lại dưới dạng \.xlsx/);
  });
  it('an unknown extension', async () => {
    const path = join(dir, 'plan.odt');
    writeFileSync(path, 'STT\tNội dung\n');
    await expectPlanFileError(path, /^Không nhận ra định dạng tệp .*plan\.odt/);
  });
  it('a text without a table header', async () => {
    const path = join(dir, 'letter.txt');
    writeFileSync(path, 'Kính gửi các đơn vị\nĐề nghị thực hiện.\n');
    await expectPlanFileError(path, /^Không tìm thấy dòng tiêu đề của bảng/);
  });
  it('a CSV without a table header', async () => {
    const path = join(dir, 'list.csv');
    writeFileSync(path, 'a,b,c\n1,2,3\n');
    await expectPlanFileError(path, /^Không tìm thấy dòng tiêu đề của bảng kế hoạch.*list\.csv/);
  });
});

describe('the example files', () => {
  it('read back as the transcribed plans', async () => {
    const examples = new URL('../examples/', import.meta.url).pathname;
    const exists = (p: string): boolean => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    };
    if (!exists(`${examples}ke-hoach-chau-thanh-2023.xlsx`)) return;
    const fixture = await readPlanFile(fixturePath('plan-chau-thanh-2023-appendix.tsv.txt'));
    for (const ext of ['docx', 'xlsx', 'tsv']) {
      expect(essence(await readPlanFile(`${examples}ke-hoach-chau-thanh-2023.${ext}`))).toEqual(essence(fixture));
    }
    const bq = await readPlanFile(`${examples}ke-hoach-bqlkkt-2024.xlsx`);
    expect(bq.tasks).toHaveLength(20);
    expect(bq.warnings).toEqual([]);
  });
});

describe('numbers from 1,000 on (#18 item 10)', () => {
  const tasks = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      code: `1.${i + 1}`,
      sectionPath: '1',
      content: `Rà soát thủ tục hành chính số ${i + 1}`,
      leadText: 'Văn phòng UBND tỉnh',
      coordText: 'Các sở, ban, ngành tỉnh',
      deadlineText: 'Quý II/2024',
      result: 'Báo cáo',
      note: '',
    }));

  it('a DOCX of 1,010 rows numbers every task, 1,000 and after included', async () => {
    const path = join(dir, 'long.docx');
    await writePlanDocx({ sections: [{ path: '1', kind: 'group', title: 'Rà soát' }], tasks: tasks(1010) }, path);
    const plan = await readPlanFile(path);
    expect(plan.tasks).toHaveLength(1010);
    expect(plan.tasks.slice(998, 1002).map((t) => t.code)).toEqual(['1.999', '1.1000', '1.1001', '1.1002']);
    expect(plan.warnings).toEqual([]);
  });

  it('a PDF-style text of 1,500 tasks yields 1,500 tasks; a year alone on a line is not a task number', async () => {
    const lines = ['STT Nội dung công việc', 'Đơn vị chủ trì Đơn vị phối hợp Kết quả Thời gian thực hiện', 'I Rà soát thủ tục hành chính'];
    for (const [i, t] of tasks(1500).entries()) {
      lines.push(String(i + 1), t.content, t.leadText, t.coordText, t.result, i === 1200 ? 'Tháng 5/' : t.deadlineText);
      if (i === 1200) lines.push('2024');
    }
    const path = join(dir, 'long.txt');
    writeFileSync(path, lines.join('\n'));
    const plan = await readPlanFile(path);
    expect(plan.tasks).toHaveLength(1500);
    expect(plan.tasks.at(-1)?.code).toBe('1.1500');
    expect(plan.tasks[1200]?.deadlineText).toBe('Tháng 5/ 2024');
    expect(plan.warnings).toEqual([]);
  });
});

describe('worksheet parts as other writers name them (the relationships say where each sheet is)', () => {
  /** The project's XLSX with its sheet moved to `part` and the workbook's relationship pointing at it by `target`. */
  async function moved(part: string, target: string): Promise<string> {
    const zip = await JSZip.loadAsync(await planXlsxBuffer(groupsPlan()));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('nodebuffer');
    zip.remove('xl/worksheets/sheet1.xml');
    zip.file(part, sheet);
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', rels.replace('Target="worksheets/sheet1.xml"', `Target="${target}"`));
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file('[Content_Types].xml', types.replace('/xl/worksheets/sheet1.xml', `/${part}`));
    const path = join(dir, `moved-${part.replace(/\W+/g, '-')}.xlsx`);
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    return path;
  }

  it.each([
    ['xl/worksheets/sheet1.xml', '/xl/worksheets/sheet1.xml'],
    ['xl/worksheets/Sheet_KeHoach.xml', 'worksheets/Sheet_KeHoach.xml'],
    ['xl/sheets/data.xml', '/xl/sheets/data.xml'],
    ['xl/worksheets/sheet7.xml', './worksheets/sheet7.xml'],
    ['xl/worksheets/sheet1.xml', '../xl/worksheets/sheet1.xml'],
  ])('a sheet in %s reached by Target="%s" reads as the plan', async (part, target) => {
    const plan = await readPlanFile(await moved(part, target));
    expect(plan.tasks.map((t) => [t.code, t.content])).toEqual(groupsPlan().tasks.map((t) => [t.code, t.content]));
  });
});
