/**
 * The numbering of a plan's outline: the markers printed in number cells and heading lines ("Phần I",
 * "A.", "II", "II.1", "1.2", "a)", "-"), and the open path of parts, groups and sub-groups they lead to.
 * Pure.
 */
import type { Draft, Marker, PlanSection, Warn } from './plan-types.ts';

export type { Marker } from './plan-types.ts';
import { romanToInt } from './task-code.ts';
import { fold } from './text.ts';

/** The Vietnamese alphabet's order, as lists "a), b), c), d), đ), e) ..." use it. */
const LETTERS = 'abcdđeghiklmnopqrstuvxy';
const ORDINALS: Record<string, number> = { nhat: 1, hai: 2, ba: 3, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10 };

/** A Roman numeral of a group: I..XXXIX only (C, D, L, M are letters of parts in these plans). */
function groupRoman(text: string): number | null {
  if (!/^[IVX]+$/.test(text)) return null;
  const n = romanToInt(text);
  return n !== null && n < 40 ? n : null;
}

function segments(tail: string): number[] {
  return tail
    .split('.')
    .filter((s) => s !== '')
    .map((s) => Number.parseInt(s, 10));
}

function partNumber(text: string): number | null {
  const t = fold(text).replace(/^thu\s+/, '');
  if (ORDINALS[t] !== undefined) return ORDINALS[t];
  if (/^\d{1,2}$/.test(t)) return Number(t) || null;
  return groupRoman(text.trim().toUpperCase()) ?? upperLetter(text.trim().toUpperCase());
}

function upperLetter(ch: string): number | null {
  if (/^[IVX]$/.test(ch)) return null;
  const i = LETTERS.indexOf(ch.toLowerCase());
  return i >= 0 ? i + 1 : null;
}

/** The marker a whole number cell holds; null when the cell holds something else (a title, a note). */
export function parseMarker(cell: string): Marker | null {
  const t = cell.trim();
  if (t === '') return null;
  if (/^[-+•*–]$/.test(t)) return { kind: 'bullet' };
  const part = /^phần\s+(thứ\s+\p{L}+|[IVXivx]+|\d{1,2}|[A-ZĐ])\s*[.:)]?$/iu.exec(t);
  if (part) {
    const n = partNumber(part[1] as string);
    return n ? { kind: 'part', n } : null;
  }
  const roman = /^([IVX]+)((?:\.\d{1,3})*)\s*[.:)]?$/.exec(t);
  if (roman) {
    const n = groupRoman(roman[1] as string);
    return n ? { kind: 'roman', path: [n, ...segments(roman[2] as string)] } : null;
  }
  const arabic = /^(\d{1,5}(?:\.\d{1,3})*)\s*[.:)]?$/.exec(t);
  if (arabic) {
    const path = segments(arabic[1] as string);
    return path.every((n) => n > 0) ? { kind: 'arabic', path } : null;
  }
  const letter = /^([a-zđ])\s*[.)]?$/u.exec(t);
  if (letter) {
    const i = LETTERS.indexOf(letter[1] as string);
    return i >= 0 ? { kind: 'letter', n: i + 1 } : null;
  }
  const upper = /^([A-ZĐ])\s*[.:)]?$/u.exec(t);
  if (upper) {
    const n = upperLetter(upper[1] as string);
    return n ? { kind: 'part', n } : null;
  }
  return null;
}

/**
 * A heading written as one line: "Phần I: ...", "A. ...", "II. ...", "II.1 ...", "1. ...", "1.2 ...", "a) ...".
 * Null when the line does not start with a marker followed by a title.
 */
