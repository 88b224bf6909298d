import { addDays, formatVi } from '../src/core/dates.ts';
import { localDateOf } from '../src/core/time.ts';
import { upcomingItems } from '../src/store/occurrences.ts';
import { text, type Command } from './context.ts';
import { lookupUnit, who } from './lookup.ts';
import { listItems } from './overdue.ts';

export const upcoming: Command = {
  name: 'upcoming',
  aliases: ['saptoi'],
  usage: '/upcoming [số ngày] [đơn vị]',
  summary: 'nhiệm vụ sắp đến hạn (mặc định 14 ngày tới, đơn vị của nhóm)',
  async run(ctx) {
    const m = /^(\d{1,3})?\s*([\s\S]*)$/.exec(ctx.args.trim())!;
    const days = m[1] ? Number(m[1]) : 14;
    if (days < 1 || days > 366) return text('Số ngày phải từ 1 đến 366, ví dụ /upcoming 30');
    let unit = (await who(ctx)).groupUnit;
    if (m[2]) {
      const found = await lookupUnit(ctx, m[2]);
      if (!found.ok) return text(found.reply);
      unit = found.value;
    }
    const today = localDateOf(ctx.now, ctx.zone);
    const items = await upcomingItems(ctx.prisma, today, addDays(today, days), unit ? [unit.id] : undefined);
    const scope = unit ? `của ${unit.name}` : 'của tất cả đơn vị';
    if (!items.length) return text(`Không có nhiệm vụ nào ${scope} đến hạn từ ${formatVi(today)} đến ${formatVi(addDays(today, days))}.`);
    return text(listItems(ctx, `⏰ ${items.length} nhiệm vụ ${scope} đến hạn trong ${days} ngày tới:`, items, !unit));
  },
};
