import { z } from 'zod';
import { FORM_NAMES, type LetterDossier } from './apology-letter.ts';
import { addDays, formatVi, type LocalDate } from './dates.ts';
import { describeOffset, LATE_NOTE, shorten } from './messages.ts';
import { crossesEscalation, stageAt, type ReminderPolicy } from './reminder-policy.ts';
import type { MessageKind, PlannedMessage, PlannedNotice, Routing, StageUpdate } from './round.ts';
import { workdayOffset, type WorkdayCalendar } from './workdays.ts';
import { instantOf, localDateOf, localTimeOf } from './time.ts';

/**
 * Citizens' dossiers (hồ sơ TTHC) and the apology letter they need when they will be late (domain.md §7):
 * the deciding unit must, no later than 1 working day before the appointment date (the texts say 1 day; a
 * working day is the safe reading), send the applicant a letter with the reason and a new date, once: since
 * 15/9/2025 the "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (src/core/apology-letter.ts), before
 * it the "Phiếu xin lỗi và hẹn lại ngày trả kết quả"; prompts name the deployment's form. Pure: the store loads
 * the dossiers, this plans what to say, the ledger (recordRound) records it once.
 *
 * Stages work exactly like a plan task's (reminder-policy.ts): the working-day offset from the due day,
 * negative before it, positive late. Before the due day (only for a dossier not yet apologised for) the
 * prompts carry the letter; after it an overdue notice, then one escalation to the coordinating office and
 * the unit leader. A dossier apologised for is watched against its new date, and only for overdue and
 * escalation: the date may be reset only once, so there is no second apology to prompt for.
 */

export const dossierPolicySchema = z.object({
  /** prompts this many working days before the due day (the letter is due 1 working day before) */
  before: z.array(z.number().int().min(1).max(20)).default([2, 1]),
  /** a notice on the due day itself */
  onDueDay: z.boolean().default(false),
  /** overdue notices on each of the first N working days after the due day (keep ≥ escalateAfter) */
  overdueDaily: z.number().int().min(0).max(30).default(2),
  /** then one every N working days */
  overdueEvery: z.number().int().min(1).max(60).default(5),
  /** escalate when this many working days late */
  escalateAfter: z.number().int().min(1).max(60).default(2),
});
export type DossierPolicy = z.infer<typeof dossierPolicySchema>;
export const defaultDossierPolicy: DossierPolicy = dossierPolicySchema.parse({});

/** The policy from a stored/configured value; anything invalid falls back to the defaults, field by field. */
export function resolveDossierPolicy(value: unknown): DossierPolicy {
  const raw = typeof value === 'string' ? safeJson(value) : value;
  const parsed = dossierPolicySchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : defaultDossierPolicy;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A dossier as a round sees it; `due` is the appointment date now in force (the new one after an apology). */
export type RoundDossier = LetterDossier & {
  id: number;
  unitId: number | null;
  /** a unit an import created and the administrator has not confirmed yet */
  unitPending?: boolean;
  lastStage: number | null;
};

export type LetterRenderer = (dossier: RoundDossier, ctx: { today: LocalDate; apologyBy: LocalDate }) => string;

export type DossierRoundInput = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkdayCalendar;
  previousRoundAt: Date | null;
  dossiers: RoundDossier[];
  routing: Routing;
  policy?: DossierPolicy;
  /** the plan whose coordinating office hears escalations (routing.escalationChats); none: the default chat */
  escalationPlanId?: number | null;
  /** the pre-filled letter as text, shown in the first prompt of each dossier; none: no letter text */
  letter?: LetterRenderer;
  /** the letter's name in the prompts (the deployment's form); default the 2025 form's */
  letterName?: string;
  /** why there is no letter to attach (a broken template), said in the prompts that would carry one */
  letterProblem?: string;
  graceMinutes?: number;
};

/** A planned message plus what the store needs to attach: the dossiers whose letter goes with it. */
export type DossierMessage = PlannedMessage & { dossierIds: number[]; letterFor: number[] };

