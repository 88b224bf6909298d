import { compareCodes, shorten } from '../src/core/messages.ts';
import { tasksOfUnits } from '../src/store/tasks.ts';
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
    const tasks = await tasksOfUnits(ctx.prisma, ids);
    if (!tasks.length) return text(units ? `${units.length > 1 ? 'Các đơn vị' : 'Đơn vị'} ${units.map((u) => u.name).join('; ')} chưa được giao nhiệm vụ nào.` : 'Chưa có kế hoạch nào được nhập.');
    tasks.sort((a, b) => b.planYear - a.planYear || compareCodes(a.code, b.code));
    const lines = [`📋 ${tasks.length} nhiệm vụ${units ? ` ${scopeLabel(scope.value)}` : ''}:`];
    for (const t of tasks) {
      // coordinating only (no lead share among the units listed)
      const role = t.roles.length && t.roles.every((r) => r === 'coord') ? ' (phối hợp)' : '';
      lines.push(`• ${t.code}${role} ${shorten(t.content, 80)} — ${t.deadlineLabel}`);
    }
    return text(lines.join('\n'));
  },
};
