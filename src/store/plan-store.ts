import type { PrismaClient, Tx } from '../db/database.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { duesOf, interpretDeadline, resolvePolicy, ruleSchema } from '../core/deadline/index.ts';
import type { ParsedPlan, PlanWarning } from '../core/plan-table.ts';
import { parsePlanPolicy } from '../core/plan-policy.ts';
import { classOf, isVagueUnit, matchUnit, unitKey, type UnitKind } from '../core/units.ts';
import { unitRegistry } from './units.ts';
import { audit, type Actor } from './audit.ts';

/**
 * Stores an imported plan in one transaction: tasks updated in place by code (statuses, completions and
 * history kept), tasks missing from the file archived, unit classes expanded into one assignment per unit,
 * unknown units created as pending for the administrator to confirm.
 */

export type PlannedTask = {
  code: string;
  sectionPath: string;
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

export type ImportSummary = {
  plan: { name: string; year: number };
  tasks: PlannedTask[];
  warnings: PlanWarning[];
  added: string[];
  changed: string[];
  archived: string[];
  unchanged: number;
  pendingUnits: string[];
};

export type ImportOptions = {
  name: string;
  year: number;
  calendar: WorkingCalendar;
  dryRun?: boolean;
  actor?: Actor;
  /** the coordinating office, by name (default: the unit that leads most tasks) */
  coordinator?: string;
};

export async function importPlan(prisma: PrismaClient, parsed: ParsedPlan, opts: ImportOptions): Promise<ImportSummary> {
  const existing = await prisma.plan.findUnique({ where: { name: opts.name }, select: { policy: true, year: true } });
  const deadlinePolicy = existing ? parsePlanPolicy(existing.policy).deadline : {};
  const warnings = [...parsed.warnings];
  const tasks: PlannedTask[] = parsed.tasks.map((t) => {
    const d = interpretDeadline(t.deadlineText, opts.year, { calendar: opts.calendar, policy: deadlinePolicy, content: t.content, note: t.note });
    if (!t.deadlineText.trim()) warnings.push({ row: t.row, column: 'Thời gian', message: `Dòng ${t.row} (nhiệm vụ ${t.code}): không có thời hạn` });
    else if (d.kind === 'unknown') {
      warnings.push({ row: t.row, column: 'Thời gian', message: `Dòng ${t.row} (nhiệm vụ ${t.code}): chưa hiểu thời hạn "${t.deadlineText}" — quản trị viên cần đặt bằng /setdeadline` });
    }
    return {
      code: t.code,
      sectionPath: t.sectionPath,
      content: t.content,
      leadText: t.leadText,
      coordText: t.coordText,
      lead: t.lead,
      coord: t.coord,
      deadline: t.deadlineText,
      rule: d.rule,
      label: d.label,
      dues: d.dues,
      result: t.result,
      note: t.note,
      row: t.row,
    };
  });

  const registry = await unitRegistry(prisma);
  const resolver = new UnitResolver(registry, warnings);
  for (const t of tasks) for (const name of [...t.lead, ...t.coord]) resolver.resolve(name, t.row);

  const summary: ImportSummary = {
    plan: { name: opts.name, year: opts.year },
    tasks,
    warnings,
    added: [],
    changed: [],
    archived: [],
    unchanged: 0,
    pendingUnits: resolver.pendingNames(),
  };
  if (opts.dryRun) {
    await diffOnly(prisma, opts.name, tasks, summary);
    return summary;
  }

  await prisma.$transaction(
    async (tx) => {
      const pendingIds = new Map<string, number>();
      for (const name of resolver.pendingNames()) {
        const unit = await tx.unit.upsert({ where: { key: unitKey(name) }, create: { name, key: unitKey(name), kind: 'other', status: 'pending' }, update: {} });
        pendingIds.set(name, unit.id);
      }
      const idsOf = (names: string[]) => names.flatMap((n) => resolver.unitIds(n, pendingIds));
      const coordinatorId = opts.coordinator ? resolver.findOne(opts.coordinator) : mostFrequentLead(tasks, idsOf);
      const plan = await tx.plan.upsert({
        where: { name: opts.name },
        create: { name: opts.name, year: opts.year, coordinatorUnitId: coordinatorId ?? null },
        update: { year: opts.year, ...(coordinatorId ? { coordinatorUnitId: coordinatorId } : {}) },
      });
      const sectionIds = new Map<string, number>();
      for (const s of parsed.sections) {
        const row = await tx.section.upsert({
          where: { planId_path: { planId: plan.id, path: s.path } },
          create: { planId: plan.id, path: s.path, kind: s.kind, title: s.title },
          update: { kind: s.kind, title: s.title },
        });
        sectionIds.set(s.path, row.id);
      }
      const before = new Map((await tx.task.findMany({ where: { planId: plan.id } })).map((t) => [t.code, t]));
      for (const [position, t] of tasks.entries()) {
        const old = before.get(t.code);
        const keepRule = old?.ruleSetBy && old.deadlineText === t.deadline;
        const data = {
          sectionId: sectionIds.get(t.sectionPath) ?? null,
          position,
          content: t.content,
          leadText: t.leadText,
          coordText: t.coordText,
          deadlineText: t.deadline,
          ...(keepRule ? {} : { rule: JSON.stringify(t.rule), deadlineLabel: t.label, ruleSetBy: null }),
          result: t.result,
          note: t.note,
          archivedAt: null,
        };
        const task = old
          ? await tx.task.update({ where: { id: old.id }, data })
          : await tx.task.create({ data: { planId: plan.id, code: t.code, ...data, rule: JSON.stringify(t.rule), deadlineLabel: t.label } });
        const changed = !old || old.archivedAt !== null || isChanged(old, t);
        if (!old) summary.added.push(t.code);
        else if (changed) summary.changed.push(t.code);
        else summary.unchanged++;
        const dues = keepRule ? storedRuleDues(old!.rule, opts, deadlinePolicy) : t.dues;
        await syncAssignments(tx, task.id, [
          ...t.lead.flatMap((n) => resolver.unitIds(n, pendingIds).map((id) => ({ id, role: 'lead' as const, via: resolver.classLabel(n) }))),
          ...t.coord.flatMap((n) => resolver.unitIds(n, pendingIds).map((id) => ({ id, role: 'coord' as const, via: resolver.classLabel(n) }))),
        ], dues);
      }
      const codes = new Set(tasks.map((t) => t.code));
      for (const old of before.values()) {
        if (!codes.has(old.code) && !old.archivedAt) {
          await tx.task.update({ where: { id: old.id }, data: { archivedAt: new Date() } });
          summary.archived.push(old.code);
        }
      }
      if (opts.actor && (summary.added.length || summary.changed.length || summary.archived.length)) {
        await audit(tx, opts.actor, {
          action: 'import',
          detail: JSON.stringify({ plan: opts.name, added: summary.added.length, changed: summary.changed, archived: summary.archived }),
        });
      }
    },
    { timeout: 300_000 },
  );
  return summary;
}

/** Due days of a rule an administrator set by hand (/setdeadline), which a re-import keeps. */
function storedRuleDues(ruleJson: string, opts: ImportOptions, policy: Record<string, unknown>): string[] {
  const rule = ruleSchema.safeParse(JSON.parse(ruleJson));
  return rule.success ? duesOf(rule.data, opts.year, opts.calendar, resolvePolicy(policy)) : [];
}

function isChanged(old: { content: string; leadText: string; coordText: string; deadlineText: string; result: string; note: string }, t: PlannedTask): boolean {
  return old.content !== t.content || old.leadText !== t.leadText || old.coordText !== t.coordText || old.deadlineText !== t.deadline || old.result !== t.result || old.note !== t.note;
}

async function diffOnly(prisma: PrismaClient, name: string, tasks: PlannedTask[], summary: ImportSummary): Promise<void> {
  const before = new Map((await prisma.task.findMany({ where: { plan: { name } } })).map((t) => [t.code, t]));
  for (const t of tasks) {
    const old = before.get(t.code);
    if (!old) summary.added.push(t.code);
    else if (old.archivedAt || isChanged(old, t)) summary.changed.push(t.code);
    else summary.unchanged++;
  }
  const codes = new Set(tasks.map((t) => t.code));
  for (const old of before.values()) if (!codes.has(old.code) && !old.archivedAt) summary.archived.push(old.code);
}

function mostFrequentLead(tasks: PlannedTask[], idsOf: (names: string[]) => number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const t of tasks) {
    const single = t.lead.filter((n) => !classOf(n));
    for (const id of idsOf(single)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

type Wanted = { id: number; role: 'lead' | 'coord'; via: string | null };

/**
 * Makes a task's assignments and occurrences what the plan says: new ones added, dropped ones archived,
 * open occurrences moved to the new due days; completed occurrences are never touched.
 */
export async function syncAssignments(tx: Tx, taskId: number, wanted: Wanted[], dues: string[]): Promise<void> {
  const byUnit = new Map<number, Wanted>();
  for (const w of wanted) if (!byUnit.has(w.id) || w.role === 'lead') byUnit.set(w.id, w); // lead wins over coord
  const current = await tx.assignment.findMany({ where: { taskId }, include: { occurrences: { select: { id: true, due: true, status: true, eventId: true } } } });
  for (const a of current) {
    if (!byUnit.has(a.unitId) && !a.archivedAt) await tx.assignment.update({ where: { id: a.id }, data: { archivedAt: new Date() } });
  }
  for (const w of byUnit.values()) {
    const old = current.find((a) => a.unitId === w.id);
    const assignment = old
      ? await tx.assignment.update({ where: { id: old.id }, data: { role: w.role, viaClass: w.via, archivedAt: null } })
      : await tx.assignment.create({ data: { taskId, unitId: w.id, role: w.role, viaClass: w.via } });
    const have = old?.occurrences ?? [];
    const want = w.role === 'lead' ? new Set(dues) : new Set<string>();
    const stale = have.filter((o) => o.status === 'open' && !want.has(o.due) && o.eventId === null).map((o) => o.id);
    if (stale.length) await tx.occurrence.deleteMany({ where: { id: { in: stale } } });
    const missing = [...want].filter((due) => !have.some((o) => o.due === due));
    if (missing.length) await tx.occurrence.createMany({ data: missing.map((due) => ({ assignmentId: assignment.id, due })) });
  }
}

/** Resolves unit names of plan cells against the registry: single units, classes, vague phrases, new names. */
class UnitResolver {
  private readonly single = new Map<string, number | 'pending' | 'skip'>();
  private readonly classes = new Map<string, { ids: number[]; label: string }>();
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly registry: { id: number; name: string; kind: UnitKind; aliases: string[] }[],
    private readonly warnings: PlanWarning[],
  ) {}

  resolve(name: string, row: number): void {
    if (this.single.has(name) || this.classes.has(name)) return;
    if (isVagueUnit(name)) return void this.single.set(name, 'skip');
    const cls = classOf(name);
    if (cls) {
      const ids = this.registry.filter((u) => cls.kinds.includes(u.kind)).map((u) => u.id);
      if (!ids.length) {
        this.warnings.push({ row, message: `Dòng ${row}: "${name}" là một nhóm đơn vị (${cls.label}) nhưng danh mục chưa có đơn vị nào thuộc nhóm này; hãy nhập danh mục đơn vị rồi nhập lại kế hoạch` });
      }
      return void this.classes.set(name, { ids, label: cls.label });
    }
    let match = matchUnit(name, this.registry);
    // "Văn phòng HĐND và UBND huyện (Bộ phận Tiếp nhận và trả kết quả huyện)": the unit is outside the brackets
    const bare = name.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    if (match.kind === 'none' && bare && bare !== name) match = matchUnit(bare, this.registry);
    if (match.kind === 'found') return void this.single.set(name, match.unit.id);
    if (match.kind === 'ambiguous') {
      this.warnings.push({ row, message: `Dòng ${row}: "${name}" khớp nhiều đơn vị (${match.candidates.map((u) => u.name).join('; ')}); chưa giao cho đơn vị nào` });
      return void this.single.set(name, 'skip');
    }
    const key = unitKey(name);
    if (!key) return void this.single.set(name, 'skip');
    if (!this.pending.has(key)) {
      this.pending.set(key, name);
      this.warnings.push({ row, message: `Dòng ${row}: đơn vị "${name}" chưa có trong danh mục; đã tạo ở trạng thái chờ xác nhận` });
    }
    this.single.set(name, 'pending');
  }

  /** a unit named outside the table (the coordinating office given on the command line) */
  findOne(name: string): number | undefined {
    const match = matchUnit(name, this.registry);
    return match.kind === 'found' ? match.unit.id : undefined;
  }

  pendingNames(): string[] {
    return [...this.pending.values()];
  }

  unitIds(name: string, pendingIds: Map<string, number>): number[] {
    const cls = this.classes.get(name);
    if (cls) return cls.ids;
    const single = this.single.get(name);
    if (typeof single === 'number') return [single];
    if (single === 'pending') {
      const id = pendingIds.get(this.pending.get(unitKey(name)) ?? '');
      return id ? [id] : [];
    }
    return [];
  }

  /** the class phrase an assignment was expanded from (kept so that new units of the class join later) */
  classLabel(name: string): string | null {
    return this.classes.has(name) ? name : null;
  }
}
