import { compareCodes, shorten } from '../src/core/messages.ts';
import { text, type Command } from './context.ts';
import { lookupUnit, who } from './lookup.ts';

export const list: Command = {
  name: 'list',
  aliases: ['ds'],
  usage: '/list [đơn vị]',
  summary: 'danh sách nhiệm vụ của đơn vị (mặc định: đơn vị của nhóm; không có thì cả kế hoạch)',
  async run(ctx) {
    let unit = (await who(ctx)).groupUnit;
    if (ctx.args.trim()) {
      const found = await lookupUnit(ctx, ctx.args.trim());
      if (!found.ok) return text(found.reply);
      unit = found.value;
    }
    const tasks = await ctx.prisma.task.findMany({
      where: { archivedAt: null, ...(unit ? { assignments: { some: { unitId: unit.id, archivedAt: null } } } : {}) },
      select: { code: true, content: true, deadlineLabel: true, plan: { select: { year: true } }, assignments: unit ? { where: { unitId: unit.id }, select: { role: true } } : false },
    });
    if (!tasks.length) return text(unit ? `Đơn vị ${unit.name} chưa được giao nhiệm vụ nào.` : 'Chưa có kế hoạch nào được nhập.');
    tasks.sort((a, b) => b.plan.year - a.plan.year || compareCodes(a.code, b.code));
    const lines = [`📋 ${tasks.length} nhiệm vụ${unit ? ` của ${unit.name}` : ''}:`];
    for (const t of tasks) {
      const role = unit && 'assignments' in t && Array.isArray(t.assignments) && t.assignments[0]?.role === 'coord' ? ' (phối hợp)' : '';
      lines.push(`• ${t.code}${role} ${shorten(t.content, 80)} — ${t.deadlineLabel}`);
    }
    return text(lines.join('\n'));
  },
};
