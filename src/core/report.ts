import { dossierFigures, dossierFiguresText, type DossierFact, type DossierFigures } from './dossier-report.ts';
import { addDays, dateParts, formatVi, makeDate, type LocalDate } from './dates.ts';
import { codeRanks, compareCodes, compareVi } from './messages.ts';
import { STATUS_LABELS, emptyCounts, statusOf, type ReportStatus, type Status, type StatusCounts } from './status.ts';
import { fold } from './text.ts';
import { instantOf, localDateOf } from './time.ts';

/**
 * The coordinating office's report: four-status figures per unit and per plan part, the detail rows, the
 * late items and the last check-in answers of ongoing tasks. Pure: rows in, figures out.
 *
 * What is counted (lead assignments only; coordinating units answer to the lead unit):
 * - without a period ("đến ngày"): every occurrence of the plan, its status judged at `at`;
 * - with a reporting period [from, to] (Nghị định 09/2019/NĐ-CP: 15th of the month before the period to the
 *   14th of its last month): the occurrences due within the period, plus the occurrences due before it that
 *   were not completed before the period began (carried over: done during the period → done late, still
 *   open → overdue). Occurrences due after the period belong to a later period and are not counted here, even
 *   when done early. Statuses are judged at the end of the period's last day, or at `at` when that is earlier
 *   (a report of the running period); a completion after the judging instant does not count yet.
 * - an assignment with no occurrence at all (ongoing, on demand, an event not reported yet) counts once as
 *   "không có thời hạn" in every report, with its last check-in answer up to the judging instant.
 */

// ── reporting periods ────────────────────────────────────────────────────────────────────────────────────

export type ReportPeriod = { from: LocalDate; to: LocalDate; label: string };

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

/** Quarter q of year: 15 of the month before the quarter to 14 of its last month (Q1 2023: 15/12/2022-14/03/2023). */
export function quarterPeriod(year: number, q: number): ReportPeriod {
  if (!Number.isInteger(q) || q < 1 || q > 4) throw new RangeError(`Quý phải từ 1 đến 4: ${q}`);
  const lastMonth = q * 3;
  const from = lastMonth - 3 === 0 ? makeDate(year - 1, 12, 15) : makeDate(year, lastMonth - 3, 15);
  const to = makeDate(year, lastMonth, 14);
  if (!from || !to) throw new RangeError(`Năm không hợp lệ: ${year}`);
  return { from, to, label: `Quý ${ROMAN[q - 1]}/${year}` };
}

/** The year's report: 15/12 of the previous year to 14/12. */
export function annualPeriod(year: number): ReportPeriod {
  const from = makeDate(year - 1, 12, 15);
  const to = makeDate(year, 12, 14);
  if (!from || !to) throw new RangeError(`Năm không hợp lệ: ${year}`);
  return { from, to, label: `Năm ${year}` };
}

/** The 6-month report (Nghị định 09/2019/NĐ-CP art. 12, as domain.md gives it): 15/12 of the previous year to 14/06. */
export function halfYearPeriod(year: number): ReportPeriod {
  const from = makeDate(year - 1, 12, 15);
  const to = makeDate(year, 6, 14);
  if (!from || !to) throw new RangeError(`Năm không hợp lệ: ${year}`);
  return { from, to, label: `6 tháng đầu năm ${year}` };
}

/** The monthly report of month m: the 15th of the month before to the 14th of m (Tháng 1/2023: 15/12/2022-14/01/2023). */
export function monthPeriod(year: number, month: number): ReportPeriod {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`Tháng phải từ 1 đến 12: ${month}`);
  const from = month === 1 ? makeDate(year - 1, 12, 15) : makeDate(year, month - 1, 15);
  const to = makeDate(year, month, 14);
  if (!from || !to) throw new RangeError(`Năm không hợp lệ: ${year}`);
  return { from, to, label: `Tháng ${month}/${year}` };
}

/** The quarterly period a day falls in (20/12/2022 → Quý I/2023; 14/03/2023 → Quý I/2023; 15/03/2023 → Quý II/2023). */
export function periodOf(day: LocalDate): ReportPeriod {
  const { year, month, day: d } = dateParts(day);
  // shift by the 15th: from the 15th on, a day belongs to the next month's data
  let m = d >= 15 ? month + 1 : month;
  let y = year;
  if (m === 13) {
    m = 1;
    y++;
  }
  return quarterPeriod(y, Math.ceil(m / 3));
}

