/**
 * Reads a list of dossiers exported from a one-stop system (XLSX, CSV or TSV). Columns are found by meaning,
 * not position nor exact wording: Mã/Số hồ sơ, Số biên nhận; Tên thủ tục; Người nộp / Tổ chức, cá nhân / Chủ
 * hồ sơ; Ngày tiếp nhận; Ngày hẹn trả / Hạn trả kết quả / Hạn xử lý; Đơn vị / Cơ quan giải quyết; Trạng thái /
 * Tình trạng / Kết quả xử lý; Ngày trả kết quả. Other columns are ignored. Dates may be dd/mm/yyyy (or with
 * "-" / "." and a two-digit year), with a time before or after, yyyy-mm-dd, "ngày 05 tháng 5 năm 2023" or
 * Excel dates; codes lose the spaces an export puts in them.
 *
 * Result: the good rows, warnings (kept rows with something missing or doubtful) and errors (rows that cannot
 * be stored at all: no code, no or impossible due date), each named with its line/row number. A file that is
 * not a table (empty, binary, no header row) is a PlanFileError. The caller decides what errors mean;
 * `dossier import` refuses the whole file.
 */
import { extname } from 'node:path';
import { addDays, formatVi, makeDate, type LocalDate } from '../core/dates.ts';
import { isOpen, readDossierStatus, STATUS_LABELS, type StatusReading } from '../core/dossier-status.ts';
import type { RawRow } from '../core/plan-table.ts';
import { fold, foldWords } from '../core/text.ts';
import { PlanFileError } from './errors.ts';
import { readInputFile } from './office-zip.ts';
import { readDelimitedText } from './read-delimited.ts';
import { sheetRows } from './read-xlsx.ts';
import { readWorkbook } from './safe-workbook.ts';
import { cleanRows, decodeText } from './text-input.ts';

export type DossierColumn = 'code' | 'procedure' | 'applicant' | 'received' | 'due' | 'unit' | 'status' | 'returned';

export type ParsedDossier = {
  row: number;
  code: string;
  procedure: string;
  applicant: string;
  received: LocalDate | null;
  due: LocalDate;
  /** the unit as written in the file ('' when none) */
  unit: string;
  /** the status the file states (null: no status column, an empty cell, or words not understood) */
  status: StatusReading | null;
  /** the status cell as written ('' when none) */
  statusText: string;
  /** the day the result was returned, when the file gives one */
  returnedOn: LocalDate | null;
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
  status: 'Trạng thái',
  returned: 'Ngày trả kết quả',
};

/**
 * Folded header patterns. Rules are tried in this order, each taking the first cell of the row it matches
 * that no earlier rule took: "Ngày hẹn trả" is the due date before "Thời hạn giải quyết" (often a number of
 * days) can be, and "Trạng thái" the status before "Kết quả xử lý" can be.
 */
const RULES: { role: DossierColumn; test: (h: string) => boolean }[] = [
  { role: 'code', test: (h) => /\b(ma|so) (so )?(ho so|hs)\b/.test(h) || /\b(ma|so) (bien nhan|phieu tiep nhan|giay tiep nhan)\b/.test(h) },
  { role: 'due', test: (h) => /\bngay hen( tra)?\b/.test(h) || /\bhen tra\b/.test(h) || /\bhan tra( ket qua)?\b/.test(h) || /\bngay het han\b/.test(h) },
  { role: 'due', test: (h) => /\bhan (giai quyet|xu ly)\b/.test(h) && !/\bso ngay\b/.test(h) },
  { role: 'returned', test: (h) => /\bngay (tra|hoan thanh|co ket qua|tra ket qua)\b/.test(h) && !/\bhen\b/.test(h) },
  { role: 'received', test: (h) => /\b(ngay|thoi gian|thoi diem) (tiep nhan|nhan|nop)\b/.test(h) || h === 'tiep nhan' },
  { role: 'procedure', test: (h) => !/\bma (thu tuc|tthc)\b/.test(h) && (/\bthu tuc\b/.test(h) || /\btthc\b/.test(h)) },
  {
    role: 'applicant',
    test: (h) =>
      !/\b(dia chi|dien thoai|email|thu dien tu|cmnd|cccd|can cuoc|so giay to)\b/.test(h) &&
      (/\bnguoi (nop|dung ten|de nghi|yeu cau)\b/.test(h) || /\bto chuc\b.*\bca nhan\b/.test(h) || /\bchu ho so\b/.test(h) || /\bho( va)? ten\b/.test(h) || /\bcong dan\b/.test(h)),
  },
  { role: 'unit', test: (h) => /\bdon vi\b/.test(h) || /\bco quan (giai quyet|thuc hien|xu ly|thu ly|chu tri|tham quyen)\b/.test(h) || /\bphong ban\b/.test(h) },
  { role: 'status', test: (h) => /\b(trang thai|tinh trang)\b/.test(h) && !/\b(thanh toan|phi|le phi|dong bo|ky so)\b/.test(h) },
  { role: 'status', test: (h) => /^ket qua (xu ly|giai quyet)$/.test(h) },
];

