import type { RoundOccurrence } from '../core/round.ts';
import type { OccurrenceRow, taskAndUnitRows } from '../store/round.ts';

/** Turns narrow occurrence rows into round occurrences: the live tasks and the units are read once a round. */
export type OccurrenceLookup = (rows: OccurrenceRow[]) => RoundOccurrence[];

export function occurrenceLookup({ tasks, units }: Awaited<ReturnType<typeof taskAndUnitRows>>): OccurrenceLookup {
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return (rows) => {
    const occurrences: RoundOccurrence[] = [];
    for (const r of rows) {
      const task = taskById.get(Number(r.taskId));
      if (!task) continue; // archived task
      const unitId = Number(r.unitId);
      occurrences.push({
        id: Number(r.id),
        due: r.due,
        lastStage: r.lastStage === null ? null : Number(r.lastStage),
        planId: task.planId,
        code: task.code,
        content: task.content,
        label: task.deadlineLabel,
        unitId,
        unitName: unitName.get(unitId) ?? '',
      });
    }
    return occurrences;
  };
}
