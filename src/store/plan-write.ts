/**
 * The writes of a plan import, inside its transaction: a fixed handful of statements whatever the size of
 * the plan (rows as JSON parameters, see bulk.ts), so the write lock is held briefly.
 */
import type { Tx } from '../db/database.ts';
import { assignmentOps, emptyOps } from '../core/assignments.ts';
import type { PlanSection } from '../core/plan-table.ts';
import type { PlanDiff, StoredTask } from '../core/task-match.ts';
import { unitKey } from '../core/units.ts';
import { applyAssignmentOps, currentAssignments } from './assignments.ts';
import { chunks, idTable, jsonTable, providerOf, stamp, type Provider } from './bulk.ts';
import type { UnitResolver } from './unit-resolver.ts';

type Num = number | bigint;

/** A task of the plan being imported, its deadline read. */
export type PlannedTask = {
  code: string;
  sectionPath: string;
  aliases: string[];
  content: string;
  leadText: string;
  coordText: string;
  lead: string[];
  coord: string[];
  deadline: string;
  rule: unknown;
  label: string;
  dues: string[];
  result: string;
  note: string;
  row: number;
};


export type StoredRow = StoredTask & {
  sectionId: number | null;
  position: number;
  rule: string;
  deadlineLabel: string;
  ruleSetBy: string | null;
  archivedAt: Date | null;
  updatedAt: Date;
};

export type PlanWrite = {
  name: string;
  year: number;
  sections: PlanSection[];
  tasks: PlannedTask[];
  /** every stored task of the plan, archived ones too */
  stored: StoredRow[];
  diff: PlanDiff<StoredRow>;
  resolver: UnitResolver;
  /** the coordinating office's unit id, given a way to turn unit names into ids */
  coordinator: (idsOf: (names: string[]) => number[]) => number | undefined;
  /** the due days of a task (a rule set by hand and kept gives its own) */
  dues: (task: PlannedTask, stored: StoredRow | undefined) => string[];
  now: Date;
};

export async function writePlan(tx: Tx, w: PlanWrite): Promise<void> {
  const provider = providerOf(tx);
  const pendingIds = new Map<string, number>();
  for (const name of w.resolver.pendingNames()) {
    const unit = await tx.unit.upsert({ where: { key: unitKey(name) }, create: { name, key: unitKey(name), kind: 'other', status: 'pending' }, update: {} });
    pendingIds.set(name, unit.id);
  }
  const idsOf = (names: string[]): number[] => names.flatMap((n) => w.resolver.unitIds(n, pendingIds));
  const coordinatorId = w.coordinator(idsOf);
  const plan = await tx.plan.upsert({
    where: { name: w.name },
    create: { name: w.name, year: w.year, coordinatorUnitId: coordinatorId ?? null },
    update: { year: w.year, ...(coordinatorId ? { coordinatorUnitId: coordinatorId } : {}) },
  });
  const sectionIds = await writeSections(tx, plan.id, w.sections, provider);
  const taskIds = await writeTasks(tx, plan.id, w, sectionIds, provider);
  await writeAliases(tx, plan.id, w, taskIds, provider);

  const current = await currentAssignments(tx, { planId: plan.id });
  const ops = emptyOps();
  w.tasks.forEach((t, i) => {
    const id = taskIds[i] as number;
    const wanted = [
      ...t.lead.flatMap((n) => w.resolver.unitIds(n, pendingIds).map((unit) => ({ id: unit, role: 'lead' as const, via: w.resolver.classLabel(n) }))),
      ...t.coord.flatMap((n) => w.resolver.unitIds(n, pendingIds).map((unit) => ({ id: unit, role: 'coord' as const, via: w.resolver.classLabel(n) }))),
    ];
    assignmentOps(id, current.get(id) ?? [], wanted, w.dues(t, w.diff.matchOf[i] ?? undefined), ops);
  });
  await applyAssignmentOps(tx, ops, w.now);
}