export type DossierRoundPlan = {
  at: Date;
  skipped: null | 'not_working_day' | 'outside_office_hours';
  notices: PlannedNotice[];
  messages: DossierMessage[];
  stages: StageUpdate[];
};

type ItemKind = 'escalation' | 'overdue' | 'apology';

type Item = {
  kind: ItemKind;
  dossier: RoundDossier;
  offset: number;
  apologyBy: LocalDate;
  late: boolean;
  unbound: boolean;
  withLetter: boolean;
};

const SECTIONS: { kind: ItemKind; title: (letter: string) => string }[] = [
  { kind: 'escalation', title: () => '🚨 BÁO CÁO LÃNH ĐẠO: hồ sơ trễ hẹn trả kết quả' },
  { kind: 'overdue', title: () => '❗ HỒ SƠ ĐÃ QUÁ HẸN TRẢ KẾT QUẢ' },
  { kind: 'apology', title: (letter) => `📝 HỒ SƠ SẮP ĐẾN HẸN TRẢ — nếu không kịp, phải gửi ${letter}` },
];

export function planDossierRound(input: DossierRoundInput): DossierRoundPlan {
  const { now, zone, calendar } = input;
  const policy = input.policy ?? defaultDossierPolicy;
  const today = localDateOf(now, zone);
  const empty = (skipped: DossierRoundPlan['skipped']): DossierRoundPlan => ({ at: now, skipped, notices: [], messages: [], stages: [] });
  if (!calendar.isWorkingDay(today)) return empty('not_working_day');
  const time = localTimeOf(now, zone);
  if (time < input.officeHours.start || time >= input.officeHours.end) return empty('outside_office_hours');

  const graceMs = (input.graceMinutes ?? 30) * 60_000;
  const isLate = (stage: number, offset: number): boolean => {
    if (!input.previousRoundAt) return false;
    const stageDay = workingDayShift(calendar, today, -(offset - stage));
    const moment = instantOf(stageDay, input.officeHours.start, zone);
    return input.previousRoundAt < moment && now.getTime() - moment.getTime() > graceMs;
  };
  const stagePolicy: ReminderPolicy = { ...policy };

  const notices: PlannedNotice[] = [];
  const stages: StageUpdate[] = [];
  const items = new Map<string, Item[]>();
  const add = (chat: string, item: Item) => items.set(chat, [...(items.get(chat) ?? []), item]);

  for (const d of [...input.dossiers].sort((a, b) => a.due.localeCompare(b.due) || a.code.localeCompare(b.code))) {
    const offset = workdayOffset(calendar, today, d.due);
    const stage = stageAt(offset, stagePolicy);
    if (stage === null || (d.lastStage !== null && stage <= d.lastStage)) continue;
    // apologised for: the new date counts only once it has passed (no second apology to prompt for)
    if (d.apologized && stage <= 0) continue;
    if (d.unitId !== null && input.routing.isPaused(d.unitId)) continue;
    const late = isLate(stage, offset);
    const kind: ItemKind = stage > 0 ? 'overdue' : 'apology';
    const noticeKind: MessageKind = kind;
    const chats = d.unitId !== null ? input.routing.unitChats(d.unitId) : [];
    const targets = chats.length ? chats : [input.routing.defaultChat];
    const apologyBy = workingDayShift(calendar, d.due, -1);
    const withLetter = kind === 'apology' && d.lastStage === null && !d.apologized;
    const item: Item = { kind, dossier: d, offset, apologyBy, late, unbound: chats.length === 0, withLetter };
    // the due day is part of the key: a date reset by the apology starts a new series of stages
    const base = `dossier:${d.id}:${d.due}`;
    for (const chat of targets) {
      notices.push({ key: `${base}:stage:${stage}:${chat}`, kind: noticeKind, dossierId: d.id, chat, late });
      add(chat, item);
    }
    if (crossesEscalation(d.lastStage, stage, stagePolicy)) {
      const escalation = input.routing.escalationChats(input.escalationPlanId ?? 0, d.unitId ?? 0);
      for (const chat of escalation) {
        notices.push({ key: `${base}:escalation:${chat}`, kind: 'escalation', dossierId: d.id, chat, late });
        add(chat, { ...item, kind: 'escalation', unbound: d.unitId === null, withLetter: false });
      }
    }
    stages.push({ dossierId: d.id, stage });
  }

  const messages: DossierMessage[] = [];
  for (const [chat, list] of items) {
    const late = list.some((i) => i.late);
    const letters = list.filter((i) => i.withLetter);
    messages.push({
      chat,
      kind: 'apology',
      late,
      tasks: [...new Set(list.map((i) => i.dossier.code))],
      text: composeDossierMessage(list, { today, late, letter: input.letter, letterName: input.letterName ?? FORM_NAMES['2025'], letterProblem: input.letterProblem }),
      noticeKeys: notices.filter((n) => n.chat === chat).map((n) => n.key),
      dossierIds: [...new Set(list.map((i) => i.dossier.id))],
      letterFor: [...new Set(letters.map((i) => i.dossier.id))],
    });
  }
  return { at: now, skipped: null, notices, messages, stages };
}