/** "15/12/2022 - 14/03/2023" */
export function periodRange(period: ReportPeriod): string {
  return `${formatVi(period.from)} - ${formatVi(period.to)}`;
}

/**
 * A period typed by a person: "q1", "quý I", "quy 2/2023", "q3 2023", "năm", "nam 2023", "ca nam", "6t", "6 tháng",
 * "6 tháng đầu năm 2023", "tháng 3", "thang3", "tháng 03/2023", "t3". The year defaults to the year of the
 * reporting period `today` falls in (so 20/12/2022 "quý 1" is Q1 2023 and "tháng 1" January 2023).
 * Null when the text is not a period.
 */
export function parsePeriod(text: string, today: LocalDate): ReportPeriod | null {
  const t = fold(text).replace(/[,;]+/g, ' ').replace(/\s+/g, ' ').trim();
  const defaultYear = dateParts(periodOf(today).to).year;
  const year = (y: string | undefined): number | null => {
    if (!y) return defaultYear;
    const n = Number(y);
    return n >= 2000 && n <= 2100 ? n : null;
  };
  const quarter = /^(?:q|quy)\s*([1-4]|i{1,3}|iv)(?:\s*(?:\/|-|nam)?\s*(\d{4}))?$/.exec(t);
  if (quarter) {
    const raw = quarter[1]!;
    const q = /^\d$/.test(raw) ? Number(raw) : ROMAN.findIndex((r) => r.toLowerCase() === raw) + 1;
    const y = year(quarter[2]);
    return y && q >= 1 ? quarterPeriod(y, q) : null;
  }
  const half = /^(?:6\s*t|6\s*thang|sau\s*thang|nua\s*nam)(?:\s*dau\s*nam)?(?:\s*(?:\/|-|nam)?\s*(\d{4}))?$/.exec(t);
  if (half) {
    const y = year(half[1]);
    return y ? halfYearPeriod(y) : null;
  }
  const month = /^(?:thang|t)\s*(\d{1,2})(?:\s*(?:\/|-|nam)?\s*(\d{4}))?$/.exec(t);
  if (month) {
    const m = Number(month[1]);
    const y = year(month[2]);
    return y && m >= 1 && m <= 12 ? monthPeriod(y, m) : null;
  }
  const annual = /^(?:ca\s*)?nam(?:\s*\/?\s*(\d{4}))?$/.exec(t);
  if (annual) {
    const y = year(annual[1]);
    return y ? annualPeriod(y) : null;
  }
  return null;
}

// ── inputs ───────────────────────────────────────────────────────────────────────────────────────────────

export type ReportOccurrence = { due: LocalDate; doneAt: Date | null };

/** The least the figures need; `figuresByUnit` takes these. */
export type ReportAssignment = {
  unitId: number;
  unitName: string;
  occurrences: ReportOccurrence[];
  /** this many assignments alike (a grouped read: same unit, same occurrences); default 1 */
  count?: number;
};

/** One lead assignment with what the detail sheet shows. */
export type DetailedAssignment = Omit<ReportAssignment, 'occurrences'> & {
  assignmentId: number;
  taskId: number;
  planId: number;
  code: string;
  content: string;
  /** the task's section path ("2.1"), null when it has none */
  sectionPath: string | null;
  occurrences: (ReportOccurrence & { doneBy: string | null; doneByName?: string | null })[];
};

/** An AuditLog row with action 'checkin' (detail = the answer), with the units it may speak for. */
export type CheckinRecord = {
  taskId: number;
  at: Date;
  actor: string;
  answer: string;
  /** the unit of the group it was said in, else the units the actor is an officer of */
  unitIds: number[];
};

export type ReportInput = {
  plans: { id: number; name: string; year: number }[];
  /** every section of those plans; the parts are looked up by the first segment of a path */
  sections: { planId: number; path: string; title: string }[];
  assignments: DetailedAssignment[];
  checkins: CheckinRecord[];
  /** citizens' dossiers of the units (not tied to a plan) */
  dossiers?: DossierFact[];
};

/** What the report counts and when. */
export type ReportScope = {
  /** the moment the report is asked for */
  at: Date;
  zone: string;
  period?: ReportPeriod | null;
};

/** Only what the report needs from the working-day calendar (src/core/calendar.ts WorkingCalendar). */
export type LateCalendar = { workingDaysBetween(a: LocalDate, b: LocalDate): number };

