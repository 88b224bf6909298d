/** The shapes of plan tables on their way from a file to tasks (the readers, the understanding, the store). */

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
  /** The number as printed in the number cell that gives the code ('' when the row had none). */
  number: string;
  /**
   * Other codes that name this task: the running number of a second number column ("17", and "1.17" in
   * part 1), which people read off the plan too.
   */
  aliases?: string[];
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

export type Marker =
  /** "Phần I", "PHẦN 2", "Phần thứ nhất", "A", "B." */
  | { kind: 'part'; n: number }
  /** "II" -> [2]; "II.1" -> [2, 1] */
  | { kind: 'roman'; path: number[] }
  /** "3" -> [3]; "1.2" -> [1, 2] */
  | { kind: 'arabic'; path: number[] }
  /** "a)", "b.", "đ)" in the Vietnamese order of letters */
  | { kind: 'letter'; n: number }
  /** "-", "+", "•": an unnumbered row that says so */
  | { kind: 'bullet' };

/** A task row as read, before its code. */
export type Draft = {
  /** The markers of the number columns, left to right (null: empty or not a number). */
  markers: (Marker | null)[];
  numbers: string[];
  content: string;
  leadText: string;
  coordText: string;
  deadlineText: string;
  result: string;
  note: string;
  row: number;
  needsReview: boolean;
  /** The outline numbers open at this row (part, group, sub-groups). */
  path: number[];
  part: number | undefined;
  /** Only a title so far (no unit, deadline or result): maybe a sub-group heading. */
  heading: boolean;
  /** Printed column names for the warnings. */
  labels: { numbers: (string | undefined)[]; lead?: string | undefined; deadline?: string | undefined };
};

export type Warn = (row: number, message: string, column?: string) => void;

