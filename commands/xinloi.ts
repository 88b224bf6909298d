import { formatVi } from '../src/core/dates.ts';
import { localDateOf } from '../src/core/time.ts';
import { parseTypedDate } from '../src/core/typed-date.ts';
import { apologyDocx, dossierLetterData, DOCX_MIME, letterFileName, loadTemplate, renderApologyText } from '../src/files/apology-letter.ts';
import { apologyRefusal, findDossier, normalizeDossierCode, recordApology } from '../src/store/dossiers.ts';
import { actorOf, text, type Command } from './context.ts';
import { mayActOn, refusal } from './hoso.ts';
import { who } from './lookup.ts';

const usage = '/xinloi <mã hồ sơ> <ngày hẹn mới> <lý do>';

/**
 * Records the apology for a late dossier and the new appointment date (once: the date may be reset only
 * once), and answers with the filled "Phiếu xin lỗi và hẹn lại ngày trả kết quả" as text and as a DOCX.
 */
export const xinloi: Command = {
  name: 'xinloi',
  aliases: ['xl', 'henlai'],
  usage,
  summary: 'ghi nhận Phiếu xin lỗi và hẹn lại ngày trả kết quả của hồ sơ trễ hẹn (một lần), kèm phiếu Word',
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
    const reason = words.join(' ');
    // checked before writing so a refusal says why with the stored data; recordApology checks again atomically
    const early = apologyRefusal(d, { newDue: newDue.date, reason, today });
    if (early) return text(`❌ ${early}`);

    const result = await recordApology(ctx.prisma, {
      code: d.code,
      newDue: newDue.date,
      reason,
      at: ctx.now,
      today,
      actor: actorOf(ctx),
      calendar: ctx.calendar,
    });
    if (result.kind === 'not_found') return text(`Không có hồ sơ mã "${d.code}".`);
    if (result.kind === 'refused') return text(`❌ ${result.reason}`);

    const saved = result.dossier;
    const data = dossierLetterData({ ...saved, apologized: true }, { ...ctx.letter, date: today });
    const template = loadTemplate();
    const letter = renderApologyText(template, data);
    const docx = await apologyDocx(data, template);
    const lines = [
      `✅ Đã ghi nhận Phiếu xin lỗi cho hồ sơ ${saved.code}: hẹn trả ${formatVi(result.previousDue)} → hẹn lại ${formatVi(saved.due)}; lý do: ${saved.apologyReason}.`,
      'Ngày trả kết quả chỉ được hẹn lại một lần. Bot sẽ nhắc nếu đến ngày hẹn mới mà chưa trả (/hoso tra ' + saved.code + ' khi đã trả).',
    ];
    if (result.afterDeadline && result.deadline) {
      lines.push(`⚠️ Ghi nhận sau thời hạn gửi phiếu (chậm nhất ngày ${formatVi(result.deadline)}, 01 ngày làm việc trước ngày hẹn trả).`);
    }
    lines.push('Nhớ thông báo Bộ phận Một cửa. Phiếu (bản Word kèm theo; điền số phiếu, địa danh, người ký):', '', letter);
    return { text: lines.join('\n'), attachment: { fileName: letterFileName(saved.code), data: docx, mime: DOCX_MIME } };
  },
};
