/**
 * Reads a list of dossiers exported from a one-stop system (XLSX, CSV or TSV). Columns are found by meaning,
 * not position: Mã/Số hồ sơ; Tên thủ tục; Người nộp / Tổ chức, cá nhân / Chủ hồ sơ; Ngày tiếp nhận;
 * Ngày hẹn trả / Hạn trả kết quả; Đơn vị / Cơ quan giải quyết. Dates are dd/mm/yyyy (a time after them is
 * ignored), yyyy-mm-dd or Excel dates.
 *
 * Result: the good rows, warnings (kept rows with something missing) and errors (rows that cannot be
 * stored, each named with its line/row number). A file that is not a table (empty, binary, no header row)
 * is a PlanFileError. The caller decides what errors mean; `dossier import` refuses the whole file.
 */
import { extname } from 'node:path';
import { addDays, formatVi, makeDate, type LocalDate } from '../core/dates.ts';
import type { RawRow } from '../core/plan-table.ts';
import { foldWords } from '../core/text.ts';
import { PlanFileError } from './errors.ts';
import { readInputFile } from './office-zip.ts';
import { readDelimitedText } from './read-delimited.ts';
import { sheetRows } from './read-xlsx.ts';
import { readWorkbook } from './safe-workbook.ts';
import { cleanRows, decodeText } from './text-input.ts';

export type DossierColumn = 'code' | 'procedure' | 'applicant' | 'received' | 'due' | 'unit';

export type ParsedDossier = {
  row: number;
  code: string;
  procedure: string;
  applicant: string;
  received: LocalDate | null;
  due: LocalDate;
  /** the unit as written in the file ('' when none) */
  unit: string;
};

export type RowProblem = { row: number; message: string };

export type ParsedDossierList = {
  format: 'xlsx' | 'csv' | 'tsv';
  dossiers: ParsedDossier[];
  warnings: RowProblem[];
  errors: RowProblem[];
  columns: Partial<Record<DossierColumn, string>>;
};

const COLUMN_LABELS: Record<DossierColumn, string> = {
  code: 'Mã hồ sơ',
  procedure: 'Tên thủ tục',
  applicant: 'Người nộp',
  received: 'Ngày tiếp nhận',
  due: 'Ngày hẹn trả',
  unit: 'Đơn vị giải quyết',
};

/** Folded header patterns, most specific first; a header takes the first role it matches that is still free. */
const RULES: { role: DossierColumn; test: (h: string) => boolean }[] = [
  { role: 'code', test: (h) => /\b(ma|so) (so )?ho so\b/.test(h) || h === 'ma hs' || h === 'so hs' },
  { role: 'due', test: (h) => /\bngay hen( tra)?\b/.test(h) || /\bhan (tra|giai quyet|xu ly)\b/.test(h) || /\bhen tra\b/.test(h) },
  { role: 'received', test: (h) => /\bngay (tiep nhan|nhan|nop)\b/.test(h) || h === 'tiep nhan' },
  { role: 'procedure', test: (h) => !/\bma thu tuc\b/.test(h) && (/\bthu tuc\b/.test(h) || /\btthc\b/.test(h)) },
  { role: 'applicant', test: (h) => /\bnguoi (nop|dung ten|de nghi)\b/.test(h) || /\bto chuc\b.*\bca nhan\b/.test(h) || /\bchu ho so\b/.test(h) || /\bho ten\b/.test(h) || h === 'nguoi nop' },
  { role: 'unit', test: (h) => /\bdon vi\b/.test(h) || /\bco quan (giai quyet|thuc hien|xu ly|chu tri)\b/.test(h) || /\bphong ban\b/.test(h) },
];

/** The roles of a row's cells when it is a header (a code and a due column at least), else null. */
export function headerColumns(cells: string[]): Map<DossierColumn, number> | null {
  const found = new Map<DossierColumn, number>();
  cells.forEach((cell, i) => {
    const h = foldWords(cell);
    if (!h || h.length > 80) return;
    const rule = RULES.find((r) => !found.has(r.role) && r.test(h));
    if (rule) found.set(rule.role, i);
  });
  return found.has('code') && found.has('due') ? found : null;
}

