/**
 * XLSX reader (exceljs). Reads the FIRST sheet that has a header row (by meaning, see findHeaderRow):
 * a workbook often carries other sheets (notes, an older version of the plan) and reading them all would
 * duplicate tasks. Merged ranges: the top-left cell keeps the text and its span; covered cells of its first
 * row are '' with span 0; rows below repeat the text with fromAbove (see RawRow).
 * Dates typed as Excel dates come out as dd/mm/yyyy (UTC, so the server's time zone never changes them).
 */
import type ExcelJS from 'exceljs';
import { findHeaderRow, type RawRow } from '../core/plan-table.ts';
import { PlanFileError } from './errors.ts';
import { readInputFile } from './office-zip.ts';
import { readWorkbook } from './safe-workbook.ts';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function cellToText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date) return `${two(value.getUTCDate())}/${two(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  if (value && typeof value === 'object' && 'result' in value) {
    const result = (value as { result?: unknown }).result;
    if (result instanceof Date) return `${two(result.getUTCDate())}/${two(result.getUTCMonth() + 1)}/${result.getUTCFullYear()}`;
    return result === undefined || result === null ? '' : String(result);
  }
  return cell.text ?? '';
}

/** "B3:D5" -> {top:3,left:2,bottom:5,right:4}. */
function parseRange(range: string): { top: number; left: number; bottom: number; right: number } | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range.replace(/\$/g, ''));
  if (!m) return null;
  const col = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { top: Number(m[2]), left: col(m[1] as string), bottom: Number(m[4]), right: col(m[3] as string) };
}

export function sheetRows(sheet: ExcelJS.Worksheet): RawRow[] {
  const width = sheet.columnCount;
  const spans = new Map<string, number>();
  for (const range of sheet.model.merges ?? []) {
    const r = parseRange(range);
    if (r) spans.set(`${r.top}:${r.left}`, r.right - r.left + 1);
  }
  const rows: RawRow[] = [];
  // find*, not get*: a missing row or cell is never created (a sparse sheet stays sparse in memory)
  for (let rowNo = 1; rowNo <= sheet.rowCount; rowNo++) {
    const row = sheet.findRow(rowNo);
    if (!row) continue;
    const cells: string[] = [];
    const rowSpans: number[] = [];
    const fromAbove: boolean[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.findCell(c);
      if (!cell) {
        cells.push('');
        rowSpans.push(1);
        fromAbove.push(false);
        continue;
      }
      const master = cell.isMerged ? cell.master : cell;
      const isMaster = master.address === cell.address;
      const masterRow = Number(master.row);
      cells.push(isMaster || masterRow !== rowNo ? cellToText(master).trim() : '');
      rowSpans.push(isMaster ? (spans.get(`${rowNo}:${c}`) ?? 1) : masterRow === rowNo ? 0 : (spans.get(`${masterRow}:${c}`) ?? 1));
      fromAbove.push(!isMaster && masterRow !== rowNo);
      // Below the top row of a merge, only its first column repeats the text; the others stay covered.
      if (!isMaster && masterRow !== rowNo && Number(master.col) !== c) {
        cells[c - 1] = '';
        rowSpans[c - 1] = 0;
      }
    }
    if (cells.every((t) => t === '')) continue;
    rows.push({ cells, spans: rowSpans, fromAbove, source: { row: rowNo, sheet: sheet.name } });
  }
  return rows;
}

/** Reads the first sheet with a header row of a workbook held in memory. */
export async function readXlsxBuffer(data: Uint8Array, file = 'tệp XLSX'): Promise<RawRow[]> {
  const workbook = await readWorkbook(data, file);
  if (workbook.worksheets.length === 0) throw new PlanFileError(`Tệp XLSX không có trang tính nào: ${file}`, { file });
  for (const sheet of workbook.worksheets) {
    const rows = sheetRows(sheet);
    if (findHeaderRow(rows) >= 0) return rows;
  }
  const names = workbook.worksheets.map((s) => `"${s.name}"`).join(', ');
  throw new PlanFileError(
    `Không tìm thấy dòng tiêu đề của bảng (STT, Nội dung, Đơn vị chủ trì, Thời gian ...) trong trang tính nào của ${file} (${names})`,
    { file },
  );
}

export async function readXlsx(path: string): Promise<RawRow[]> {
  return readXlsxBuffer(await readInputFile(path), path);
}
