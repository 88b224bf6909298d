/**
 * Writers of plan tables, used to produce the example files and test inputs. They render the grid of
 * plan-grid.ts (by default: STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn
 * thành | Kết quả thực hiện | Ghi chú; a part as "1. Title" and a group as "I. Title" on a full-width
 * merged row; a task's STT the last segment of its code, so codes survive a round trip), or any other
 * layout offices use (PlanLayout).
 *
 * Deterministic output: neither docx nor exceljs lets the caller fix every timestamp (docx stamps
 * dcterms:created/modified with the current time, and both zip libraries stamp each entry with it), so the
 * package is rewritten with FIXED_DATE in docProps/core.xml and on every zip entry.
 */
import { writeFile } from 'node:fs/promises';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalMergeType, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { deterministicZip, FIXED_DATE } from '../files/deterministic-zip.ts';
import { flatCells, gridColumns, planGrid, type GridCell, type GridRow, type PlanLayout, type WritablePlan } from './plan-grid.ts';

export { PLAN_HEADER, type Column, type GridCell, type GridRow, type PlanLayout, type WritablePlan, type WritableTask, type WritableSection } from './plan-grid.ts';

/** The fixed time stamped into written packages (2024-01-01T00:00:00Z). */
export { FIXED_DATE };

// ---------------------------------------------------------------------------------------------------------
// DOCX

const DOCX_WIDTH: Record<string, number> = { number: 700, content: 3800, lead: 1900, coord: 1900, deadline: 1600, result: 2000, note: 1600 };

function docxCell(cell: GridCell, width: number): TableCell {
  const paragraphs = (cell.text === '' ? [''] : cell.text.split('\n')).map(
    (line) => new Paragraph({ children: [new TextRun({ text: line, bold: cell.bold ?? false, size: 24, font: 'Times New Roman' })] }),
  );
  return new TableCell({
    children: paragraphs,
    ...(cell.span && cell.span > 1 ? { columnSpan: cell.span } : {}),
    ...(cell.vmerge ? { verticalMerge: cell.vmerge === 'restart' ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE } : {}),
    width: { size: width, type: WidthType.DXA },
  });
}

export async function planDocxBuffer(plan: WritablePlan, layout: PlanLayout = {}): Promise<Buffer> {
  const widths = gridColumns(layout).map((c) => DOCX_WIDTH[c] ?? 1500);
  return gridDocxBuffer(planGrid(plan, layout), { widths, ...(plan.title ? { title: plan.title } : {}) });
}

/** Any grid as a DOCX table (a layout PlanLayout does not describe, built row by row); `before`/`after`: paragraphs around it. */
export async function gridDocxBuffer(
  grid: GridRow[],
  opts: { widths?: number[]; title?: string; before?: string[]; after?: string[]; tablesBefore?: GridRow[][]; tablesAfter?: GridRow[][] } = {},
): Promise<Buffer> {
  const columns = Math.max(...grid.map((r) => r.cells.reduce((n, c) => n + (c.span ?? 1), 0)));
  const widths = opts.widths ?? Array.from({ length: columns }, (_, i) => (i === 0 ? 700 : 2200));
  const table = (g: GridRow[], w: number[]) => new Table({ rows: docxRows(g, w), width: { size: w.reduce((a, b) => a + b, 0), type: WidthType.DXA }, columnWidths: w });
  const half = (g: GridRow[]) => Array.from({ length: Math.max(...g.map((r) => r.cells.length)) }, () => 7000);
  const paragraph = (text: string, bold = false) =>
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, size: bold ? 28 : 26, font: 'Times New Roman' })] });
  const children: (Paragraph | Table)[] = [];
  // the agency and motto block, the recipients and signature block: tables of their own in most documents
  for (const g of opts.tablesBefore ?? []) children.push(table(g, half(g)), paragraph(''));
  for (const line of opts.before ?? []) children.push(paragraph(line));
  if (opts.title) children.push(paragraph(opts.title, true));
  children.push(table(grid, widths));
  for (const line of opts.after ?? []) children.push(paragraph(line));
  for (const g of opts.tablesAfter ?? []) children.push(paragraph(''), table(g, half(g)));
  const doc = new Document({
    creator: 'nhacviec',
    lastModifiedBy: 'nhacviec',
    title: opts.title ?? 'Kế hoạch',
    sections: [{ properties: { page: { size: { orientation: 'landscape', width: 16838, height: 11906 } } }, children }],
  });
  return Buffer.from(await deterministicZip(await Packer.toBuffer(doc)));
}

function docxRows(grid: GridRow[], widths: number[]): TableRow[] {
  return grid.map((row, index) => {
    let col = 0;
    const cells = row.cells.map((cell) => {
      const span = cell.span ?? 1;
      const width = widths.slice(col, col + span).reduce((a, b) => a + b, 0);
      col += span;
      return docxCell(cell, width);
    });
    // Word repeats the first header rows on each page by itself; repeated rows in the body are written out.
    return new TableRow({ children: cells, ...(row.header && index < 3 ? { tableHeader: true } : {}) });
  });
}