/** dd/mm/yyyy (time after it ignored), d-m-yyyy, yyyy-mm-dd, or an Excel serial number; null when not a date. */
export function parseListDate(text: string): { ok: true; date: LocalDate } | { ok: false } | { ok: true; date: null } {
  const t = text.trim();
  if (!t) return { ok: true, date: null };
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[\sT,]+\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$/.exec(t);
  if (m) {
    const d = makeDate(Number(m[3]), Number(m[2]), Number(m[1]));
    return d ? { ok: true, date: d } : { ok: false };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/.exec(t);
  if (m) {
    const d = makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { ok: true, date: d } : { ok: false };
  }
  m = /^(\d{5})(?:\.\d+)?$/.exec(t);
  if (m) {
    // Excel's day 1 is 1900-01-01 with the 1900 leap-year bug: serial 25569 = 1970-01-01
    const serial = Number(m[1]);
    if (serial > 20000 && serial < 80000) return { ok: true, date: addDays('1970-01-01', serial - 25569) };
  }
  return { ok: false };
}

/** Understands the rows of a dossier list (whatever file they came from). */
export function parseDossierRows(rows: RawRow[], file = 'tệp'): Omit<ParsedDossierList, 'format'> {
  let headerIndex = -1;
  let columns: Map<DossierColumn, number> | null = null;
  for (let i = 0; i < Math.min(rows.length, 30); i++) {
    columns = headerColumns(rows[i]!.cells);
    if (columns) {
      headerIndex = i;
      break;
    }
  }
  if (!columns) {
    throw new PlanFileError(
      `Không tìm thấy dòng tiêu đề của danh sách hồ sơ (cần ít nhất cột "Mã hồ sơ" và cột "Ngày hẹn trả") trong ${file}`,
      { file },
    );
  }
  const header = rows[headerIndex]!;
  const names: Partial<Record<DossierColumn, string>> = {};
  for (const [role, index] of columns) names[role] = header.cells[index]?.trim() ?? '';
  const warnings: RowProblem[] = [];
  const errors: RowProblem[] = [];
  const missing = (['procedure', 'applicant', 'received', 'unit'] as DossierColumn[]).filter((c) => !columns.has(c));
  if (missing.length) {
    warnings.push({ row: header.source.row, message: `Dòng ${header.source.row}: không có cột ${missing.map((c) => `"${COLUMN_LABELS[c]}"`).join(', ')}` });
  }
  const cell = (row: RawRow, role: DossierColumn): string => {
    const index = columns.get(role);
    return index === undefined ? '' : (row.cells[index] ?? '').replace(/\s+/g, ' ').trim();
  };
  const dossiers: ParsedDossier[] = [];
  const seen = new Map<string, ParsedDossier>();
  for (const row of rows.slice(headerIndex + 1)) {
    const n = row.source.row;
    const where = `Dòng ${n}`;
    const code = cell(row, 'code').replace(/\s+/g, '');
    const dueText = cell(row, 'due');
    // a repeated header (page break) or a title/total line with neither a code nor a date
    if (headerColumns(row.cells)) continue;
    if (!code && !dueText) continue;
    if (!code) {
      errors.push({ row: n, message: `${where}: thiếu mã hồ sơ` });
      continue;
    }
    const label = `${where} (hồ sơ ${code})`;
    const due = parseListDate(dueText);
    if (!due.ok || due.date === null) {
      errors.push({ row: n, message: dueText ? `${label}: ngày hẹn trả "${dueText}" không phải ngày hợp lệ (dạng ngày/tháng/năm, ví dụ 04/05/2023)` : `${label}: thiếu ngày hẹn trả` });
      continue;
    }
    const receivedText = cell(row, 'received');
    const received = parseListDate(receivedText);
    if (!received.ok) {
      errors.push({ row: n, message: `${label}: ngày tiếp nhận "${receivedText}" không phải ngày hợp lệ (dạng ngày/tháng/năm)` });
      continue;
    }
    if (received.date && received.date > due.date) {
      errors.push({ row: n, message: `${label}: ngày tiếp nhận ${formatVi(received.date)} sau ngày hẹn trả ${formatVi(due.date)}` });
      continue;
    }
    const parsed: ParsedDossier = { row: n, code, procedure: cell(row, 'procedure'), applicant: cell(row, 'applicant'), received: received.date, due: due.date, unit: cell(row, 'unit') };
    const before = seen.get(code);
    if (before) {
      const same = before.due === parsed.due && before.procedure === parsed.procedure && before.applicant === parsed.applicant && before.unit === parsed.unit && before.received === parsed.received;
      if (same) warnings.push({ row: n, message: `${label}: trùng dòng ${before.row}, bỏ qua` });
      else errors.push({ row: n, message: `${label}: mã hồ sơ đã có ở dòng ${before.row} với dữ liệu khác` });
      continue;
    }
    seen.set(code, parsed);
    if (!parsed.applicant && columns.has('applicant')) warnings.push({ row: n, message: `${label}: thiếu người nộp (phiếu xin lỗi sẽ để trống)` });
    if (!parsed.procedure && columns.has('procedure')) warnings.push({ row: n, message: `${label}: thiếu tên thủ tục` });
    dossiers.push(parsed);
  }
  if (!dossiers.length && !errors.length) throw new PlanFileError(`Danh sách hồ sơ không có dòng nào sau dòng tiêu đề: ${file}`, { file });
  return { dossiers, warnings, errors, columns: names };
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SUPPORTED = '(hỗ trợ .xlsx, .csv, .tsv)';

async function xlsxRows(data: Uint8Array, file: string): Promise<RawRow[]> {
  const workbook = await readWorkbook(data, file, `Tệp ${file} không phải bảng tính Excel (.xlsx) ${SUPPORTED}`);
  // the first sheet with a dossier header; else the first sheet (the header error names the file)
  for (const sheet of workbook.worksheets) {
    const rows = sheetRows(sheet);
    if (rows.slice(0, 30).some((r) => headerColumns(r.cells))) return rows;
  }
  const first = workbook.worksheets[0];
  if (!first) throw new PlanFileError(`Tệp XLSX không có trang tính nào: ${file}`, { file });
  return sheetRows(first);
}

/** Reads and understands a dossier list file. */
export async function readDossierFile(file: string): Promise<ParsedDossierList> {
  const data = await readInputFile(file);
  if (data.length === 0) throw new PlanFileError(`Tệp rỗng: ${file}`, { file });
  const ext = extname(file).toLowerCase();
  let format: ParsedDossierList['format'];
  let rows: RawRow[];
  if (data[0] === 0x50 && data[1] === 0x4b) {
    format = 'xlsx';
    rows = await xlsxRows(data, file);
  } else if (OLE2.every((b, i) => data[i] === b)) {
    throw new PlanFileError(`Tệp ${file} là Excel/Word cũ: hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc .csv`, { file });
  } else {
    if (ext === '.xlsx') throw new PlanFileError(`Tệp XLSX bị hỏng hoặc không đầy đủ: ${file} (không phải tệp nén Office)`, { file });
    const text = decodeText(data, file, SUPPORTED);
    if (text.trim() === '') throw new PlanFileError(`Tệp rỗng: ${file}`, { file });
    format = ext === '.tsv' || ext === '.tab' || (ext !== '.csv' && text.includes('\t')) ? 'tsv' : 'csv';
    rows = readDelimitedText(text, format === 'tsv' ? '\t' : undefined, file);
  }
  return { format, ...parseDossierRows(cleanRows(rows), file) };
}

/** Throws a PlanFileError naming every bad row (at most 20 listed) when there is any. */
export function assertNoBadRows(errors: RowProblem[], file: string): void {
  if (!errors.length) return;
  const shown = errors.slice(0, 20).map((e) => `- ${e.message}`);
  if (errors.length > 20) shown.push(`- ... và ${errors.length - 20} dòng lỗi khác`);
  throw new PlanFileError(
    `Danh sách hồ sơ ${file} có ${errors.length} dòng lỗi; chưa nhập hồ sơ nào (sửa các dòng dưới đây rồi nhập lại):\n${shown.join('\n')}`,
    { file },
  );
}
