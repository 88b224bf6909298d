import { parseArgs } from 'node:util';
import { formatVi } from '../core/dates.ts';
import { interpretDeadline, KIND_LABELS } from '../core/deadline/index.ts';
import { loadCalendar } from '../files/calendar-data.ts';
import { UsageError, type CliCommand } from './io.ts';
import { parseYear } from './args.ts';
import { rawSetting } from '../config.ts';

/** A word that begins with a dash and a space or a letter outside ASCII ("- Quý I", "–Trước 15/9"): a phrase, not an option. */
const BULLET = /^[-–—+•]\s|^[-–—]\p{L}/u;

export const deadline: CliCommand = {
  usage: 'deadline "<cụm từ thời hạn>" --year NĂM',
  summary: 'xem bot hiểu một cụm từ thời hạn ra sao (loại, các ngày hạn)',
  options: [['--year NĂM', 'năm của kế hoạch (bắt buộc): điền năm cho cụm từ không ghi năm']],
  notes: [
    'Cụm từ viết trong dấu ngoặc kép. Cụm từ bắt đầu bằng gạch đầu dòng ("- ...") đặt sau "--":',
    '  nhacviec deadline --year 2024 -- "- Trong quý II/2024. - Trước ngày 01/01/2025."',
    'Ví dụ: nhacviec deadline "Định kỳ hằng tháng (trước ngày 22 hằng tháng)" --year 2024',
  ],
  async run(args) {
    // a bullet phrase given without "--" still reads as the phrase (parseArgs would call it an unknown option):
    // it stands in the arguments as its index until parsed
    const end = args.includes('--') ? args.indexOf('--') : args.length;
    const bullets: string[] = [];
    const masked = args.map((a, i) => (i < end && BULLET.test(a) ? `\u0000${bullets.push(a) - 1}` : a));
    const { values, positionals } = parseArgs({ args: masked, options: { year: { type: 'string' } }, allowPositionals: true });
    const phrase = positionals.map((p) => (p.startsWith('\u0000') ? bullets[Number(p.slice(1))]! : p)).join(' ').trim();
    if (!phrase) throw new UsageError('Thiếu cụm từ thời hạn, ví dụ: nhacviec deadline "Quý I/2023" --year 2023');
    const year = parseYear(values.year);
    const d = interpretDeadline(phrase, year, { calendar: loadCalendar(rawSetting('NHACVIEC_CALENDAR_DIR')) });
    const json = { kind: d.kind, dues: d.dues, event: d.event, label: d.label };
    const text = [`Loại: ${KIND_LABELS[d.kind]}`, `Diễn giải: ${d.label}`, d.dues.length ? `Hạn (${d.dues.length}): ${d.dues.map(formatVi).join(', ')}` : 'Không có ngày hạn cố định'].join('\n');
    return { json, text };
  },
};
