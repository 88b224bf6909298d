import type { PrismaClient } from '../src/db/database.ts';
import type { WorkingCalendar } from '../src/core/calendar.ts';
import type { IncomingMessage, Reply } from '../src/transports/transport.ts';
import type { LetterHeader } from '../src/files/apology-letter.ts';
import type { Throttle } from './throttle.ts';

/**
 * Who may use a command; every command declares it and the dispatcher checks it before the command runs.
 * - anyone: says nothing about the plan (help, id, start)
 * - member: reads and marks the plan: anyone in a group bound to a unit, registered officers and
 *   administrators anywhere (a stranger's private chat or unbound group gets nothing)
 * - officer: registered officers and administrators only, even in a bound group (files naming people)
 * - admin: administrators
 */
export type Access = 'anyone' | 'member' | 'officer' | 'admin';

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
  /** per-person rate limits (the dispatcher's); /quantri takes its guesses from it */
  throttle?: Throttle;
};

export type Command = {
  name: string;
  aliases: string[];
  usage: string;
  summary: string;
  /** who may use it, checked by the dispatcher (commands/access.ts) */
  access: Access;
  /** answers with whole-plan figures or files: counted against the per-hour limit too (commands/throttle.ts) */
  heavy?: boolean;
  run(ctx: CommandContext): Promise<Reply>;
};

export const text = (t: string): Reply => ({ text: t });

/** Who did it, from where: what the audit trail records of a chat command. */
export const actorOf = (ctx: CommandContext) => ({ user: ctx.message.user, chat: ctx.message.chat, messageId: ctx.message.messageId });

/** The longest free text a person may store in one field (a /done note, a check-in answer, a reason). */
export const MAX_NOTE = 1_000;

/** Free text for a stored field, cut to MAX_NOTE whole characters (never half an emoji); `cut` says whether it was. */
export function capNote(typed: string): { text: string; cut: boolean } {
  if (typed.length <= MAX_NOTE) return { text: typed, cut: false };
  const chars = Array.from(typed);
  return chars.length <= MAX_NOTE ? { text: typed, cut: false } : { text: chars.slice(0, MAX_NOTE).join(''), cut: true };
}

/** The line a reply adds when it stored a cut text. */
export const cutNotice = (what: string) => `✂️ ${what} dài hơn ${MAX_NOTE.toLocaleString('vi-VN')} ký tự nên chỉ lưu ${MAX_NOTE.toLocaleString('vi-VN')} ký tự đầu.`;
