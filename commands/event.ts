import { formatVi } from '../src/core/dates.ts';
import { eventDue, ruleSchema } from '../src/core/deadline/index.ts';
import { localDateOf } from '../src/core/time.ts';
import { parseTypedDate } from '../src/core/typed-date.ts';
import { reportEvent } from '../src/store/task-changes.ts';
import { taskDetails } from '../src/store/tasks.ts';
import { actorOf, text, type Command } from './context.ts';
import { lookupTask, who } from './lookup.ts';

const usage = '/event <mã nhiệm vụ> <ngày phát sinh>';

export const event: Command = {
  name: 'event',
  aliases: ['sukien'],
  usage,
  summary: 'báo sự kiện (ngày tiếp nhận, ngày ban hành...) để tính hạn của nhiệm vụ theo sự kiện',
  access: 'member',
  async run(ctx) {
    const [typed = '', ...rest] = ctx.args.trim().split(/\s+/);
    if (!rest.length) return text(`Thiếu ngày phát sinh sự kiện. Cách dùng: ${usage}, ví dụ /event 1.1.6 15/03/2023`);
    const me = await who(ctx);
    const found = await lookupTask(ctx, typed, usage, me);
    if (!found.ok) return text(found.reply);
    const today = localDateOf(ctx.now, ctx.zone);
    const date = parseTypedDate(rest.join(' '), today);
    if (!date.ok) return text(date.reason);
    if (date.date > today) return text(`Ngày ${formatVi(date.date)} chưa tới; chỉ báo sự kiện đã xảy ra.`);
    const task = await taskDetails(ctx.prisma, found.value.id);
    const rule = ruleSchema.safeParse(JSON.parse(task.rule));
    if (!rule.success || rule.data.kind !== 'event') {
      return text(`Nhiệm vụ ${task.code} không tính hạn theo sự kiện (thời hạn: ${task.deadlineLabel || task.deadlineText}); không cần /event.`);
    }
    if (rule.data.anchor === 'dossier_due') {
      return text(`Nhiệm vụ ${task.code} tính hạn theo ngày hẹn trả của từng hồ sơ: bot nhắc theo từng hồ sơ đã đăng ký (/hoso <mã hồ sơ> <ngày hẹn trả>, hoặc nhập danh sách hồ sơ); không cần /event.`);
    }
    const leads = task.assignments.filter((a) => a.role === 'lead');
    const mine = leads.filter((a) => (me.groupUnit ? a.unitId === me.groupUnit.id : me.units.includes(a.unitId)) && (me.admin || me.units.includes(a.unitId)));
    const targets = mine.length ? mine : me.admin ? leads : [];
    if (!targets.length) return text(`Chỉ cán bộ đầu mối của đơn vị chủ trì nhiệm vụ ${task.code} hoặc quản trị viên mới báo được sự kiện; hãy gõ lệnh trong nhóm của đơn vị.`);
    const due = eventDue(rule.data, date.date, ctx.calendar);
    const result = await reportEvent(ctx.prisma, task.id, targets.map((a) => a.id), date.date, due, actorOf(ctx));
    const who_ = targets.length === 1 ? targets[0]!.unit.name : `${targets.length} đơn vị`;
    if (!result.created) return text(`Sự kiện ngày ${formatVi(date.date)} của nhiệm vụ ${task.code} đã được ghi nhận trước đó (hạn ${formatVi(due)}).`);
    return text(`📌 Đã ghi nhận sự kiện ngày ${formatVi(date.date)} cho nhiệm vụ ${task.code} (${who_}). Hạn hoàn thành: ${formatVi(due)} (${task.deadlineLabel}). Xong thì gõ /done ${task.code}.`);
  },
};
