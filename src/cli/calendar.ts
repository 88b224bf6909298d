import { parseArgs } from 'node:util';
import { formatVi } from '../core/dates.ts';
import { loadCalendar } from '../files/calendar-data.ts';
import type { CliCommand } from './io.ts';
import { parseYear } from './args.ts';
import { rawSetting } from '../config.ts';

export const calendar: CliCommand = {
  usage: 'calendar --year NĂM',
  summary: 'lịch làm việc của một năm: ngày nghỉ, Thứ Bảy đi làm bù',
  options: [['--year NĂM', 'năm cần xem (bắt buộc)']],
  notes: ['Năm đã công bố lấy từ data/calendar/NĂM.json; năm khác là lịch tạm tính theo Bộ luật Lao động.'],
  async run(args) {
    const { values } = parseArgs({ args, options: { year: { type: 'string' } } });
    const calendar = loadCalendar(rawSetting('NHACVIEC_CALENDAR_DIR'));
    const y = calendar.year(parseYear(values.year));
    const sources = calendar.sourcesOf(y.year);
    const text = [
      `Lịch làm việc năm ${y.year} (${y.status === 'official' ? 'đã công bố' : 'tạm tính, chưa công bố chính thức'})`,
      ...(sources.length ? ['Căn cứ:', ...sources.map((s) => `  - ${s}`)] : []),
      'Ngày nghỉ (ngoài Thứ Bảy, Chủ nhật):',
      ...y.daysOff.map((d) => `  ${formatVi(d.date)}  ${d.reason}`),
      y.workedSaturdays.length ? `Thứ Bảy đi làm: ${y.workedSaturdays.map(formatVi).join(', ')}` : 'Không có Thứ Bảy đi làm bù.',
    ].join('\n');
    return { json: { ...y, sources }, text };
  },
};