/** n < 0: the |n|-th working day before `day`; n > 0: the n-th after; 0: `day` itself. */
export function workingDayShift(calendar: WorkdayCalendar, day: LocalDate, n: number): LocalDate {
  let d = day;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (calendar.isWorkingDay(d)) left--;
  }
  return d;
}

/** The last day the apology may be sent: 1 working day before the appointment date. */
export function apologyDeadline(calendar: WorkdayCalendar, due: LocalDate): LocalDate {
  return workingDayShift(calendar, due, -1);
}

type ComposeOptions = { today: LocalDate; late: boolean; letter: LetterRenderer | undefined; letterName: string; letterProblem: string | undefined };

function composeDossierMessage(items: Item[], opts: ComposeOptions): string {
  const lines = [`📂 NHẮC HỒ SƠ TTHC — ngày ${formatVi(opts.today)}`];
  if (opts.late) lines.push(`⚠️ Một số nhắc nhở ${LATE_NOTE}.`);
  const letters: string[] = [];
  for (const section of SECTIONS) {
    const list = items
      .filter((i) => i.kind === section.kind)
      .sort(
        (a, b) =>
          Number(b.unbound) - Number(a.unbound) ||
          (a.dossier.unitName ?? '').localeCompare(b.dossier.unitName ?? '', 'vi') ||
          a.dossier.due.localeCompare(b.dossier.due) ||
          a.dossier.code.localeCompare(b.dossier.code),
      );
    if (!list.length) continue;
    lines.push('', section.title(opts.letterName));
    let unit: string | null | undefined;
    for (const item of list) {
      const d = item.dossier;
      if (item.unbound && d.unitName !== unit) {
        const state = d.unitPending ? 'đơn vị mới, chờ quản trị viên xác nhận hoặc gắn nhóm bằng /bind' : 'chưa gắn nhóm chat';
        lines.push(d.unitName ? `📌 Đơn vị ${d.unitName} (${state}):` : '📌 Hồ sơ chưa xác định đơn vị giải quyết:');
        unit = d.unitName;
      }
      lines.push(...dossierLines(item, opts));
      if (item.withLetter && opts.letter) letters.push(opts.letter(d, { today: opts.today, apologyBy: item.apologyBy }));
    }
  }
  for (const letter of letters) lines.push('', '———— Dự thảo (điền lý do và ngày hẹn mới) ————', letter);
  if (opts.letterProblem && items.some((i) => i.withLetter)) lines.push('', `⚠️ Chưa kèm được dự thảo văn bản: ${opts.letterProblem}. Báo quản trị viên sửa mẫu văn bản.`);
  lines.push('', 'Gõ /hoso <mã> để xem hồ sơ và lịch sử; /help để xem các lệnh.');
  return lines.join('\n');
}

