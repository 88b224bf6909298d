import type { LocalDate } from './dates.ts';
import { emptyCounts, statusOf, type StatusCounts } from './status.ts';
import { localDateOf } from './time.ts';

/** Four-status figures per unit, as the coordinating office reports them. Pure: rows in, figures out. */

export type ReportAssignment = {
  unitId: number;
  unitName: string;
  occurrences: { due: LocalDate; doneAt: Date | null }[];
};

export type UnitFigures = { unitId: number; unit: string } & StatusCounts;

/**
 * Counts every occurrence (one due date of one unit's task) by its status on `at`; a completion after `at`
 * does not count yet. An assignment with no occurrence (ongoing, on demand, no event yet) is `no_deadline`.
 */
export function figuresByUnit(assignments: ReportAssignment[], at: Date, zone: string): UnitFigures[] {
  const today = localDateOf(at, zone);
  const byUnit = new Map<number, UnitFigures>();
  for (const a of assignments) {
    let figures = byUnit.get(a.unitId);
    if (!figures) {
      figures = { unitId: a.unitId, unit: a.unitName, ...emptyCounts() };
      byUnit.set(a.unitId, figures);
    }
    if (!a.occurrences.length) figures.no_deadline++;
    for (const o of a.occurrences) {
      const doneAt = o.doneAt && o.doneAt <= at ? o.doneAt : null;
      figures[statusOf({ due: o.due, doneAt }, today, zone)]++;
    }
  }
  return [...byUnit.values()].sort((a, b) => b.open_overdue - a.open_overdue || a.unit.localeCompare(b.unit, 'vi'));
}

export function totals(figures: UnitFigures[]): StatusCounts {
  const sum = emptyCounts();
  for (const f of figures) for (const k of Object.keys(sum) as (keyof StatusCounts)[]) sum[k] += f[k];
  return sum;
}
