/**
 * The one apology a late dossier may have (domain.md §7): the letter with the reason and a new appointment
 * date, recorded once; the date may be reset only once. One transaction with its audit row; a refusal writes
 * nothing.
 */
import type { PrismaClient } from '../db/database.ts';
import { formatVi, isLocalDate, type LocalDate } from '../core/dates.ts';
import { apologyDeadline } from '../core/dossier.ts';
import { closedPhrase, isOpen } from '../core/dossier-status.ts';
import type { WorkdayCalendar } from '../core/workdays.ts';
import type { Actor } from './audit.ts';
import { findDossier, writeAudit, type DossierView } from './dossiers.ts';

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
  if (!isOpen(d.status)) return `Hồ sơ ${d.code} ${closedPhrase(d)}: không cần gửi văn bản xin lỗi.`;
  if (d.status === 'paused') {
    return `Hồ sơ ${d.code} đang tạm dừng tính thời hạn (${d.statusText || 'chờ bổ sung'}): bot không nhắc và chưa cần văn bản xin lỗi. Khi hồ sơ được giải quyết tiếp, nhập lại danh sách hồ sơ từ hệ thống một cửa để cập nhật trạng thái và ngày hẹn.`;
  }
  if (d.apologyAt) {
    return (
      `Hồ sơ ${d.code} đã được xin lỗi và hẹn lại ngày trả kết quả một lần (hẹn ban đầu ${formatVi(d.originalDue ?? d.due)}, hẹn lại ${formatVi(d.due)}` +
      `${d.apologyReason ? `, lý do: ${d.apologyReason}` : ''}). Theo quy định, ngày trả kết quả chỉ được hẹn lại một lần: không ghi nhận lần thứ hai. ` +
      `Đề nghị trả kết quả đúng ngày ${formatVi(d.due)}; khi đã trả, gõ /hoso tra ${d.code}.`
    );
  }
  if (!req.reason.trim()) return `Thiếu lý do chậm trả kết quả: lý do phải ghi trong văn bản xin lỗi. Cách dùng: /xinloi ${d.code} <ngày hẹn mới> <lý do>`;
  if (!isLocalDate(req.newDue)) return `Ngày hẹn mới "${req.newDue}" không phải ngày có thật.`;
  if (req.newDue <= d.due) return `Ngày hẹn mới (${formatVi(req.newDue)}) phải sau ngày hẹn trả ban đầu ${formatVi(d.due)}.`;
  if (req.newDue < req.today) return `Ngày hẹn mới (${formatVi(req.newDue)}) đã qua; hãy hẹn một ngày từ hôm nay (${formatVi(req.today)}) trở đi.`;
  return null;
}

/** The reason as stored and printed in the letter. */
export function normalizeReason(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
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
    const reason = normalizeReason(req.reason);
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
      detail: `hẹn lại ${formatVi(d.due)} → ${formatVi(req.newDue)}; lý do: ${reason}${afterDeadline ? ` (ghi nhận sau thời hạn gửi văn bản xin lỗi ${formatVi(deadline!)})` : ''}`,
    });
    const dossier: DossierView = { ...d, originalDue: d.originalDue ?? d.due, due: req.newDue, apologyAt: req.at, apologyReason: reason, lastStage: null };
    return { kind: 'ok' as const, dossier, previousDue: d.due, afterDeadline, deadline };
  });
}
