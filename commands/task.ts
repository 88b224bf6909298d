import { formatVi } from '../src/core/dates.ts';
import { STATUS_LABELS, statusOf } from '../src/core/status.ts';
import { localDateOf } from '../src/core/time.ts';
import { taskDetails } from '../src/store/tasks.ts';
import { text, type Command } from './context.ts';
import { lookupTask, who } from './lookup.ts';

const usage = '/task <mã nhiệm vụ>';
const MAX_UNITS_LISTED = 15;

export const task: Command = {
  name: 'task',
  aliases: ['nv'],
  usage,
  summary: 'nội dung, đơn vị, thời hạn và tình trạng của một nhiệm vụ',
  access: 'member',
  async run(ctx) {
    const found = await lookupTask(ctx, ctx.args.trim(), usage, await who(ctx));
    if (!found.ok) return text(found.reply);
    const t = await taskDetails(ctx.prisma, found.value.id);
    const today = localDateOf(ctx.now, ctx.zone);
    const leads = t.assignments.filter((a) => a.role === 'lead');
    const coords = t.assignments.filter((a) => a.role === 'coord');
    const lines = [
      `📋 Nhiệm vụ ${t.code} — ${t.plan.name}`,
      t.section ? `Thuộc: ${t.section.path}. ${t.section.title}` : '',
      `Nội dung: ${t.content}`,
      `Chủ trì: ${t.leadText || leads.map((a) => a.unit.name).join('; ') || '(chưa xác định)'}`,
      coords.length || t.coordText ? `Phối hợp: ${t.coordText || coords.map((a) => a.unit.name).join('; ')}` : '',
      `Thời hạn: ${t.deadlineText}${t.deadlineLabel ? ` → ${t.deadlineLabel}` : ''}`,
      t.result ? `Kết quả: ${t.result}` : '',
      t.note ? `Ghi chú: ${t.note}` : '',
    ].filter(Boolean);

    const rows = leads.map((a) => {
      const next = a.occurrences.find((o) => o.status === 'open');
      const last = [...a.occurrences].reverse().find((o) => o.status === 'done');
      if (!a.occurrences.length) return { unit: a.unit.name, state: 'không có hạn chót', late: false };
      if (next) {
        const status = statusOf({ due: next.due, doneAt: null }, today, ctx.zone);
        return { unit: a.unit.name, state: `${STATUS_LABELS[status].toLowerCase()} (kỳ hạn ${formatVi(next.due)})`, late: status === 'open_overdue' };
      }
      const status = statusOf({ due: last!.due, doneAt: last!.doneAt }, today, ctx.zone);
      return { unit: a.unit.name, state: STATUS_LABELS[status].toLowerCase(), late: false };
    });
    if (rows.length) {
      const finished = leads.filter((a) => a.occurrences.length && a.occurrences.every((o) => o.status === 'done')).length;
      lines.push('', `Tình trạng (${finished}/${leads.length} đơn vị chủ trì đã hoàn thành tất cả các kỳ):`);
      const shown = [...rows].sort((a, b) => Number(b.late) - Number(a.late)).slice(0, MAX_UNITS_LISTED);
      for (const r of shown) lines.push(`${r.late ? '❗' : '•'} ${r.unit}: ${r.state}`);
      if (rows.length > shown.length) lines.push(`… và ${rows.length - shown.length} đơn vị khác`);
    }
    lines.push('', `Hoàn thành thì gõ: /done ${t.code}`);
    return text(lines.join('\n'));
  },
};
