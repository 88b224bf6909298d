/**
 * A plan laid out as a table grid, the way offices write them: which number columns, where group titles
 * sit and how far they are merged, parts, sub-groups, headers repeated at page breaks, "Phụ lục" rows,
 * unnumbered rows, column orders and header wordings. The writers (write-plan.ts) render the grid as DOCX,
 * XLSX, CSV or pasted text; the readers must get the same plan back.
 */
import type { ParsedTask, PlanSection } from '../core/plan-table.ts';
import { intToRoman } from '../core/task-code.ts';

export type WritableTask = Pick<ParsedTask, 'code' | 'sectionPath' | 'content' | 'leadText' | 'coordText' | 'deadlineText' | 'result' | 'note'> & {
  /** The number printed for the task (default: the last segment of its code); '' leaves the row unnumbered. */
  printed?: string;
};
export type WritableSection = PlanSection & {
  /** The number printed for a group or sub-group (default: its Roman form, "II" or "II.1"): "a)", "1.2", "3". */
  label?: string;
};
export type WritablePlan = { title?: string; sections: WritableSection[]; tasks: WritableTask[] };

export type Column = 'content' | 'lead' | 'coord' | 'deadline' | 'result' | 'note';

export type PlanLayout = {
  /** One number column (STT), or two: a running number within the part and the number within the group. */
  numbers?: 'one' | 'two';
  /** Header words of the number columns. */
  numberHeaders?: [string] | [string, string];
  /**
   * A group row: 'line' = "I. Title" in one cell merged across the row; 'numeral' = the numeral in a
   * number column and the title merged from the next column to the last; 'content' = the numeral in the
   * number column and the title in the content column.
   */
  groups?: 'line' | 'numeral' | 'content';
  /** A part row: 'line' = "1. Title" across the row; 'word' = "PHẦN I. Title"; 'letter' = "A" and its title merged. */
  parts?: 'line' | 'word' | 'letter';
  /** The columns after the number columns, in order (default: all six, content first). */
  columns?: Column[];
  /** Header words per column. */
  header?: Partial<Record<Column, string>>;
  /** "Phân công thực hiện" over "Chủ trì | Phối hợp" (a two-row header; lead and coord must be neighbours). */
  assignHeader?: string;
  /** A "(1) | (2) | ..." row under the header. */
  columnNumbers?: boolean;
  /** The header again every n task rows, as a table broken over pages and pasted as one. */
  repeatHeader?: number;
  /** A line such as "PHỤ LỤC I" in the table before each repeated header (a page header pasted in). */
  pageHeader?: string;
};

export type GridCell = { text: string; span?: number; vmerge?: 'restart' | 'continue'; bold?: boolean };
export type GridRow = { cells: GridCell[]; header?: boolean };

export const PLAN_HEADER = ['STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Kết quả thực hiện', 'Ghi chú'];

const DEFAULT_HEADER: Record<Column, string> = {
  content: 'Nội dung công việc',
  lead: 'Đơn vị chủ trì',
  coord: 'Đơn vị phối hợp',
  deadline: 'Thời gian hoàn thành',
  result: 'Kết quả thực hiện',
  note: 'Ghi chú',
};
const ALL_COLUMNS: Column[] = ['content', 'lead', 'coord', 'deadline', 'result', 'note'];

/** The logical columns of a layout, left to right: the number columns first. */
export function gridColumns(layout: PlanLayout = {}): ('number' | Column)[] {
  const numbers: 'number'[] = layout.numbers === 'two' ? ['number', 'number'] : ['number'];
  return [...numbers, ...(layout.columns ?? ALL_COLUMNS)];
}

function headerRows(layout: PlanLayout): GridRow[] {
  const columns = gridColumns(layout);
  const numberWords = layout.numberHeaders ?? (layout.numbers === 'two' ? ['Stt', 'Stt2'] : ['STT']);
  const word = (c: Column): string => layout.header?.[c] ?? DEFAULT_HEADER[c];
  const rows: GridRow[] = [];
  if (layout.assignHeader) {
    const top: GridCell[] = [];
    const bottom: GridCell[] = [];
    columns.forEach((c, i) => {
      if (c === 'coord' && columns[i - 1] === 'lead') return;
      if (c === 'lead' && columns[i + 1] === 'coord') {
        top.push({ text: layout.assignHeader as string, span: 2, bold: true });
        bottom.push({ text: word('lead'), bold: true }, { text: word('coord'), bold: true });
        return;
      }
      const text = c === 'number' ? (numberWords[i] ?? 'STT') : word(c);
      top.push({ text, vmerge: 'restart', bold: true });
      bottom.push({ text: '', vmerge: 'continue' });
    });
    rows.push({ cells: top, header: true }, { cells: bottom, header: true });
  } else {
    rows.push({ cells: columns.map((c, i) => ({ text: c === 'number' ? (numberWords[i] ?? 'STT') : word(c), bold: true })), header: true });
  }
  if (layout.columnNumbers) rows.push({ cells: columns.map((_, i) => ({ text: `(${i + 1})` })), header: true });
  return rows;
}