export function splitHeading(line: string): { marker: Marker; title: string } | null {
  const text = line.replace(/\s+/g, ' ').trim();
  const part = /^phần\s+(thứ\s+\p{L}+|[IVXivx]+|\d{1,2}|[A-ZĐ](?=[\s.:)–-]))\s*[.:)–-]?\s+(\S.*)$/iu.exec(text);
  if (part) {
    const n = partNumber(part[1] as string);
    if (n) return { marker: { kind: 'part', n }, title: (part[2] as string).trim() };
  }
  const roman = /^([IVX]+)((?:\.\d{1,3})*)\s*[.:)]?\s+(\S.*)$/.exec(text);
  if (roman) {
    const n = groupRoman(roman[1] as string);
    if (n) return { marker: { kind: 'roman', path: [n, ...segments(roman[2] as string)] }, title: (roman[3] as string).trim() };
  }
  const arabic = /^(\d{1,2})\s*[.:)]\s*(\D.*)$/.exec(text) ?? /^(\d{1,2}(?:\.\d{1,3})+)\.?\s+(\D.*)$/.exec(text);
  if (arabic) {
    const path = segments(arabic[1] as string);
    if (path.every((n) => n > 0)) return { marker: { kind: 'arabic', path }, title: (arabic[2] as string).trim() };
  }
  const letter = /^([a-zđ])\)\s*(\S.*)$/u.exec(text);
  if (letter) return { marker: { kind: 'letter', n: LETTERS.indexOf(letter[1] as string) + 1 }, title: (letter[2] as string).trim() };
  const upper = /^([A-ZĐ])[.:)]\s+(\S.*)$/u.exec(text);
  if (upper) {
    const n = upperLetter(upper[1] as string);
    if (n) return { marker: { kind: 'part', n }, title: (upper[2] as string).trim() };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The open path

type Style = 'part' | 'roman' | 'sub' | 'arabic' | 'letter';
/** tentative: a numbered row read as a heading only because the rows under it carry the work */
type Level = { style: Style; n: number; tentative?: boolean; arabic?: boolean };

/** The open outline: part > group (Roman) > sub-groups (dotted numbers, numbered or lettered headings). */
export class Outline {
  private levels: Level[] = [];

  get numbers(): number[] {
    return this.levels.map((l) => l.n);
  }

  get path(): string {
    return this.numbers.join('.');
  }

  get part(): number | undefined {
    return this.levels[0]?.style === 'part' ? this.levels[0].n : undefined;
  }

  get inGroup(): boolean {
    return this.levels.some((l) => l.style !== 'part');
  }

  /** `arabic`: the part was printed as a plain number ("1. Title"), so "2. Title" after its tasks is the next part. */
  openPart(n: number, arabic = false): void {
    this.levels = [{ style: 'part', n, ...(arabic ? { arabic } : {}) }];
  }

  /** A part printed as a number is open and no group under it. */
  get bareArabicPart(): boolean {
    return this.levels.length === 1 && this.levels[0]?.arabic === true;
  }

  /** "II" or "II.1": the group under the open part, then its sub-groups. */
  openRoman(path: number[]): void {
    const [group, ...subs] = path as [number, ...number[]];
    this.levels = [...this.levels.filter((l) => l.style === 'part'), { style: 'roman', n: group }, ...subs.map((n) => ({ style: 'sub' as const, n }))];
  }

  /** "1.2" as a heading: its segments that repeat the open path are that path ("2.1" in group II is sub-group 1). */
  openDotted(path: number[]): void {
    const base = this.withoutTrailing('sub');
    this.levels = [...base, ...relativeTo(base.map((l) => l.n), path).map((n) => ({ style: 'sub' as const, n }))];
  }

  /** A numbered or lettered heading: the level of the same style is replaced, or a new level opens below. */
  openStyled(style: 'arabic' | 'letter', n: number, tentative = false): void {
    const at = this.levels.findIndex((l) => l.style === style);
    this.levels = [...(at >= 0 ? this.levels.slice(0, at) : this.levels), { style, n, ...(tentative ? { tentative } : {}) }];
  }

  /** A numbered task after a tentative sub-group ("3" over unnumbered rows, then "4") is its sibling. */
  closeTentative(): void {
    if (this.levels[this.levels.length - 1]?.tentative) this.levels = this.levels.slice(0, -1);
  }

  /** The code segments of an item printed with `marker` under the open path (without the path). */
  itemOf(marker: Marker): number[] | null {
    if (marker.kind === 'letter') return [marker.n];
    if (marker.kind !== 'arabic') return null;
    return marker.path.length === 1 ? marker.path : relativeTo(this.numbers, marker.path);
  }

  private withoutTrailing(style: Style): Level[] {
    let end = this.levels.length;
    while (end > 0 && this.levels[end - 1]?.style === style) end--;
    return this.levels.slice(0, end);
  }
}

/**
 * What is left of a dotted number once its leading segments that repeat the end of `open` are dropped:
 * relativeTo([1, 2], [2, 3]) = [3]; relativeTo([3], [1, 1]) = [1, 1]. At least one segment is kept.
 */
export function relativeTo(open: number[], printed: number[]): number[] {
  for (let k = Math.min(open.length, printed.length - 1); k > 0; k--) {
    const tail = open.slice(open.length - k);
    if (tail.every((n, i) => printed[i] === n)) return printed.slice(k);
  }
  return printed;
}

// ---------------------------------------------------------------------------------------------------------
// Headings and tasks on the outline

/** What the reading of the rows produces, in order; the outline pass then gives each task its path. */
export type Item =
  /** wide: merged across the table or a paragraph outside it; outside: between two tables */
  | { kind: 'heading'; marker: Marker | null; title: string; row: number; wide: boolean; outside?: boolean }
  | { kind: 'task'; draft: Draft };

/**
 * Walks the items with the open outline: headings open parts, groups and sub-groups; each task gets the
 * path open at its row. A numbered row with a title and nothing else is a sub-group when the rows under it
 * are numbered deeper ("3" then "3.1", "a)") or not at all; a numbered heading is a part when a Roman group
 * follows it.
 */
const NOTES_HEAD = /^\s*(?:\*\s*)?(?:ghi chú|lưu ý|chú thích|nơi nhận|ghi chu|luu y|noi nhan)(?!\p{L})/iu;

export function resolveOutline(items: Item[], warn: Warn): { sections: PlanSection[]; drafts: Draft[] } {
  const outline = new Outline();
  const sections: PlanSection[] = [];
  const drafts: Draft[] = [];
  const record = (title: string, kind: 'part' | 'group'): void => {
    sections.push({ path: outline.path, title: title.replace(/\n/g, ' '), kind });
  };
  const next = (i: number): Item | undefined => items[i + 1];
  const deeperFollows = (i: number, n: number): boolean => {
    const after = next(i);
    if (after?.kind !== 'task') return false;
    const m = after.draft.markers.filter((x): x is Marker => x !== null && x.kind !== 'bullet');
    if (m.length === 0) return true;
    return m.some((x) => x.kind === 'letter' || (x.kind === 'arabic' && x.path.length > 1 && x.path[0] === n));
  };

  /** after a "Ghi chú:" / "Nơi nhận:" line, numbered lines across the table are its points, not groups */
  let inNotes = false;
  for (const [i, item] of items.entries()) {
    if (item.kind === 'heading') {
      const m = item.marker;
      if (m === null) {
        if (NOTES_HEAD.test(item.title)) inNotes = true;
        continue;
      }
      if (inNotes && item.wide && (m.kind === 'arabic' || m.kind === 'letter' || m.kind === 'bullet')) continue;
      inNotes = false;
      if (m.kind === 'part') {
        outline.openPart(m.n);
        record(item.title, 'part');
      } else if (m.kind === 'roman') {
        outline.openRoman(m.path);
        record(item.title, 'group');
      } else if (m.kind === 'letter') {
        outline.openStyled('letter', m.n);
        record(item.title, 'group');
      } else if (m.kind === 'arabic' && m.path.length > 1) {
        outline.openDotted(m.path);
        record(item.title, 'group');
      } else if (m.kind === 'arabic') {
        const n = m.path[0] as number;
        const after = next(i);
        const partFollows = after?.kind === 'heading' && (after.marker?.kind === 'roman' || after.marker?.kind === 'letter');
        // between two tables, the next number after the open part is the next part (one without groups)
        // between two tables, the next number after the open part is the next part (one without groups); so is
        // "2." after a part "1." whose tasks sit right under it ("1.1.", "1.2."): a group 2 with no group 1 is not
        const nextPart = outline.part !== undefined && n === outline.part + 1 && (item.outside === true || outline.bareArabicPart);
        if (partFollows || nextPart || (!outline.inGroup && outline.part === undefined)) {
          outline.openPart(n, true);
          record(item.title, 'part');
        } else {
          outline.openStyled('arabic', n);
          record(item.title, 'group');
        }
      }
      continue;
    }
    inNotes = false;
    const draft = item.draft;
    const own = draft.markers.flatMap((x) => (x?.kind === 'arabic' && x.path.length === 1 ? x.path : []));
    const n = own[own.length - 1];
    if (n !== undefined) outline.closeTentative();
    if (draft.heading && n !== undefined && deeperFollows(i, n)) {
      // "3 | Kiểm tra ..." with no unit or deadline, and the rows below carry the work: a sub-group.
      outline.openStyled('arabic', n, true);
      record(draft.content, 'group');
      continue;
    }
    draft.path = outline.numbers;
    draft.part = outline.part;
    drafts.push(draft);
  }
  return { sections, drafts };
}
