/**
 * CSV/TSV reader: csv-parse with quoted multi-line cells; the delimiter is sniffed when not given.
 * A line with a single field (a title or a part heading pasted between two tables) is marked `outside`.
 */
import { parse } from 'csv-parse/sync';
import type { RawRow } from '../core/plan-table.ts';
import { PlanFileError } from './errors.ts';
import { count, LIMITS, tooLarge } from './limits.ts';

/** One record (row) of a table, in characters: a plan row is a few KB even with long cells. */
const MAX_RECORD_CHARS = 1_000_000;

/** csv-parse's errors, in words a clerk reads (its own messages are English). */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'có dấu ngoặc kép mở mà không đóng',
  CSV_INVALID_CLOSING_QUOTE: 'có dấu ngoặc kép đóng sai chỗ',
  CSV_MAX_RECORD_SIZE: `có một dòng dài quá ${count(MAX_RECORD_CHARS)} ký tự`,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'có ký tự thừa ngay sau dấu ngoặc kép đóng',
};

export type Delimiter = ',' | ';' | '\t';

/**
 * Picks the delimiter that splits the most lines into the same number (≥ 3) of fields: a tab wins in a
 * paste from Word/Excel, ";" in a CSV saved by a Vietnamese-locale Excel, "," otherwise.
 */
export function sniffDelimiter(text: string): Delimiter {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 200);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of ['\t', ';', ','] as Delimiter[]) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const n = line.split(d).length;
      if (n >= 3) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const score = Math.max(0, ...counts.values());
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Parses delimited text into rows; `row` is the 1-based line number where each record starts. */
export function readDelimitedText(text: string, delimiter?: Delimiter, file?: string): RawRow[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new PlanFileError(`Tệp rỗng${file ? `: ${file}` : ''}`, file ? { file } : undefined);
  const d = delimiter ?? sniffDelimiter(body);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, {
      delimiter: d,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
      // A tab-separated paste has no quoting convention of its own; quotes in a cell are text.
      quote: d === '\t' ? false : '"',
      // one record past the limit is enough to refuse; a record's size bounds its number of fields
      to: LIMITS.rows + 1,
      max_record_size: MAX_RECORD_CHARS,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const code = String((error as { code?: unknown })?.code ?? '');
    const line = (error as { lines?: unknown })?.lines;
    const detail = `${CSV_ERRORS[code] ?? 'cấu trúc dòng không hợp lệ'}${typeof line === 'number' ? ` (dòng ${line})` : ''}`;
    throw new PlanFileError(`Tệp ${d === '\t' ? 'TSV' : 'CSV'} không đọc được${file ? ` (${file})` : ''}: ${detail}`, { ...(file ? { file } : {}), cause: error });
  }
  const where = file ?? 'tệp';
  if (records.length > LIMITS.rows) throw tooLarge(where, `bảng có hơn ${count(LIMITS.rows)} dòng`, 'hãy chia nhỏ tệp');
  const widest = records.reduce((n, r) => Math.max(n, r.record.length), 0);
  if (widest > LIMITS.columns) throw tooLarge(where, `một dòng có ${count(widest)} cột (giới hạn ${count(LIMITS.columns)})`, 'hãy kiểm tra dấu phân cách cột');
  const rows: RawRow[] = [];
  let previousEnd = 0;
  for (const { record, info } of records) {
    // info.lines is the line where the record ends; a multi-line record starts right after the previous one.
    const start = previousEnd + 1;
    previousEnd = info.lines;
    const cells = record.map((c) => c ?? '');
    if (cells.every((c) => c.trim() === '')) continue;
    rows.push({ cells, ...(cells.length === 1 ? { outside: true } : {}), source: { row: start } });
  }
  return rows;
}
