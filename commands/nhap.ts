import { applyImport, ArchiveGuardError, archiveWarning, MAX_IMPORT_BYTES, previewImport, readableFileName, UnrecognizedFileError, type ImportDeps, type Preview } from '../src/chat-import.ts';
import { formatInstantVi } from '../src/core/time.ts';
import { PlanFileError } from '../src/import/errors.ts';
import {
  cancelImport,
  claimImport,
  createPendingImport,
  fileOf,
  findPendingImport,
  finishImport,
  releaseImport,
  revisePlan,
  type PendingImportRow,
} from '../src/store/pending-imports.ts';
import { FileTooLargeError } from '../src/transports/download.ts';
import { splitAddress, type Button, type Reply } from '../src/transports/transport.ts';
import { actorOf, text, type Command, type CommandContext } from './context.ts';
import { who } from './lookup.ts';

/**
 * Plans, unit registries and dossier lists sent as files in the chat: an administrator sends the file, the bot
 * answers with a preview and two buttons, "Nhập" and "Hủy" (typed: /nhap ok, /nhap huy); nothing is written
 * before "Nhập", and a second "Nhập" imports nothing (src/store/pending-imports.ts).
 */

const USAGE = '/nhap ok|huy|nam <năm>|ten <tên kế hoạch>|ok luutru';
/** the word that confirms a re-import archiving more than half of a plan ("/nhap ok luutru") */
const ARCHIVE = /^(luutru|lưutrữ|lưu-trữ)$/i;
const HOW = 'Gửi tệp kế hoạch (Word .docx hoặc Excel .xlsx), danh mục đơn vị hoặc danh sách hồ sơ xuất từ hệ thống một cửa vào đây (tin nhắn riêng với bot, hoặc nhóm của văn phòng); bot cho xem trước rồi hỏi Nhập hay Hủy.';
const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const addressed = (caption: string) => /^\/(nhap|nhập|import)(?=\s|$)/i.test(caption.trim());

export const nhap: Command = {
  name: 'nhap',
  aliases: ['import'],
  usage: USAGE,
  summary: 'nhập kế hoạch, danh mục đơn vị, danh sách hồ sơ: gửi tệp vào chat, xem trước rồi bấm Nhập (/nhap ok) hoặc Hủy (/nhap huy)',
  access: 'admin',
  heavy: true,
  async run(ctx) {
    const [verb = '', ...rest] = ctx.args.trim().split(/\s+/);
    switch (verb.toLowerCase()) {
      case 'ok':
      case 'nhap':
      case 'nhập': {
        // "/nhap ok luutru", "/nhap ok <mã> luutru", "/nhap ok lưu trữ"
        const words = rest.join(' ').replace(/lưu\s+trữ/i, 'luutru').split(/\s+/).filter(Boolean);
        const archive = words.some((w) => ARCHIVE.test(w));
        return confirm(ctx, words.find((w) => !ARCHIVE.test(w)) ?? null, archive);
      }
      case 'huy':
      case 'hủy':
        return cancel(ctx, rest[0] ?? null);
      case 'nam':
      case 'năm':
        return chooseYear(ctx, rest[0] ?? '', rest[1] ?? null);
      case 'ten':
      case 'tên':
        return rename(ctx, ctx.args.trim().slice(verb.length).trim());
      case '':
        return text(`${HOW}\nSau khi xem trước: ${USAGE}`);
      default:
        // the console sends "/nhap <đường dẫn>" of an existing file as a file; anything else lands here
        return text(ctx.message.chat.startsWith('console:') ? `Không tìm thấy tệp "${ctx.args.trim()}" trên máy này. Cách dùng: /nhap <đường dẫn tệp>` : `Cách dùng: ${USAGE}\n${HOW}`);
    }
  },
};

/**
 * A file someone sent. In a private chat it is always for the bot; in a group when its caption is /nhap, or
 * when an administrator sends one of the three lists (others share photos and minutes there: no answer).
 */
