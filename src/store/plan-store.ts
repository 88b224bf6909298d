import type { PrismaClient } from '../db/database.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { duesOf, interpretDeadline, resolvePolicy, ruleSchema } from '../core/deadline/index.ts';
import type { ParsedPlan, PlanWarning } from '../core/plan-table.ts';
import { parsePlanPolicy } from '../core/plan-policy.ts';
import { yearMismatches, type YearMismatch } from '../core/plan-year.ts';
import { planDiff, type PlanDiff, type StoredTask } from '../core/task-match.ts';
import { classOf } from '../core/units.ts';
import { unitRegistry } from './units.ts';
import { audit, type Actor } from './audit.ts';
import { UnitResolver } from './unit-resolver.ts';
import { writePlan, type PlannedTask, type StoredRow } from './plan-write.ts';

export type { PlannedTask } from './plan-write.ts';

export { syncAssignments } from './assignments.ts';

/**
 * Stores an imported plan in one short transaction: tasks matched to the stored ones by content then code
 * (statuses, completions and history kept, renamed codes reported), tasks missing from the file archived,
 * unit classes expanded into one assignment per unit, unknown units created as pending for the
 * administrator to confirm. Refuses a plan over MAX_PLAN_TASKS, and a re-import that would archive more
 * than half of the plan's live tasks unless forced.
 */

/** Above this a plan is refused: no plan has that many tasks, and the import must hold the lock briefly. */
export const MAX_PLAN_TASKS = 5000;

export type ImportSummary = {
  plan: { name: string; year: number };
  tasks: PlannedTask[];
  warnings: PlanWarning[];
  added: string[];
  changed: string[];
  /** tasks kept (statuses and history) under a new code */
  renamed: { from: string; to: string }[];
  archived: string[];
  unchanged: number;
  pendingUnits: string[];
  /** deadline cells naming a year other than the plan's */
  yearMismatch: YearMismatch[];
  /** a dry run of an import the real one would refuse without `force` (what it would archive) */
  wouldRefuse?: ImportRefusedError;
};

export type ImportOptions = {
  name: string;
  year: number;
  calendar: WorkingCalendar;
  dryRun?: boolean;
  actor?: Actor;
  /** the coordinating office, by name (default: the unit that leads most tasks) */
  coordinator?: string;
  /** archive more than half of the plan's tasks if the file says so */
  force?: boolean;
  /** the instant of the import: the time archived tasks and assignments are stamped with */
  now: Date;
};

/** Whether any plan was imported yet. */
export async function hasPlans(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.plan.count()) > 0;
}

/** The coordinating office of a plan, by the plan's name (null: none named or no such plan). */
export async function planCoordinator(prisma: PrismaClient, name: string): Promise<number | null> {
  return (await prisma.plan.findUnique({ where: { name }, select: { coordinatorUnitId: true } }))?.coordinatorUnitId ?? null;
}

/** An import refused before anything was written; `message` is Vietnamese and says why. */
export class ImportRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: 'too_many_tasks' | 'would_archive',
    /** codes the re-import would archive (reason would_archive) */
    readonly archived: string[] = [],
    /** live tasks of the stored plan */
    readonly live = 0,
  ) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

function codeList(codes: string[], max = 30): string {
  return codes.length > max ? `${codes.slice(0, max).join(', ')} và ${codes.length - max} mã khác` : codes.join(', ');
}

/** The mass-archive guard: null when the diff may be written. */
function archiveRefusal(diff: PlanDiff, stored: StoredTask[], name: string): ImportRefusedError | null {
  const live = stored.filter((s) => !s.archived).length;
  const archived = diff.archived.map((s) => s.code);
  if (archived.length * 2 <= live) return null;
  const what = archived.length === live ? 'toàn bộ' : 'quá một nửa';
  return new ImportRefusedError(
    `Tệp này sẽ lưu trữ ${archived.length}/${live} nhiệm vụ đang theo dõi của kế hoạch "${name}" (${what} kế hoạch): ${codeList(archived)}. ` +
      'Có thể nhầm tệp (ví dụ tệp chỉ có dòng tiêu đề). Chưa thay đổi gì; nếu đúng là muốn vậy, hãy nhập lại với tùy chọn --force.',
    'would_archive',
    archived,
    live,
  );
}

