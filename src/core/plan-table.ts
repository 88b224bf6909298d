/**
 * Understanding a plan's appendix table: from rows of cell texts (whatever file they came from) to parts,
 * Roman-numeral groups and tasks with their codes, units, deadline text and warnings for the administrator.
 * Pure: the readers in src/import/ turn files into RawRow[]; another module stores the result.
 */
import { fold, foldWords } from './text.ts';
import { joinCode, normalizeCode, romanToInt } from './task-code.ts';
import { splitUnits } from './units.ts';

/**
 * One table row as a reader saw it.
 *
 * Merged cells: `cells` is aligned on the table grid (one entry per grid column), so index c is always
 * column c. A horizontally merged cell keeps its text in its first column; `spans[c]` is the number of grid
 * columns it covers and the covered columns hold '' with span 0 (no `spans` = every span is 1).
 * A vertically merged cell repeats the text of its top cell in every row it covers, with `fromAbove[c]`
 * true below the top row: each row is its own task and owns the value, but a row whose number cell comes
 * from above is the same task continued.
 */
export type RawRow = {
  cells: string[];
  spans?: number[];
  fromAbove?: boolean[];
  /** A paragraph outside any table (a title, a part heading between two tables): never a task. */
  outside?: boolean;
  /** Doubts of the reader about this row (the PDF-text heuristic): each becomes a warning + needsReview. */
  doubts?: string[];
  source: { row: number; sheet?: string };
};

export type PlanSection = { path: string; title: string; kind: 'part' | 'group' };

export type ParsedTask = {
  code: string;
  sectionPath: string;
  /** The number as printed in the STT cell ('' when the row had none). */
  number: string;
  content: string;
  leadText: string;
  coordText: string;
  lead: string[];
  coord: string[];
  deadlineText: string;
  result: string;
  note: string;
  row: number;
  needsReview: boolean;
};

export type PlanWarning = { row: number; column?: string; message: string };

export type ParsedPlan = {
  title?: string;
  sections: PlanSection[];
  tasks: ParsedTask[];
  warnings: PlanWarning[];
};

/** The table has no recognisable header row: the caller turns this into a file error. */
export class TableShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableShapeError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cell text

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Cleans one cell: HTML tags dropped (<br>, <p>, <li>, <ol>, <div> become line breaks, inline tags vanish),
 * entities decoded, spaces collapsed inside each line, empty lines dropped. Line breaks are kept as "\n"
 * because they carry lists ("- ...", "+ ..."); a one-line list ("- a; - b") is broken into lines.
 */
export function cleanCellText(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  text = text
    .replace(/<\s*br\s*\/?\s*>/gi, '\n')
    .replace(/<\/?\s*(p|div|li|ol|ul|tr|table)\b[^>]*>/gi, '\n')
    .replace(/<\/?\s*[a-z][a-z0-9]*\b[^>]*>/gi, '');
  text = decodeEntities(text);
  const lines = text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim())
    .filter((line) => line !== '')
    .flatMap(splitInlineList);
  return lines.join('\n');
}

/** "- a; - b." -> ["- a;", "- b."]: only for a line that itself starts as a list item. */
function splitInlineList(line: string): string[] {
  if (!/^[-+•]\s/.test(line)) return [line];
  return line.split(/(?<=[;.:])\s+(?=[-+•]\s)/);
}

// ---------------------------------------------------------------------------------------------------------
// Header

type Role = 'number' | 'content' | 'lead' | 'coord' | 'deadline' | 'result' | 'note' | 'assign';

/** The meaning of a header cell, from its folded words; null when it is not a header name. */
export function headerRole(text: string): Role | null {
  const w = foldWords(text);
  if (w === '') return null;
  if (/^(stt|tt|so tt|so thu tu)$/.test(w)) return 'number';
  if (/chu tri/.test(w)) return 'lead';
  if (/phoi hop/.test(w)) return 'coord';
  if (/^phan cong/.test(w)) return 'assign';
  if (/^(noi dung|ten nhiem vu|nhiem vu|ten cong viec|cong viec)/.test(w)) return 'content';
  if (/^(thoi gian|thoi han|tien do|moc thoi gian)/.test(w)) return 'deadline';
  if (/^(ket qua|san pham|hinh thuc san pham|du kien san pham)/.test(w)) return 'result';
  if (/^ghi chu/.test(w)) return 'note';
  return null;
}

