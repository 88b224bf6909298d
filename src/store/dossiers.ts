/**
 * Citizens' dossiers (hồ sơ TTHC): register or update by code (chat or a one-stop export), follow the status
 * the export states, mark returned, show it with its history (AuditLog.dossierId). The one apology a dossier
 * may have is ./apologies.ts; the units an export names, ./dossier-units.ts. Every change is one transaction
 * with its audit row; a refused change writes nothing.
 */
import type { PrismaClient, Tx } from '../db/database.ts';
import { formatVi, type LocalDate } from '../core/dates.ts';
import { closedPhrase, isDossierStatus, isOpen, OPEN_STATUSES, STATUS_LABELS, type DossierStatus } from '../core/dossier-status.ts';
import { unitKey, type UnitKind } from '../core/units.ts';
import type { Actor } from './audit.ts';
import { inBatches } from './batches.ts';

export type DossierView = {
  id: number;
  code: string;
  procedure: string;
  applicant: string;
  received: LocalDate | null;
  due: LocalDate;
  originalDue: LocalDate | null;
  unitId: number | null;
  unitName: string | null;
  unitKind: UnitKind | null;
  /** the unit was created by an import and waits for the administrator (routed to the default group) */
  unitPending: boolean;
  /** the unit as the export or the officer wrote it */
  unitText: string;
  status: DossierStatus;
  /** the status as the export last wrote it */
  statusText: string | null;
  returnedOn: LocalDate | null;
  apologyAt: Date | null;
  apologyReason: string | null;
  lastStage: number | null;
};

/** A status an export states for a dossier. */
export type StatedStatus = { status: DossierStatus; text: string; returnedOn: LocalDate | null };

/** What an import row or /hoso says about a dossier; absent fields are left as stored. */
export type DossierFields = {
  code: string;
  due: LocalDate;
  procedure?: string | null;
  applicant?: string | null;
  received?: LocalDate | null;
  unitId?: number | null;
  /** a unit name the registry does not know: stored as a pending unit (as plan import does) */
  pendingUnit?: string;
  /** the unit as written ('' or absent: unchanged) */
  unitText?: string;
  /** the status the export states (absent: a new dossier is processing, a stored one keeps its status) */
  status?: StatedStatus | null;
};

export type UpsertOutcome = { code: string; kind: 'added' | 'updated' | 'unchanged'; changes: string[]; warnings: string[] };

/** The columns a dossier is shown and prompted with. */
export const DOSSIER_SELECT = {
  id: true,
  code: true,
  procedure: true,
  applicant: true,
  received: true,
  due: true,
  originalDue: true,
  unitId: true,
  unit: { select: { name: true, kind: true, status: true } },
  unitText: true,
  status: true,
  statusText: true,
  returnedOn: true,
  apologyAt: true,
  apologyReason: true,
  lastStage: true,
} as const;

type Row = {
  id: number;
  code: string;
  procedure: string;
  applicant: string;
  received: string | null;
  due: string;
  originalDue: string | null;
  unitId: number | null;
  unit: { name: string; kind: string; status: string } | null;
  unitText: string;
  status: string;
  statusText: string | null;
  returnedOn: string | null;
  apologyAt: Date | null;
  apologyReason: string | null;
  lastStage: number | null;
};

/** A dossier row as the commands and the rounds see it. */
export function toView(r: Row): DossierView {
  return {
    id: r.id,
    code: r.code,
    procedure: r.procedure,
    applicant: r.applicant,
    received: r.received,
    due: r.due,
    originalDue: r.originalDue,
    unitId: r.unitId,
    unitName: r.unit?.name ?? null,
    unitKind: (r.unit?.kind as UnitKind | undefined) ?? null,
    unitPending: r.unit?.status === 'pending',
    unitText: r.unitText,
    // a value written by a newer version reads as open: a prompt too many rather than one missed
    status: isDossierStatus(r.status) ? r.status : 'processing',
    statusText: r.statusText,
    returnedOn: r.returnedOn,
    apologyAt: r.apologyAt,
    apologyReason: r.apologyReason,
    lastStage: r.lastStage,
  };
}