/** The roles of a row's cells when it is a header (a code and a due column at least), else null. */
export function headerColumns(cells: string[]): Map<DossierColumn, number> | null {
  const folded = cells.map((c) => {
    const h = foldWords(c);
    return h.length > 80 ? '' : h;
  });
  const found = new Map<DossierColumn, number>();
  const taken = new Set<number>();
  for (const rule of RULES) {
    if (found.has(rule.role)) continue;
    const i = folded.findIndex((h, index) => h && !taken.has(index) && rule.test(h));
    if (i < 0) continue;
    found.set(rule.role, i);
    taken.add(i);
  }
  // an export of open dossiers may name the appointment "Ngày trả kết quả"
  if (!found.has('due') && found.has('returned')) {
    found.set('due', found.get('returned')!);
    found.delete('returned');
  }
  return found.has('code') && found.has('due') ? found : null;
}

export type ListDate = { ok: true; date: LocalDate } | { ok: false } | { ok: true; date: null };

const TIME = /\b\d{1,2}\s*[:hg]\s*\d{2}(?:\s*[:p']\s*\d{2})?(?:\s*(?:[AaPp]\.?[Mm]\.?|SA|CH|sa|ch))?/g;
const WEEKDAY = /^(thu\s*(hai|ba|tu|nam|sau|bay|[2-7])|chu\s*nhat|cn|t[2-7])\b[\s,.-]*/;

/**
 * A date as exports write it: dd/mm/yyyy (also "-" or "."; a two-digit year means 20yy), with a time before or
 * after it, yyyy-mm-dd (or with "/"), "ngày 05 tháng 5 năm 2023", a weekday before it, or an Excel serial
 * number (with a fraction for the time). `date: null` for an empty cell; `ok: false` when it is not a date.
 */
export function parseListDate(text: string): ListDate {
  const raw = text.replace(/[\u00a0\u200b-\u200d\ufeff]/g, ' ').trim();
  if (!raw) return { ok: true, date: null };
  const serial = /^(\d{5})(?:[.,]\d+)?$/.exec(raw);
  if (serial) {
    // Excel's day 1 is 1900-01-01 with the 1900 leap-year bug: serial 25569 = 1970-01-01
    const n = Number(serial[1]);
    return n > 20000 && n < 80000 ? { ok: true, date: addDays('1970-01-01', n - 25569) } : { ok: false };
  }
  const date = (y: number, m: number, d: number): ListDate => {
    const made = makeDate(y < 100 ? 2000 + y : y, m, d);
    return made ? { ok: true, date: made } : { ok: false };
  };
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/.exec(raw);
  if (m) return date(Number(m[1]), Number(m[2]), Number(m[3]));
  const t = fold(raw.replace(TIME, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^ngay\s+/, '')
    .replace(WEEKDAY, '')
    .replace(/^ngay\s+/, '')
    .replace(/[\s,;.]+$/, '');
  m = /^(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})$/.exec(t);
  if (m) return date(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$/.exec(t);
  if (m) return date(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,|nam)?\s*(\d{4})$/.exec(t);
  if (m) return date(Number(m[3]), Number(m[2]), Number(m[1]));
  return { ok: false };
}

/** A dossier code as typed in a cell: no spaces (exports break long codes), no invisible characters. */
export function cleanCode(text: string): string {
  return text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
}

/** How final a row's status is: a code listed twice keeps its most final row (then the later one). */
function finality(d: ParsedDossier): number {
  if (!d.status) return 0;
  if (!isOpen(d.status.status)) return 3;
  return d.status.status === 'paused' ? 2 : 1;
}

function sameData(a: ParsedDossier, b: ParsedDossier): boolean {
  return a.due === b.due && a.procedure === b.procedure && a.applicant === b.applicant && a.unit === b.unit && a.received === b.received && a.statusText === b.statusText && a.returnedOn === b.returnedOn;
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
  const missing = (['procedure', 'applicant', 'received', 'unit', 'status'] as DossierColumn[]).filter((c) => !columns.has(c));
  if (missing.length) {
    const statusNote = missing.includes('status') ? ' (không có cột trạng thái: hồ sơ mới coi như đang giải quyết, hồ sơ đã có giữ trạng thái cũ)' : '';
    warnings.push({ row: header.source.row, message: `Dòng ${header.source.row}: không có cột ${missing.map((c) => `"${COLUMN_LABELS[c]}"`).join(', ')}${statusNote}` });
  }
  const cell = (row: RawRow, role: DossierColumn): string => {
    const index = columns.get(role);
    return index === undefined ? '' : (row.cells[index] ?? '').replace(/\s+/g, ' ').trim();
  };
  const kept = new Map<string, ParsedDossier>();
  for (const row of rows.slice(headerIndex + 1)) {
    const n = row.source.row;
    const where = `Dòng ${n}`;
    const code = cleanCode(cell(row, 'code'));
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
    const dateOf = (role: 'received' | 'returned', what: string): LocalDate | null => {
      const text = cell(row, role);
      const parsed = parseListDate(text);
      if (parsed.ok) return parsed.date;
      warnings.push({ row: n, message: `${label}: ${what} "${text}" không phải ngày hợp lệ; bỏ qua ô này` });
      return null;
    };
    let received = dateOf('received', 'ngày tiếp nhận');
    if (received && received > due.date) {
      warnings.push({ row: n, message: `${label}: ngày tiếp nhận ${formatVi(received)} sau ngày hẹn trả ${formatVi(due.date)}; bỏ qua ngày tiếp nhận` });
      received = null;
    }
    const returnedOn = dateOf('returned', 'ngày trả kết quả');
    const statusText = cell(row, 'status');
    let status = readDossierStatus(statusText);
    if (statusText && !status) warnings.push({ row: n, message: `${label}: chưa hiểu trạng thái "${statusText}"; coi như hồ sơ đang giải quyết` });
    // a return date is a return, whatever the status column says (or when there is none)
    if (returnedOn && (!status || isOpen(status.status))) status = { status: 'returned', late: returnedOn > due.date };
    const parsed: ParsedDossier = { row: n, code, procedure: cell(row, 'procedure'), applicant: cell(row, 'applicant'), received, due: due.date, unit: cell(row, 'unit'), status, statusText, returnedOn };
    const before = kept.get(code);
    if (before) {
      if (sameData(before, parsed)) {
        warnings.push({ row: n, message: `${label}: trùng dòng ${before.row}, bỏ qua` });
        continue;
      }
      const winner = finality(parsed) >= finality(before) ? parsed : before;
      const state = (d: ParsedDossier) => (d.status ? STATUS_LABELS[d.status.status] : 'không rõ trạng thái');
      warnings.push({ row: n, message: `${label}: mã hồ sơ đã có ở dòng ${before.row} với dữ liệu khác; dùng dòng ${winner.row} (${state(winner)}, hẹn trả ${formatVi(winner.due)})` });
      if (winner === before) continue;
      kept.delete(code);
    }
    kept.set(code, parsed);
    if (!parsed.applicant && columns.has('applicant')) warnings.push({ row: n, message: `${label}: thiếu người nộp (văn bản xin lỗi sẽ để trống)` });
    if (!parsed.procedure && columns.has('procedure')) warnings.push({ row: n, message: `${label}: thiếu tên thủ tục` });
  }
  const dossiers = [...kept.values()];
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