function isHeaderRow(row: RawRow): boolean {
  const roles = new Set<Role>();
  let strangers = 0;
  for (const cell of row.cells) {
    if (cell.trim() === '') continue;
    const role = headerRole(cell);
    if (role) roles.add(role);
    else strangers++;
  }
  return roles.size >= 3 && roles.has('content') && strangers <= 1;
}

/** A second header row: only header names ("Đơn vị chủ trì | Đơn vị phối hợp" under "Phân công thực hiện"). */
function isSubHeaderRow(row: RawRow): boolean {
  const filled = row.cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => headerRole(c) !== null);
}

/** Index of the first header row (found by meaning), or -1. */
export function findHeaderRow(rows: RawRow[]): number {
  return rows.findIndex((row) => !row.outside && isHeaderRow(row));
}

type Layout = {
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

function layoutOf(header: RawRow, sub: RawRow | undefined): Layout {
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
  return {
    numberCols: roles.flatMap((r, c) => (r === 'number' ? [c] : [])),
    content: first('content'),
    lead: first('lead'),
    coord: first('coord'),
    deadline: first('deadline'),
    result: first('result'),
    note: first('note'),
    labels,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Row shapes

const PART_LINE = /^(?:phần\s+)?(\d{1,2})[.:)]\s*(\S.*)$/iu;
const PART_WORD_LINE = /^phần\s+([IVXLC]+|\d{1,2})[.:)]?\s+(\S.*)$/iu;
const GROUP_LINE = /^([IVXLC]+(?:\.\d{1,2})*)[.:)]?\s+(\S.*)$/u;
const PAGE_NUMBER = /^(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?$/iu;

function romanPath(text: string): string | null {
  const t = text.trim().replace(/[.)]+$/, '');
  const head = t.split('.')[0] ?? '';
  if (romanToInt(head) === null) return null;
  return normalizeCode(t);
}

/** "1", "1.", "2)", "03" -> 1, 1, 2, 3; null when the cell is not a plain item number. */
function itemNumber(text: string): number | null {
  const m = /^(\d{1,3})\s*[.)]?$/.exec(text.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1] as string, 10);
  return n > 0 ? n : null;
}

function looksLikeDeadline(text: string): boolean {
  const f = fold(text);
  return /^(\d{1,2}\/\d{1,2}\/\d{2,4}|quy [ivx]+|thang \d|nam \d{4}|thuong xuyen|truoc ngay|hang (tuan|thang|quy|nam)|hang (tuan|thang|quy|nam)|dinh ky)/.test(f);
}

function looksLikeUnit(text: string): boolean {
  return /^(ubnd|uy ban|van phong|so |phong |cac phong|cac so|cac don vi|cac co quan|trung tam|bo phan)/.test(foldWords(text) + ' ');
}

const ASSIGNED_ELSEWHERE = /^(đã được phân công|đã phân công|đã giao|được phân công|thực hiện theo kế hoạch số|theo kế hoạch số)/iu;

// ---------------------------------------------------------------------------------------------------------
// Understanding

type Draft = {
  sectionPath: string;
  number: string;
  item: number | null;
  content: string;
  leadText: string;
  coordText: string;
  deadlineText: string;
  result: string;
  note: string;
  row: number;
  needsReview: boolean;
};

function appendText(to: string, more: string): string {
  if (more === '') return to;
  if (to === '') return more;
  return /^[-+•]\s/.test(more) ? `${to}\n${more}` : `${to} ${more}`;
}

