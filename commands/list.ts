import { compareCodes, shorten } from '../src/core/messages.ts';
import { text, type Command } from './context.ts';
import { scopeLabel, unitScope } from './lookup.ts';

export const list: Command = {
  name: 'list',
  aliases: ['ds'],
  usage: '/list [đơn vị]',
  summary: 'danh sách nhiệm vụ của đơn vị (mặc định: đơn vị của nhóm, nhắn riêng thì đơn vị của anh/chị; "tất cả" cho cả kế hoạch)',
  access: 'member',
  async run(ctx) {
    const scope = await unitScope(ctx, ctx.args);
    if (!scope.ok) return text(scope.reply);
    const units = scope.value.units;
    const ids = units?.map((u) => u.id);
    const tasks = await ctx.prisma.task.findMany({
      where: { archivedAt: null, ...(ids ? { assignments: { some: { unitId: { in: ids }, archivedAt: null } } } : {}) },
      select: { code: true, content: true, deadlineLabel: true, plan: { select: { year: true } }, assignments: ids ? { where: { unitId: { in: ids }, archivedAt: null }, select: { role: true } } : false },
    });
    if (!tasks.length) return text(units ? `${units.length > 1 ? 'Các đơn vị' : 'Đơn vị'} ${units.map((u) => u.name).join('; ')} chưa được giao nhiệm vụ nào.` : 'Chưa có kế hoạch nào được nhập.');
    tasks.sort((a, b) => b.plan.year - a.plan.year || compareCodes(a.code, b.code));
    const lines = [`📋 ${tasks.length} nhiệm vụ${units ? ` ${scopeLabel(scope.value)}` : ''}:`];
    for (const t of tasks) {
      // coordinating only (no lead share among the units listed)
      const role = Array.isArray(t.assignments) && t.assignments.length && t.assignments.every((a) => a.role === 'coord') ? ' (phối hợp)' : '';
      lines.push(`• ${t.code}${role} ${shorten(t.content, 80)} — ${t.deadlineLabel}`);
    }
    return text(lines.join('\n'));
  },
};
