import type { Clock } from './core/time.ts';
import type { PrismaClient } from './db/database.ts';
import { notifyAdmins } from './store/admin-notices.ts';
import { deactivateGroup, groupOf, seeGroup } from './store/groups.ts';

/**
 * What happens when the bot is added to a group or removed from it (Telegram's my_chat_member): removed, the
 * group's binding is switched off at once (its unit's messages go to the default group) and the
 * administrators are told; added back, a bound group is switched on again. Returns the text to post in the
 * group when the bot arrives, or null.
 */
export type MembershipHandler = (chat: string, present: boolean, title: string) => Promise<string | null>;

/** What it needs: the bindings, who the administrators are (NHACVIEC_ADMINS), the time of the notices. */
export type MembershipDeps = { prisma: PrismaClient; admins: readonly string[]; clock: Clock };

export function botMembership({ prisma, admins, clock }: MembershipDeps): MembershipHandler {
  return async (chat, present, title) => {
    const group = await groupOf(prisma, chat);
    const unit = group?.unit?.name;
    if (!present) {
      if (!group?.active) return null;
      await deactivateGroup(prisma, chat);
      if (unit) {
        const text = `⚠️ Bot đã bị xoá khỏi nhóm "${title}" (${chat}) của ${unit}; nhóm đã được tắt, nhắc việc của đơn vị sẽ gửi về nhóm chung. Thêm lại bot vào nhóm để bật lại.`;
        await notifyAdmins(prisma, admins, text, clock());
      }
      return null;
    }
    if (group && unit) {
      await seeGroup(prisma, chat, title || undefined); // switched on again, under its current title
      return `👋 Nhắc việc đã trở lại nhóm này và tiếp tục gửi nhắc việc của ${unit}. Gõ /help để xem các lệnh.`;
    }
    return [
      '👋 Xin chào! Tôi là Nhắc việc: tôi nhắc các nhiệm vụ của kế hoạch kiểm soát thủ tục hành chính theo hạn của từng đơn vị, và nhận báo cáo hoàn thành ngay trong nhóm.',
      'Để nhóm này nhận nhắc việc của một đơn vị, quản trị viên của Nhắc việc gõ /bind <tên đơn vị>, ví dụ /bind Phòng Tư pháp.',
      'Gõ /id để xem mã của mình (quản trị viên cần mã này để thêm cán bộ đầu mối), /help để xem các lệnh.',
    ].join('\n');
  };
}
