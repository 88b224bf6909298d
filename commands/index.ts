import { cleanText, fold } from '../src/core/text.ts';
import { databaseTrouble, notWritable } from '../src/db/errors.ts';
import { seeGroup } from '../src/store/groups.ts';
import { checkinsOfMessage, openTasksOfMessage, recordCheckins } from '../src/store/replies.ts';
import { watchWrites } from '../src/store/write-watch.ts';
import { isDirect, type IncomingMessage, type Reply } from '../src/transports/transport.ts';
import type { Logger } from '../src/log.ts';
import { actorOf, capNote, cutNotice, text, type Command, type CommandContext } from './context.ts';
import { completeTask, done } from './done.ts';
import { makeHelp } from './help.ts';
import { who } from './lookup.ts';
import { overdue } from './overdue.ts';
import { task } from './task.ts';
import { undo } from './undo.ts';
import { bind } from './bind.ts';
import { event } from './event.ts';
import { list } from './list.ts';
import { officer } from './officer.ts';
import { pause, resume } from './pause.ts';
import { report } from './report.ts';
import { setdeadline } from './setdeadline.ts';
import { upcoming } from './upcoming.ts';
import { hoso } from './hoso.ts';
import { xinloi } from './xinloi.ts';
import { myid } from './myid.ts';
import { quantri } from './quantri.ts';
import { nhap, receiveFile } from './nhap.ts';
import { nhacrieng } from './nhacrieng.ts';
import { start, welcome } from './start.ts';
import { mayUse, refusal } from './access.ts';

export const commands: Command[] = [start, myid, quantri, nhacrieng, done, undo, overdue, upcoming, task, list, report, event, hoso, xinloi, bind, officer, setdeadline, pause, resume, nhap];
commands.push(makeHelp(() => commands));

const byName = new Map<string, Command>();
for (const c of commands) for (const n of [c.name, ...c.aliases]) byName.set(n, c);

// "/done 3.2", "/done@bot 3.2", and what people also type: "/done3.2", "/xóng 3.2" (letters with diacritics)
const COMMAND = /^\/([^\s@\d/.,:;]+)(?:@(\w+))?\s*([\s\S]*)$/;
const DONE_WORDS = new Set(['xong', 'da xong', 'done', 'hoan thanh', 'da hoan thanh', 'ok xong']);

/** The command a chat text invokes, if any (the same reading handleMessage makes). */
export function commandOf(text: string): Command | null {
  const match = COMMAND.exec(text.toWellFormed().trim());
  return match ? (byName.get(fold(match[1]!).replace(/[^a-z_]/g, '')) ?? null) : null;
}

export type Services = Omit<CommandContext, 'message' | 'args' | 'now'> & { clock: () => Date; log: Logger };

/** Rate limits before any work: `undefined` when the message may be handled, else the answer (null: none). */
function overLimit(services: Services, user: string, heavy: boolean, now: Date): Reply | null | undefined {
  const verdict = services.throttle?.take(user, heavy, now.getTime());
  if (!verdict || verdict.ok) return undefined;
  if (verdict.quiet) return null;
  const limits = services.throttle!.limits;
  const wait = verdict.waitMs < 90_000 ? `${Math.ceil(verdict.waitMs / 1000)} giây` : `${Math.ceil(verdict.waitMs / 60_000)} phút`;
  return text(
    verdict.limit === 'heavy'
      ? `⏳ Báo cáo và tệp được gửi tối đa ${limits.heavyPerHour} lần mỗi giờ cho mỗi người; xin anh/chị thử lại sau khoảng ${wait}.`
      : `⏳ Anh/chị gửi lệnh nhanh quá (tối đa ${limits.perMinute} lệnh mỗi phút); xin đợi khoảng ${wait} rồi gõ lại.`,
  );
}

/**
 * Answers one incoming chat message: a command (if the sender may use it: commands/access.ts), a reply
 * "xong" to a reminder, or in a private chat anything (the welcome). Returns null for anything not meant
 * for the bot. Never throws: a failure becomes a polite Vietnamese reply.
 */
