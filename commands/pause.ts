import { setPaused } from '../src/store/groups.ts';
import { actorOf, text, type Command } from './context.ts';
import { who } from './lookup.ts';

const IN_GROUPS = (name: string) => `Lệnh /${name} dùng trong nhóm chat của đơn vị để tạm dừng hoặc bật lại nhắc việc của nhóm đó; tin nhắn riêng này không có gì để thay đổi.`;

export const pause: Command = {
  name: 'pause',
  aliases: ['tamdung'],
  usage: '/pause',
  summary: 'tạm dừng nhắc việc trong nhóm này',
  access: 'admin',
  async run(ctx) {
    if ((await who(ctx)).direct) return text(IN_GROUPS('pause'));
    await setPaused(ctx.prisma, ctx.message.chat, true, actorOf(ctx));
    return text('⏸️ Đã tạm dừng nhắc việc trong nhóm này. Gõ /resume để bật lại; khi bật lại, nhóm nhận nhắc nhở mới nhất của từng nhiệm vụ.');
  },
};

export const resume: Command = {
  name: 'resume',
  aliases: ['tieptuc'],
  usage: '/resume',
  summary: 'bật lại nhắc việc trong nhóm này',
  access: 'admin',
  async run(ctx) {
    if ((await who(ctx)).direct) return text(IN_GROUPS('resume'));
    await setPaused(ctx.prisma, ctx.message.chat, false, actorOf(ctx));
    return text('▶️ Đã bật lại nhắc việc trong nhóm này.');
  },
};