// ── outputs ──────────────────────────────────────────────────────────────────────────────────────────────

export type UnitFigures = { unitId: number; unit: string } & StatusCounts;
export type PartFigures = { planId: number; part: string; title: string } & StatusCounts;

export type ReportRow = {
  code: string;
  content: string;
  unitId: number;
  unit: string;
  planId: number;
  part: string;
  /** null for a no-deadline assignment */
  due: LocalDate | null;
  status: ReportStatus;
  statusLabel: string;
  /** the local day of the completion, when it counts */
  doneOn: LocalDate | null;
  doneBy: string | null;
  /** due before the period and not completed before it began */
  carriedOver: boolean;
  /** ongoing tasks: the last check-in answer up to the judging instant */
  lastCheckin: { at: Date; on: LocalDate; actor: string; answer: string } | null;
};

export type LateItem = {
  code: string;
  content: string;
  unitId: number;
  unit: string;
  due: LocalDate;
  status: 'done_late' | 'open_overdue';
  doneOn: LocalDate | null;
  /** calendar days from the due day to the completion day (or the judging day when still open) */
  daysLate: number;
  /** working days in (due, completion or judging day]; 0 when completed on a day off just after the due day */
  workingDaysLate: number;
};

export type Report = {
  /** the plan's name, or the names joined when the report covers several plans */
  plan: string;
  plans: { id: number; name: string; year: number }[];
  zone: string;
  at: Date;
  period: ReportPeriod | null;
  /** the instant statuses are judged at: `at`, or the end of the period when that is earlier */
  judgedAt: Date;
  judgedOn: LocalDate;
  units: UnitFigures[];
  parts: PartFigures[];
  totals: StatusCounts;
  rows: ReportRow[];
  late: LateItem[];
  dossiers: DossierFigures[];
};

// ── the figures ──────────────────────────────────────────────────────────────────────────────────────────

type Judge = { judgedAt: Date; judgedOn: LocalDate; period: ReportPeriod | null; zone: string };

function judgeOf(scope: ReportScope): Judge {
  const period = scope.period ?? null;
  let judgedAt = scope.at;
  if (period) {
    const end = new Date(instantOf(addDays(period.to, 1), '00:00', scope.zone).getTime() - 1);
    if (end < judgedAt) judgedAt = end;
  }
  return { judgedAt, judgedOn: localDateOf(judgedAt, scope.zone), period, zone: scope.zone };
}

type Counted = { due: LocalDate; status: Status; doneAt: Date | null; carriedOver: boolean };

/** The counted occurrences of one assignment with their statuses (see the rule at the top of this file). */
function countOccurrences<O extends ReportOccurrence>(occurrences: O[], j: Judge): (Counted & { occ: O })[] {
  const out: (Counted & { occ: O })[] = [];
  for (const occ of occurrences) {
    const doneAt = occ.doneAt && occ.doneAt <= j.judgedAt ? occ.doneAt : null;
    let carriedOver = false;
    if (j.period) {
      if (occ.due > j.period.to) continue;
      if (occ.due < j.period.from) {
        if (doneAt && localDateOf(doneAt, j.zone) < j.period.from) continue;
        carriedOver = true;
      }
    }
    out.push({ occ, due: occ.due, doneAt, carriedOver, status: statusOf({ due: occ.due, doneAt }, j.judgedOn, j.zone) });
  }
  return out;
}

const byOverdueThenName = (a: UnitFigures, b: UnitFigures) => b.open_overdue - a.open_overdue || compareVi(a.unit, b.unit);

/**
 * Counts every occurrence (one due date of one unit's task) by its status on `at`; a completion after `at`
 * does not count yet. An assignment with no occurrence (ongoing, on demand, no event yet) is `no_deadline`.
 * With a period, counts what the period counts (see the top of this file). Most overdue units first.
 */
export function figuresByUnit(assignments: ReportAssignment[], at: Date, zone: string, period?: ReportPeriod | null): UnitFigures[] {
  const j = judgeOf({ at, zone, period });
  const byUnit = new Map<number, UnitFigures>();
  for (const a of assignments) {
    let figures = byUnit.get(a.unitId);
    if (!figures) {
      figures = { unitId: a.unitId, unit: a.unitName, ...emptyCounts() };
      byUnit.set(a.unitId, figures);
    }
    const alike = a.count ?? 1;
    if (!a.occurrences.length) figures.no_deadline += alike;
    for (const c of countOccurrences(a.occurrences, j)) figures[c.status] += alike;
  }
  return [...byUnit.values()].sort(byOverdueThenName);
}