/** The Roman label of a group path within its part: "2" -> "II", "2.1" -> "II.1". */
function romanLabel(own: string): string {
  const [head, ...rest] = own.split('.');
  return [intToRoman(Number(head)), ...rest].join('.');
}

/** The table's rows in document order: headers, each section right before its first task, the tasks. */
export function planGrid(plan: WritablePlan, layout: PlanLayout = {}): GridRow[] {
  const columns = gridColumns(layout);
  const width = columns.length;
  const numberCount = layout.numbers === 'two' ? 2 : 1;
  const header = headerRows(layout);
  const rows: GridRow[] = [...header];
  const line = (text: string): GridRow => ({ cells: [{ text, span: width, bold: true }] });
  /** A numeral in number column `at`, the title merged from the next column to the last. */
  const numeral = (label: string, title: string, at: number): GridRow => ({
    cells: [
      ...Array.from({ length: at }, () => ({ text: '' })),
      { text: label, bold: true },
      { text: title, span: width - at - 1, bold: true },
    ],
  });

  let part: string | undefined;
  let running = 0;
  let next = 0;
  let sinceHeader = 0;
  const emitSection = (s: WritableSection): void => {
    if (s.kind === 'part') {
      part = s.path;
      running = 0;
      const n = Number(s.path);
      if (layout.parts === 'word') rows.push(line(`PHẦN ${intToRoman(n)}. ${s.title}`));
      else if (layout.parts === 'letter') rows.push(numeral(String.fromCharCode(64 + n), s.title, 0));
      else rows.push(line(`${s.path}. ${s.title}`));
      return;
    }
    const own = part !== undefined && s.path.startsWith(`${part}.`) ? s.path.slice(part.length + 1) : s.path;
    const label = s.label ?? romanLabel(own);
    const roman = /^[IVX]/.test(label);
    const mode = layout.groups ?? 'line';
    if (mode === 'line') rows.push(line(`${label}${/[.)]$/.test(label) ? '' : '.'} ${s.title}`));
    else if (mode === 'numeral') rows.push(numeral(label, s.title, roman ? 0 : numberCount - 1));
    else {
      const cells = columns.map((c, i): GridCell => ({ text: c === 'content' ? s.title : i === (roman ? 0 : numberCount - 1) ? label : '', bold: true }));
      rows.push({ cells });
    }
  };
  const emitUpTo = (index: number): void => {
    for (; next <= index && next < plan.sections.length; next++) emitSection(plan.sections[next] as WritableSection);
  };

  for (const task of plan.tasks) {
    let index = -1;
    for (let i = next; i < plan.sections.length; i++) if (plan.sections[i]?.path === task.sectionPath) index = i;
    if (index >= 0) emitUpTo(index);
    if (layout.repeatHeader && sinceHeader >= layout.repeatHeader) {
      if (layout.pageHeader) rows.push(line(layout.pageHeader));
      rows.push(...header);
      sinceHeader = 0;
    }
    sinceHeader++;
    running++;
    const item = task.printed ?? task.code.split('.').pop() ?? '';
    const values: Record<Column, string> = {
      content: task.content,
      lead: task.leadText,
      coord: task.coordText,
      deadline: task.deadlineText,
      result: task.result,
      note: task.note,
    };
    const numbers = numberCount === 2 ? [task.printed === '' ? '' : String(running), item] : [item];
    rows.push({ cells: columns.map((c, i) => ({ text: c === 'number' ? (numbers[i] ?? '') : values[c] })) });
  }
  emitUpTo(plan.sections.length - 1);
  return rows;
}

/** The texts of a grid row on the grid: a merged cell's text in its first column, '' in those it covers. */
export function flatCells(row: GridRow): string[] {
  return row.cells.flatMap((c) => [c.vmerge === 'continue' ? '' : c.text, ...Array.from({ length: (c.span ?? 1) - 1 }, () => '')]);
}