function isTitleNoise(text: string): boolean {
  const f = fold(text);
  return /^phu luc( [ivx\d]+)?$/.test(f) || /^\(?(ban hanh )?kem theo\b/.test(f) || PAGE_NUMBER.test(text);
}

/**
 * Understands a plan table. Rows before the header give the title (and a part heading if one comes just
 * before the table); repeated headers, column-number rows ("1 | 2 | 3 ...") and page numbers are skipped.
 * Throws TableShapeError when no header row is found.
 *
 * Codes: part p, group path g (Roman turned Arabic, "II.1" -> "2.1"), item n -> "p.g.n" (missing levels
 * left out). A duplicate code or an unnumbered row gets the next free item number of its section (one
 * more than the largest number used there) and a warning naming both rows.
 */
export function understandTable(rows: RawRow[]): ParsedPlan {
  const headerIndex = findHeaderRow(rows);
  if (headerIndex < 0) {
    throw new TableShapeError(
      'Không tìm thấy dòng tiêu đề của bảng kế hoạch (cần có các cột như "STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành")',
    );
  }
  const header = rows[headerIndex] as RawRow;
  const next = rows[headerIndex + 1];
  const sub = next && !isHeaderRow(next) && isSubHeaderRow(next) ? next : undefined;
  const layout = layoutOf(header, sub);

  const warnings: PlanWarning[] = [];
  const sections: PlanSection[] = [];
  const drafts: Draft[] = [];
  const warn = (row: number, message: string, column?: number): void => {
    const label = column !== undefined && column >= 0 ? layout.labels.get(column) : undefined;
    warnings.push({ row, ...(label ? { column: label } : {}), message: `Dòng ${row}${label ? ` (cột ${label})` : ''}: ${message}` });
  };

  let part: string | undefined;
  let group: string | undefined;
  let lastSection: PlanSection | undefined;
  let lastTask: Draft | undefined;
  const titleLines: string[] = [];

  const sectionPath = (): string => (group !== undefined ? joinCode(part, group) : (part ?? ''));
  const openPart = (num: string, title: string): void => {
    part = normalizeCode(num) ?? num;
    group = undefined;
    lastSection = { path: part, title, kind: 'part' };
    sections.push(lastSection);
    lastTask = undefined;
  };
  const openGroup = (path: string, title: string): void => {
    group = path;
    lastSection = { path: sectionPath(), title, kind: 'group' };
    sections.push(lastSection);
    lastTask = undefined;
  };
  /** A single line of text: a part heading, a group heading, a page number; true when it was one. */
  const singleLine = (text: string): boolean => {
    const partWord = PART_WORD_LINE.exec(text);
    if (partWord) {
      openPart(partWord[1] as string, (partWord[2] as string).trim());
      return true;
    }
    const partLine = PART_LINE.exec(text);
    if (partLine && !/^\d/.test(partLine[2] as string)) {
      openPart(partLine[1] as string, (partLine[2] as string).trim());
      return true;
    }
    const groupLine = GROUP_LINE.exec(text);
    const path = groupLine ? romanPath(groupLine[1] as string) : null;
    if (groupLine && path) {
      openGroup(path, (groupLine[2] as string).trim());
      return true;
    }
    return PAGE_NUMBER.test(text);
  };

  // Before the header: the title and maybe the first part heading.
  for (const row of rows.slice(0, headerIndex)) {
    const texts = row.cells.map(cleanCellText).filter((t) => t !== '');
    if (texts.length !== 1) continue;
    const text = texts[0] as string;
    if (PART_LINE.test(text) || PART_WORD_LINE.test(text)) singleLine(text);
    else if (!isTitleNoise(text) && part === undefined) titleLines.push(text.replace(/\n/g, ' '));
  }

  const cellAt = (cells: string[], c: number): string => (c >= 0 ? (cells[c] ?? '') : '');

  for (const row of rows.slice(headerIndex + 1 + (sub ? 1 : 0))) {
    const r = row.source.row;
    const cells = row.cells.map(cleanCellText);
    const filled = cells.map((c, i) => ({ c, i })).filter((x) => x.c !== '');
    if (filled.length === 0) continue;
    if (isHeaderRow(row) || (filled.length >= 2 && isSubHeaderRow(row))) continue;
    if (filled.length >= 3 && filled.every((x) => /^\(?\d{1,2}\)?$/.test(x.c))) continue; // "(1) (2) (3)" row

    if (row.outside || filled.length === 1) {
      const only = filled[0] as { c: string; i: number };
      const text = only.c.replace(/\n/g, ' ');
      const spansRow = (row.spans?.[only.i] ?? 1) >= Math.max(2, cells.length - 1);
      if (row.outside || spansRow || only.i === (layout.numberCols[0] ?? 0)) {
        if (singleLine(text)) continue;
        if (row.outside) continue;
      }
      if (only.i !== layout.content && !layout.numberCols.includes(only.i) && lastTask) {
        // A cell broken by a page break: its tail sits alone in its column on the next page.
        mergeInto(lastTask, layout, cells);
        warn(r, `phần tiếp theo của ô ở dòng ${lastTask.row} (bị ngắt trang), đã ghép vào nhiệm vụ đó`, only.i);
        continue;
      }
    }

    const numberCells = layout.numberCols.map((c) => ({ c, text: cellAt(cells, c) })).filter((x) => x.text !== '');
    const numberText = numberCells.length > 0 ? (numberCells[numberCells.length - 1] as { text: string }).text : '';
    const content = cellAt(cells, layout.content);

    // Group rows: a Roman numeral in the number column.
    const groupPath = numberCells.map((x) => romanPath(x.text)).find((p) => p !== null) ?? null;
    if (groupPath !== null && content !== '') {
      openGroup(groupPath, content.replace(/\n/g, ' '));
      const extra = [layout.lead, layout.coord, layout.deadline, layout.result].find((c) => cellAt(cells, c) !== '');
      if (extra !== undefined) warn(r, 'dòng nhóm (số La Mã) có cả đơn vị/thời hạn: không tạo nhiệm vụ, cần kiểm tra lại', extra);
      continue;
    }

    const numberFromAbove = layout.numberCols.some((c) => row.fromAbove?.[c]);
    if (numberText === '' || numberFromAbove) {
      const contentFromAbove = layout.content >= 0 && row.fromAbove?.[layout.content] === true;
      if (lastTask && (numberFromAbove || content === '' || contentFromAbove)) {
        mergeInto(lastTask, layout, cells, row.fromAbove);
        warn(r, `dòng không có số thứ tự, đã ghép vào nhiệm vụ ở dòng ${lastTask.row}`);
        continue;
      }
      if (content === '') continue;
    }

    const draft: Draft = {
      sectionPath: sectionPath(),
      number: numberText,
      item: itemNumber(numberText),
      content,
      leadText: cellAt(cells, layout.lead),
      coordText: cellAt(cells, layout.coord),
      deadlineText: cellAt(cells, layout.deadline),
      result: cellAt(cells, layout.result),
      note: cellAt(cells, layout.note),
      row: r,
      needsReview: false,
    };
    if (draft.item === null && numberText !== '') {
      const dotted = normalizeCode(numberText);
      if (dotted === null) warn(r, `số thứ tự "${numberText}" không đọc được, sẽ đặt mã mới`, layout.numberCols[0]);
    }
    checkCells(draft, row, layout, warn);
    for (const doubt of row.doubts ?? []) {
      draft.needsReview = true;
      warn(r, doubt);
    }
    drafts.push(draft);
    lastTask = draft;
  }

  const tasks = assignCodes(drafts, warn, layout);
  warnings.sort((a, b) => a.row - b.row);
  const title = titleLines.join(' ').trim();
  return { ...(title ? { title } : {}), sections, tasks, warnings };
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
}

type Warn = (row: number, message: string, column?: number) => void;

function checkCells(draft: Draft, row: RawRow, layout: Layout, warn: Warn): void {
  const r = draft.row;
  // One cell merged across lead..result: "Đã được phân công theo Kế hoạch số ...".
  const leadSpan = layout.lead >= 0 ? (row.spans?.[layout.lead] ?? 1) : 1;
  const covered = [layout.coord, layout.deadline, layout.result].filter((c) => c > layout.lead && c < layout.lead + leadSpan).length;
  const others = draft.coordText === '' && draft.deadlineText === '' && draft.result === '';
  if (draft.leadText !== '' && (covered >= 2 || (others && ASSIGNED_ELSEWHERE.test(draft.leadText)))) {
    draft.note = appendText(draft.leadText, draft.note);
    draft.leadText = '';
    warn(r, `ô gộp từ cột chủ trì đến cột kết quả ("${shorten(draft.note)}"): chuyển vào Ghi chú; nhiệm vụ không có đơn vị chủ trì và thời hạn riêng`, layout.lead);
    draft.needsReview = true;
    return;
  }
  if (draft.leadText !== '' && looksLikeDeadline(draft.leadText) && !looksLikeUnit(draft.leadText)) {
    warn(r, `ô có vẻ bị lệch cột ("${shorten(draft.leadText)}" giống một thời hạn), cần kiểm tra lại`, layout.lead);
    draft.needsReview = true;
  }
  if (draft.deadlineText !== '' && looksLikeUnit(draft.deadlineText)) {
    warn(r, `ô có vẻ bị lệch cột ("${shorten(draft.deadlineText)}" giống tên đơn vị), cần kiểm tra lại`, layout.deadline);
    draft.needsReview = true;
  }
  if (draft.leadText === '') {
    warn(r, 'không có đơn vị chủ trì', layout.lead);
    draft.needsReview = true;
  }
  if (draft.deadlineText === '') warn(r, 'không có thời hạn', layout.deadline);
}

function shorten(text: string): string {
  const one = text.replace(/\n/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function assignCodes(drafts: Draft[], warn: Warn, layout: Layout): ParsedTask[] {
  const usedBySection = new Map<string, Set<number>>();
  for (const d of drafts) {
    if (d.item === null) continue;
    const used = usedBySection.get(d.sectionPath) ?? new Set<number>();
    used.add(d.item);
    usedBySection.set(d.sectionPath, used);
  }
  const nextFree = (section: string, preferred: number | null): number => {
    const used = usedBySection.get(section) ?? new Set<number>();
    usedBySection.set(section, used);
    let n = preferred !== null && !used.has(preferred) ? preferred : Math.max(0, ...used) + 1;
    while (used.has(n)) n++;
    used.add(n);
    return n;
  };

  const byCode = new Map<string, Draft>();
  const tasks: ParsedTask[] = [];
  let previousItem: { section: string; item: number } | undefined;
  for (const d of drafts) {
    let item = d.item;
    let code = item !== null ? joinCode(d.sectionPath, String(item)) : '';
    if (item !== null && byCode.has(code)) {
      const first = byCode.get(code) as Draft;
      item = nextFree(d.sectionPath, null);
      const fresh = joinCode(d.sectionPath, String(item));
      warn(d.row, `hai nhiệm vụ cùng mã ${code} (dòng ${first.row} và dòng ${d.row}); nhiệm vụ ở dòng ${d.row} được đặt mã ${fresh} (số tiếp theo còn trống trong nhóm)`, layout.numberCols[0]);
      d.needsReview = true;
      code = fresh;
    } else if (item === null) {
      const after = previousItem && previousItem.section === d.sectionPath ? previousItem.item + 1 : 1;
      item = nextFree(d.sectionPath, after);
      code = joinCode(d.sectionPath, String(item));
      warn(d.row, `nhiệm vụ không có số thứ tự; đặt mã ${code} (số tiếp theo còn trống trong nhóm)`, layout.numberCols[0]);
      d.needsReview = true;
    }
    previousItem = { section: d.sectionPath, item };
    byCode.set(code, d);
    tasks.push({
      code,
      sectionPath: d.sectionPath,
      number: d.number,
      content: d.content,
      leadText: d.leadText,
      coordText: d.coordText,
      lead: splitUnits(d.leadText),
      coord: splitUnits(d.coordText),
      deadlineText: d.deadlineText,
      result: d.result,
      note: d.note,
      row: d.row,
      needsReview: d.needsReview,
    });
  }
  return tasks;
}
