/**
 * Understanding a plan's appendix table: from rows of cell texts (whatever file they came from) to parts,
 * groups, sub-groups and tasks with their codes, units, deadline text and warnings for the administrator.
 * Pure: the readers in src/import/ turn files into RawRow[]; another module stores the result.
 *
 * A row is one of: structure (a header repeated at a page break, column numbers, "Phụ lục", a page
 * number, a heading that opens a part, group or sub-group), the continuation of the task above (a cell
 * broken by a page break, a vertically merged number), or a task. A row with no content, no lead unit
 * and no deadline is never a task.
 */
import { foldWords, fold } from './text.ts';
import { appendText, cleanCellText, shorten, splitAssignment } from './plan-cells.ts';
import { findHeaderRow, isColumnNumberRow, isHeaderRow, isSubHeaderRow, layoutOf, type Layout } from './plan-header.ts';
import { parseMarker, resolveOutline, splitHeading, type Item } from './plan-outline.ts';
import { assignCodes } from './plan-codes.ts';

import type { Draft, Marker, ParsedPlan, PlanWarning, RawRow, Warn } from './plan-types.ts';

export type { ParsedPlan, ParsedTask, PlanSection, PlanWarning, RawRow } from './plan-types.ts';
export { cleanCellText } from './plan-cells.ts';
export { findHeaderRow, headerRole } from './plan-header.ts';

/** The table has no recognisable header row: the caller turns this into a file error. */
export class TableShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableShapeError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Row shapes

