import { formatInstantVi } from '../src/core/time.ts';
import { claimAdmin } from '../src/store/admins.ts';
import { isDirect } from '../src/transports/transport.ts';
import { actorOf, text, type Command } from './context.ts';

/**
 * /quantri <mã>: the first administrator, with the one-time code the bot printed at start-up (src/store/admins.ts).
 * Only in a private chat: a code typed in a group is burnt, since the group has read it. A dead code is
 * replaced by a fresh one on the server's screen (src/claim-code.ts), never in a chat.
 */
export const quantri: Command = {
  name: 'quantri',
  aliases: ['claim'],
  usage: '/quantri <mã>',
  summary: 'nhận quyền quản trị viên đầu tiên bằng mã một lần in trên màn hình máy chủ (nhắn riêng với bot)',
  // the first administrator is, by definition, nobody yet; the rate limit and the code's own tries guard it
  access: 'anyone',
  async run(ctx) {
    const typed = ctx.args.trim();
    const privateChat = isDirect(ctx.message);
    if (!typed) return text('Cách dùng: /quantri <mã>, với mã một lần in trên màn hình máy chủ và trong nhật ký của bot (khi chưa có quản trị viên). Hãy gõ trong tin nhắn riêng với bot.');
    // each sender's guesses are rate-limited before the code is tried: a throttled guess costs the code nothing
    const allowed = ctx.throttle?.takeGuess(ctx.message.user, ctx.now.getTime()) ?? { ok: true };
    if (!allowed.ok) return text(`⏳ Anh/chị đã thử mã nhiều lần liền; xin đợi khoảng ${Math.ceil(allowed.waitMs / 60_000)} phút rồi thử lại.`);
    const outcome = await claimAdmin(ctx.prisma, ctx.admins, typed, {
      actor: actorOf(ctx),
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
        // whoever typed the right code saw the server's screen: a fresh one is printed there now
        return text('⚠️ Mã này vừa được gõ trong nhóm nên đã bị hủy (mọi người trong nhóm đều đọc được). Xem mã mới trên màn hình máy chủ hoặc trong nhật ký của bot, rồi gõ /quantri <mã> trong tin nhắn riêng với bot.');
      case 'no_code':
      case 'wrong':
        // one answer whether the code was wrong, used up or expired: a stranger learns nothing of its state
        return text(privateChat ? 'Mã không đúng hoặc đã hết hiệu lực.' : 'Mã không đúng hoặc đã hết hiệu lực. Chỉ gõ /quantri trong tin nhắn riêng với bot.');
    }
  },
};
