import { text, type Command } from './context.ts';

/** /id: a user learns the id an administrator needs for /officer add (platforms hide it from people). */
export const myid: Command = {
  name: 'id',
  aliases: ['ma', 'myid'],
  usage: '/id',
  summary: 'mã người dùng và mã nhóm của anh/chị (để quản trị viên thêm cán bộ đầu mối)',
  access: 'anyone',
  async run(ctx) {
    return text(
      [
        `Mã người dùng của ${ctx.message.userName || 'anh/chị'}: ${ctx.message.user}`,
        `Mã nhóm này: ${ctx.message.chat}`,
        `Gửi mã người dùng cho quản trị viên để được thêm làm cán bộ đầu mối: /officer add ${ctx.message.user} <đơn vị>`,
      ].join('\n'),
    );
  },
};
