import { formatInstantVi } from '../src/core/time.ts';
import { claimAdmin } from '../src/store/admins.ts';
import { splitAddress } from '../src/transports/transport.ts';
import { text, type Command } from './context.ts';

/**
 * /quantri <mã>: the first administrator, with the one-time code the bot printed at start-up (src/store/admins.ts).
 * Only in a private chat: a code typed in a group is burnt, since the group has read it.
 */
export const quantri: Command = {
  name: 'quantri',
  aliases: ['claim'],
  usage: '/quantri <mã>',
  summary: 'nhận quyền quản trị viên đầu tiên bằng mã một lần bot in ra khi khởi động (nhắn riêng với bot)',
  async run(ctx) {
    const typed = ctx.args.trim();
    const privateChat = splitAddress(ctx.message.chat).id === splitAddress(ctx.message.user).id;
    if (!typed) return text('Cách dùng: /quantri <mã>, với mã một lần bot in ra khi khởi động (khi chưa có quản trị viên). Hãy gõ trong tin nhắn riêng với bot.');
    const outcome = await claimAdmin(ctx.prisma, ctx.admins, typed, {
      actor: { user: ctx.message.user, chat: ctx.message.chat, messageId: ctx.message.messageId },
      privateChat,
      now: ctx.now,
    });
    switch (outcome) {
      case 'claimed':
        return text(
          [
            `✅ ${ctx.message.userName || ctx.message.user} là quản trị viên của Nhắc việc từ ${formatInstantVi(ctx.now, ctx.zone)} (mã ${ctx.message.user}). Mã một lần đã hết hiệu lực.`,
            'Việc tiếp theo: gửi tệp danh mục đơn vị và tệp kế hoạch (Word/Excel) vào đây để nhập; thêm bot vào nhóm của từng đơn vị rồi gõ /bind <đơn vị> trong nhóm đó. Gõ /help để xem các lệnh.',
          ].join('\n'),
        );
      case 'has_admin':
        return text('Nhắc việc đã có quản trị viên nên mã một lần không còn hiệu lực. Nhờ một quản trị viên thêm anh/chị (npm run -s cli -- admin add <mã người dùng>; mã của anh/chị xem bằng /id).');
      case 'burnt':
        return text('⚠️ Mã này vừa được gõ trong nhóm nên đã bị hủy (mọi người trong nhóm đều đọc được). Khởi động lại bot để có mã mới và gõ /quantri <mã> trong tin nhắn riêng với bot, hoặc dùng lệnh: npm run -s cli -- admin add <mã người dùng>.');
      case 'no_code':
        return text('Hiện không có mã nhận quyền quản trị nào còn hiệu lực (mã hết hạn sau 24 giờ hoặc sau nhiều lần gõ sai). Khởi động lại bot để có mã mới, hoặc dùng lệnh: npm run -s cli -- admin add <mã người dùng>.');
      case 'wrong':
        return text(privateChat ? 'Mã không đúng. Mã gồm 12 ký tự dạng ABCD-EFGH-JKLM, in ở dòng trạng thái khi bot khởi động.' : 'Mã không đúng. Chỉ gõ /quantri trong tin nhắn riêng với bot, không gõ trong nhóm.');
    }
  },
};
