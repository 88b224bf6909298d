import { fold } from '../src/core/text.ts';
import { outboxOfDelivered } from '../src/store/outbox.ts';
import { seeGroup } from '../src/store/groups.ts';
import { audit } from '../src/store/audit.ts';
import type { IncomingMessage, Reply } from '../src/transports/transport.ts';
import type { Logger } from '../src/log.ts';
import { actorOf, text, type Command, type CommandContext } from './context.ts';
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
import { nhacrieng } from './nhacrieng.ts';

export const commands: Command[] = [done, undo, overdue, upcoming, task, list, report, event, hoso, xinloi, myid, nhacrieng, quantri, bind, officer, setdeadline, pause, resume];
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

/**
 * Answers one incoming chat message: a command, or a reply "xong" to a reminder. Returns null for
 * anything not meant for the bot. Never throws: a failure becomes a polite Vietnamese reply.
 */
export async function handleMessage(services: Services, incoming: IncomingMessage): Promise<Reply | null> {
  // a lone UTF-16 surrogate (a broken emoji from a client) cannot be stored: replace it, keep the rest
  const message = { ...incoming, text: incoming.text.toWellFormed(), userName: incoming.userName.toWellFormed(), ...(incoming.chatTitle ? { chatTitle: incoming.chatTitle.toWellFormed() } : {}) };
  const match = COMMAND.exec(message.text.trim());
  const base = { prisma: services.prisma, zone: services.zone, calendar: services.calendar, admins: services.admins, ...(services.letter ? { letter: services.letter } : {}), message, now: services.clock() };
  try {
    if (!match) {
      if (message.text.trim().startsWith('/')) return text('Không hiểu lệnh này. Lệnh gõ dạng /done 3.2; gõ /help để xem các lệnh.');
      if (!message.replyTo) return null;
      if (DONE_WORDS.has(fold(message.text).replace(/[.!]+$/, ''))) return await replyDone({ ...base, args: '' }, message.replyTo);
      return await replyCheckin({ ...base, args: '' }, message.replyTo);
    }
    // "/cmd@otherbot" never reaches here: the Telegram transport drops it and strips "@ourbot"
    const [, name = '', , args = ''] = match;
    await seeGroup(services.prisma, message.chat, message.chatTitle);
    const command = commandOf(message.text);
    if (!command) return text(`Không có lệnh /${name}. Gõ /help để xem các lệnh.`);
    const ctx: CommandContext = { ...base, args };
    if (command.adminOnly && !(await who(ctx)).admin) {
      return text(`Lệnh /${command.name} chỉ dành cho quản trị viên. Liên hệ bộ phận CNTT của cơ quan điều phối nếu cần.`);
    }
    return await command.run(ctx);
  } catch (error) {
    services.log.error({ err: error instanceof Error ? error.stack : String(error), chat: message.chat }, 'command failed');
    return text('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; vui lòng thử lại sau ít phút.');
  }
}

/** Any reply to a monthly check-in question records the answer for the replier's unit's tasks in it. */
async function replyCheckin(ctx: CommandContext, replyTo: string): Promise<Reply | null> {
  const delivered = await ctx.prisma.delivered.findUnique({
    where: { chat_messageId: { chat: ctx.message.chat, messageId: replyTo } },
    select: { outbox: { select: { notices: { select: { key: true } } } } },
  });
  const checkins = delivered?.outbox.notices.filter((n) => n.key.startsWith('checkin:')) ?? [];
  if (!checkins.length) return null;
  const assignmentIds = checkins.map((n) => Number(n.key.split(':')[1])).filter(Number.isInteger);
  const me = await who(ctx);
  const assignments = await ctx.prisma.assignment.findMany({
    where: { id: { in: assignmentIds } },
    select: { id: true, unitId: true, taskId: true, unit: { select: { name: true } }, task: { select: { code: true } } },
  });
  const mine = assignments.filter((a) => (me.groupUnit ? a.unitId === me.groupUnit.id : me.units.includes(a.unitId)) && (me.admin || me.units.includes(a.unitId)));
  if (!mine.length) return text('Chỉ cán bộ đầu mối của đơn vị được hỏi mới ghi nhận được kết quả; hãy trả lời trong nhóm của đơn vị.');
  await ctx.prisma.$transaction(async (tx) => {
    for (const a of mine) {
      await audit(tx, actorOf(ctx), { action: 'checkin', taskId: a.taskId, detail: ctx.message.text.trim() });
    }
  });
  return text(`📝 Đã ghi nhận kết quả của ${mine[0]!.unit.name} cho nhiệm vụ ${mine.map((a) => a.task.code).join(', ')}. Cảm ơn anh/chị!`);
}

/** "xong" as a reply to a reminder: the reminder must carry exactly one task. */
async function replyDone(ctx: CommandContext, replyTo: string): Promise<Reply | null> {
  const delivered = await outboxOfDelivered(ctx.prisma, ctx.message.chat, replyTo);
  if (!delivered) return null;
  const occurrenceIds = delivered.outbox.notices.map((n) => n.occurrenceId).filter((id): id is number => id !== null);
  // only what is still open counts: "xong" to a two-task reminder whose other task is done is unambiguous
  const tasks = await ctx.prisma.task.findMany({
    where: { assignments: { some: { occurrences: { some: { id: { in: occurrenceIds }, status: 'open' } } } } },
    select: { id: true, code: true, content: true, planId: true, plan: { select: { name: true, year: true } } },
  });
  if (!tasks.length) return text('Các nhiệm vụ trong tin nhắc này đều đã được đánh dấu hoàn thành.');
  if (tasks.length > 1) {
    const codes = tasks.map((t) => t.code).join(', ');
    return text(`Tin nhắc này còn ${tasks.length} nhiệm vụ chưa xong (${codes}). Xin gõ /done <mã> cho từng nhiệm vụ đã xong.`);
  }
  const t = tasks[0]!;
  const ref = { id: t.id, code: t.code, content: t.content, planId: t.planId, planName: t.plan.name, planYear: t.plan.year };
  return completeTask(ctx, ref, await who(ctx));
}
