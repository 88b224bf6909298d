import { formatVi, type LocalDate } from '../src/core/dates.ts';
import { apologyDeadline } from '../src/core/dossier.ts';
import { workdayOffset } from '../src/core/workdays.ts';
import { describeOffset } from '../src/core/messages.ts';
import { fold } from '../src/core/text.ts';
import { formatInstantVi, localDateOf } from '../src/core/time.ts';
import { parseTypedDate } from '../src/core/typed-date.ts';
import {
  DOSSIER_ACTIONS,
  dossierHistory,
  findDossier,
  markReturned,
  normalizeDossierCode,
  openDossiers,
  upsertDossiers,
  type DossierView,
} from '../src/store/dossiers.ts';
import { actorOf, text, type Command, type CommandContext } from './context.ts';
import { who, type Who } from './lookup.ts';

const usage = '/hoso <mã hồ sơ> <ngày hẹn trả> [tên thủ tục] [; người nộp]';

/** Who may act on a dossier: officers of its unit, or administrators. */
export function mayActOn(me: Who, d: Pick<DossierView, 'unitId'>): boolean {
  return me.admin || (d.unitId !== null && me.units.includes(d.unitId));
}

export function refusal(d: Pick<DossierView, 'code' | 'unitName'>): string {
  return `Xin lỗi, chỉ cán bộ đầu mối của ${d.unitName ?? 'đơn vị giải quyết'} hoặc quản trị viên mới được xem và cập nhật hồ sơ ${d.code}. Nếu anh/chị là cán bộ đầu mối, đề nghị quản trị viên thêm bằng lệnh /officer add.`;
}

export const hoso: Command = {
  name: 'hoso',
  aliases: ['hs'],
  usage: `${usage} · /hoso tra <mã> · /hoso <mã>`,
  summary: 'đăng ký/cập nhật hồ sơ TTHC có hẹn trả, báo đã trả kết quả, xem hồ sơ và lịch sử',
  async run(ctx) {
    const args = ctx.args.trim();
    const me = await who(ctx);
    if (!args) return text(await listOpen(ctx, me));
    const [first = '', ...rest] = args.split(/\s+/);
    const verb = fold(first);
    if ((verb === 'tra' || verb === 'da-tra' || verb === 'datra') && rest.length) return text(await returned(ctx, me, rest));
    if (!rest.length) return text(await show(ctx, me, first));
    return text(await register(ctx, me, first, rest));
  },
};

async function listOpen(ctx: CommandContext, me: Who): Promise<string> {
  // applicants' dossiers are for the unit's officers: a group's list only for them (or administrators)
  const units = me.admin ? (me.groupUnit ? [me.groupUnit.id] : undefined) : me.groupUnit ? me.units.filter((u) => u === me.groupUnit!.id) : me.units;
  const list = units && !units.length ? [] : await openDossiers(ctx.prisma, units, 20);
  const today = localDateOf(ctx.now, ctx.zone);
  const lines = [`Cách dùng: ${usage}`, '/hoso tra <mã> — đã trả kết quả; /hoso <mã> — xem hồ sơ; /xinloi <mã> <ngày hẹn mới> <lý do> — ghi nhận phiếu xin lỗi.'];
  if (list.length) {
    lines.push('', `Hồ sơ đang giải quyết${me.groupUnit ? ` của ${me.groupUnit.name}` : ''}:`);
    for (const d of list) lines.push(`• ${d.code} — hẹn trả ${formatVi(d.due)} (${describeOffset(workdayOffset(ctx.calendar, today, d.due))})${d.apologyAt ? ', đã hẹn lại' : ''}`);
  }
  return lines.join('\n');
}

async function show(ctx: CommandContext, me: Who, typed: string): Promise<string> {
  const d = await findDossier(ctx.prisma, typed);
  if (!d) return `Không có hồ sơ mã "${normalizeDossierCode(typed)}". Đăng ký bằng: ${usage}`;
  if (!mayActOn(me, d)) return refusal(d);
  const today = localDateOf(ctx.now, ctx.zone);
  const lines = [`📂 Hồ sơ ${d.code}`];
  lines.push(`Thủ tục: ${d.procedure || '(chưa rõ)'}`);
  lines.push(`Người nộp: ${d.applicant || '(chưa rõ)'}`);
  if (d.received) lines.push(`Ngày tiếp nhận: ${formatVi(d.received)}`);
  lines.push(`Đơn vị giải quyết: ${d.unitName ?? '(chưa xác định)'}`);
  if (d.apologyAt) {
    lines.push(`Hẹn trả ban đầu: ${formatVi(d.originalDue ?? d.due)}; đã xin lỗi và hẹn lại ngày ${formatVi(d.due)} (lý do: ${d.apologyReason ?? '?'}). Không được hẹn lại lần nữa.`);
  } else {
    lines.push(`Hẹn trả: ${formatVi(d.due)}`);
  }
  if (d.status === 'returned') lines.push(`Trạng thái: ✅ đã trả kết quả ngày ${d.returnedOn ? formatVi(d.returnedOn) : '?'}${d.returnedOn && d.returnedOn > d.due ? ' (trễ hẹn)' : ''}`);
  else {
    lines.push(`Trạng thái: đang giải quyết — ${describeOffset(workdayOffset(ctx.calendar, today, d.due))}`);
    if (!d.apologyAt) {
      const by = apologyDeadline(ctx.calendar, d.due);
      lines.push(`Nếu trễ hẹn: gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả chậm nhất ngày ${formatVi(by)}; ghi nhận bằng /xinloi ${d.code} <ngày hẹn mới> <lý do>.`);
    }
    lines.push(`Đã trả kết quả: /hoso tra ${d.code}`);
  }
  const history = await dossierHistory(ctx.prisma, d.id);
  if (history.length) {
    lines.push('', 'Lịch sử:');
    for (const h of history) lines.push(`• ${formatInstantVi(h.at, ctx.zone)} — ${DOSSIER_ACTIONS[h.action] ?? h.action}${h.detail ? `: ${h.detail}` : ''} (${h.actor})`);
  }
  return lines.join('\n');
}

