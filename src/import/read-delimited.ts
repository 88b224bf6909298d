/**
 * CSV/TSV reader: csv-parse with quoted multi-line cells; the delimiter is sniffed when not given.
 * A line with a single field (a title or a part heading pasted between two tables) is marked `outside`.
 */
import { parse } from 'csv-parse/sync';
import type { RawRow } from '../core/plan-table.ts';
import { PlanFileError } from './errors.ts';

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
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PlanFileError(`Tệp ${d === '\t' ? 'TSV' : 'CSV'} không đọc được${file ? ` (${file})` : ''}: ${detail}`, { ...(file ? { file } : {}), cause: error });
  }
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
