import { fold } from '../src/core/text.ts';
import { officerSettings, setPersonalReminders } from '../src/store/personal.ts';
import { actorOf, text, type Command } from './context.ts';

const usage = '/nhacrieng bat|tat';
const ON = new Set(['bat', 'on', 'mo']);
const OFF = new Set(['tat', 'off']);

/**
 * /nhacrieng bat|tat: a registered officer turns on or off getting their units' reminders in a direct
 * message from the bot (the official Zalo Bot cannot sit in groups; on Telegram a private chat). The round
 * sends them through the same ledger as the groups' (src/core/round.ts, Routing.personalChats).
 */
export const nhacrieng: Command = {
  name: 'nhacrieng',
  aliases: ['personal'],
  access: 'officer',
  usage,
  summary: 'bật/tắt nhận nhắc việc của đơn vị mình qua tin nhắn riêng với bot',
  async run(ctx) {
    const typed = fold(ctx.args);
    const me = await officerSettings(ctx.prisma, ctx.message.user);
    if (!me.units.length) {
      return text(
        `Chỉ cán bộ đầu mối đã đăng ký mới nhận được nhắc việc riêng. Anh/chị gửi mã người dùng của mình (${ctx.message.user}) cho quản trị viên để được thêm bằng /officer add, rồi gõ lại /nhacrieng bat.`,
      );
    }
    const units = me.units.join('; ');
    if (!typed) {
      return text(
        me.on
          ? `🔔 Nhắc việc riêng đang bật: mỗi đợt nhắc, bot gửi anh/chị một tin nhắn riêng gồm các nhiệm vụ của ${units}. Gõ /nhacrieng tat để tắt.`
          : `🔕 Nhắc việc riêng đang tắt. Gõ /nhacrieng bat để nhận các nhiệm vụ của ${units} qua tin nhắn riêng với bot.`,
      );
    }
    const on = ON.has(typed) ? true : OFF.has(typed) ? false : null;
    if (on === null) return text(`Không hiểu "${ctx.args.trim().slice(0, 40)}". Cách dùng: /nhacrieng bat để bật, /nhacrieng tat để tắt nhắc việc qua tin nhắn riêng.`);
    const changed = await setPersonalReminders(ctx.prisma, actorOf(ctx), on);
    if (!on) return text(changed ? '🔕 Đã tắt nhắc việc riêng. Nhắc việc vẫn gửi vào nhóm của đơn vị như trước.' : '🔕 Nhắc việc riêng vốn đang tắt; không có gì thay đổi.');
    const lines = [
      changed
        ? `🔔 Đã bật nhắc việc riêng: từ đợt nhắc tới, bot gửi anh/chị một tin nhắn riêng gồm các nhiệm vụ của ${units} (sắp đến hạn, quá hạn), ngoài tin trong nhóm.`
        : `🔔 Nhắc việc riêng vốn đang bật cho ${units}; không có gì thay đổi.`,
      'Gõ /nhacrieng tat để tắt.',
    ];
    // a platform lets a bot write to a person only once the person has written to it (Telegram: /start)
    if (ctx.message.chat !== ctx.message.user) lines.push('Lưu ý: hãy nhắn riêng cho bot một lần (ví dụ gõ /help trong tin nhắn riêng) để bot được phép gửi tin cho anh/chị.');
    return text(lines.join('\n'));
  },
};