export function totals(figures: StatusCounts[]): StatusCounts {
  const sum = emptyCounts();
  for (const f of figures) for (const k of Object.keys(sum) as (keyof StatusCounts)[]) sum[k] += f[k];
  return sum;
}

export const countTotal = (c: StatusCounts): number => c.done_on_time + c.done_late + c.open_in_time + c.open_overdue + c.no_deadline;

/** The plan part of a task: the first segment of its section path (or of its code when it has no section). */
export function partOf(sectionPath: string | null, code: string): string {
  return (sectionPath ?? code).split('.')[0] ?? '';
}

/** The whole report; `calendar` counts the working days late. */
export function buildReport(input: ReportInput, scope: ReportScope, calendar: LateCalendar): Report {
  const j = judgeOf(scope);
  const partTitles = new Map<string, string>();
  for (const s of input.sections) if (!s.path.includes('.')) partTitles.set(`${s.planId}|${s.path}`, s.title);
  const planName = new Map(input.plans.map((p) => [p.id, p.name]));
  const severalPlans = input.plans.length > 1;

  // the last check-in answer per (task, unit), up to the judging instant
  const checkins = [...input.checkins].filter((c) => c.at <= j.judgedAt).sort((a, b) => a.at.getTime() - b.at.getTime());
  const leadsOfTask = new Map<number, number[]>();
  for (const a of input.assignments) leadsOfTask.set(a.taskId, [...(leadsOfTask.get(a.taskId) ?? []), a.unitId]);
  const lastCheckin = new Map<string, CheckinRecord>();
  for (const c of checkins) {
    const leads = leadsOfTask.get(c.taskId) ?? [];
    const units = leads.length === 1 ? leads : leads.filter((u) => c.unitIds.includes(u));
    for (const u of units) lastCheckin.set(`${c.taskId}|${u}`, c);
  }

  // days and working days late, worked out once per (due, until): a plan's many items share few dates
  const latenessOf = new Map<LocalDate, Map<LocalDate, readonly [number, number]>>();
  const lateness = (due: LocalDate, until: LocalDate): readonly [number, number] => {
    let byUntil = latenessOf.get(due);
    if (!byUntil) latenessOf.set(due, (byUntil = new Map()));
    let known = byUntil.get(until);
    if (!known) {
      known = [Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000), Math.max(0, calendar.workingDaysBetween(due, until))];
      byUntil.set(until, known);
    }
    return known;
  };

  const units = new Map<number, UnitFigures>();
  const parts = new Map<string, PartFigures>();
  const rows: ReportRow[] = [];
  const late: LateItem[] = [];
  for (const a of input.assignments) {
    const part = partOf(a.sectionPath, a.code);
    const partKey = `${a.planId}|${part}`;
    let u = units.get(a.unitId);
    if (!u) units.set(a.unitId, (u = { unitId: a.unitId, unit: a.unitName, ...emptyCounts() }));
    let p = parts.get(partKey);
    if (!p) {
      const title = partTitles.get(partKey) ?? '';
      parts.set(partKey, (p = { planId: a.planId, part, title: severalPlans ? `${planName.get(a.planId) ?? ''}: ${title}` : title, ...emptyCounts() }));
    }
    // each row's fields written out: rows built as { ...base, ... } made 100,000 objects V8 handles slowly
    // (3.6 s of CPU in this loop instead of 0.4 s at 100,000 items)
    if (!a.occurrences.length) {
      u.no_deadline++;
      p.no_deadline++;
      const c = lastCheckin.get(`${a.taskId}|${a.unitId}`);
      rows.push({
        code: a.code, content: a.content, unitId: a.unitId, unit: a.unitName, planId: a.planId, part,
        due: null,
        status: 'no_deadline',
        statusLabel: STATUS_LABELS.no_deadline,
        doneOn: null,
        doneBy: null,
        carriedOver: false,
        lastCheckin: c ? { at: c.at, on: localDateOf(c.at, j.zone), actor: c.actor, answer: c.answer } : null,
      });
      continue;
    }
    for (const c of countOccurrences(a.occurrences, j)) {
      u[c.status]++;
      p[c.status]++;
      const doneOn = c.doneAt ? localDateOf(c.doneAt, j.zone) : null;
      rows.push({
        code: a.code, content: a.content, unitId: a.unitId, unit: a.unitName, planId: a.planId, part,
        due: c.due,
        status: c.status,
        statusLabel: STATUS_LABELS[c.status],
        doneOn,
        doneBy: c.doneAt ? (c.occ.doneByName || c.occ.doneBy) ?? null : null,
        carriedOver: c.carriedOver,
        lastCheckin: null,
      });
      if (c.status === 'done_late' || c.status === 'open_overdue') {
        const until = doneOn ?? j.judgedOn;
        const [daysLate, workingDaysLate] = lateness(c.due, until);
        late.push({ code: a.code, content: a.content, unitId: a.unitId, unit: a.unitName, due: c.due, status: c.status, doneOn, daysLate, workingDaysLate });
      }
    }
  }

  const unitList = [...units.values()].sort(byOverdueThenName);
  const unitOrder = new Map(unitList.map((u, i) => [u.unitId, i]));
  // sort keys worked out once: 100,000 rows sorted with compareCodes and localeCompare took seconds
  const codeRank = codeRanks(input.assignments.map((a) => a.code));
  const rank = (code: string) => codeRank.get(code) ?? 0;
  const nameRank = new Map([...new Set(unitList.map((u) => u.unit))].sort(compareVi).map((name, i) => [name, i]));
  const byDue = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  rows.sort((a, b) => rank(a.code) - rank(b.code) || a.planId - b.planId || (unitOrder.get(a.unitId) ?? 0) - (unitOrder.get(b.unitId) ?? 0) || byDue(a.due, b.due));
  late.sort((a, b) => (a.status === b.status ? 0 : a.status === 'open_overdue' ? -1 : 1) || b.workingDaysLate - a.workingDaysLate || rank(a.code) - rank(b.code) || (nameRank.get(a.unit) ?? 0) - (nameRank.get(b.unit) ?? 0));
  const partList = [...parts.values()].sort((a, b) => a.planId - b.planId || compareCodes(a.part, b.part));
  return {
    plan: input.plans.map((p) => p.name).join('; '),
    plans: input.plans,
    zone: j.zone,
    at: scope.at,
    period: j.period,
    judgedAt: j.judgedAt,
    judgedOn: j.judgedOn,
    units: unitList,
    parts: partList,
    totals: totals(unitList),
    rows,
    late,
    dossiers: dossierFigures(input.dossiers ?? [], j.judgedAt, j.zone),
  };
}