/** Parts and groups by path (a path written twice keeps its last title); their ids by path. */
async function writeSections(tx: Tx, planId: number, sections: PlanSection[], provider: Provider): Promise<Map<string, number>> {
  const wanted = new Map(sections.map((s) => [s.path, s]));
  const existing = await tx.section.findMany({ where: { planId }, select: { id: true, path: true, kind: true, title: true } });
  const ids = new Map(existing.map((s) => [s.path, s.id]));
  const changed = existing.flatMap((s) => {
    const w = wanted.get(s.path);
    return w && (w.kind !== s.kind || w.title !== s.title) ? [{ id: s.id, kind: w.kind, title: w.title }] : [];
  });
  if (changed.length) {
    await tx.$executeRaw`UPDATE "Section" SET "kind" = j."kind", "title" = j."title"
      FROM ${jsonTable(changed, { id: 'int', kind: 'text', title: 'text' }, provider)} WHERE "Section"."id" = j."id"`;
  }
  const fresh = [...wanted.values()].filter((s) => !ids.has(s.path)).map((s) => ({ planId, path: s.path, kind: s.kind, title: s.title }));
  if (fresh.length) {
    const rows = await tx.$queryRaw<{ id: Num; path: string }[]>`
      INSERT INTO "Section" ("planId", "path", "kind", "title")
      SELECT j."planId", j."path", j."kind", j."title" FROM ${jsonTable(fresh, { planId: 'int', path: 'text', kind: 'text', title: 'text' }, provider)}
      RETURNING "id", "path"`;
    for (const r of rows) ids.set(r.path, Number(r.id));
  }
  return ids;
}

const TASK_COLUMNS = {
  sectionId: 'int',
  position: 'int',
  code: 'text',
  content: 'text',
  leadText: 'text',
  coordText: 'text',
  deadlineText: 'text',
  rule: 'text',
  deadlineLabel: 'text',
  ruleSetBy: 'text',
  result: 'text',
  note: 'text',
} as const;

/**
 * Tasks in place: matched ones updated (codes freed first, so that two tasks may swap codes), new ones
 * inserted, those the plan no longer has archived. The id of each planned task, in order.
 */
