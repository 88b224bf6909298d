import { formatVi } from '../src/core/dates.ts';
import { dossierLetterData, letterFileName, renderApologyText, type LetterTemplate } from '../src/core/apology-letter.ts';
import { localDateOf } from '../src/core/time.ts';
import { parseTypedDate } from '../src/core/typed-date.ts';
import { apologyDocx, deploymentTemplate, DOCX_MIME } from '../src/files/apology-letter.ts';
import { apologyRefusal, normalizeReason, recordApology } from '../src/store/apologies.ts';
import { findDossier, normalizeDossierCode } from '../src/store/dossiers.ts';
import { actorOf, capNote, cutNotice, text, type Command } from './context.ts';
import { mayActOn, refusal } from './hoso.ts';
import { who } from './lookup.ts';

const usage = '/xinloi <mã hồ sơ> <ngày hẹn mới> <lý do>';

/**
 * Records the apology for a late dossier and the new appointment date (once: the date may be reset only
 * once), and answers with the filled letter of the deployment's form as text and as a DOCX.
 *
 * All or nothing: the letter is rendered from what would be stored before anything is written, so a template
 * that cannot be read or filled changes nothing and says so (and a retry works once it is fixed); the write
 * is one transaction and the last step that can fail, so an error after it cannot leave half an apology.
 */
export const xinloi: Command = {
  name: 'xinloi',
  aliases: ['xl', 'henlai'],
  usage,
  summary: 'ghi nhận văn bản xin lỗi và ngày hẹn trả mới của hồ sơ trễ hẹn (một lần), kèm văn bản Word',
  access: 'member',
  async run(ctx) {
    const [typed = '', dateText = '', ...words] = ctx.args.trim().split(/\s+/);
    if (!typed) return text(`Cách dùng: ${usage}\nVí dụ: /xinloi 000.00.20.H12-230420-0001 10/05/2023 cần lấy ý kiến cơ quan liên quan`);
    const today = localDateOf(ctx.now, ctx.zone);
    const d = await findDossier(ctx.prisma, typed);
    if (!d) return text(`Không có hồ sơ mã "${normalizeDossierCode(typed)}". Đăng ký hồ sơ trước bằng /hoso <mã> <ngày hẹn trả> [thủ tục].`);
    const me = await who(ctx);
    if (!mayActOn(me, d)) return text(refusal(d));
    if (!dateText) return text(`Thiếu ngày hẹn mới và lý do. Cách dùng: ${usage}`);
    const newDue = parseTypedDate(dateText, today);
    if (!newDue.ok) return text(`${newDue.reason}. Cách dùng: ${usage}`);
    const reason = capNote(words.join(' '));
    // checked before writing so a refusal says why with the stored data; recordApology checks again atomically
    const early = apologyRefusal(d, { newDue: newDue.date, reason: reason.text, today });
    if (early) return text(`❌ ${early}`);

    // the letter of what is about to be stored, before anything is written
    const stored = { ...d, originalDue: d.originalDue ?? d.due, due: newDue.date, apologized: true, apologyReason: normalizeReason(reason.text) };
    const data = dossierLetterData(stored, ctx.letter, { date: today });
    let template: LetterTemplate;
    let letter: string;
    let docx: Uint8Array;
    try {
      template = deploymentTemplate(ctx.letter);
      letter = renderApologyText(template, data);
      docx = await apologyDocx(data, template);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return text(`❌ Chưa ghi nhận gì cho hồ sơ ${d.code}: không tạo được văn bản xin lỗi (${why}). Đề nghị quản trị viên sửa mẫu văn bản rồi gõ lại lệnh.`);
    }

    const result = await recordApology(ctx.prisma, {
      code: d.code,
      newDue: newDue.date,
      reason: reason.text,
      at: ctx.now,
      today,
      actor: actorOf(ctx),
      calendar: ctx.calendar,
    });
    if (result.kind === 'not_found') return text(`Không có hồ sơ mã "${d.code}".`);
    if (result.kind === 'refused') return text(`❌ ${result.reason}`);

    const lines = [
      `✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ ${d.code}: hẹn trả ${formatVi(result.previousDue)} → hẹn lại ${formatVi(newDue.date)}; lý do: ${stored.apologyReason}.`,
      `Ngày trả kết quả chỉ được hẹn lại một lần. Bot sẽ nhắc nếu đến ngày hẹn mới mà chưa trả (/hoso tra ${d.code} khi đã trả).`,
    ];
    if (reason.cut) lines.push(cutNotice('Lý do'));
    if (result.afterDeadline && result.deadline) {
      lines.push(`⚠️ Ghi nhận sau thời hạn gửi văn bản xin lỗi (chậm nhất ngày ${formatVi(result.deadline)}, 01 ngày làm việc trước ngày hẹn trả).`);
    }
    lines.push(`Nhớ thông báo ${data.oneStopDesk}. ${template.name} (bản Word kèm theo; điền số văn bản, địa danh, người ký):`, '', letter);
    return { text: lines.join('\n'), attachment: { fileName: letterFileName(template, d.code), data: docx, mime: DOCX_MIME } };
  },
};