export async function receiveFile(ctx: CommandContext): Promise<Reply | null> {
  const file = ctx.message.file!;
  const privateChat = splitAddress(ctx.message.chat).id === splitAddress(ctx.message.user).id;
  const forUs = privateChat || addressed(ctx.message.text);
  const me = await who(ctx);
  if (!me.admin) {
    return forUs ? text('Xin lỗi, chỉ quản trị viên của Nhắc việc mới nhập được kế hoạch, danh mục đơn vị hay danh sách hồ sơ. Nếu cần nhập tệp này, anh/chị vui lòng gửi cho quản trị viên.') : null;
  }
  if (!readableFileName(file.name)) {
    return forUs ? text(`Tệp "${file.name}" không nhập được: bot nhận bản Word (.docx), Excel (.xlsx) hoặc CSV/TSV/TXT của kế hoạch, danh mục đơn vị hay danh sách hồ sơ.`) : null;
  }
  const tooLarge = text(`Tệp "${file.name}" lớn quá (giới hạn ${MB(MAX_IMPORT_BYTES)}); chưa nhập gì. Kiểm tra lại tệp, hoặc nhập bằng dòng lệnh trên máy chủ: npm run -s cli -- import <tệp> --year <năm>.`);
  if (file.size !== null && file.size > MAX_IMPORT_BYTES) return tooLarge;
  let data: Uint8Array;
  try {
    data = await file.download(MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof FileTooLargeError) return tooLarge;
    return text(`Không tải được tệp "${file.name}" từ ${platformName(ctx.message.chat)}; chưa nhập gì. Vui lòng gửi lại sau ít phút.`);
  }
  if (data.length > MAX_IMPORT_BYTES) return tooLarge;
  const captionYear = /(?<!\d)(20\d\d)(?!\d)/.exec(ctx.message.text)?.[1];
  let preview: Preview;
  try {
    preview = await previewImport(deps(ctx), { name: file.name, data }, captionYear ? { planYear: Number(captionYear) } : {});
  } catch (error) {
    // minutes or a report shared in a group are not for the bot: it says nothing unless asked (/nhap)
    if (error instanceof UnrecognizedFileError && !forUs) return null;
    if (error instanceof PlanFileError) return text(`Không nhập được tệp "${file.name}": ${error.message}\nChưa ghi gì.`);
    throw error;
  }
  const row = await createPendingImport(ctx.prisma, {
    kind: preview.kind,
    chat: ctx.message.chat,
    user: ctx.message.user,
    fileName: file.name,
    data,
    ...(preview.kind === 'plan' ? { planName: preview.planName, ...(preview.planYear ? { planYear: preview.planYear } : {}) } : {}),
    now: ctx.now,
  });
  return previewReply(ctx, row, preview);
}

function previewReply(ctx: CommandContext, row: PendingImportRow, preview: Preview): Reply {
  const cancelButton: Button = { label: '✖️ Hủy', data: `/nhap huy ${row.token}` };
  if (preview.kind === 'plan' && preview.planYear === null) {
    return { text: preview.text, buttons: [...preview.yearChoices.map((y) => ({ label: `Năm ${y}`, data: `/nhap nam ${y} ${row.token}` })), cancelButton] };
  }
  const until = `Chờ đến ${formatInstantVi(row.expiresAt, ctx.zone)}.`;
  if (preview.kind === 'plan' && preview.archive) {
    // no plain "Nhập" here: archiving most of a plan is confirmed by a button that says so
    const n = preview.archive.archived.length;
    return {
      text: `${preview.text}\n\nChưa ghi gì. Bấm "Nhập và lưu trữ ${n} nhiệm vụ" để nhập, "Hủy" để bỏ (hoặc gõ /nhap ok luutru, /nhap huy). ${until}`,
      buttons: [archiveButton(row.token, n), cancelButton],
    };
  }
  return {
    text: `${preview.text}\n\nChưa ghi gì. Bấm "Nhập" để nhập, "Hủy" để bỏ (hoặc gõ /nhap ok, /nhap huy). ${until}`,
    buttons: [{ label: '✅ Nhập', data: `/nhap ok ${row.token}` }, cancelButton],
  };
}

