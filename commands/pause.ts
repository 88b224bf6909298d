import { setPaused } from '../src/store/groups.ts';
import { actorOf, text, type Command } from './context.ts';

export const pause: Command = {
  name: 'pause',
  aliases: ['tamdung'],
  usage: '/pause',
  summary: 'tạm dừng nhắc việc trong nhóm này',
  adminOnly: true,
  async run(ctx) {
    await setPaused(ctx.prisma, ctx.message.chat, true, actorOf(ctx));
    return text('⏸️ Đã tạm dừng nhắc việc trong nhóm này. Gõ /resume để bật lại; khi bật lại, nhóm nhận nhắc nhở mới nhất của từng nhiệm vụ.');
  },
};

export const resume: Command = {
  name: 'resume',
  aliases: ['tieptuc'],
  usage: '/resume',
  summary: 'bật lại nhắc việc trong nhóm này',
  adminOnly: true,
  async run(ctx) {
    await setPaused(ctx.prisma, ctx.message.chat, false, actorOf(ctx));
    return text('▶️ Đã bật lại nhắc việc trong nhóm này.');
  },
};
