import { formatVi } from '../src/core/dates.ts';
import { undoDone } from '../src/store/occurrences.ts';
import { taskDetails } from '../src/store/tasks.ts';
import { actorOf, text, type Command } from './context.ts';
import { lookupTask, who } from './lookup.ts';

const usage = '/undo <mã nhiệm vụ>';

export const undo: Command = {
  name: 'undo',
  aliases: ['hoantac'],
  usage,
  summary: 'hoàn tác lần đánh dấu hoàn thành gần nhất',
  async run(ctx) {
    const me = await who(ctx);
    const task = await lookupTask(ctx, ctx.args.trim().split(/\s+/)[0] ?? '', usage, me);
    if (!task.ok) return text(task.reply);
    const leads = (await taskDetails(ctx.prisma, task.value.id)).assignments.filter((a) => a.role === 'lead');
    const candidates = leads.filter((a) => (me.groupUnit ? a.unitId === me.groupUnit.id : me.units.includes(a.unitId)));
    const mine = candidates.length === 1 ? candidates[0] : me.admin && leads.length === 1 ? leads[0] : undefined;
    if (!mine || !(me.admin || me.units.includes(mine.unitId))) {
      return text(`Xin lỗi, chỉ cán bộ đầu mối của đơn vị chủ trì hoặc quản trị viên mới được hoàn tác nhiệm vụ ${task.value.code}; hãy gõ lệnh trong nhóm của đơn vị.`);
    }
    const result = await undoDone(ctx.prisma, mine.id, actorOf(ctx));
    if (result.kind === 'nothing_done') return text(`Nhiệm vụ ${task.value.code} của ${mine.unit.name} chưa có kỳ nào được đánh dấu hoàn thành.`);
    return text(`↩️ Đã hoàn tác: ${task.value.code} — ${mine.unit.name}, kỳ hạn ${formatVi(result.due)} trở lại trạng thái chưa hoàn thành.`);
  },
};