const archiveButton = (token: string, n: number): Button => ({ label: `⚠️ Nhập và lưu trữ ${n} nhiệm vụ`, data: `/nhap ok ${token} luutru` });

async function confirm(ctx: CommandContext, token: string | null, archive: boolean): Promise<Reply> {
  const row = await findPendingImport(ctx.prisma, ctx.message.chat, token);
  const settled = row && whyNot(ctx, row);
  if (!row || settled) return text(settled ?? nothingWaiting(token));
  if (!(await claimImport(ctx.prisma, row.id, ctx.message.user, ctx.now))) {
    // someone else's "Nhập" got there first (or it changed meanwhile): say what became of it
    const now = await findPendingImport(ctx.prisma, ctx.message.chat, row.token);
    return text((now && whyNot(ctx, now)) ?? 'Tệp này đang được nhập; vui lòng chờ giây lát.');
  }
  let result: string;
  try {
    result = await applyImport(deps(ctx), { kind: row.kind, file: { name: row.fileName, data: await fileOf(ctx.prisma, row.id) }, planName: row.planName, planYear: row.planYear, actor: actorOf(ctx), archive });
  } catch (error) {
    if (error instanceof ArchiveGuardError) {
      // nothing written; the preview still waits for the confirmation that names the archiving
      await releaseImport(ctx.prisma, row.id);
      const n = error.guard.archived.length;
      return {
        text: `Chưa nhập. ${archiveWarning(row.planName ?? row.fileName, error.guard)}\nBấm "Hủy" (hoặc gõ /nhap huy) để bỏ.`,
        buttons: [archiveButton(row.token, n), { label: '✖️ Hủy', data: `/nhap huy ${row.token}` }],
      };
    }
    if (error instanceof PlanFileError) {
      const said = `Không nhập được tệp "${row.fileName}": ${error.message}\nChưa ghi gì.`;
      await finishImport(ctx.prisma, row.id, 'failed', said);
      return text(said);
    }
    // the import is one transaction: it wrote nothing, and "Nhập" may be pressed again
    await releaseImport(ctx.prisma, row.id).catch(() => {});
    throw error;
  }
  // the import stands even if its row cannot be marked now: left 'importing', it answers "đang nhập", and a
  // "Nhập" after STALE_MS imports the same file again, which changes nothing
  await finishImport(ctx.prisma, row.id, 'done', result).catch(() => {});
  return text(result);
}

async function cancel(ctx: CommandContext, token: string | null): Promise<Reply> {
  const row = await findPendingImport(ctx.prisma, ctx.message.chat, token);
  if (!row) return text(nothingWaiting(token));
  if (await cancelImport(ctx.prisma, row.id, ctx.message.user, ctx.now)) return text(`Đã hủy, không nhập tệp "${row.fileName}".`);
  const now = await findPendingImport(ctx.prisma, ctx.message.chat, row.token);
  return text((now && whyNot(ctx, now)) ?? 'Tệp này đang được nhập nên không hủy được nữa.');
}

async function chooseYear(ctx: CommandContext, typed: string, token: string | null): Promise<Reply> {
  const year = /^\d{4}$/.test(typed) ? Number(typed) : NaN;
  if (!(year >= 2000 && year <= 2100)) return text(`"${typed}" không phải năm hợp lệ. Cách dùng: /nhap nam <năm>, ví dụ /nhap nam 2025.`);
  return revise(ctx, token, (row) => ({ name: row.planName!, year }));
}

