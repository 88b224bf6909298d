import { formatVi } from '../src/core/dates.ts';
import { describeOffset, shorten } from '../src/core/messages.ts';
import { again, PAGE_SIZE, pageReply, parsePage } from '../src/core/paging.ts';
import { localDateOf } from '../src/core/time.ts';
import { overdueItems, type OpenItem } from '../src/store/occurrences.ts';
import { text, type Command, type CommandContext } from './context.ts';
import { scopeLabel, scopeWords, unitScope } from './lookup.ts';

export const overdue: Command = {
  name: 'overdue',
  aliases: ['quahan'],
  usage: '/overdue [đơn vị] [trang N]',
  summary: `các nhiệm vụ quá hạn của một đơn vị, trễ nhất trước, mỗi trang ${PAGE_SIZE} nhiệm vụ (mặc định: đơn vị của nhóm, nhắn riêng thì đơn vị của anh/chị; "tất cả" cho mọi đơn vị; trang sau: thêm "trang 2")`,
  access: 'member',
  async run(ctx) {
    const today = localDateOf(ctx.now, ctx.zone);
    const ask = parsePage(ctx.args, 'overdue');
    if (!ask.ok) return text(ask.reply);
    const scope = await unitScope(ctx, ask.rest);
    if (!scope.ok) return text(scope.reply);
    const units = scope.value.units;
    const items = await overdueItems(ctx.prisma, today, units?.map((u) => u.id));
    const label = scopeLabel(scope.value);
    if (!items.length) return text(`👍 Không có nhiệm vụ quá hạn ${label} (tính đến ${formatVi(today)}).`);
    const byUnit = units?.length !== 1;
    return text(
      pageReply(sortItems(items, byUnit), ask, {
        title: `❗ ${items.length} nhiệm vụ quá hạn ${label} (tính đến ${formatVi(today)})`,
        again: again('overdue', scopeWords(scope.value, ask.rest)),
        render: (page) => itemLines(ctx, page, byUnit),
      }),
    );
  },
};

/** One collator for every comparison: localeCompare(…, 'vi') builds one per call. */
const VI = new Intl.Collator('vi');

/** A listing's order: by unit when several are listed, then the earliest due (the most overdue) first. */
export function sortItems(items: OpenItem[], byUnit: boolean): OpenItem[] {
  return [...items].sort((a, b) => (byUnit ? VI.compare(a.unitName, b.unitName) : 0) || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** Lines of open items in the order given, under a unit's name when several units are listed (again on each page). */
export function itemLines(ctx: CommandContext, items: OpenItem[], byUnit: boolean): string[] {
  // today once: a time-zone conversion per line was most of the reply's time for a unit's hundreds of lines
  const today = localDateOf(ctx.now, ctx.zone);
  const memo = new Map<string, string>(); // a unit's hundreds of lines share a few dozen due days
  const offsets = (due: string) => memo.get(due) ?? memo.set(due, describeOffset(ctx.calendar.workingDaysBetween(due, today))).get(due)!;
  const lines: string[] = [];
  let unit = '';
  for (const item of items) {
    if (byUnit && item.unitName !== unit) {
      lines.push(`\n📌 ${item.unitName}`);
      unit = item.unitName;
    }
    lines.push(`• ${item.code} ${shorten(item.content, 90)}\n   Hạn ${formatVi(item.due)} (${offsets(item.due)}) · /done ${item.code}`);
  }
  return lines;
}
