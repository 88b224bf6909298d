/**
 * Citizens' dossiers (hồ sơ TTHC): register or update by code (chat or a one-stop export), mark returned,
 * record the one apology a dossier may have (domain.md §7), show it with its history (AuditLog.dossierId).
 * Every change is one transaction with its audit row; a refused change writes nothing.
 */
import type { PrismaClient, Tx } from '../db/database.ts';
import { formatVi, isLocalDate, type LocalDate } from '../core/dates.ts';
import { apologyDeadline } from '../core/dossier.ts';
import type { WorkdayCalendar } from '../core/workdays.ts';
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
  status: 'processing' | 'returned';
  returnedOn: LocalDate | null;
  apologyAt: Date | null;
  apologyReason: string | null;
  lastStage: number | null;
};

/** What an import row or /hoso says about a dossier; absent fields are left as stored. */
export type DossierFields = {
  code: string;
  due: LocalDate;
  procedure?: string | null;
  applicant?: string | null;
  received?: LocalDate | null;
  unitId?: number | null;
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
  unit: { select: { name: true } },
  status: true,
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
  unit: { name: string } | null;
  status: string;
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
    status: r.status === 'returned' ? 'returned' : 'processing',
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

async function writeAudit(
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

/** Processing dossiers, by due date; of some units only when `unitIds` is given. */
export async function openDossiers(prisma: PrismaClient, unitIds?: number[], limit = 30): Promise<DossierView[]> {
  const read = (units?: number[]) =>
    prisma.dossier.findMany({
      where: { status: 'processing', ...(units ? { unitId: { in: units } } : {}) },
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

/** Plans the change of one dossier (no write): the data to store, the changes and the warnings. */
type DossierChange = Partial<{ procedure: string; applicant: string; received: string | null; unitId: number | null; due: string; lastStage: number | null }>;

function planUpsert(existing: DossierView | null, f: DossierFields): { data: DossierChange | null; outcome: UpsertOutcome } {
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
  if (f.unitId != null && f.unitId !== existing.unitId) {
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
  if (existing.status === 'returned' && Object.keys(data).length) {
    outcome.warnings.push(`Hồ sơ ${existing.code} đã trả kết quả ngày ${existing.returnedOn ? formatVi(existing.returnedOn) : '?'}; chỉ cập nhật thông tin, không mở lại.`);
  }
  if (!Object.keys(data).length) return { data: null, outcome };
  outcome.kind = 'updated';
  return { data, outcome };
}

/**
 * Registers or updates dossiers by code, all in one transaction (or nothing with `dryRun`). A re-import
 * updates what changed; a dossier already apologised for keeps its new date; a returned one stays returned.
 */
export async function upsertDossiers(prisma: PrismaClient, list: DossierFields[], actor: Actor, opts: { dryRun?: boolean; source?: string } = {}): Promise<UpsertOutcome[]> {
  const run = async (tx: Tx | PrismaClient, write: boolean): Promise<UpsertOutcome[]> => {
    const outcomes: UpsertOutcome[] = [];
    for (const f of list) {
      const existing = await findDossier(tx, f.code);
      const { data, outcome } = planUpsert(existing, existing ? { ...f, code: existing.code } : f);
      outcomes.push(outcome);
      if (!write || !data) continue;
      const source = opts.source ? ` (${opts.source})` : '';
      if (!existing) {
        const created = await (tx as Tx).dossier.create({
          data: { code: f.code, due: f.due, procedure: f.procedure?.trim() ?? '', applicant: f.applicant?.trim() ?? '', received: f.received ?? null, unitId: f.unitId ?? null },
          select: { id: true },
        });
        await writeAudit(tx as Tx, actor, { action: 'dossier_add', dossierId: created.id, toStatus: 'processing', detail: `hẹn trả ${formatVi(f.due)}${source}` });
      } else {
        await (tx as Tx).dossier.update({ where: { id: existing.id }, data });
        await writeAudit(tx as Tx, actor, { action: 'dossier_update', dossierId: existing.id, detail: `${outcome.changes.join('; ')}${source}` });
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
    if (d.status === 'returned') return { kind: 'already' as const, dossier: d };
    const late = on > d.due;
    await tx.dossier.update({ where: { id: d.id }, data: { status: 'returned', returnedOn: on } });
    await writeAudit(tx, actor, {
      action: 'dossier_returned',
      dossierId: d.id,
      fromStatus: 'processing',
      toStatus: 'returned',
      detail: `trả kết quả ngày ${formatVi(on)} (${late ? 'trễ hẹn' : 'đúng hẹn'} ${formatVi(d.due)})`,
    });
    return { kind: 'ok' as const, dossier: { ...d, status: 'returned' as const, returnedOn: on }, late };
  });
}

export type ApologyRequest = {
  code: string;
  newDue: string;
  reason: string;
  at: Date;
  today: LocalDate;
  actor: Actor;
  calendar?: WorkdayCalendar;
};

export type ApologyResult =
  | { kind: 'not_found' }
  | { kind: 'refused'; reason: string; dossier: DossierView }
  | { kind: 'ok'; dossier: DossierView; previousDue: LocalDate; afterDeadline: boolean; deadline: LocalDate | null };

/** Why an apology cannot be recorded for the dossier, or null when it can. */
export function apologyRefusal(d: DossierView, req: Pick<ApologyRequest, 'newDue' | 'reason' | 'today'>): string | null {
  if (d.status === 'returned') return `Hồ sơ ${d.code} đã trả kết quả ngày ${d.returnedOn ? formatVi(d.returnedOn) : '?'}: không cần Phiếu xin lỗi và hẹn lại.`;
  if (d.apologyAt) {
    return (
      `Hồ sơ ${d.code} đã được xin lỗi và hẹn lại ngày trả kết quả một lần (hẹn ban đầu ${formatVi(d.originalDue ?? d.due)}, hẹn lại ${formatVi(d.due)}` +
      `${d.apologyReason ? `, lý do: ${d.apologyReason}` : ''}). Theo quy định, ngày trả kết quả chỉ được hẹn lại một lần: không ghi nhận lần thứ hai. ` +
      `Đề nghị trả kết quả đúng ngày ${formatVi(d.due)}; khi đã trả, gõ /hoso tra ${d.code}.`
    );
  }
  if (!req.reason.trim()) return `Thiếu lý do chậm trả kết quả: lý do phải ghi trong Phiếu xin lỗi. Cách dùng: /xinloi ${d.code} <ngày hẹn mới> <lý do>`;
  if (!isLocalDate(req.newDue)) return `Ngày hẹn mới "${req.newDue}" không phải ngày có thật.`;
  if (req.newDue <= d.due) return `Ngày hẹn mới (${formatVi(req.newDue)}) phải sau ngày hẹn trả ban đầu ${formatVi(d.due)}.`;
  if (req.newDue < req.today) return `Ngày hẹn mới (${formatVi(req.newDue)}) đã qua; hãy hẹn một ngày từ hôm nay (${formatVi(req.today)}) trở đi.`;
  return null;
}

/**
 * Records the apology: the new appointment date replaces `due` (the first one kept in `originalDue`), with
 * the reason; stages restart against the new date. Refused (nothing written) when one was already recorded,
 * the reason is missing or the new date is not after the original one.
 */
export async function recordApology(prisma: PrismaClient, req: ApologyRequest): Promise<ApologyResult> {
  return prisma.$transaction(async (tx) => {
    const d = await findDossier(tx, req.code);
    if (!d) return { kind: 'not_found' as const };
    const refusal = apologyRefusal(d, req);
    if (refusal) return { kind: 'refused' as const, reason: refusal, dossier: d };
    const reason = req.reason.trim().replace(/\s+/g, ' ');
    // the condition makes a concurrent second apology find nothing to update
    const updated = await tx.dossier.updateMany({
      where: { id: d.id, apologyAt: null, status: 'processing' },
      data: { originalDue: d.originalDue ?? d.due, due: req.newDue, apologyAt: req.at, apologyReason: reason, lastStage: null },
    });
    if (updated.count !== 1) {
      const now = (await findDossier(tx, d.code))!;
      return { kind: 'refused' as const, reason: apologyRefusal(now, req) ?? 'Hồ sơ vừa được cập nhật; vui lòng thử lại.', dossier: now };
    }
    const deadline = req.calendar ? apologyDeadline(req.calendar, d.due) : null;
    const afterDeadline = deadline !== null && req.today > deadline;
    await writeAudit(tx, req.actor, {
      action: 'dossier_apology',
      dossierId: d.id,
      detail: `hẹn lại ${formatVi(d.due)} → ${formatVi(req.newDue)}; lý do: ${reason}${afterDeadline ? ` (ghi nhận sau thời hạn gửi phiếu ${formatVi(deadline!)})` : ''}`,
    });
    const dossier: DossierView = { ...d, originalDue: d.originalDue ?? d.due, due: req.newDue, apologyAt: req.at, apologyReason: reason, lastStage: null };
    return { kind: 'ok' as const, dossier, previousDue: d.due, afterDeadline, deadline };
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
