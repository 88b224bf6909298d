/**
 * Reads a plan file of any supported format into a ParsedPlan.
 * The format comes from the content first (magic bytes: "PK" zip -> DOCX or XLSX by the entries inside;
 * OLE2 -> old .doc/.xls; NUL bytes or invalid UTF-8 -> not text) and from the extension second.
 */
import { extname } from 'node:path';
import { TableShapeError, understandTable, type ParsedPlan, type RawRow } from '../core/plan-table.ts';
import { PlanFileError } from './errors.ts';
import { openOfficeZip, readInputFile } from './office-zip.ts';
import { readDelimitedText } from './read-delimited.ts';
import { readDocxBuffer } from './read-docx.ts';
import { readPlainText } from './read-text.ts';
import { readXlsxBuffer } from './read-xlsx.ts';
import { cleanRows, decodeText } from './text-input.ts';

export type PlanFormat = 'docx' | 'xlsx' | 'csv' | 'tsv' | 'text';

const SUPPORTED = '(hỗ trợ .docx, .xlsx, .csv, .tsv, .txt)';
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(data: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => data[i] === b);
}

async function zipKind(data: Uint8Array, file: string, ext: string): Promise<'docx' | 'xlsx'> {
  const zip = await openOfficeZip(data, file, ext === '.xlsx' ? 'XLSX' : 'DOCX');
  if (zip.has('word/document.xml')) return 'docx';
  if (zip.has('xl/workbook.xml')) return 'xlsx';
  if (ext === '.docx' || ext === '.xlsx') {
    throw new PlanFileError(`Tệp ${ext.slice(1).toUpperCase()} bị hỏng hoặc không đầy đủ: ${file} (thiếu phần nội dung chính)`, { file });
  }
  throw new PlanFileError(`Không nhận ra định dạng tệp ${file}: tệp nén không phải Word hay Excel ${SUPPORTED}`, { file });
}

/**
 * Detects the format and reads the rows, every cell cleaned (NFC, no control characters). Exported for tests
 * and for callers that want the raw rows (the unit registry).
 */
export async function readPlanRows(path: string): Promise<{ format: PlanFormat; rows: RawRow[] }> {
  const { format, rows } = await readRows(path);
  return { format, rows: cleanRows(rows) };
}

async function readRows(path: string): Promise<{ format: PlanFormat; rows: RawRow[] }> {
  const data = await readInputFile(path);
  const ext = extname(path).toLowerCase();
  if (data.length === 0) throw new PlanFileError(`Tệp rỗng: ${path}`, { file: path });

  if (startsWith(data, [0x50, 0x4b])) {
    const kind = await zipKind(data, path, ext);
    return { format: kind, rows: kind === 'docx' ? await readDocxBuffer(data, path) : await readXlsxBuffer(data, path) };
  }
  if (startsWith(data, OLE2)) {
    if (ext === '.xls') throw new PlanFileError(`Tệp ${path} là Excel cũ (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx`, { file: path });
    if (ext === '.doc') throw new PlanFileError(`Tệp ${path} là Word cũ (.doc): hãy mở bằng Word và lưu lại dưới dạng .docx`, { file: path });
    throw new PlanFileError(`Không nhận ra định dạng tệp ${path}: tệp Office cũ (.doc/.xls) ${SUPPORTED}; hãy lưu lại dưới dạng .docx hoặc .xlsx`, { file: path });
  }
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46])) {
    throw new PlanFileError(`Tệp ${path} là PDF: hãy chép bảng ra văn bản (.txt) hoặc dùng bản Word/Excel gốc ${SUPPORTED}`, { file: path });
  }
  if (ext === '.docx' || ext === '.xlsx') {
    throw new PlanFileError(`Tệp ${ext.slice(1).toUpperCase()} bị hỏng hoặc không đầy đủ: ${path} (không phải tệp nén Office)`, { file: path });
  }
  if (ext === '.xls') throw new PlanFileError(`Tệp ${path} không phải Excel hợp lệ: hãy lưu lại dưới dạng .xlsx`, { file: path });
  const text = decodeText(data, path, SUPPORTED);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new PlanFileError(`Tệp rỗng: ${path}`, { file: path });
  if (ext === '.csv') return { format: 'csv', rows: readDelimitedText(text, undefined, path) };
  if (ext === '.tsv' || ext === '.tab') return { format: 'tsv', rows: readDelimitedText(text, '\t', path) };
  if (ext === '.txt' || ext === '.text' || ext === '') return { format: 'text', rows: readPlainText(text, path) };
  throw new PlanFileError(`Không nhận ra định dạng tệp ${path} ${SUPPORTED}`, { file: path });
}

/** Reads and understands a plan file; every problem with the file is a PlanFileError. */
export async function readPlanFile(path: string): Promise<ParsedPlan> {
  const { rows } = await readPlanRows(path);
  try {
    return understandTable(rows);
  } catch (error) {
    if (error instanceof TableShapeError) throw new PlanFileError(`${error.message}: ${path}`, { file: path, cause: error });
    throw error;
  }
}
