/**
 * Writers of plan tables, used to produce the example files and test inputs from a parsed plan. They write
 * the table the readers understand: header STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp |
 * Thời gian hoàn thành | Kết quả thực hiện | Ghi chú; a part as "1. Title" and a group as "I. Title" on a
 * full-width (merged) row; a task's STT is the last segment of its code, so codes survive a round trip.
 *
 * Deterministic output: neither docx nor exceljs lets the caller fix every timestamp (docx stamps
 * dcterms:created/modified with the current time, and both zip libraries stamp each entry with it), so the
 * package is rewritten with FIXED_DATE in docProps/core.xml and on every zip entry.
 */
import { writeFile } from 'node:fs/promises';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import type { ParsedTask, PlanSection } from '../core/plan-table.ts';
import { intToRoman } from '../core/task-code.ts';
import { deterministicZip, FIXED_DATE } from '../files/deterministic-zip.ts';

export type WritableTask = Pick<ParsedTask, 'code' | 'sectionPath' | 'content' | 'leadText' | 'coordText' | 'deadlineText' | 'result' | 'note'>;
export type WritablePlan = { title?: string; sections: PlanSection[]; tasks: WritableTask[] };

export const PLAN_HEADER = ['STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Kết quả thực hiện', 'Ghi chú'];

/** The fixed time stamped into written packages (2024-01-01T00:00:00Z). */
export { FIXED_DATE };

type Line = { kind: 'section'; text: string } | { kind: 'task'; cells: string[] };

/** The rows of the table in document order: each section right before its first task. */
export function planLines(plan: WritablePlan): Line[] {
  const lines: Line[] = [];
  let next = 0;
  let part: string | undefined;
  const emitUpTo = (index: number): void => {
    for (; next <= index && next < plan.sections.length; next++) {
      const s = plan.sections[next] as PlanSection;
      if (s.kind === 'part') {
        part = s.path;
        lines.push({ kind: 'section', text: `${s.path}. ${s.title}` });
      } else {
        const own = part !== undefined && s.path.startsWith(`${part}.`) ? s.path.slice(part.length + 1) : s.path;
        const [head, ...rest] = own.split('.');
        const label = [intToRoman(Number(head)), ...rest].join('.');
        lines.push({ kind: 'section', text: `${label}. ${s.title}` });
      }
    }
  };
  for (const task of plan.tasks) {
    let index = -1;
    for (let i = next; i < plan.sections.length; i++) if (plan.sections[i]?.path === task.sectionPath) index = i;
    if (index >= 0) emitUpTo(index);
    const number = task.code.split('.').pop() ?? '';
    lines.push({ kind: 'task', cells: [number, task.content, task.leadText, task.coordText, task.deadlineText, task.result, task.note] });
  }
  emitUpTo(plan.sections.length - 1);
  return lines;
}


// ---------------------------------------------------------------------------------------------------------
// DOCX

function docxCell(text: string, options: { bold?: boolean; span?: number; width?: number } = {}): TableCell {
  const paragraphs = (text === '' ? [''] : text.split('\n')).map(
    (line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold ?? false, size: 24, font: 'Times New Roman' })] }),
  );
  return new TableCell({
    children: paragraphs,
    ...(options.span ? { columnSpan: options.span } : {}),
    ...(options.width ? { width: { size: options.width, type: WidthType.DXA } } : {}),
  });
}

const DOCX_WIDTHS = [700, 3800, 1900, 1900, 1600, 2000, 1600];