function dossierLines(item: Item, opts: Pick<ComposeOptions, 'today' | 'letterName' | 'letterProblem'>): string[] {
  const { today, letterName: letter } = opts;
  const d = item.dossier;
  const lateNote = item.late ? ` ${LATE_NOTE}` : '';
  const applicant = d.applicant.trim() || '(chưa rõ người nộp)';
  const out = [`• Hồ sơ ${d.code} — ${shorten(applicant, 60)}`];
  if (d.procedure.trim()) out.push(`   Thủ tục: ${shorten(d.procedure, 120)}`);
  const unit = d.unitName ? ` · ${d.unitName}` : '';
  const record = `/xinloi ${d.code} <ngày hẹn mới> <lý do>`;
  const returned = `đã trả kết quả: /hoso tra ${d.code}`;
  if (item.kind === 'apology') {
    out.push(`   Hẹn trả: ${formatVi(d.due)} (${describeOffset(item.offset)})${unit}${lateNote}`);
    const by = formatVi(item.apologyBy);
    if (today <= item.apologyBy) {
      out.push(`   Nếu không kịp: gửi ${letter} chậm nhất ngày ${by}; ghi nhận bằng ${record}; ${returned}`);
    } else {
      out.push(`   Đã qua thời hạn gửi văn bản xin lỗi (chậm nhất ngày ${by}): nếu không kịp trả, gửi ${letter} ngay hôm nay; ghi nhận bằng ${record}; ${returned}`);
    }
    if (item.withLetter && !opts.letterProblem) out.push('   Dự thảo văn bản ở cuối tin này (kèm tệp Word).');
    return out;
  }
  const original = d.apologized && d.originalDue ? ` (hẹn ban đầu ${formatVi(d.originalDue)}, đã xin lỗi và hẹn lại)` : '';
  out.push(`   Hẹn trả: ${formatVi(d.due)}${original} — ${describeOffset(item.offset)}${unit}${lateNote}`);
  if (item.kind === 'escalation') {
    out.push(d.apologized ? '   Đã quá ngày hẹn lại; không được hẹn lại lần thứ hai.' : `   Quá hẹn mà chưa có ${letter}.`);
    return out;
  }
  if (d.apologized) out.push(`   Đã hẹn lại một lần, không được hẹn lại nữa: trả kết quả ngay; ${returned}`);
  else out.push(`   Chưa có văn bản xin lỗi: trả kết quả ngay hoặc gửi ngay ${letter}; ghi nhận bằng ${record}; ${returned}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The explanation flow for overdue plan tasks

export type ExplanationItem = {
  code: string;
  content: string;
  due: LocalDate;
  /** working days late (> 0) */
  offset: number;
  unitName: string;
};

/**
 * The paragraph appended to an overdue notice of a plan task: the lead unit is asked for a written
 * explanation ("văn bản giải trình") to the coordinating office, with the reason, what is in the way and when
 * it will be done. `respondBy`, when given, is the date the explanation is expected by.
 */
export function explanationPrompt(items: ExplanationItem[], opts: { coordinatorName?: string | null; respondBy?: LocalDate | null } = {}): string {
  if (!items.length) return '';
  const office = opts.coordinatorName?.trim() || 'cơ quan điều phối kế hoạch';
  const by = opts.respondBy ? ` trước ngày ${formatVi(opts.respondBy)}` : '';
  const sorted = [...items].sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi') || a.code.localeCompare(b.code));
  const lines = ['📝 VĂN BẢN GIẢI TRÌNH', `Đề nghị đơn vị chủ trì các nhiệm vụ quá hạn dưới đây gửi văn bản giải trình về ${office}${by}, nêu rõ:`];
  lines.push('   - lý do chậm thực hiện;', '   - khó khăn, vướng mắc và đề xuất (nếu có);', '   - thời gian dự kiến hoàn thành.');
  for (const item of sorted) {
    lines.push(`• ${item.code} ${shorten(item.content, 80)} — ${item.unitName}, hạn ${formatVi(item.due)} (${describeOffset(Math.max(item.offset, 1))})`);
  }
  lines.push('Khi đã hoàn thành nhiệm vụ, gõ /done <mã> để cập nhật.');
  return lines.join('\n');
}
