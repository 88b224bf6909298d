import { formatVi } from '../src/core/dates.ts';
import { totals } from '../src/core/report.ts';
import { localDateOf } from '../src/core/time.ts';
import { unitFigures } from '../src/store/report.ts';
import { text, type Command } from './context.ts';

const MAX_UNITS = 25;

export const report: Command = {
  name: 'report',
  aliases: ['baocao'],
  usage: '/report',
  summary: 'số liệu bốn trạng thái theo từng đơn vị',
  async run(ctx) {
    const figures = await unitFigures(ctx.prisma, ctx.now, ctx.zone);
    if (!figures.length) return text('Chưa có kế hoạch nào được nhập nên chưa có số liệu.');
    const sum = totals(figures);
    const lines = [
      `📊 Tình hình thực hiện đến ngày ${formatVi(localDateOf(ctx.now, ctx.zone))}`,
      `Tổng: ✅ đúng hạn ${sum.done_on_time} · ☑️ quá hạn ${sum.done_late} · ⏳ trong hạn ${sum.open_in_time} · ❗ chưa xong, quá hạn ${sum.open_overdue} · ∞ không thời hạn ${sum.no_deadline}`,
      '',
      'Đơn vị: đúng hạn / hoàn thành quá hạn / đang trong hạn / chưa xong quá hạn / không thời hạn',
      ...figures.slice(0, MAX_UNITS).map((f) => `${f.open_overdue ? '❗' : '•'} ${f.unit}: ${f.done_on_time} / ${f.done_late} / ${f.open_in_time} / ${f.open_overdue} / ${f.no_deadline}`),
    ];
    if (figures.length > MAX_UNITS) lines.push(`… và ${figures.length - MAX_UNITS} đơn vị khác (xem tệp báo cáo đầy đủ bằng lệnh report của quản trị viên).`);
    return text(lines.join('\n'));
  },
};
