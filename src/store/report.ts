import type { PrismaClient } from '../db/database.ts';
import type { DossierFact } from '../core/dossier-report.ts';
import {
  buildReport,
  figuresByUnit,
  type CheckinRecord,
  type DetailedAssignment,
  type LateCalendar,
  type Report,
  type ReportAssignment,
  type ReportInput,
  type ReportPeriod,
  type UnitFigures,
} from '../core/report.ts';
import { fold } from '../core/text.ts';
import { localDateOf } from '../core/time.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { inBatches } from './batches.ts';

/**
 * The four-status figures per unit over every live plan at `at` (the office's weekly digest). The open
 * occurrences of a unit before today count alike (overdue), and those from today on (in time), so each side
 * is read as one group (its earliest due day stands for it; without an occurrence, due is null: no
 * deadline); a done one is judged by its due day and completion, so those are grouped by both. A province's
 * 100k occurrences come back as a few hundred rows.
 */
export async function unitFigures(prisma: PrismaClient, at: Date, zone: string): Promise<UnitFigures[]> {
  const today = localDateOf(at, zone);
  const [rows, units] = await Promise.all([
    prisma.$queryRaw<{ unitId: number | bigint; due: string | null; doneAt: RawInstant | null; n: number | bigint }[]>`
      SELECT a."unitId", MIN(o."due") AS "due", o."doneAt", COUNT(*) AS "n"
      FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId" LEFT JOIN "Occurrence" o ON o."assignmentId" = a."id"
      WHERE a."role" = 'lead' AND a."archivedAt" IS NULL AND t."archivedAt" IS NULL
      GROUP BY a."unitId", o."doneAt", CASE WHEN o."due" IS NULL THEN 'none' WHEN o."doneAt" IS NOT NULL THEN o."due" WHEN o."due" < ${today} THEN 'late' ELSE 'in time' END`,
    prisma.unit.findMany({ select: { id: true, name: true } }),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  // each group counts as that many assignments with that one occurrence (no occurrence: without a deadline)
  const groups: ReportAssignment[] = rows.map((r) => ({
    unitId: Number(r.unitId),
    unitName: unitName.get(Number(r.unitId)) ?? '',
    occurrences: r.due === null ? [] : [{ due: r.due, doneAt: r.doneAt === null ? null : instant(r.doneAt) }],
    count: Number(r.n),
  }));
  return figuresByUnit(groups, at, zone);
}

/** A plan name that matches no plan; `known` lists the plans there are. */
export class UnknownPlanError extends Error {
  constructor(
    readonly planName: string,
    readonly known: string[],
  ) {
    super(
      known.length
        ? `Không có kế hoạch "${planName}". Các kế hoạch hiện có: ${known.map((k) => `"${k}"`).join('; ')}.`
        : `Không có kế hoạch "${planName}": chưa có kế hoạch nào được nhập.`,
    );
  }
}

/** The plans a report covers: the named one (exact name, else the same name without case and diacritics), else every plan. */
async function reportPlans(prisma: PrismaClient, planName?: string): Promise<ReportInput['plans']> {
  const plans = await prisma.plan.findMany({ select: { id: true, name: true, year: true }, orderBy: [{ year: 'asc' }, { id: 'asc' }] });
  if (!planName) return plans;
  const exact = plans.filter((p) => p.name === planName);
  if (exact.length) return exact;
  const folded = plans.filter((p) => fold(p.name) === fold(planName));
  if (folded.length === 1) return folded;
  throw new UnknownPlanError(planName, plans.map((p) => p.name));
}

/**
 * Everything `buildReport` needs, in a handful of queries: the plans, their sections, the lead assignments
 * with their occurrences, the display names of who marked them done, and the check-in answers of the
 * assignments without occurrences (with the units each answer may speak for).
 */
export async function loadReportInput(prisma: PrismaClient, planName?: string): Promise<ReportInput> {
  const plans = await reportPlans(prisma, planName);
  const planIds = plans.map((p) => p.id);
  if (!planIds.length) return { plans, sections: [], assignments: [], checkins: [] };
  const [sections, assignments] = await Promise.all([
    inBatches(planIds, (ids) => prisma.section.findMany({ where: { planId: { in: ids } }, select: { planId: true, path: true, title: true } })),
    leadAssignments(prisma, planName ? planIds : null),
  ]);

  const ongoingTasks = [...new Set(assignments.filter((a) => !a.occurrences.length).map((a) => a.taskId))];
  const audits = await inBatches(ongoingTasks, (ids) =>
    prisma.auditLog.findMany({
      where: { action: 'checkin', taskId: { in: ids } },
      select: { taskId: true, at: true, actor: true, chat: true, detail: true },
      orderBy: { at: 'asc' },
    }),
  );

  const users = new Set<string>();
  for (const a of assignments) for (const o of a.occurrences) if (o.doneBy) users.add(o.doneBy);
  for (const a of audits) users.add(a.actor);
  const chats = [...new Set(audits.map((a) => a.chat).filter((c): c is string => !!c))];
  const [officers, groups] = await Promise.all([
    inBatches([...users], (list) => prisma.officer.findMany({ where: { user: { in: list } }, select: { user: true, unitId: true, displayName: true } })),
    inBatches(chats, (list) => prisma.chatGroup.findMany({ where: { chat: { in: list } }, select: { chat: true, unitId: true } })),
  ]);
  const displayName = new Map<string, string>();
  const unitsOf = new Map<string, number[]>();
  for (const o of officers) {
    if (o.displayName && !displayName.has(o.user)) displayName.set(o.user, o.displayName);
    unitsOf.set(o.user, [...(unitsOf.get(o.user) ?? []), o.unitId]);
  }
  const groupUnit = new Map(groups.map((g) => [g.chat, g.unitId]));

  const checkins: CheckinRecord[] = audits
    .filter((a) => a.taskId !== null)
    .map((a) => {
      const inGroup = a.chat ? groupUnit.get(a.chat) : undefined;
      return { taskId: a.taskId!, at: a.at, actor: displayName.get(a.actor) ?? a.actor, answer: a.detail ?? '', unitIds: inGroup ? [inGroup] : (unitsOf.get(a.actor) ?? []) };
    });

  return {
    plans,
    sections,
    checkins,
    assignments: assignments.map((a) => ({
      ...a,
      occurrences: a.occurrences.map((o) => ({ ...o, doneByName: o.doneBy ? (displayName.get(o.doneBy) ?? null) : null })),
    })),
  };
}

type LeadRow = {
  id: number | bigint;
  unitId: number | bigint;
  unitName: string;
  taskId: number | bigint;
  planId: number | bigint;
  code: string;
  content: string;
  sectionPath: string | null;
  due: string | null;
  doneAt: RawInstant | null;
  doneBy: string | null;
};

/** A DateTime column of a raw row: SQLite hands back what it stored (ISO text, or epoch milliseconds). */
type RawInstant = Date | string | number | bigint;
const instant = (v: RawInstant): Date => (v instanceof Date ? v : new Date(typeof v === 'string' ? v : Number(v)));

/**
 * The live lead assignments of the plans (all when `planIds` is null) with their occurrences by due day, in
 * one joined read: Prisma's nested reads bind every assignment's id (past the parameter limits at 100k) and
 * cost ten times as much.
 */
async function leadAssignments(prisma: PrismaClient, planIds: number[] | null): Promise<DetailedAssignment[]> {
  const rows = await prisma.$queryRaw<LeadRow[]>`
    SELECT a."id", a."unitId", u."name" AS "unitName", t."id" AS "taskId", t."planId", t."code", t."content",
      s."path" AS "sectionPath", o."due", o."doneAt", o."doneBy"
    FROM "Assignment" a
      JOIN "Task" t ON t."id" = a."taskId"
      JOIN "Unit" u ON u."id" = a."unitId"
      LEFT JOIN "Section" s ON s."id" = t."sectionId"
      LEFT JOIN "Occurrence" o ON o."assignmentId" = a."id"
    WHERE a."role" = 'lead' AND a."archivedAt" IS NULL AND t."archivedAt" IS NULL
      ${planIds ? Prisma.sql`AND t."planId" IN (${Prisma.join(planIds)})` : Prisma.empty}
    ORDER BY a."id", o."due"`;
  const out: DetailedAssignment[] = [];
  let last: DetailedAssignment | undefined;
  for (const r of rows) {
    const id = Number(r.id);
    if (last?.assignmentId !== id) {
      last = {
        assignmentId: id,
        taskId: Number(r.taskId),
        planId: Number(r.planId),
        code: r.code,
        content: r.content,
        sectionPath: r.sectionPath,
        unitId: Number(r.unitId),
        unitName: r.unitName,
        occurrences: [],
      };
      out.push(last);
    }
    if (r.due !== null) last.occurrences.push({ due: r.due, doneAt: r.doneAt === null ? null : instant(r.doneAt), doneBy: r.doneBy });
  }
  return out;
}

/** The report of a plan (default: every plan) at an instant, optionally for a reporting period. */
export async function planReport(
  prisma: PrismaClient,
  opts: { at: Date; zone: string; calendar: LateCalendar; planName?: string; period?: ReportPeriod | null },
): Promise<Report> {
  const [input, dossiers] = await Promise.all([loadReportInput(prisma, opts.planName), loadDossierFacts(prisma)]);
  input.dossiers = dossiers;
  return buildReport(input, { at: opts.at, zone: opts.zone, period: opts.period ?? null }, opts.calendar);
}

/**
 * Every dossier's dates, for the dossier figures of a report. A dossier closed as returned without a return
 * date gets the time the bot recorded the return: the audit row that set it returned (else its last change).
 */
export async function loadDossierFacts(prisma: PrismaClient): Promise<DossierFact[]> {
  const rows = await prisma.dossier.findMany({
    select: { id: true, due: true, originalDue: true, returnedOn: true, apologyAt: true, status: true, statusText: true, updatedAt: true, unit: { select: { name: true } } },
  });
  const undated = rows.filter((r) => r.status === 'returned' && !r.returnedOn).map((r) => r.id);
  const recorded = new Map<number, Date>();
  const audits = await inBatches(undated, (ids) =>
    prisma.auditLog.findMany({ where: { dossierId: { in: ids }, toStatus: 'returned' }, select: { dossierId: true, at: true }, orderBy: { at: 'asc' } }),
  );
  for (const a of audits) if (a.dossierId !== null && !recorded.has(a.dossierId)) recorded.set(a.dossierId, a.at);
  return rows.map((r) => ({
    unitName: r.unit?.name ?? '',
    due: r.due,
    originalDue: r.originalDue,
    returnedOn: r.returnedOn,
    apologyAt: r.apologyAt,
    status: r.status,
    statusText: r.statusText,
    recordedAt: r.status === 'returned' && !r.returnedOn ? (recorded.get(r.id) ?? r.updatedAt) : null,
  }));
}