export async function planDocxBuffer(plan: WritablePlan): Promise<Buffer> {
  const rows: TableRow[] = [
    new TableRow({ tableHeader: true, children: PLAN_HEADER.map((h, i) => docxCell(h, { bold: true, width: DOCX_WIDTHS[i] ?? 1500 })) }),
  ];
  for (const line of planLines(plan)) {
    if (line.kind === 'section') rows.push(new TableRow({ children: [docxCell(line.text, { bold: true, span: PLAN_HEADER.length })] }));
    else rows.push(new TableRow({ children: line.cells.map((c, i) => docxCell(c, { width: DOCX_WIDTHS[i] ?? 1500 })) }));
  }
  const children: (Paragraph | Table)[] = [];
  if (plan.title) {
    children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: plan.title, bold: true, size: 28, font: 'Times New Roman' })] }));
  }
  children.push(new Table({ rows, width: { size: DOCX_WIDTHS.reduce((a, b) => a + b, 0), type: WidthType.DXA }, columnWidths: DOCX_WIDTHS }));
  const doc = new Document({
    creator: 'nhacviec',
    lastModifiedBy: 'nhacviec',
    title: plan.title ?? 'Kế hoạch',
    sections: [{ properties: { page: { size: { orientation: 'landscape', width: 16838, height: 11906 } } }, children }],
  });
  return Buffer.from(await deterministicZip(await Packer.toBuffer(doc)));
}

export async function writePlanDocx(plan: WritablePlan, path: string): Promise<void> {
  await writeFile(path, await planDocxBuffer(plan));
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

const XLSX_WIDTHS = [6, 60, 28, 28, 22, 32, 28];

export async function planXlsxBuffer(plan: WritablePlan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'nhacviec';
  workbook.lastModifiedBy = 'nhacviec';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const sheet = workbook.addWorksheet('Kế hoạch');
  sheet.columns = XLSX_WIDTHS.map((width) => ({ width }));
  const wrap = { wrapText: true, vertical: 'top' } as const;
  const fullWidth = (text: string, bold: boolean): void => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, PLAN_HEADER.length);
    row.getCell(1).font = { bold };
    row.getCell(1).alignment = wrap;
  };
  if (plan.title) fullWidth(plan.title, true);
  const header = sheet.addRow(PLAN_HEADER);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.alignment = { ...wrap, horizontal: 'center' }));
  for (const line of planLines(plan)) {
    if (line.kind === 'section') fullWidth(line.text, true);
    else sheet.addRow(line.cells).eachCell((cell) => (cell.alignment = wrap));
  }
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(await deterministicZip(new Uint8Array(data as ArrayBuffer)));
}

export async function writePlanXlsx(plan: WritablePlan, path: string): Promise<void> {
  await writeFile(path, await planXlsxBuffer(plan));
}

// ---------------------------------------------------------------------------------------------------------
// Delimited text

function csvField(text: string, delimiter: string): string {
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV (or ";"/tab separated with CSV quoting): sections as one-field lines, like a paste between tables. */
export function planCsvText(plan: WritablePlan, delimiter: ',' | ';' | '\t' = ','): string {
  const out: string[] = [];
  if (plan.title) out.push(csvField(plan.title, delimiter));
  out.push(PLAN_HEADER.map((h) => csvField(h, delimiter)).join(delimiter));
  for (const line of planLines(plan)) {
    out.push(line.kind === 'section' ? csvField(line.text, delimiter) : line.cells.map((c) => csvField(c, delimiter)).join(delimiter));
  }
  return `${out.join('\r\n')}\r\n`;
}

export async function writePlanCsv(plan: WritablePlan, path: string, delimiter: ',' | ';' | '\t' = ','): Promise<void> {
  await writeFile(path, planCsvText(plan, delimiter), 'utf8');
}

/**
 * Tab-separated text like a table pasted from Word (the Châu Thành fixture): no quoting, so a line break
 * inside a cell is written as "<br>" (the reader turns it back) and tabs inside cells as spaces.
 */
export function writePlanText(plan: WritablePlan): string {
  const cell = (text: string): string => text.replace(/\t/g, ' ').replace(/\r?\n/g, '<br>');
  const out: string[] = [];
  if (plan.title) out.push(cell(plan.title), '');
  out.push(PLAN_HEADER.join('\t'));
  for (const line of planLines(plan)) {
    if (line.kind === 'section') {
      // A part heading is a line of its own; a group is a row: numeral, title, empty cells.
      const group = /^([IVXLC]+(?:\.\d+)*)\. (.*)$/.exec(line.text);
      out.push(group ? [group[1] as string, cell(group[2] as string), '', '', '', '', ''].join('\t') : cell(line.text));
    } else out.push(line.cells.map(cell).join('\t'));
  }
  return `${out.join('\n')}\n`;
}