export async function importPlan(prisma: PrismaClient, parsed: ParsedPlan, opts: ImportOptions): Promise<ImportSummary> {
  if (parsed.tasks.length > MAX_PLAN_TASKS) {
    throw new ImportRefusedError(
      `Kế hoạch có ${parsed.tasks.length.toLocaleString('vi-VN')} nhiệm vụ, vượt giới hạn ${MAX_PLAN_TASKS.toLocaleString('vi-VN')} nhiệm vụ của một kế hoạch. ` +
        'Chưa thay đổi gì; hãy kiểm tra lại tệp, hoặc tách thành nhiều kế hoạch (mỗi phần một tên kế hoạch).',
      'too_many_tasks',
    );
  }
  const now = opts.now;
  const existing = await prisma.plan.findUnique({ where: { name: opts.name }, select: { policy: true } });
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
      aliases: t.aliases ?? [],
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
  const yearMismatch = yearMismatches(parsed.tasks, opts.year);
  if (yearMismatch.length) {
    const years = [...new Set(yearMismatch.flatMap((m) => m.years))].sort();
    warnings.push({
      row: yearMismatch[0]!.row,
      column: 'Thời gian',
      message:
        `Năm kế hoạch là ${opts.year} nhưng ${yearMismatch.length} ô thời hạn ghi năm ${years.join(', ')} (nhiệm vụ ${codeList(yearMismatch.map((m) => m.code), 10)}): ` +
        `có đúng năm ${opts.year} không? Hạn ghi ngày cụ thể sẽ tính theo năm ghi trong ô, nên có thể quá hạn ngay.`,
    });
  }

  const registry = await unitRegistry(prisma);
  const resolver = new UnitResolver(registry, warnings);
  for (const t of tasks) for (const name of [...t.lead, ...t.coord]) resolver.resolve(name, t.row);

  const summary: ImportSummary = {
    plan: { name: opts.name, year: opts.year },
    tasks,
    warnings,
    added: [],
    changed: [],
    renamed: [],
    archived: [],
    unchanged: 0,
    pendingUnits: resolver.pendingNames(),
    yearMismatch,
  };
  const fill = (diff: PlanDiff): void => {
    Object.assign(summary, { added: diff.added, changed: diff.changed, renamed: diff.renamed, archived: diff.archived.map((s) => s.code), unchanged: diff.unchanged });
  };

  // The diff is computed before the transaction, which then only writes: on SQLite the write lock is held
  // from the first write to the commit, and this keeps it short.
  let stored = await storedTasks(prisma, opts.name);
  let diff = planDiff(stored, tasks.map(incoming));
  const refusal = opts.force ? null : archiveRefusal(diff, stored, opts.name);
  fill(diff);
  if (opts.dryRun) {
    if (refusal) {
      warnings.push({ row: 0, message: `Khi nhập thật: ${refusal.message}` });
      summary.wouldRefuse = refusal;
    }
    return summary;
  }
  if (refusal) throw refusal;

  await prisma.$transaction(
    async (tx) => {
      // take the write lock first (a deferred SQLite transaction that read before writing could not
      // upgrade after another writer), then make sure the plan's tasks are still the ones diffed
      await tx.$executeRaw`UPDATE "Plan" SET "year" = "year" WHERE "name" = ${opts.name}`;
      if ((await tasksFingerprint(tx, opts.name)) !== fingerprint(stored)) {
        stored = await storedTasks(tx, opts.name);
        diff = planDiff(stored, tasks.map(incoming));
        const late = opts.force ? null : archiveRefusal(diff, stored, opts.name);
        if (late) throw late;
        fill(diff);
      }
      await writePlan(tx, {
        name: opts.name,
        year: opts.year,
        sections: parsed.sections,
        tasks,
        stored,
        diff,
        resolver,
        coordinator: (idsOf) => (opts.coordinator ? resolver.findOne(opts.coordinator) : mostFrequentLead(tasks, idsOf)),
        dues: (t, old) => (old?.ruleSetBy && old.deadlineText === t.deadline ? storedRuleDues(old.rule, opts, deadlinePolicy) : t.dues),
        now,
      });
      if (opts.actor && (summary.added.length || summary.changed.length || summary.archived.length || summary.renamed.length)) {
        await audit(tx, opts.actor, {
          action: 'import',
          detail: JSON.stringify({ plan: opts.name, added: summary.added.length, changed: summary.changed, renamed: summary.renamed, archived: summary.archived }),
        });
      }
    },
    { timeout: 120_000 },
  );
  return summary;
}

function incoming(t: PlannedTask) {
  return { code: t.code, content: t.content, leadText: t.leadText, coordText: t.coordText, deadlineText: t.deadline, result: t.result, note: t.note };
}

/** What changes when any task of the plan is written: how many, the last id, the last update. */
function fingerprint(rows: { id: number; updatedAt: Date }[]): string {
  const id = rows.reduce((m, r) => Math.max(m, r.id), 0);
  const at = rows.reduce((m, r) => Math.max(m, r.updatedAt.getTime()), 0);
  return `${rows.length}:${id}:${at}`;
}

async function tasksFingerprint(tx: Pick<PrismaClient, 'task'>, name: string): Promise<string> {
  const a = await tx.task.aggregate({ where: { plan: { name } }, _count: { _all: true }, _max: { id: true, updatedAt: true } });
  return `${a._count._all}:${a._max.id ?? 0}:${a._max.updatedAt?.getTime() ?? 0}`;
}

/** The stored tasks of a plan (archived ones too: a plan may bring them back). */
async function storedTasks(client: Pick<PrismaClient, 'task'>, name: string): Promise<StoredRow[]> {
  const rows = await client.task.findMany({
    where: { plan: { name } },
    select: {
      id: true,
      code: true,
      sectionId: true,
      position: true,
      content: true,
      leadText: true,
      coordText: true,
      deadlineText: true,
      rule: true,
      deadlineLabel: true,
      ruleSetBy: true,
      result: true,
      note: true,
      archivedAt: true,
      updatedAt: true,
    },
    orderBy: { position: 'asc' },
  });
  return rows.map((r) => ({ ...r, archived: r.archivedAt !== null }));
}

/** Due days of a rule an administrator set by hand (/setdeadline), which a re-import keeps. */
function storedRuleDues(ruleJson: string, opts: ImportOptions, policy: Record<string, unknown>): string[] {
  const rule = ruleSchema.safeParse(JSON.parse(ruleJson));
  return rule.success ? duesOf(rule.data, opts.year, opts.calendar, resolvePolicy(policy)) : [];
}

function mostFrequentLead(tasks: PlannedTask[], idsOf: (names: string[]) => number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const t of tasks) {
    const single = t.lead.filter((n) => !classOf(n));
    for (const id of idsOf(single)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
