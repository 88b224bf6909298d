import type { Access, CommandContext } from './context.ts';
import type { Who } from './lookup.ts';

export type { Access };

export function mayUse(access: Access, me: Who): boolean {
  switch (access) {
    case 'anyone':
      return true;
    case 'member':
      return me.admin || me.units.length > 0 || me.groupUnit !== null;
    case 'officer':
      return me.admin || me.units.length > 0;
    case 'admin':
      return me.admin;
  }
}

/** A refusal that tells the person what they may do next and nothing about the plan. */
export function refusal(access: Access, command: string, ctx: Pick<CommandContext, 'message'>): string {
  if (access === 'admin') return `Lệnh /${command} chỉ dành cho quản trị viên. Liên hệ bộ phận CNTT của cơ quan điều phối nếu cần.`;
  return [
    access === 'officer'
      ? `Lệnh /${command} chỉ dành cho cán bộ đầu mối đã được đăng ký và quản trị viên.`
      : 'Xin lỗi, Nhắc việc chỉ trả lời cán bộ đầu mối đã được đăng ký, hoặc trong nhóm chat đã được gắn với đơn vị.',
    ...howToRegister(ctx),
  ].join('\n');
}

/** The sender's id and how an administrator registers them. */
export function howToRegister(ctx: Pick<CommandContext, 'message'>): string[] {
  const user = ctx.message.user;
  return [
    `Mã người dùng của anh/chị: ${user}`,
    `Để được đăng ký làm cán bộ đầu mối, gửi mã này cho quản trị viên của Nhắc việc; quản trị viên gõ: /officer add ${user} <tên đơn vị>`,
  ];
}
