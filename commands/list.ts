import { compareCodes, shorten } from '../src/core/messages.ts';
import { again, PAGE_SIZE, pageReply, parsePage } from '../src/core/paging.ts';
import { tasksOfUnits } from '../src/store/tasks.ts';
import { text, type Command } from './context.ts';
import { scopeLabel, scopeWords, unitScope } from './lookup.ts';

export const list: Command = {
  name: 'list',
  aliases: ['ds'],
  usage: '/list [đơn vị] [trang N]',
  summary: `danh sách nhiệm vụ của đơn vị, mỗi trang ${PAGE_SIZE} nhiệm vụ (mặc định: đơn vị của nhóm, nhắn riêng thì đơn vị của anh/chị; "tất cả" cho cả kế hoạch; trang sau: thêm "trang 2")`,
  access: 'member',
  async run(ctx) {
    const ask = parsePage(ctx.args, 'list');
    if (!ask.ok) return text(ask.reply);
    const scope = await unitScope(ctx, ask.rest);
    if (!scope.ok) return text(scope.reply);
    const units = scope.value.units;
    const ids = units?.map((u) => u.id);
    const tasks = await tasksOfUnits(ctx.prisma, ids);
    if (!tasks.length) return text(units ? `${units.length > 1 ? 'Các đơn vị' : 'Đơn vị'} ${units.map((u) => u.name).join('; ')} chưa được giao nhiệm vụ nào.` : 'Chưa có kế hoạch nào được nhập.');
    tasks.sort((a, b) => b.planYear - a.planYear || compareCodes(a.code, b.code));
    return text(
      pageReply(tasks, ask, {
        title: `📋 ${tasks.length} nhiệm vụ${units ? ` ${scopeLabel(scope.value)}` : ''}`,
        again: again('list', scopeWords(scope.value, ask.rest)),
        // coordinating only (no lead share among the units listed)
        render: (page) => page.map((t) => `• ${t.code}${t.roles.length && t.roles.every((r) => r === 'coord') ? ' (phối hợp)' : ''} ${shorten(t.content, 80)} — ${t.deadlineLabel}`),
      }),
    );
  },
};
