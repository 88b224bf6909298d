/**
 * The header of a plan table: which column holds what, found by the meaning of the header cells (and, for
 * number columns without a header, by what the rows below hold). Pure.
 */
import { foldWords } from './text.ts';
import { cleanCellText } from './plan-cells.ts';
import { parseMarker } from './plan-outline.ts';
import type { RawRow } from './plan-types.ts';

/** other: a column plans carry that nhacviec does not use (budget, start date, legal basis ...) */
export type Role = 'number' | 'content' | 'lead' | 'coord' | 'deadline' | 'result' | 'note' | 'assign' | 'other';

/** The meaning of a header cell, from its folded words; null when it is not a header name. */
export function headerRole(text: string): Role | null {
  const w = foldWords(text);
  if (w === '') return null;
  // "STT", "TT", "Số TT", "Stt2", "STT trong nhóm", "Số thứ tự chung"
  if (/^(stt|tt|so tt|so thu tu)( ?\d| \(?\d\)?| (trong|theo|cua) .*| (nhom|chung|muc|phan))?$/.test(w)) return 'number';
  if (/chu tri/.test(w)) return 'lead';
  if (/phoi hop/.test(w)) return 'coord';
  if (/^phan cong/.test(w)) return 'assign';
  if (/^(noi dung|ten nhiem vu|nhiem vu|ten cong viec|cong viec|ten hoat dong|hoat dong)/.test(w)) return 'content';
  if (/^((co quan|don vi|co quan don vi) (thuc hien|chiu trach nhiem)|trach nhiem thuc hien)$/.test(w)) return 'lead';
  if (/^(thoi gian|thoi han|tien do|moc thoi gian|thoi diem|han hoan thanh|han)( |$)/.test(w)) return 'deadline';
  if (/^(ket qua|san pham|hinh thuc san pham|du kien san pham|du kien ket qua|hinh thuc van ban)/.test(w)) return 'result';
  if (/^ghi chu/.test(w)) return 'note';
  // under "Thời gian thực hiện": "Bắt đầu | Hoàn thành"
  if (/^(hoan thanh|ket thuc|han chot)$/.test(w)) return 'deadline';
  if (/^(bat dau|kinh phi|nguon kinh phi|nguon von|du toan|muc tieu|chi tieu|yeu cau|can cu|co so phap ly|dia diem|pham vi|doi tuong)( |$)/.test(w)) return 'other';
  return null;
}

export function isHeaderRow(row: RawRow): boolean {
  const roles = new Set<Role>();
  let strangers = 0;
  for (const cell of row.cells) {
    if (cell.trim() === '') continue;
    // a header name is short and starts with a letter; a number, a task's content or units are not (most
    // rows stop at their second cell, which keeps this cheap on long plans)
    const role = cell.length <= 80 && !/^\s*[\d(]/.test(cell) ? headerRole(cell) : null;
    if (role) {
      if (role !== 'other') roles.add(role);
    } else if (++strangers > 1) return false;
  }
  return roles.size >= 3 && roles.has('content');
}

/** A second header row: only header names ("Đơn vị chủ trì | Đơn vị phối hợp" under "Phân công thực hiện"). */
export function isSubHeaderRow(row: RawRow): boolean {
  const filled = row.cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => headerRole(c) !== null);
}

/** Column numbers printed under the header: "1 | 2 | 3 ..." or "(1) | (2) | (3) ...". */
export function isColumnNumberRow(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== '');
  return filled.length >= 3 && filled.every((c) => /^\(?\d{1,2}\)?$/.test(c));
}

/** Index of the first header row (found by meaning), or -1. */
export function findHeaderRow(rows: RawRow[]): number {
  return rows.findIndex((row) => !row.outside && isHeaderRow(row));
}

export type Layout = {
  /** Every column holding numbers: by its header, or a column left of the content with no header name. */
  numberCols: number[];
  content: number;
  lead: number;
  coord: number;
  deadline: number;
  result: number;
  note: number;
  /** Column names as printed, for warnings ("cột Thời gian hoàn thành"). */
  labels: Map<number, string>;
};

/**
 * The layout from the header row, its second row if any, and the body rows (for number columns the header
 * leaves unnamed: "STT" printed over two columns without a merge, or an empty header cell).
 */
export function layoutOf(header: RawRow, sub: RawRow | undefined, body: RawRow[]): Layout {
  const width = Math.max(header.cells.length, sub?.cells.length ?? 0);
  const roles: (Role | null)[] = new Array<Role | null>(width).fill(null);
  const labels = new Map<number, string>();
  header.cells.forEach((cell, c) => {
    const role = headerRole(cell);
    if (!role) return;
    const span = Math.max(1, header.spans?.[c] ?? 1);
    for (let k = c; k < c + span && k < width; k++) {
      roles[k] = role;
      labels.set(k, cleanCellText(cell));
    }
  });
  sub?.cells.forEach((cell, c) => {
    const role = headerRole(cell);
    if (role && role !== 'number') {
      roles[c] = role;
      labels.set(c, cleanCellText(cell));
    }
  });
  const first = (role: Role): number => roles.indexOf(role);
  const content = first('content');
  for (let c = 0; c < content; c++) {
    if (roles[c] === null && mostlyMarkers(body, c)) {
      roles[c] = 'number';
      labels.set(c, labels.get(c) ?? `thứ ${c + 1}`);
    }
  }
  return {
    numberCols: roles.flatMap((r, c) => (r === 'number' ? [c] : [])),
    content,
    lead: first('lead'),
    coord: first('coord'),
    deadline: first('deadline'),
    result: first('result'),
    note: first('note'),
    labels,
  };
}

/** Whether most of the filled cells of a column (in its own cells, not merged titles) are item numbers. */
function mostlyMarkers(body: RawRow[], c: number): boolean {
  let filled = 0;
  let markers = 0;
  for (const row of body.slice(0, 400)) {
    if (row.outside || (row.spans?.[c] ?? 1) !== 1) continue;
    const text = (row.cells[c] ?? '').trim();
    if (text === '') continue;
    filled++;
    const m = parseMarker(text);
    if (m && m.kind !== 'bullet') markers++;
  }
  return filled >= 2 && markers * 2 > filled;
}
