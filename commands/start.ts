import { howToRegister } from './access.ts';
import { text, type Command, type CommandContext } from './context.ts';
import { who } from './lookup.ts';

/**
 * /start (what Telegram sends when someone opens the bot) and anything typed in a private chat: who the
 * sender is to the bot, their id, and how to be registered; nothing about the plan to a stranger.
 */
export const start: Command = {
  name: 'start',
  aliases: ['batdau'],
  usage: '/start',
  summary: 'lời chào: anh/chị là ai với bot, mã người dùng, cách được đăng ký',
  access: 'anyone',
  async run(ctx) {
    return text(await welcome(ctx));
  },
};

export async function welcome(ctx: CommandContext): Promise<string> {
  const me = await who(ctx);
  const hello = (name: string) => `👋 Xin chào${name ? ` ${name}` : ''}! Tôi là Nhắc việc, trợ lý nhắc các nhiệm vụ của kế hoạch kiểm soát thủ tục hành chính theo hạn của từng đơn vị.`;
  if (!me.admin && !me.own.length) return [hello(''), ...howToRegister(ctx)].join('\n');
  const lines = [hello(ctx.message.userName)];
  if (me.own.length) lines.push(`Anh/chị là cán bộ đầu mối của: ${me.own.map((u) => u.name).join('; ')}.`);
  if (me.admin) lines.push('Anh/chị là quản trị viên: xem được mọi đơn vị (gõ tên đơn vị, hoặc "tất cả", sau lệnh /overdue, /upcoming, /list).');
  lines.push(`Mã người dùng: ${ctx.message.user}`);
  if (me.direct) {
    lines.push(
      me.own.length
        ? 'Nhắn riêng cho tôi: /overdue, /upcoming, /list xem nhiệm vụ của các đơn vị của anh/chị; /task <mã> xem một nhiệm vụ; /done <mã> báo hoàn thành.'
        : 'Nhắn riêng cho tôi: /overdue, /upcoming, /list xem nhiệm vụ của tất cả đơn vị; /task <mã> xem một nhiệm vụ.',
    );
  }
  lines.push('Gõ /help để xem các lệnh.');
  return lines.join('\n');
}