const PAGE_NUMBER = /^(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?$/iu;

const SIGNATURE = /^(?:noi nhan\s*:|(?:tm|kt|tl|tuq)\. |chu tich$|pho chu tich$|giam doc$|nguoi lap)/u;

function isNoise(text: string): boolean {
  const f = fold(text);
  return /^phu luc( (so )?[ivx\d]+)?[.:]?$/.test(f) || /^\(?(ban hanh )?kem theo\b/.test(f) || PAGE_NUMBER.test(text) || /^trang \d+( ?\/ ?\d+)?$/.test(f);
}

function looksLikeDeadline(text: string): boolean {
  const f = fold(text);
  return /^(\d{1,2}\/\d{1,2}\/\d{2,4}|quy [ivx]+|thang \d|nam \d{4}|thuong xuyen|truoc ngay|hang (tuan|thang|quy|nam)|dinh ky)/.test(f);
}

function looksLikeUnit(text: string): boolean {
  return /^(ubnd|uy ban|van phong|so |phong |cac phong|cac so|cac don vi|cac co quan|trung tam|bo phan)/.test(foldWords(text) + ' ');
}

const ASSIGNED_ELSEWHERE = /^(đã được phân công|đã phân công|đã giao|được phân công|thực hiện theo kế hoạch số|theo kế hoạch số)/iu;

/** The printed name of column c, for a warning. */
function label(layout: Layout, c: number | undefined): string | undefined {
  return c !== undefined && c >= 0 ? layout.labels.get(c) : undefined;
}

/**
 * Understands a plan table. Rows before the header give the title (and a part heading if one comes just
 * before the table). Throws TableShapeError when no header row is found.
 *
 * Codes: the path of parts, groups and sub-groups (Roman turned Arabic, "II.1" -> "2.1", "a)" -> 1) and the
 * item as printed in the number column that restarts in each group (the other one, a running number, gives
 * aliases). A duplicate code or an unnumbered row gets the next free item number of its section and a
 * warning.
 */
export function understandTable(rows: RawRow[]): ParsedPlan {
  const headerIndex = findHeaderRow(rows);
  if (headerIndex < 0) {
    throw new TableShapeError(
      'Không tìm thấy dòng tiêu đề của bảng kế hoạch (cần có các cột như "STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành")',
    );
  }
  const subOf = (index: number): RawRow | undefined => {
    const next = rows[index + 1];
    return next && !isHeaderRow(next) && isSubHeaderRow(next) ? next : undefined;
  };
  const header = rows[headerIndex] as RawRow;
  const sub = subOf(headerIndex);
  const bodyStart = headerIndex + 1 + (sub ? 1 : 0);
  let layout = layoutOf(header, sub, rows.slice(bodyStart));

  const warnings: PlanWarning[] = [];
  const warn: Warn = (row, message, column) => {
    warnings.push({ row, ...(column ? { column } : {}), message: `Dòng ${row}${column ? ` (cột ${column})` : ''}: ${message}` });
  };

  // Before the header: the title and maybe the first part heading.
  const items: Item[] = [];
  const titleLines: string[] = [];
  for (const row of rows.slice(0, headerIndex)) {
    const texts = row.cells.map(cleanCellText).filter((t) => t !== '');
    if (texts.length !== 1) continue;
    const text = (texts[0] as string).replace(/\n/g, ' ');
    const heading = splitHeading(text);
    if (heading && (heading.marker.kind === 'part' || heading.marker.kind === 'arabic')) {
      items.push({ kind: 'heading', marker: heading.marker, title: heading.title, row: row.source.row, wide: true, outside: true });
    } else if (!isNoise(text) && items.length === 0) titleLines.push(text);
  }

  let lastTask: Draft | undefined;
  for (let i = bodyStart; i < rows.length; i++) {
    const row = rows[i] as RawRow;
    if (!row.outside && isHeaderRow(row)) {
      // A header repeated at a page break, or the header of the next table (which may order its columns anew).
      const again = subOf(i);
      layout = layoutOf(row, again, rows.slice(i + 1));
      if (again) i++;
      continue;
    }
    const item = readRow(row, layout, lastTask, warn);
    if (!item) continue;
    items.push(item);
    lastTask = item.kind === 'task' ? item.draft : undefined;
  }

  const { sections, drafts } = resolveOutline(items, warn);
  const tasks = assignCodes(drafts, warn);
  warnings.sort((a, b) => a.row - b.row);
  const title = titleLines.join(' ').trim();
  return { ...(title ? { title } : {}), sections, tasks, warnings };
}

/** The columns from the first to the last the header names (a sheet may hold the table from column C on). */
function tableWidth(layout: Layout): number {
  const known = [...layout.labels.keys()];
  return known.length > 0 ? Math.max(...known) - Math.min(...known) + 1 : Number.POSITIVE_INFINITY;
}

/** One body row: a heading, a task, or nothing (structure to skip, or a continuation merged into `lastTask`). */
function readRow(row: RawRow, layout: Layout, lastTask: Draft | undefined, warn: Warn): Item | null {
  const r = row.source.row;
  const cells = row.cells.map(cleanCellText);
  const filled = cells.map((c, i) => ({ c, i })).filter((x) => x.c !== '');
  if (filled.length === 0) return null;
  if ((filled.length >= 2 && isSubHeaderRow(row)) || isColumnNumberRow(cells)) return null;
  // the recipients and signature block under the table ("Nơi nhận: ..." | "TM. ỦY BAN NHÂN DÂN ..."): not the plan's
  if (filled.every((x) => SIGNATURE.test(fold(x.c)))) return null;

  if (row.outside || filled.length === 1) {
    const only = filled[0] as { c: string; i: number };
    const text = only.c.replace(/\n/g, ' ');
    const wide = row.outside === true || (row.spans?.[only.i] ?? 1) >= Math.max(2, Math.min(cells.length, tableWidth(layout)) - 1);
    if (isNoise(text)) return null;
    if (wide || layout.numberCols.includes(only.i) || only.i === layout.content) {
      const heading = splitHeading(text);
      if (heading) return { kind: 'heading', marker: heading.marker, title: heading.title, row: r, wide, outside: row.outside === true };
    }
    if (row.outside) return null;
    if (wide) return { kind: 'heading', marker: null, title: text, row: r, wide };
    if (only.i !== layout.content && !layout.numberCols.includes(only.i) && lastTask) {
      // A cell broken by a page break: its tail sits alone in its column on the next page.
      mergeInto(lastTask, layout, cells);
      warn(r, `phần tiếp theo của ô ở dòng ${lastTask.row} (bị ngắt trang), đã ghép vào nhiệm vụ đó`, label(layout, only.i));
      return null;
    }
  }

  const at = (c: number): string => (c >= 0 ? (cells[c] ?? '') : '');
  const numbers = layout.numberCols.map(at);
  const markers = numbers.map(parseMarker);
  const title = titleOf(cells, row.spans, layout, markers);
  const body = { lead: at(layout.lead), coord: at(layout.coord), deadline: at(layout.deadline), result: at(layout.result) };
  const bare = body.lead === '' && body.coord === '' && body.deadline === '' && body.result === '';
  const titleSpan = titleSpanOf(cells, row.spans, layout);
  const wide = layout.lead >= 0 && titleSpan > layout.lead;

  // Headings: a Roman numeral (or a part's letter) in a number column and a title; a sub-group's number
  // ("II.1", "1.2", "a)") with a title and nothing else.
  const structural = markers.find((m) => m?.kind === 'roman' || m?.kind === 'part') ?? null;
  if (structural && title !== '') {
    const extra = [layout.lead, layout.coord, layout.deadline, layout.result].find((c) => at(c) !== '');
    if (extra !== undefined) warn(r, 'dòng nhóm (số La Mã) có cả đơn vị/thời hạn: không tạo nhiệm vụ, cần kiểm tra lại', label(layout, extra));
    return { kind: 'heading', marker: structural, title, row: r, wide };
  }
  const numbered = markers.filter((m): m is Marker => m !== null && m.kind !== 'bullet');
  const deepest = numbered[numbered.length - 1] ?? null;
  if (bare && title !== '' && at(layout.note) === '') {
    if (deepest && (deepest.kind === 'letter' || (deepest.kind === 'arabic' && deepest.path.length > 1))) {
      return { kind: 'heading', marker: deepest, title, row: r, wide };
    }
    if (!deepest) {
      const heading = splitHeading(title);
      if (heading) return { kind: 'heading', marker: heading.marker, title: heading.title, row: r, wide };
      // the content cell going on from the task above (a list item, a sentence continued after a page break)
      if (lastTask && at(layout.content) === title && /^([-+•]\s|\p{Ll})/u.test(title)) {
        mergeInto(lastTask, layout, cells);
        warn(r, `dòng không có số thứ tự, đã ghép vào nhiệm vụ ở dòng ${lastTask.row}`);
        return null;
      }
      if (!wide) warn(r, `dòng chỉ có nội dung ("${shorten(title)}"), không số thứ tự, đơn vị hay thời hạn: coi là tiêu đề, không tạo nhiệm vụ`);
      return { kind: 'heading', marker: null, title, row: r, wide };
    }
    if (wide) return { kind: 'heading', marker: deepest, title, row: r, wide };
  }

  const numberFromAbove = layout.numberCols.some((c) => row.fromAbove?.[c]);
  if (numbered.length === 0 || numberFromAbove) {
    const contentFromAbove = layout.content >= 0 && row.fromAbove?.[layout.content] === true;
    if (lastTask && (numberFromAbove || title === '' || contentFromAbove)) {
      mergeInto(lastTask, layout, cells, row.fromAbove);
      warn(r, `dòng không có số thứ tự, đã ghép vào nhiệm vụ ở dòng ${lastTask.row}`);
      return null;
    }
  }
  if (title === '' && body.lead === '' && body.deadline === '') {
    if (numbered.length > 0) warn(r, `dòng có số "${numbers.filter((n) => n !== '').join(' ')}" nhưng không có nội dung, đơn vị chủ trì hay thời hạn: bỏ qua`);
    return null;
  }
  if (title === '' && numbered.length === 0) {
    warn(r, 'dòng không có số thứ tự và không có nội dung, không thuộc nhiệm vụ nào ở trên: bỏ qua, cần kiểm tra lại');
    return null;
  }

  const units = splitAssignment(body.lead, body.coord);
  const draft: Draft = {
    markers,
    numbers,
    content: title,
    leadText: units.lead,
    coordText: units.coord,
    deadlineText: body.deadline,
    result: body.result,
    note: at(layout.note),
    row: r,
    needsReview: false,
    path: [],
    part: undefined,
    heading: bare && title !== '' && at(layout.note) === '',
    labels: { numbers: layout.numberCols.map((c) => label(layout, c)), lead: label(layout, layout.lead), deadline: label(layout, layout.deadline) },
  };
  for (const [k, m] of markers.entries()) {
    const text = numbers[k] as string;
    if (m === null && text !== '' && text !== title) warn(r, `số thứ tự "${text}" không đọc được, sẽ đặt mã mới`, label(layout, layout.numberCols[k]));
  }
  if (title === '') {
    warn(r, 'nhiệm vụ không có nội dung, cần kiểm tra lại', label(layout, layout.content));
    draft.needsReview = true;
  }
  checkCells(draft, row, layout, warn);
  for (const doubt of row.doubts ?? []) {
    draft.needsReview = true;
    warn(r, doubt);
  }
  return { kind: 'task', draft };
}

/**
 * The content of a row: the content cell, or the title merged over it from a column to its left (a group
 * title merged from the second number column), or a title left unmerged in a number column.
 */
function titleOf(cells: string[], spans: number[] | undefined, layout: Layout, markers: (Marker | null)[]): string {
  const content = layout.content >= 0 ? (cells[layout.content] ?? '') : '';
  if (content !== '') return content;
  for (let c = layout.content - 1; c >= 0; c--) {
    const text = cells[c] ?? '';
    if (text === '') continue;
    const span = spans?.[c] ?? 1;
    const k = layout.numberCols.indexOf(c);
    if (c + span > layout.content || (k >= 0 && markers[k] === null)) return text;
    return '';
  }
  return '';
}

/** The column just after the cell that holds the row's title (merged cells reach further). */
function titleSpanOf(cells: string[], spans: number[] | undefined, layout: Layout): number {
  for (let c = Math.max(0, layout.content); c >= 0; c--) {
    if ((cells[c] ?? '') !== '') return c + Math.max(1, spans?.[c] ?? 1);
  }
  return 0;
}

/** Appends the non-empty cells of a continuation row to a task (vertically merged cells are not repeated). */
function mergeInto(task: Draft, layout: Layout, cells: string[], fromAbove?: boolean[]): void {
  const take = (c: number): string => (c >= 0 && !fromAbove?.[c] ? (cells[c] ?? '') : '');
  task.content = appendText(task.content, take(layout.content));
  task.leadText = appendText(task.leadText, take(layout.lead));
  task.coordText = appendText(task.coordText, take(layout.coord));
  task.deadlineText = appendText(task.deadlineText, take(layout.deadline));
  task.result = appendText(task.result, take(layout.result));
  task.note = appendText(task.note, take(layout.note));
  if (task.leadText !== '' || task.deadlineText !== '' || task.coordText !== '' || task.result !== '') task.heading = false;
}

function checkCells(draft: Draft, row: RawRow, layout: Layout, warn: Warn): void {
  const r = draft.row;
  // One cell merged across lead..result: "Đã được phân công theo Kế hoạch số ...".
  const leadSpan = layout.lead >= 0 ? (row.spans?.[layout.lead] ?? 1) : 1;
  const covered = [layout.coord, layout.deadline, layout.result].filter((c) => c > layout.lead && c < layout.lead + leadSpan).length;
  const others = draft.coordText === '' && draft.deadlineText === '' && draft.result === '';
  if (draft.leadText !== '' && (covered >= 2 || (others && ASSIGNED_ELSEWHERE.test(draft.leadText)))) {
    draft.note = appendText(draft.leadText, draft.note);
    draft.leadText = '';
    warn(r, `ô gộp từ cột chủ trì đến cột kết quả ("${shorten(draft.note)}"): chuyển vào Ghi chú; nhiệm vụ không có đơn vị chủ trì và thời hạn riêng`, label(layout, layout.lead));
    draft.needsReview = true;
    return;
  }
  if (draft.leadText !== '' && looksLikeDeadline(draft.leadText) && !looksLikeUnit(draft.leadText)) {
    warn(r, `ô có vẻ bị lệch cột ("${shorten(draft.leadText)}" giống một thời hạn), cần kiểm tra lại`, label(layout, layout.lead));
    draft.needsReview = true;
  }
  if (draft.deadlineText !== '' && looksLikeUnit(draft.deadlineText)) {
    warn(r, `ô có vẻ bị lệch cột ("${shorten(draft.deadlineText)}" giống tên đơn vị), cần kiểm tra lại`, label(layout, layout.deadline));
    draft.needsReview = true;
  }
}
