import { parseArgs } from 'node:util';
import { parseInstant } from '../core/time.ts';
import { runRound } from '../reminders.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';

export const remind: CliCommand = {
  usage: 'remind --at THỜI_ĐIỂM [--dry-run]',
  summary: 'chạy một lượt nhắc việc như thể đồng hồ đang chỉ thời điểm đó',
  options: [
    ['--at THỜI_ĐIỂM', 'ví dụ 2023-02-13T08:00 (giờ Việt Nam nếu không ghi múi giờ) (bắt buộc)'],
    ['--dry-run', 'chỉ xem lượt nhắc sẽ nói gì, không ghi nhận'],
  ],
  notes: ['Lượt nhắc được ghi vào cơ sở dữ liệu; bot đang chạy (npm start) sẽ gửi đi trong vài giây.'],
  async run(args, env) {
    const { values } = parseArgs({ args, options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
    if (!values.at) throw new UsageError('Thiếu --at, ví dụ --at 2023-02-13T08:00 (giờ Việt Nam nếu không ghi múi giờ)');
    return withApp(env, async (app) => {
      const at = parseInstant(values.at!, app.settings.timezone);
      if (!at) throw new UsageError(`--at "${values.at}" không phải thời điểm hợp lệ; ví dụ 2023-02-13T08:00 hoặc 2023-02-13T08:00+07:00`);
      const dryRun = values['dry-run'];
      const recorded = await runRound(app.roundDeps, at, { dryRun });
      if (!recorded) throw new Error('Một tiến trình khác đang chạy lượt nhắc việc; thử lại sau ít phút.');
      const { plan } = recorded;
      // The CLI records; the running bot's sender (npm start) delivers the recorded rows within seconds. A sender
      // here would have no transport started and would only push the rows back as failed attempts.
      const messages = plan.messages.map((m) => ({ chat: m.chat, kind: m.kind, tasks: m.tasks, text: m.text }));
      const why = plan.skipped === 'not_working_day' ? 'không phải ngày làm việc' : plan.skipped === 'outside_office_hours' ? 'ngoài giờ hành chính' : null;
      const text = why
        ? `Không nhắc việc lúc này: ${why}.`
        : messages.length
          ? messages.map((m) => `── ${m.chat} (${m.kind}) ──\n${m.text}`).join('\n\n')
          : 'Không có nhắc việc mới trong lượt này.';
      return { json: { at: at.toISOString(), messages }, text: `${text}${dryRun ? '\n(thử, chưa ghi nhận)' : ''}` };
    }, { existingOnly: values['dry-run'] });
  },
};