/** "Kỳ báo cáo: Quý I/2023 (15/12/2022 - 14/03/2023)" or "Số liệu đến ngày 31/03/2023". */
export function scopeLine(report: Pick<Report, 'period' | 'judgedOn'>): string {
  return report.period
    ? `Kỳ báo cáo: ${periodRange(report.period)} (${report.period.label}), số liệu đến ngày ${formatVi(report.judgedOn)}`
    : `Số liệu đến ngày ${formatVi(report.judgedOn)} (toàn bộ kế hoạch)`;
}

/** The report in a chat message or a terminal: totals, then one line per unit (at most `maxUnits`). */
export function reportText(report: Report, maxUnits = 25, moreHint = ''): string {
  const sum = report.totals;
  const lines = [
    `📊 ${report.period ? `Báo cáo ${report.period.label}` : 'Tình hình thực hiện'} — ${report.plan || 'chưa có kế hoạch'}`,
    scopeLine(report),
    `Tổng: ✅ đúng hạn ${sum.done_on_time} · ☑️ hoàn thành quá hạn ${sum.done_late} · ⏳ đang trong hạn ${sum.open_in_time} · ❗ chưa xong, quá hạn ${sum.open_overdue} · ∞ không thời hạn ${sum.no_deadline}`,
    '',
    'Đơn vị: đúng hạn / hoàn thành quá hạn / đang trong hạn / chưa xong quá hạn / không thời hạn',
    ...report.units
      .slice(0, maxUnits)
      .map((f) => `${f.open_overdue ? '❗' : '•'} ${f.unit}: ${f.done_on_time} / ${f.done_late} / ${f.open_in_time} / ${f.open_overdue} / ${f.no_deadline}`),
  ];
  if (report.units.length > maxUnits) lines.push(`… và ${report.units.length - maxUnits} đơn vị khác${moreHint}.`);
  return lines.join('\n') + dossierFiguresText(report.dossiers);
}
