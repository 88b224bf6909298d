import { parseUnitKind } from '../core/unit-kinds.ts';
import { foldWords } from '../core/text.ts';
import type { RegistryRow } from '../store/unit-registry.ts';
import { PlanFileError } from './errors.ts';
import { readPlanRows } from './read-plan-file.ts';

/**
 * Reads a unit registry (XLSX, CSV or TSV with columns "Tên đơn vị", "Loại", "Tên gọi khác"; aliases separated
 * by ";"; optionally "Nơi nhận báo cáo lãnh đạo"). A row with an unknown kind or no name stops the whole file,
 * naming the row.
 */
const NAME_HEADER = /^ten (don vi|co quan)$/;

/** Whether a row is a unit registry's header ("Tên đơn vị" ... "Loại"): how a file is recognised as one. */
export function isRegistryHeader(cells: string[]): boolean {
  const folded = cells.map((c) => foldWords(c));
  return folded.some((h) => NAME_HEADER.test(h)) && folded.some((h) => /^loai/.test(h));
}

export async function readUnitRegistry(file: string): Promise<RegistryRow[]> {
  const { rows } = await readPlanRows(file);
  const headerIndex = rows.findIndex((r) => r.cells.some((c) => NAME_HEADER.test(foldWords(c))));
  if (headerIndex < 0) throw new PlanFileError(`Tệp ${file} không có dòng tiêu đề "Tên đơn vị, Loại, Tên gọi khác"`);
  const header = rows[headerIndex]!.cells.map((c) => foldWords(c));
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const name = col(NAME_HEADER);
  const kind = col(/^loai/);
  const aliases = col(/^(ten goi khac|ten khac|bi danh|viet tat)/);
  const leader = col(/lanh dao/);
  if (kind < 0) throw new PlanFileError(`Tệp ${file} thiếu cột "Loại" (loại đơn vị)`);
  const result: RegistryRow[] = [];
  const errors: string[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    const cell = (i: number) => (i >= 0 ? (row.cells[i] ?? '').trim() : '');
    if (row.cells.every((c) => !c.trim())) continue;
    const parsedKind = parseUnitKind(cell(kind));
    if (!cell(name)) errors.push(`dòng ${row.source.row}: thiếu tên đơn vị`);
    else if (!parsedKind) errors.push(`dòng ${row.source.row}: loại đơn vị "${cell(kind)}" không hợp lệ`);
    else {
      result.push({
        name: cell(name),
        kind: parsedKind,
        aliases: cell(aliases).split(';').map((a) => a.trim()).filter(Boolean),
        ...(cell(leader) ? { leaderChat: cell(leader) } : {}),
      });
    }
  }
  if (errors.length) throw new PlanFileError(`Tệp danh mục đơn vị ${file} có lỗi, chưa nhập gì:\n- ${errors.join('\n- ')}`);
  return result;
}