export async function writePlanDocx(plan: WritablePlan, path: string, layout: PlanLayout = {}): Promise<void> {
  await writeFile(path, await planDocxBuffer(plan, layout));
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

const XLSX_WIDTH: Record<string, number> = { number: 6, content: 60, lead: 28, coord: 28, deadline: 22, result: 32, note: 28 };

export async function planXlsxBuffer(plan: WritablePlan, layout: PlanLayout = {}): Promise<Buffer> {
  const widths = gridColumns(layout).map((c) => XLSX_WIDTH[c] ?? 20);
  return gridXlsxBuffer(planGrid(plan, layout), { widths, ...(plan.title ? { title: plan.title } : {}) });
}

/**
 * Any grid as a sheet; `before`/`after`: lines above and below the table, each merged across it (an office's
 * title block, the signature block), '' an empty spacer row.
 */
export async function gridXlsxBuffer(
  grid: GridRow[],
  opts: { widths?: number[]; title?: string; before?: string[]; after?: string[]; startColumn?: number } = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'nhacviec';
  workbook.lastModifiedBy = 'nhacviec';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const sheet = workbook.addWorksheet('Kế hoạch');
  const columns = Math.max(...grid.map((r) => r.cells.reduce((n, c) => n + (c.span ?? 1), 0)));
  /** columns left empty before the table (a sheet whose table starts in column B) */
  const skip = Math.max(0, (opts.startColumn ?? 1) - 1);
  const pad = (cells: string[]): string[] => [...Array.from({ length: skip }, () => ''), ...cells];
  sheet.columns = [...Array.from({ length: skip }, () => 3), ...(opts.widths ?? Array.from({ length: columns }, (_, i) => (i === 0 ? 6 : 28)))].map((width) => ({ width }));
  const wrap = { wrapText: true, vertical: 'top' } as const;
  const line = (text: string, bold: boolean): void => {
    const row = sheet.addRow(pad([text]));
    if (text === '') return;
    sheet.mergeCells(row.number, skip + 1, row.number, skip + columns);
    row.getCell(skip + 1).font = { bold };
    row.getCell(skip + 1).alignment = wrap;
  };
  for (const text of opts.before ?? []) line(text, false);
  if (opts.title) line(opts.title, true);
  /** Vertical merges per column: the sheet rows where the open one began and where it reaches. */
  const open = new Map<number, { from: number; to: number }>();
  const close = (col: number): void => {
    const run = open.get(col);
    if (run && run.to > run.from) sheet.mergeCells(run.from, col, run.to, col);
    open.delete(col);
  };
  for (const gridRow of grid) {
    const row = sheet.addRow(pad(flatCells(gridRow)));
    let col = skip + 1;
    for (const cell of gridRow.cells) {
      const span = cell.span ?? 1;
      if (span > 1) sheet.mergeCells(row.number, col, row.number, col + span - 1);
      const run = open.get(col);
      if (cell.vmerge === 'continue' && run) run.to = row.number;
      else {
        for (let k = col; k < col + span; k++) close(k);
        if (cell.vmerge === 'restart') open.set(col, { from: row.number, to: row.number });
      }
      if (cell.bold) row.getCell(col).font = { bold: true };
      row.getCell(col).alignment = wrap;
      col += span;
    }
  }
  for (const col of [...open.keys()]) close(col);
  for (const text of opts.after ?? []) line(text, false);
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(await deterministicZip(new Uint8Array(data as ArrayBuffer)));
}

export async function writePlanXlsx(plan: WritablePlan, path: string, layout: PlanLayout = {}): Promise<void> {
  await writeFile(path, await planXlsxBuffer(plan, layout));
}

// ---------------------------------------------------------------------------------------------------------
// Delimited text

function csvField(text: string, delimiter: string): string {
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A row merged across the whole table is one field, like a heading pasted between two tables. */
function delimitedCells(row: ReturnType<typeof planGrid>[number]): string[] {
  return row.cells.length === 1 ? [row.cells[0]?.text ?? ''] : flatCells(row);
}

/** CSV (or ";"/tab separated with CSV quoting): sections as one-field lines, like a paste between tables. */
export function planCsvText(plan: WritablePlan, delimiter: ',' | ';' | '\t' = ',', layout: PlanLayout = {}): string {
  const out: string[] = [];
  if (plan.title) out.push(csvField(plan.title, delimiter));
  for (const row of planGrid(plan, layout)) out.push(delimitedCells(row).map((c) => csvField(c, delimiter)).join(delimiter));
  return `${out.join('\r\n')}\r\n`;
}

export async function writePlanCsv(plan: WritablePlan, path: string, delimiter: ',' | ';' | '\t' = ',', layout: PlanLayout = {}): Promise<void> {
  await writeFile(path, planCsvText(plan, delimiter, layout), 'utf8');
}

/**
 * Tab-separated text like a table pasted from Word (the Châu Thành fixture): no quoting, so a line break
 * inside a cell is written as "<br>" (the reader turns it back) and tabs inside cells as spaces.
 */
export function writePlanText(plan: WritablePlan, layout: PlanLayout = {}): string {
  const cell = (text: string): string => text.replace(/\t/g, ' ').replace(/\r?\n/g, '<br>');
  const out: string[] = [];
  if (plan.title) out.push(cell(plan.title), '');
  for (const row of planGrid(plan, layout)) out.push(delimitedCells(row).map(cell).join('\t'));
  return `${out.join('\n')}\n`;
}
