import { bindGroup } from '../src/store/groups.ts';
import { actorOf, text, type Command } from './context.ts';
import { lookupUnit } from './lookup.ts';

export const bind: Command = {
  name: 'bind',
  aliases: ['gannhom'],
  usage: '/bind <đơn vị>',
  summary: 'gắn nhóm chat này với một đơn vị (nhắc việc của đơn vị sẽ gửi vào đây)',
  adminOnly: true,
  async run(ctx) {
    const typed = ctx.args.trim();
    if (!typed) return text('Thiếu tên đơn vị. Cách dùng: /bind <đơn vị>, ví dụ /bind Văn phòng UBND huyện');
    const unit = await lookupUnit(ctx, typed);
    if (!unit.ok) return text(unit.reply);
    await bindGroup(ctx.prisma, ctx.message.chat, unit.value.id, ctx.message.chatTitle, actorOf(ctx));
    return text(`🔗 Đã gắn nhóm này với đơn vị ${unit.value.name}. Từ nay nhắc việc của đơn vị sẽ gửi vào nhóm này.`);
  },
};
