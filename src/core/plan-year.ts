/**
 * Dates written in deadline cells that fall outside the plan's year ("15/02/2023" in a plan imported with
 * --year 2024): every such one-off task would be overdue at once. Plans are issued around New Year, so
 * December of the year before and January of the year after belong to the plan. Pure.
 */
import { fold } from './text.ts';
import { romanToInt } from './task-code.ts';

/** The months (1..12) a deadline text names in each year it writes out: "Quý I/2023" -> 2023: 1..3. */
export function yearsInText(text: string): Map<number, Set<number>> {
  const found = new Map<number, Set<number>>();
  const add = (year: number, months: number[]): void => {
    if (year < 1990 || year > 2100) return;
    const set = found.get(year) ?? new Set<number>();
    for (const m of months) set.add(m);
    found.set(year, set);
  };
  const all = Array.from({ length: 12 }, (_, i) => i + 1);
  const f = fold(text);
  const claimed: [number, number][] = [];
  const claim = (re: RegExp, months: (m: RegExpExecArray) => number[] | null): void => {
    for (const m of f.matchAll(re)) {
      const at = m.index ?? 0;
      if (claimed.some(([a, b]) => at < b && at + m[0].length > a)) continue;
      const ms = months(m as RegExpExecArray);
      if (!ms) continue;
      claimed.push([at, at + m[0].length]);
      if (ms.length) add(Number(m[m.length - 1]), ms);
    }
  };
  // a document's number is not a date: "Thông tư 01/2020/TT-VPCP", "Nghị định 63/2010/NĐ-CP"
  claim(/\b\d{1,4}\/(\d{4})\/[a-z]/g, () => []);
  // 15/02/2023, 15-02-2023, 15.02.2023
  claim(/\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/g, (m) => {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? [month] : null;
  });
  // quý I/2023, quý II, III/2023, quý IV năm 2023
  claim(/\bquy ((?:[ivx]+|\d)(?:\s*[,/-]\s*(?:quy )?(?:[ivx]+|\d))*)\s*(?:\/|nam|-)\s*(\d{4})\b/g, (m) => {
    const quarters = (m[1] as string).split(/\s*[,/-]\s*(?:quy )?/).map((q) => (/^\d$/.test(q) ? Number(q) : romanToInt(q)));
    if (quarters.some((q) => q === null || q < 1 || q > 4)) return null;
    return quarters.flatMap((q) => [q! * 3 - 2, q! * 3 - 1, q! * 3]);
  });
  // tháng 02/2023, 02/2023, tháng 2 năm 2023
  claim(/\b(?:thang )?(\d{1,2})\s*(?:\/|-|nam)\s*(\d{4})\b/g, (m) => {
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? [month] : null;
  });
  // năm 2023, any other year written out
  claim(/\b(\d{4})\b/g, () => all);
  return found;
}

export type YearMismatch = { row: number; code: string; years: number[] };

/** The tasks whose deadline cell names a date outside the plan's year (allowing December before, January after). */
export function yearMismatches(tasks: { row: number; code: string; deadlineText: string }[], year: number): YearMismatch[] {
  const out: YearMismatch[] = [];
  for (const t of tasks) {
    const outside: number[] = [];
    for (const [y, months] of yearsInText(t.deadlineText)) {
      const ok = y === year || (y === year - 1 && [...months].every((m) => m === 12)) || (y === year + 1 && [...months].every((m) => m === 1));
      if (!ok) outside.push(y);
    }
    if (outside.length) out.push({ row: t.row, code: t.code, years: outside.sort() });
  }
  return out;
}
