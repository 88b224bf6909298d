import { settledButtons } from './done-buttons.ts';
import { formatVi, type LocalDate } from '../src/core/dates.ts';
import { localDateOf } from '../src/core/time.ts';
import { markDone } from '../src/store/occurrences.ts';
import { taskDetails, type TaskRef } from '../src/store/tasks.ts';
import type { Reply } from '../src/transports/transport.ts';
import { actorOf, capNote, cutNotice, text, type Command, type CommandContext } from './context.ts';
import { lookupTask, who, type Lookup, type Who } from './lookup.ts';

const usage = '/done <mã nhiệm vụ> [ghi chú]';

export const done: Command = {
  name: 'done',
  aliases: ['xong'],
  usage,
  summary: 'đánh dấu nhiệm vụ của đơn vị mình đã hoàn thành',
  access: 'member',
  async run(ctx) {
    const [typed = '', ...rest] = ctx.args.trim().split(/\s+/);
    const me = await who(ctx);
    const task = await lookupTask(ctx, typed, usage, me);
    if (!task.ok) return text(task.reply);
    return completeTask(ctx, task.value, me, rest.length ? capNote(rest.join(' ')) : undefined);
  },
};

/** Marks the sender's unit's share of a task done: shared by /done, replies "xong" and the button. */
export async function completeTask(ctx: CommandContext, task: TaskRef, me: Who, note?: { text: string; cut: boolean }): Promise<Reply> {
  const assignment = await pickAssignment(ctx, task, me);
  if (!assignment.ok) return text(assignment.reply);
  const today = localDateOf(ctx.now, ctx.zone);
  const result = await markDone(ctx.prisma, assignment.value.id, actorOf(ctx), ctx.now, ctx.zone, today, note?.text);
  if (result.kind === 'nothing_open') {
    return assignment.value.hasOccurrences
      ? { text: `Nhiệm vụ ${task.code} của ${assignment.value.unitName} đã được đánh dấu hoàn thành hết rồi. Gõ /undo ${task.code} nếu cần hoàn tác.`, dropButtons: settledButtons([task.code]) }
      : text(`Nhiệm vụ ${task.code} không có hạn chót (thường xuyên, khi phát sinh hoặc chưa có sự kiện) nên không có kỳ nào để đánh dấu hoàn thành.`);
  }
  const timing = result.status === 'done_on_time' ? 'đúng hạn' : 'quá hạn';
  const lines = [
    `✅ Đã ghi nhận: ${task.code} — ${assignment.value.unitName} hoàn thành ngày ${formatVi(today)} (${timing}, hạn ${formatVi(result.due as LocalDate)}).`,
  ];
  if (result.totalUnits > 1) {
    lines.push(`Nhiệm vụ ${task.code}: ${result.totalUnits - result.openUnits}/${result.totalUnits} đơn vị đã hoàn thành kỳ này, còn ${result.openUnits} đơn vị chưa.`);
  }
  if (note?.cut) lines.push(cutNotice('Ghi chú'));
  return { text: lines.join('\n'), dropButtons: settledButtons([task.code]) };
}

type PickedAssignment = { id: number; unitName: string; hasOccurrences: boolean };

/**
 * Whose share the sender marks: the group's unit, else the sender's own unit; an administrator may act for
 * any lead unit, naming it by the group. Everyone else gets a refusal naming who may.
 */
async function pickAssignment(ctx: CommandContext, task: TaskRef, me: Who): Promise<Lookup<PickedAssignment>> {
  const details = await taskDetails(ctx.prisma, task.id);
  const leads = details.assignments.filter((a) => a.role === 'lead');
  const mayAct = (unitId: number) => me.admin || me.units.includes(unitId);
  const toPicked = (a: (typeof leads)[number]) => ({ ok: true as const, value: { id: a.id, unitName: a.unit.name, hasOccurrences: a.occurrences.length > 0 } });

  const inGroup = me.groupUnit && leads.find((a) => a.unitId === me.groupUnit!.id);
  if (inGroup && mayAct(inGroup.unitId)) return toPicked(inGroup);
  const own = leads.filter((a) => me.units.includes(a.unitId));
  if (own.length === 1) return toPicked(own[0]!);
  if (me.admin && leads.length === 1) return toPicked(leads[0]!);

  const leadNames = leads.map((a) => a.unit.name);
  if (!leads.length) return { ok: false, reply: `Nhiệm vụ ${task.code} chưa có đơn vị chủ trì nào được xác định; quản trị viên cần kiểm tra lại kế hoạch.` };
  if (own.length > 1 || me.admin) {
    return { ok: false, reply: `Nhiệm vụ ${task.code} có nhiều đơn vị chủ trì (${summarize(leadNames)}). Hãy gõ lệnh trong nhóm chat của đơn vị cần đánh dấu.` };
  }
  return {
    ok: false,
    reply: `Xin lỗi, chỉ cán bộ đầu mối của đơn vị chủ trì (${summarize(leadNames)}) hoặc quản trị viên mới được đánh dấu nhiệm vụ ${task.code}. Nếu anh/chị là cán bộ đầu mối, đề nghị quản trị viên thêm bằng lệnh /officer add.`,
  };
}

function summarize(names: string[]): string {
  return names.length <= 3 ? names.join('; ') : `${names.slice(0, 3).join('; ')} và ${names.length - 3} đơn vị khác`;
}