async function writeTasks(tx: Tx, planId: number, w: PlanWrite, sectionIds: Map<string, number>, provider: Provider): Promise<number[]> {
  const at = stamp(w.now, provider);
  const codes = new Set(w.tasks.map((t) => t.code));
  const matched = new Set(w.diff.matchOf.flatMap((s) => (s ? [s.id] : [])));

  // Free the codes that move: a renamed task's old code, and a code an archived task holds that the plan now
  // gives to another task (the archived task keeps it with its id appended).
  const moving = w.tasks.flatMap((t, i) => {
    const old = w.diff.matchOf[i];
    return old && old.code !== t.code ? [{ id: old.id, code: `~${old.id}` }] : [];
  });
  for (const s of w.stored) if (!matched.has(s.id) && codes.has(s.code)) moving.push({ id: s.id, code: `${s.code}~${s.id}` });
  for (const rows of chunks(moving)) {
    await tx.$executeRaw`UPDATE "Task" SET "code" = j."code" FROM ${jsonTable(rows, { id: 'int', code: 'text' }, provider)} WHERE "Task"."id" = j."id"`;
  }

  const rowOf = (t: PlannedTask, position: number, old: StoredRow | undefined) => {
    const keepRule = old?.ruleSetBy && old.deadlineText === t.deadline;
    return {
      sectionId: sectionIds.get(t.sectionPath) ?? null,
      position,
      code: t.code,
      content: t.content,
      leadText: t.leadText,
      coordText: t.coordText,
      deadlineText: t.deadline,
      rule: keepRule ? old.rule : JSON.stringify(t.rule),
      deadlineLabel: keepRule ? old.deadlineLabel : t.label,
      ruleSetBy: keepRule ? old.ruleSetBy : null,
      result: t.result,
      note: t.note,
    };
  };
  const updates: ({ id: number } & ReturnType<typeof rowOf>)[] = [];
  const inserts: (ReturnType<typeof rowOf> & { planId: number; createdAt: string; updatedAt: string })[] = [];
  w.tasks.forEach((t, position) => {
    const old = w.diff.matchOf[position] ?? undefined;
    const row = rowOf(t, position, old);
    if (!old) inserts.push({ ...row, planId, createdAt: at, updatedAt: at });
    else if (old.archived || (Object.keys(row) as (keyof typeof row)[]).some((k) => row[k] !== old[k])) updates.push({ id: old.id, ...row });
  });
  const updatedAt = provider === 'sqlite' ? at : w.now;
  for (const rows of chunks(updates)) {
    await tx.$executeRaw`UPDATE "Task" SET "sectionId" = j."sectionId", "position" = j."position", "code" = j."code", "content" = j."content",
        "leadText" = j."leadText", "coordText" = j."coordText", "deadlineText" = j."deadlineText", "rule" = j."rule",
        "deadlineLabel" = j."deadlineLabel", "ruleSetBy" = j."ruleSetBy", "result" = j."result", "note" = j."note",
        "archivedAt" = NULL, "updatedAt" = ${updatedAt}
      FROM ${jsonTable(rows, { id: 'int', ...TASK_COLUMNS }, provider)} WHERE "Task"."id" = j."id"`;
  }
  const idOfCode = new Map<string, number>();
  for (const rows of chunks(inserts)) {
    const created = await tx.$queryRaw<{ id: Num; code: string }[]>`
      INSERT INTO "Task" ("planId", "sectionId", "position", "code", "content", "leadText", "coordText", "deadlineText", "rule",
        "deadlineLabel", "ruleSetBy", "result", "note", "createdAt", "updatedAt")
      SELECT j."planId", j."sectionId", j."position", j."code", j."content", j."leadText", j."coordText", j."deadlineText", j."rule",
        j."deadlineLabel", j."ruleSetBy", j."result", j."note", j."createdAt", j."updatedAt"
      FROM ${jsonTable(rows, { planId: 'int', ...TASK_COLUMNS, createdAt: 'timestamp', updatedAt: 'timestamp' }, provider)}
      RETURNING "id", "code"`;
    for (const c of created) idOfCode.set(c.code, Number(c.id));
  }
  const gone = w.diff.archived.map((s) => s.id);
  for (const ids of chunks(gone)) {
    await tx.$executeRaw`UPDATE "Task" SET "archivedAt" = ${updatedAt}, "updatedAt" = ${updatedAt} WHERE "id" IN (SELECT j."id" FROM ${idTable(ids, provider)})`;
  }
  return w.tasks.map((t, i) => w.diff.matchOf[i]?.id ?? (idOfCode.get(t.code) as number));
}

/** The running numbers the plan prints as aliases, replaced on each import; a renamed task's former code kept. */
async function writeAliases(tx: Tx, planId: number, w: PlanWrite, taskIds: number[], provider: Provider): Promise<void> {
  await tx.$executeRaw`DELETE FROM "TaskAlias" WHERE "kind" = 'running' AND "taskId" IN (SELECT "id" FROM "Task" WHERE "planId" = ${planId})`;
  const rows = new Map<string, { taskId: number; code: string; kind: string }>();
  w.tasks.forEach((t, i) => {
    const taskId = taskIds[i] as number;
    for (const code of t.aliases) rows.set(`${taskId}:${code}`, { taskId, code, kind: 'running' });
    const old = w.diff.matchOf[i];
    if (old && old.code !== t.code) rows.set(`${taskId}:${old.code}`, { taskId, code: old.code, kind: 'former' });
  });
  for (const chunk of chunks([...rows.values()])) {
    await tx.$executeRaw`INSERT INTO "TaskAlias" ("taskId", "code", "kind")
      SELECT j."taskId", j."code", j."kind" FROM ${jsonTable(chunk, { taskId: 'int', code: 'text', kind: 'text' }, provider)} WHERE true
      ON CONFLICT ("taskId", "code") DO NOTHING`;
  }
}
