import type { Access } from './access.ts';
import { readsReplies } from '../src/core/messages.ts';
import { text, type Command } from './context.ts';

const SECTIONS: [Access[], string][] = [
  [['anyone'], 'Lệnh cho mọi người:'],
  [['member', 'officer'], 'Lệnh cho cán bộ đầu mối:'],
  [['admin'], 'Lệnh cho quản trị viên:'],
];

/** "/report [quy 1|q2|nam] [xlsx|bieudo] (/baocao) — …": the command's own name first, then its aliases. */
function line(c: Command): string {
  const usage = c.usage.replace(/^\/\S+/, `/${c.name}`);
  return `${usage}${c.aliases.length ? ` (/${c.aliases.join(', /')})` : ''} — ${c.summary}`;
}

/** /help lists the commands it is given (the registry passes itself, so the list never drifts). */
export function makeHelp(commands: () => Command[]): Command {
  return {
    name: 'help',
    aliases: ['huongdan'],
    usage: '/help',
    summary: 'danh sách lệnh',
    access: 'anyone',
    async run(ctx) {
      const all = commands();
      const sections = SECTIONS.flatMap(([levels, title]) => {
        const listed = all.filter((c) => levels.includes(c.access));
        return listed.length ? ['', title, ...listed.map(line)] : [];
      });
      return text(
        [
          '🤖 Nhắc việc — trợ lý nhắc nhiệm vụ kiểm soát thủ tục hành chính',
          ...sections,
          '',
          // the official Zalo Bot passes no replies on: it is offered commands only
          `Mã nhiệm vụ gõ dạng 3.2 hoặc III.2.${readsReplies(ctx.message.chat) ? ' Trả lời tin nhắc việc bằng "xong" cũng được ghi nhận.' : ''}`,
          'Nhắn riêng cho bot: các lệnh xem và báo hoàn thành dùng mặc định các đơn vị mà anh/chị là cán bộ đầu mối.',
          'Trong nhóm Telegram, nếu bot không phản hồi, hãy gõ kèm tên bot (/done@ten_bot 3.2) hoặc đặt bot làm quản trị viên nhóm.',
        ].join('\n'),
      );
    },
  };
}
