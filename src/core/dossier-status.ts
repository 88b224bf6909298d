import { formatVi, type LocalDate } from './dates.ts';
import { foldWords } from './text.ts';

/**
 * The status of a citizen's dossier, read by meaning from the words a one-stop system writes in its export
 * ("Trạng thái", "Tình trạng", "Kết quả xử lý"), with or without diacritics (domain.md §7):
 *
 * - closed, no prompt ever again: returned (also early / on time / late); decided, the result waiting at the
 *   desk for the applicant ("chờ trả kết quả": the unit met or missed its date already); cancelled; withdrawn
 *   by the applicant; refused / handed back as not acceptable; processing stopped ("dừng giải quyết": the 2025
 *   forms have a notice for it, Mẫu số 05 of Thông tư 03/2025/TT-VPCP's Phụ lục I, seen in secondary sources
 *   only);
 * - paused, no prompt while it lasts: waiting for the applicant's additions ("chờ bổ sung") or suspended
 *   ("tạm dừng");
 * - open: being processed, received, waiting for a signature... and anything that says so.
 *
 * Words that fit none of these are `null`: the importer keeps such a dossier open (a needless prompt costs
 * less than a missed apology) and warns about the row.
 */

export type DossierStatus = 'processing' | 'paused' | 'ready' | 'returned' | 'cancelled' | 'withdrawn' | 'rejected' | 'stopped';

export const OPEN_STATUSES = ['processing', 'paused'] as const satisfies readonly DossierStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export type ClosedStatus = Exclude<DossierStatus, OpenStatus>;

export function isDossierStatus(value: string): value is DossierStatus {
  return value in STATUS_LABELS;
}

export function isOpen(status: DossierStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** How /hoso and the import name each status. */
export const STATUS_LABELS: Record<DossierStatus, string> = {
  processing: 'đang giải quyết',
  paused: 'tạm dừng tính thời hạn (chờ bổ sung hoặc tạm dừng)',
  ready: 'đã có kết quả, chờ trả cho người nộp',
  returned: 'đã trả kết quả',
  cancelled: 'đã hủy',
  withdrawn: 'người nộp đã rút hồ sơ',
  rejected: 'từ chối tiếp nhận / trả lại hồ sơ',
  stopped: 'đã dừng giải quyết',
};

export type StatusReading = {
  status: DossierStatus;
  /** for a returned dossier: whether the words say it was late (null: they do not say) */
  late: boolean | null;
};

// Checked in this order on the folded words; the first that matches wins. A negation ("chưa trả kết quả")
// is not a return; a wait for the applicant to collect the result ("chờ trả kết quả") is `ready`.
const RULES: { test: RegExp; status: DossierStatus }[] = [
  { test: /\bchua (duoc |co )?(tra|giai quyet|xu ly|hoan thanh|ket qua)\b/, status: 'processing' },
  { test: /\bcho (tra|nhan|lay|giao) (ket qua|kq)\b/, status: 'ready' },
  { test: /\b(cho|yeu cau|dang|da yeu cau|de nghi) (cong dan |nguoi dan |to chuc |ca nhan )?bo sung\b|\bbo sung (ho so|giay to|thanh phan)\b/, status: 'paused' },
  { test: /\btam (dung|ngung|hoan)\b/, status: 'paused' },
  { test: /\brut( lai)? ho so\b|\b(da|xin|cong dan|nguoi nop) rut\b|^rut$/, status: 'withdrawn' },
  { test: /\b(da )?huy( bo)?\b/, status: 'cancelled' },
  { test: /\btu choi\b|\bkhong (tiep nhan|du dieu kien|hop le|chap nhan)\b|\btra lai ho so\b|\bkhong giai quyet\b/, status: 'rejected' },
  { test: /\b(dung|ngung|cham dut) (giai quyet|xu ly)\b/, status: 'stopped' },
  { test: /\b(da )?tra (ket qua|kq)\b|\bda tra\b|\btra (som|truoc han|dung han|qua han|tre han|cham)\b/, status: 'returned' },
  { test: /\b(da )?(hoan thanh|hoan tat)\b/, status: 'returned' },
  { test: /\b(giai quyet|xu ly) xong\b|\bda (co ket qua|giai quyet|xu ly)$/, status: 'ready' },
  {
    test: /\b(dang|da|moi|cho) (xu ly|giai quyet|tiep nhan|tham dinh|phe duyet|ky|trinh|chuyen|thu ly|luan chuyen)\b|\btiep nhan\b|\b(trong|dung|sap den|qua|tre|den) han\b|\btrinh ky\b|\bchuyen xu ly\b/,
    status: 'processing',
  },
];

/** The status the words mean, or null when they mean nothing known (an empty cell is null too). */
export function readDossierStatus(text: string): StatusReading | null {
  const t = foldWords(text);
  if (!t) return null;
  const rule = RULES.find((r) => r.test.test(t));
  if (!rule) return null;
  const late = rule.status === 'returned' ? lateness(t) : null;
  return { status: rule.status, late };
}

function lateness(t: string): boolean | null {
  if (/\b(qua|tre|cham) han\b|\btre hen\b|\bcham tra\b/.test(t)) return true;
  if (/\b(dung|truoc|som) han\b|\bdung hen\b|\btra som\b/.test(t)) return false;
  return null;
}

/** "đã trả kết quả ngày 15/03/2023", "đã đóng (đã hủy)": how a closed dossier is named in a reply. */
export function closedPhrase(d: { status: DossierStatus; returnedOn: LocalDate | null }): string {
  if (d.status === 'returned') return `đã trả kết quả${d.returnedOn ? ` ngày ${formatVi(d.returnedOn)}` : ''}`;
  return `đã đóng (${STATUS_LABELS[d.status]})`;
}
