/**
 * How much of a file the readers accept before materialising anything: a plan or a dossier list is a table of
 * at most some ten thousand rows, so anything far larger is refused, whatever the file claims about itself.
 * The figures bound the reader's peak memory well under 1 GB (see `npm run bench` / test/hostile-files.test.ts).
 */
import { PlanFileError } from './errors.ts';

const MiB = 1024 * 1024;

export const LIMITS = {
  /** a DOCX/XLSX file as stored */
  officeFileBytes: 50 * MiB,
  /** a CSV/TSV/text file */
  textFileBytes: 32 * MiB,
  /** entries in a zip package (a real DOCX/XLSX has a few dozen) */
  zipEntries: 5_000,
  /** one part once unpacked (word/document.xml, a worksheet, the shared strings), counted while inflating */
  partBytes: 40 * MiB,
  /** every part read from one package, unpacked */
  totalBytes: 80 * MiB,
  /** XML tags (opening and closing) and attributes of a DOCX body, counted before the XML is parsed into a tree */
  xmlNodes: 2_500_000,
  /** rows of a table (a sheet's last row number; records of a CSV; lines of a text file) */
  rows: 100_000,
  /** lines of a text file (a PDF extraction breaks a row over several lines) */
  textLines: 500_000,
  /** columns of a table */
  columns: 256,
  /** rows × columns a sheet spans (its grid is what the reader walks) */
  gridCells: 2_000_000,
  /** cells a sheet holds (with a value or covered by a merge) */
  cells: 400_000,
  /** merged ranges of a sheet */
  merges: 5_000,
} as const;

export type Limits = typeof LIMITS;

export const megabytes = (bytes: number): string => `${Math.round(bytes / MiB).toLocaleString('vi-VN')} MB`;
export const count = (n: number): string => n.toLocaleString('vi-VN');

/** The one refusal of a file that is over a limit: what was found, and what to do about it. */
export function tooLarge(file: string, what: string, advice = 'hãy mở tệp bằng Word/Excel, xóa phần thừa rồi lưu lại, hoặc chia nhỏ tệp'): PlanFileError {
  return new PlanFileError(`Tệp ${file} bị từ chối vì quá lớn hoặc bất thường: ${what}. Chưa đọc gì từ tệp; ${advice}.`, { file });
}