export async function handleMessage(services: Services, incoming: IncomingMessage): Promise<Reply | null> {
  // text as stored (cleanText): a lone surrogate, a NUL (PostgreSQL refuses it) or NFD marks never reach the database
  const message = { ...incoming, text: cleanText(incoming.text), userName: cleanText(incoming.userName), ...(incoming.chatTitle ? { chatTitle: cleanText(incoming.chatTitle) } : {}) };
  const match = COMMAND.exec(message.text.trim());
  // what the command writes is watched, so that the error reply below is true on every path
  const watch = watchWrites(services.prisma);
  const base = { prisma: watch.prisma, zone: services.zone, calendar: services.calendar, admins: services.admins, ...(services.letter ? { letter: services.letter } : {}), ...(services.throttle ? { throttle: services.throttle } : {}), message, now: services.clock() };
  const direct = isDirect(message);
  try {
    if (message.file) {
      // a file is heavy work (download, unzip, parse) whoever sends it; receiveFile refuses non-administrators
      const limited = overLimit(services, message.user, true, base.now);
      if (limited !== undefined) return limited;
      return await receiveFile({ ...base, args: '' });
    }
    if (!match) {
      // in a group, talk not addressed to the bot; in a private chat, everything is for the bot
      const slash = message.text.trim().startsWith('/');
      if (!slash && !message.replyTo && !direct) return null;
      const limited = overLimit(services, message.user, false, base.now);
      if (limited !== undefined) return limited;
      if (slash) return text('Không hiểu lệnh này. Lệnh gõ dạng /done 3.2; gõ /help để xem các lệnh.');
      const ctx: CommandContext = { ...base, args: '' };
      const answered = message.replyTo ? await answerReply(ctx, message.replyTo) : null;
      return answered ?? (direct ? text(await welcome(ctx)) : null);
    }
    // "/cmd@otherbot" never reaches here: the Telegram transport drops it and strips "@ourbot"
    const [, name = '', , args = ''] = match;
    const command = commandOf(message.text);
    const limited = overLimit(services, message.user, command?.heavy ?? false, base.now);
    if (limited !== undefined) return limited;
    if (!command) return text(`Không có lệnh /${name}. Gõ /help để xem các lệnh.`);
    const ctx: CommandContext = { ...base, args };
    const me = await who(ctx);
    if (!mayUse(command.access, me)) return text(refusal(command.access, command.name, ctx));
    // the chats administrators may bind: groups where someone the bot answers has typed a command
    if (!direct && mayUse('member', me)) await seeGroup(services.prisma, message.chat, message.chatTitle);
    return await command.run(ctx);
  } catch (error) {
    services.log.error({ err: error instanceof Error ? error.stack : String(error), chat: message.chat }, 'command failed');
    if (watch.wrote()) return text('Xin lỗi, đã có lỗi khi xử lý yêu cầu; một phần yêu cầu có thể đã được ghi nhận. Kiểm tra lại (ví dụ /task <mã>, /hoso <mã>) trước khi gõ lại lệnh.');
    if (notWritable(error)) return text(`Xin lỗi, bot chưa ghi được yêu cầu này: ${databaseTrouble(error)}. Vui lòng báo quản trị viên rồi gửi lại sau.`);
    return text('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; vui lòng thử lại sau ít phút.');
  }
}

/** A reply to one of the bot's messages: "xong" to a reminder, or an answer to a monthly check-in. */
async function answerReply(ctx: CommandContext, replyTo: string): Promise<Reply | null> {
  if (DONE_WORDS.has(fold(ctx.message.text).replace(/[.!]+$/, ''))) return replyDone(ctx, replyTo);
  return replyCheckin(ctx, replyTo);
}

/** Any reply to a monthly check-in question records the answer for the replier's unit's tasks in it. */
async function replyCheckin(ctx: CommandContext, replyTo: string): Promise<Reply | null> {
  const assignments = await checkinsOfMessage(ctx.prisma, ctx.message.chat, replyTo);
  if (!assignments.length) return null;
  const me = await who(ctx);
  const mine = assignments.filter((a) => (me.groupUnit ? a.unitId === me.groupUnit.id : me.units.includes(a.unitId)) && (me.admin || me.units.includes(a.unitId)));
  if (!mine.length) return text('Chỉ cán bộ đầu mối của đơn vị được hỏi mới ghi nhận được kết quả; hãy trả lời trong nhóm của đơn vị.');
  const answer = capNote(ctx.message.text.trim());
  await recordCheckins(ctx.prisma, actorOf(ctx), mine.map((a) => a.taskId), answer.text);
  const thanks = `📝 Đã ghi nhận kết quả của ${mine[0]!.unitName} cho nhiệm vụ ${mine.map((a) => a.taskCode).join(', ')}. Cảm ơn anh/chị!`;
  return text(answer.cut ? `${thanks}\n${cutNotice('Câu trả lời')}` : thanks);
}

/** "xong" as a reply to a reminder: the reminder must carry exactly one task still open. */
async function replyDone(ctx: CommandContext, replyTo: string): Promise<Reply | null> {
  const tasks = await openTasksOfMessage(ctx.prisma, ctx.message.chat, replyTo);
  if (!tasks) return null;
  if (!tasks.length) return text('Các nhiệm vụ trong tin nhắc này đều đã được đánh dấu hoàn thành.');
  if (tasks.length > 1) {
    const codes = tasks.map((t) => t.code).join(', ');
    return text(`Tin nhắc này còn ${tasks.length} nhiệm vụ chưa xong (${codes}). Xin gõ /done <mã> cho từng nhiệm vụ đã xong.`);
  }
  return completeTask(ctx, tasks[0]!, await who(ctx));
}