/** A typed code without surrounding quotes, brackets or trailing punctuation. */
export function normalizeDossierCode(text: string): string {
  return text.trim().replace(/^["'“”‘’(<\[]+|["'“”‘’)>\],;.]+$/g, '').trim();
}

export async function writeAudit(
  tx: Tx,
  actor: Actor,
  entry: { action: string; dossierId: number; fromStatus?: string; toStatus?: string; detail?: string },
): Promise<void> {
  await tx.auditLog.create({ data: { actor: actor.user, chat: actor.chat ?? null, messageId: actor.messageId ?? null, ...entry } });
}

/** The dossier of a code (exact, then upper-case as one-stop codes are printed), or null. */
export async function findDossier(db: PrismaClient | Tx, typed: string): Promise<DossierView | null> {
  const code = normalizeDossierCode(typed);
  if (!code) return null;
  const row = (await db.dossier.findUnique({ where: { code }, select: DOSSIER_SELECT })) ?? (code !== code.toUpperCase() ? await db.dossier.findUnique({ where: { code: code.toUpperCase() }, select: DOSSIER_SELECT }) : null);
  return row ? toView(row) : null;
}

/** Open dossiers (being processed or paused), by due date; of some units only when `unitIds` is given. */
export async function openDossiers(prisma: PrismaClient, unitIds?: number[], limit = 30): Promise<DossierView[]> {
  const read = (units?: number[]) =>
    prisma.dossier.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, ...(units ? { unitId: { in: units } } : {}) },
      orderBy: [{ due: 'asc' }, { code: 'asc' }],
      take: limit,
      select: DOSSIER_SELECT,
    });
  if (!unitIds) return (await read()).map(toView);
  const rows = await inBatches(unitIds, read);
  const order = (a: { due: string; code: string }, b: { due: string; code: string }) => (a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  return rows.sort(order).slice(0, limit).map(toView);
}

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').trim() === (b ?? '').trim();
}

type DossierChange = Partial<{
  procedure: string;
  applicant: string;
  received: string | null;
  unitId: number | null;
  unitText: string;
  due: string;
  lastStage: number | null;
  status: DossierStatus;
  statusText: string | null;
  returnedOn: string | null;
}>;

type PlannedUpsert = { data: DossierChange | null; outcome: UpsertOutcome; from?: DossierStatus; to?: DossierStatus };

const label = (status: DossierStatus) => STATUS_LABELS[status];

/** Plans the change of one dossier (no write): the data to store, the changes and the warnings. */
function planUpsert(existing: DossierView | null, f: DossierFields): PlannedUpsert {
  const outcome: UpsertOutcome = { code: f.code, kind: 'unchanged', changes: [], warnings: [] };
  if (!existing) {
    outcome.kind = 'added';
    return { data: {}, outcome };
  }
  const data: DossierChange = {};
  if (f.procedure?.trim() && !sameText(f.procedure, existing.procedure)) {
    data.procedure = f.procedure.trim();
    outcome.changes.push('thủ tục');
  }
  if (f.applicant?.trim() && !sameText(f.applicant, existing.applicant)) {
    data.applicant = f.applicant.trim();
    outcome.changes.push('người nộp');
  }
  if (f.received && f.received !== existing.received) {
    data.received = f.received;
    outcome.changes.push(`ngày tiếp nhận ${formatVi(f.received)}`);
  }
  if (f.unitText?.trim() && !sameText(f.unitText, existing.unitText)) data.unitText = f.unitText.trim();
  // a name the registry does not know does not take a dossier away from a unit it knows
  const toPending = f.pendingUnit !== undefined;
  if (f.unitId != null && f.unitId !== existing.unitId && !(toPending && existing.unitId !== null && !existing.unitPending)) {
    data.unitId = f.unitId;
    outcome.changes.push('đơn vị giải quyết');
  }
  if (f.due !== existing.due) {
    if (existing.apologyAt) {
      if (f.due !== existing.originalDue) {
        outcome.warnings.push(
          `Hồ sơ ${existing.code} đã xin lỗi và hẹn lại ngày ${formatVi(existing.due)} (chỉ được hẹn lại một lần): giữ ngày hẹn đó, không nhận ngày hẹn ${formatVi(f.due)}.`,
        );
      }
    } else {
      data.due = f.due;
      data.lastStage = null; // a new appointment date starts a new series of prompts
      outcome.changes.push(`ngày hẹn trả ${formatVi(existing.due)} → ${formatVi(f.due)}`);
    }
  }
  let from: DossierStatus | undefined;
  let to: DossierStatus | undefined;
  const stated = f.status;
  if (stated) {
    // the export's words are kept with the status they stand for, not beside a status kept against them
    const accepted = isOpen(existing.status) || stated.status === existing.status;
    if (accepted && !sameText(stated.text, existing.statusText)) data.statusText = stated.text.trim() || null;
    if (isOpen(existing.status)) {
      if (stated.status !== existing.status) {
        data.status = stated.status;
        from = existing.status;
        to = stated.status;
        outcome.changes.push(`trạng thái: ${label(existing.status)} → ${label(stated.status)}`);
      }
      if (stated.status === 'returned' && stated.returnedOn) data.returnedOn = stated.returnedOn;
    } else if (stated.status === existing.status) {
      if (stated.returnedOn && !existing.returnedOn) {
        data.returnedOn = stated.returnedOn;
        outcome.changes.push(`ngày trả kết quả ${formatVi(stated.returnedOn)}`);
      }
    } else {
      outcome.warnings.push(`Hồ sơ ${existing.code} đã ghi nhận ${label(existing.status)}; tệp ghi "${stated.text || label(stated.status)}": giữ trạng thái đã ghi nhận, không mở lại.`);
    }
  }
  if (!isOpen(existing.status) && outcome.changes.length && to === undefined) {
    outcome.warnings.push(`Hồ sơ ${existing.code} ${closedPhrase(existing)}; chỉ cập nhật thông tin, không mở lại.`);
  }
  if (!Object.keys(data).length) return { data: null, outcome };
  // the status text alone (same meaning, other words) is kept quietly
  if (outcome.changes.length) outcome.kind = 'updated';
  return { data, outcome, ...(from ? { from, to } : {}) };
}

