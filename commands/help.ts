import { text, type Command } from './context.ts';

/** /help lists the commands it is given (the registry passes itself, so the list never drifts). */
export function makeHelp(commands: () => Command[]): Command {
  return {
    name: 'help',
    aliases: ['huongdan', 'start'],
    usage: '/help',
    summary: 'danh sách lệnh',
    async run() {
      const all = commands();
      const line = (c: Command) => `${c.usage}${c.aliases.length ? ` (/${c.aliases.filter((a) => a !== 'start').join(', /')})` : ''} — ${c.summary}`;
      return text(
        [
          '🤖 Nhắc việc — trợ lý nhắc nhiệm vụ kiểm soát thủ tục hành chính',
          '',
          'Lệnh cho cán bộ đầu mối:',
          ...all.filter((c) => !c.adminOnly).map(line),
          '',
          'Lệnh cho quản trị viên:',
          ...all.filter((c) => c.adminOnly).map(line),
          '',
          'Mã nhiệm vụ gõ dạng 3.2 hoặc III.2. Trả lời tin nhắc việc bằng "xong" cũng được ghi nhận.',
          'Trong nhóm Telegram, nếu bot không phản hồi, hãy gõ kèm tên bot (/done@ten_bot 3.2) hoặc đặt bot làm quản trị viên nhóm.',
        ].join('\n'),
      );
    },
  };
}