async function rename(ctx: CommandContext, name: string): Promise<Reply> {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (!clean || clean.length > 200) return text('Cách dùng: /nhap ten <tên kế hoạch> (tối đa 200 ký tự), ví dụ /nhap ten Kế hoạch KSTTHC năm 2025.');
  return revise(ctx, null, (row) => ({ name: clean, year: row.planYear }));
}

/** A plan's year or name changed before "Nhập": a new preview with them. */
async function revise(ctx: CommandContext, token: string | null, change: (row: PendingImportRow) => { name: string; year: number | null }): Promise<Reply> {
  const row = await findPendingImport(ctx.prisma, ctx.message.chat, token);
  const settled = row && whyNot(ctx, row, true);
  if (!row || settled) return text(settled ?? nothingWaiting(token));
  if (row.kind !== 'plan') return text('Năm và tên chỉ dùng cho tệp kế hoạch; tệp đang chờ là danh mục đơn vị hoặc danh sách hồ sơ.');
  const { name, year } = change(row);
  let preview: Preview;
  try {
    preview = await previewImport(deps(ctx), { name: row.fileName, data: await fileOf(ctx.prisma, row.id) }, { planName: name, ...(year ? { planYear: year } : {}) });
  } catch (error) {
    if (error instanceof PlanFileError) return text(`Không đọc được tệp "${row.fileName}": ${error.message}\nChưa ghi gì.`);
    throw error;
  }
  if (preview.kind !== 'plan') return text('Tệp này không còn được đọc là kế hoạch; gửi lại tệp.');
  if (!(await revisePlan(ctx.prisma, row.id, preview.planName, preview.planYear, ctx.now))) {
    const now = await findPendingImport(ctx.prisma, ctx.message.chat, row.token);
    return text((now && whyNot(ctx, now, true)) ?? 'Tệp này không còn chờ nhập; gửi lại tệp.');
  }
  return previewReply(ctx, row, preview);
}

/** Why a preview cannot be acted on any more (done, cancelled, expired...), or null when it still waits. */
function whyNot(ctx: CommandContext, row: PendingImportRow, revising = false): string | null {
  const when = row.decidedAt ? formatInstantVi(row.decidedAt, ctx.zone) : '?';
  switch (row.status) {
    case 'done':
      return `Tệp "${row.fileName}" đã được nhập lúc ${when} (${row.decidedBy ?? '?'}); không nhập lại.\n${row.result ?? ''}`.trim();
    case 'cancelled':
      return `Tệp "${row.fileName}" đã bị hủy lúc ${when}; gửi lại tệp nếu muốn nhập.`;
    case 'failed':
      return row.result ?? `Tệp "${row.fileName}" không nhập được; chưa ghi gì.`;
    case 'importing':
      return revising ? 'Tệp này đang được nhập; vui lòng chờ giây lát.' : null;
    case 'awaiting_year':
      if (row.expiresAt <= ctx.now) break;
      return revising ? null : `Chưa biết năm của kế hoạch trong tệp "${row.fileName}". Gõ /nhap nam <năm>, ví dụ /nhap nam 2025, rồi bấm Nhập.`;
    case 'ready':
      if (row.expiresAt <= ctx.now) break;
      return null;
  }
  return `Bản xem trước của tệp "${row.fileName}" đã hết hạn (chờ tối đa 24 giờ); chưa nhập gì. Gửi lại tệp để nhập.`;
}

function nothingWaiting(token: string | null): string {
  return `${token ? `Không có tệp nào mang mã ${token} ở đây.` : 'Không có tệp nào đang chờ nhập trong cuộc trò chuyện này.'} ${HOW}`;
}

function platformName(chat: string): string {
  const transport = splitAddress(chat).transport;
  return transport === 'telegram' ? 'Telegram' : transport.startsWith('zalo') ? 'Zalo' : 'máy này';
}

function deps(ctx: CommandContext): ImportDeps {
  return { prisma: ctx.prisma, calendar: ctx.calendar, now: ctx.now, zone: ctx.zone };
}
