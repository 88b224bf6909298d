import { parseArgs } from 'node:util';
import { formatVi } from '../core/dates.ts';
import { interpretDeadline } from '../core/deadline/index.ts';
import { loadCalendar } from '../files/calendar-data.ts';
import { UsageError, type CliCommand } from './io.ts';
import { parseYear } from './args.ts';

export const deadline: CliCommand = {
  usage: 'deadline "<cụm từ thời hạn>" --year YYYY',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { year: { type: 'string' } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('Cần đúng một cụm từ thời hạn trong dấu ngoặc kép, ví dụ: deadline "Quý I/2023" --year 2023');
    const year = parseYear(values.year);
    const d = interpretDeadline(positionals[0]!, year, { calendar: loadCalendar() });
    const json = { kind: d.kind, dues: d.dues, event: d.event, label: d.label };
    const text = [`Loại: ${d.kind}`, `Diễn giải: ${d.label}`, d.dues.length ? `Hạn (${d.dues.length}): ${d.dues.map(formatVi).join(', ')}` : 'Không có ngày hạn cố định'].join('\n');
    return { json, text };
  },
};