async function returned(ctx: CommandContext, me: Who, rest: string[]): Promise<string> {
  const [typed = '', dateText] = rest;
  const today = localDateOf(ctx.now, ctx.zone);
  let on: LocalDate = today;
  if (dateText) {
    const parsed = parseTypedDate(dateText, today);
    if (!parsed.ok) return `${parsed.reason}. Cách dùng: /hoso tra <mã> [ngày trả]`;
    if (parsed.date > today) return `Ngày trả kết quả ${formatVi(parsed.date)} chưa tới; chỉ ghi nhận khi đã trả.`;
    on = parsed.date;
  }
  const d = await findDossier(ctx.prisma, typed);
  if (!d) return `Không có hồ sơ mã "${normalizeDossierCode(typed)}". Kiểm tra lại mã, hoặc đăng ký hồ sơ trước bằng ${usage}`;
  if (!mayActOn(me, d)) return refusal(d);
  const r = await markReturned(ctx.prisma, d.code, on, actorOf(ctx));
  if (r.kind === 'not_found') return `Không có hồ sơ mã "${normalizeDossierCode(typed)}". Kiểm tra lại mã, hoặc đăng ký hồ sơ trước bằng ${usage}`;
  if (r.kind === 'already') return `Hồ sơ ${d.code} đã được ghi nhận trả kết quả ngày ${r.dossier.returnedOn ? formatVi(r.dossier.returnedOn) : '?'} rồi.`;
  return `✅ Đã ghi nhận: hồ sơ ${d.code} trả kết quả ngày ${formatVi(on)} (${r.late ? `trễ hẹn ${formatVi(d.due)}` : 'đúng hẹn'}). Bot sẽ không nhắc hồ sơ này nữa.`;
}

async function register(ctx: CommandContext, me: Who, typedCode: string, rest: string[]): Promise<string> {
  const code = normalizeDossierCode(typedCode);
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._\-/]{1,63}$/u.test(code)) return `"${typedCode}" không phải mã hồ sơ hợp lệ. Cách dùng: ${usage}`;
  const today = localDateOf(ctx.now, ctx.zone);
  const [dateText = '', ...words] = rest;
  const due = parseTypedDate(dateText, today);
  if (!due.ok) return `${due.reason}. Cách dùng: ${usage}`;
  const [procedure = '', applicant = ''] = words.join(' ').split(/\s*[;|]\s*/);

  const existing = await findDossier(ctx.prisma, code);
  let unitId: number | null;
  let unitName: string | null;
  if (existing) {
    if (!mayActOn(me, existing)) return refusal(existing);
    if (existing.status === 'returned') return `Hồ sơ ${existing.code} đã trả kết quả ngày ${existing.returnedOn ? formatVi(existing.returnedOn) : '?'}; không cập nhật nữa.`;
    unitId = existing.unitId ?? me.groupUnit?.id ?? null;
    unitName = existing.unitName ?? me.groupUnit?.name ?? null;
    if (existing.apologyAt && due.date !== existing.due) {
      return `Hồ sơ ${existing.code} đã xin lỗi và hẹn lại ngày ${formatVi(existing.due)}; theo quy định chỉ được hẹn lại một lần nên không đổi ngày hẹn. Khi đã trả kết quả, gõ /hoso tra ${existing.code}.`;
    }
  } else {
    const unit = me.groupUnit ?? null;
    if (!unit) return 'Nhóm chat này chưa gắn với đơn vị nào: hãy đăng ký hồ sơ trong nhóm chat của đơn vị giải quyết (quản trị viên gắn nhóm bằng /bind).';
    if (!mayActOn(me, { unitId: unit.id })) return refusal({ code, unitName: unit.name });
    unitId = unit.id;
    unitName = unit.name;
  }
  const [outcome] = await upsertDossiers(
    ctx.prisma,
    [{ code: existing?.code ?? code, due: due.date, procedure: procedure || null, applicant: applicant || null, unitId }],
    actorOf(ctx),
    { source: 'đăng ký qua chat' },
  );
  const offset = workdayOffset(ctx.calendar, today, due.date);
  const by = apologyDeadline(ctx.calendar, due.date);
  const lines: string[] = [];
  if (!outcome || outcome.kind === 'unchanged') lines.push(`Hồ sơ ${existing?.code ?? code} không có gì thay đổi (hẹn trả ${formatVi(due.date)}).`);
  else if (outcome.kind === 'added') lines.push(`✅ Đã đăng ký hồ sơ ${code} của ${unitName ?? '?'}: hẹn trả ${formatVi(due.date)} (${describeOffset(offset)}).`);
  else lines.push(`✅ Đã cập nhật hồ sơ ${existing!.code}: ${outcome.changes.join('; ')}.`);
  for (const w of outcome?.warnings ?? []) lines.push(`⚠️ ${w}`);
  if (offset > 0) lines.push(`⚠️ Ngày hẹn trả đã qua ${offset} ngày làm việc.`);
  else lines.push(`Bot sẽ nhắc trước hạn; nếu trễ hẹn phải gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả chậm nhất ngày ${formatVi(by)} (/xinloi ${existing?.code ?? code} <ngày hẹn mới> <lý do>).`);
  return lines.join('\n');
}
