import type { PrismaClient } from '../src/db/database.ts';
import type { WorkingCalendar } from '../src/core/calendar.ts';
import type { IncomingMessage, Reply } from '../src/transports/transport.ts';
import type { LetterHeader } from '../src/files/apology-letter.ts';

/** What a command may use: data, the time, the calendar, the message. No platform. */
export type CommandContext = {
  prisma: PrismaClient;
  now: Date;
  zone: string;
  calendar: WorkingCalendar;
  /** administrators from NHACVIEC_ADMINS */
  admins: readonly string[];
  /** the apology letter's fixed header (NHACVIEC_LETTER_*) */
  letter?: LetterHeader;
  message: IncomingMessage;
  /** the text after the command word */
  args: string;
};

export type Command = {
  name: string;
  aliases: string[];
  usage: string;
  summary: string;
  adminOnly?: boolean;
  run(ctx: CommandContext): Promise<Reply>;
};

export const text = (t: string): Reply => ({ text: t });

/** Who did it, from where: what the audit trail records of a chat command. */
export const actorOf = (ctx: CommandContext) => ({ user: ctx.message.user, chat: ctx.message.chat, messageId: ctx.message.messageId });