/** A unit of the registry for a name it does not know yet: created pending, for the administrator to confirm. */
async function pendingUnitId(tx: Tx, name: string): Promise<number | null> {
  const key = unitKey(name);
  if (!key) return null;
  const unit = await tx.unit.upsert({ where: { key }, create: { name, key, kind: 'other', status: 'pending' }, update: {}, select: { id: true } });
  return unit.id;
}

/**
 * Registers or updates dossiers by code, all in one transaction (or nothing with `dryRun`). A re-import
 * updates what changed, the status included (a dossier closed in the export gets no more prompts); a dossier
 * already apologised for keeps its new date; a closed one stays closed. Names of units the registry does not
 * know become pending units.
 */
export async function upsertDossiers(prisma: PrismaClient, list: DossierFields[], actor: Actor, opts: { dryRun?: boolean; source?: string } = {}): Promise<UpsertOutcome[]> {
  const run = async (tx: Tx | PrismaClient, write: boolean): Promise<UpsertOutcome[]> => {
    const outcomes: UpsertOutcome[] = [];
    for (const given of list) {
      const existing = await findDossier(tx, given.code);
      const unitId = write && given.pendingUnit !== undefined ? await pendingUnitId(tx as Tx, given.pendingUnit) : given.unitId;
      const f: DossierFields = { ...given, code: existing?.code ?? given.code, unitId };
      const { data, outcome, from, to } = planUpsert(existing, f);
      outcomes.push(outcome);
      if (!write || !data) continue;
      const source = opts.source ? ` (${opts.source})` : '';
      if (!existing) {
        const status = f.status?.status ?? 'processing';
        const created = await (tx as Tx).dossier.create({
          data: {
            code: f.code,
            due: f.due,
            procedure: f.procedure?.trim() ?? '',
            applicant: f.applicant?.trim() ?? '',
            received: f.received ?? null,
            unitId: f.unitId ?? null,
            unitText: f.unitText?.trim() ?? '',
            status,
            statusText: f.status?.text.trim() || null,
            returnedOn: status === 'returned' ? (f.status?.returnedOn ?? null) : null,
          },
          select: { id: true },
        });
        const state = status === 'processing' ? '' : `; ${label(status)}`;
        await writeAudit(tx as Tx, actor, { action: 'dossier_add', dossierId: created.id, toStatus: status, detail: `hẹn trả ${formatVi(f.due)}${state}${source}` });
      } else {
        await (tx as Tx).dossier.update({ where: { id: existing.id }, data });
        if (outcome.kind === 'updated') {
          await writeAudit(tx as Tx, actor, { action: 'dossier_update', dossierId: existing.id, ...(from ? { fromStatus: from, toStatus: to } : {}), detail: `${outcome.changes.join('; ')}${source}` });
        }
      }
    }
    return outcomes;
  };
  if (opts.dryRun) return run(prisma, false);
  return prisma.$transaction((tx) => run(tx, true), { timeout: 120_000 });
}

export type ReturnResult = { kind: 'not_found' } | { kind: 'already'; dossier: DossierView } | { kind: 'ok'; dossier: DossierView; late: boolean };

/** Marks a dossier's result returned on `on`. */
export async function markReturned(prisma: PrismaClient, typed: string, on: LocalDate, actor: Actor): Promise<ReturnResult> {
  return prisma.$transaction(async (tx) => {
    const d = await findDossier(tx, typed);
    if (!d) return { kind: 'not_found' as const };
    if (!isOpen(d.status)) return { kind: 'already' as const, dossier: d };
    const late = on > d.due;
    await tx.dossier.update({ where: { id: d.id }, data: { status: 'returned', returnedOn: on } });
    await writeAudit(tx, actor, {
      action: 'dossier_returned',
      dossierId: d.id,
      fromStatus: d.status,
      toStatus: 'returned',
      detail: `trả kết quả ngày ${formatVi(on)} (${late ? 'trễ hẹn' : 'đúng hẹn'} ${formatVi(d.due)})`,
    });
    return { kind: 'ok' as const, dossier: { ...d, status: 'returned' as const, returnedOn: on }, late };
  });
}

export type DossierHistoryEntry = { at: Date; action: string; actor: string; detail: string | null };

export async function dossierHistory(prisma: PrismaClient, dossierId: number): Promise<DossierHistoryEntry[]> {
  const rows = await prisma.auditLog.findMany({ where: { dossierId }, orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { at: true, action: true, actor: true, detail: true } });
  return rows;
}

export const DOSSIER_ACTIONS: Record<string, string> = {
  dossier_add: 'Đăng ký',
  dossier_update: 'Cập nhật',
  dossier_returned: 'Trả kết quả',
  dossier_apology: 'Xin lỗi và hẹn lại',
};
