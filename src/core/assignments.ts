/**
 * What it takes to make a task's assignments and occurrences what the plan says: new units assigned,
 * dropped ones archived, open occurrences moved to the new due days; completed occurrences and those of a
 * reported event are never touched. Pure: the store carries the operations out, one task at a time or a
 * whole plan in a few statements.
 */

export type CurrentOccurrence = { id: number; due: string; status: string; eventId: number | null };
export type CurrentAssignment = { id: number; unitId: number; role: string; viaClass: string | null; archived: boolean; occurrences: CurrentOccurrence[] };
export type WantedAssignment = { id: number; role: 'lead' | 'coord'; via: string | null };

export type AssignmentOps = {
  archive: number[];
  /** role, class or archived state changed (an update also brings an archived assignment back) */
  update: { id: number; role: string; via: string | null }[];
  create: { taskId: number; unitId: number; role: string; via: string | null; dues: string[] }[];
  deleteOccurrences: number[];
  createOccurrences: { assignmentId: number; due: string }[];
};

export function emptyOps(): AssignmentOps {
  return { archive: [], update: [], create: [], deleteOccurrences: [], createOccurrences: [] };
}

/** Adds to `ops` what one task needs; a unit named both lead and coordinating is lead. */
export function assignmentOps(
  taskId: number,
  current: CurrentAssignment[],
  wanted: WantedAssignment[],
  dues: string[],
  ops: AssignmentOps = emptyOps(),
): AssignmentOps {
  const byUnit = new Map<number, WantedAssignment>();
  for (const w of wanted) if (!byUnit.has(w.id) || w.role === 'lead') byUnit.set(w.id, w);
  for (const a of current) if (!byUnit.has(a.unitId) && !a.archived) ops.archive.push(a.id);
  for (const w of byUnit.values()) {
    const want = w.role === 'lead' ? new Set(dues) : new Set<string>();
    const old = current.find((a) => a.unitId === w.id);
    if (!old) {
      ops.create.push({ taskId, unitId: w.id, role: w.role, via: w.via, dues: [...want] });
      continue;
    }
    if (old.role !== w.role || old.viaClass !== w.via || old.archived) ops.update.push({ id: old.id, role: w.role, via: w.via });
    for (const o of old.occurrences) if (o.status === 'open' && !want.has(o.due) && o.eventId === null) ops.deleteOccurrences.push(o.id);
    for (const due of want) if (!old.occurrences.some((o) => o.due === due)) ops.createOccurrences.push({ assignmentId: old.id, due });
  }
  return ops;
}
