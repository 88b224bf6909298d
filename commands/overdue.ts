import { formatVi } from '../src/core/dates.ts';
import { describeOffset, shorten } from '../src/core/messages.ts';
import { localDateOf } from '../src/core/time.ts';
import { overdueItems, type OpenItem } from '../src/store/occurrences.ts';
import { text, type Command, type CommandContext } from './context.ts';
import { scopeLabel, unitScope } from './lookup.ts';

export const overdue: Command = {
  name: 'overdue',
  aliases: ['quahan'],
  usage: '/overdue [đơn vị]',
  summary: 'các nhiệm vụ quá hạn của một đơn vị (mặc định: đơn vị của nhóm, nhắn riêng thì đơn vị của anh/chị; "tất cả" cho mọi đơn vị)',
  access: 'member',
  async run(ctx) {
    const today = localDateOf(ctx.now, ctx.zone);
    const scope = await unitScope(ctx, ctx.args);
    if (!scope.ok) return text(scope.reply);
    const units = scope.value.units;
    const items = await overdueItems(ctx.prisma, today, units?.map((u) => u.id));
    const label = scopeLabel(scope.value);
    if (!items.length) return text(`👍 Không có nhiệm vụ quá hạn ${label} (tính đến ${formatVi(today)}).`);
    return text(listItems(ctx, `❗ ${items.length} nhiệm vụ quá hạn ${label} (tính đến ${formatVi(today)}):`, items, units?.length !== 1));
  },
};

/** One collator for every comparison: localeCompare(…, 'vi') builds one per call. */
const VI = new Intl.Collator('vi');

/** Lines of open items, grouped by unit when several units are listed. */
export function listItems(ctx: CommandContext, title: string, items: OpenItem[], byUnit: boolean): string {
  // today once: a time-zone conversion per line was most of the reply's time for a unit's hundreds of lines
  const today = localDateOf(ctx.now, ctx.zone);
  const memo = new Map<string, string>(); // a unit's hundreds of lines share a few dozen due days
  const offsets = (due: string) => memo.get(due) ?? memo.set(due, describeOffset(ctx.calendar.workingDaysBetween(due, today))).get(due)!;
  const lines = [title];
  let unit = '';
  for (const item of [...items].sort((a, b) => (byUnit ? VI.compare(a.unitName, b.unitName) : 0) || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))) {
    if (byUnit && item.unitName !== unit) {
      lines.push(`\n📌 ${item.unitName}`);
      unit = item.unitName;
    }
    lines.push(`• ${item.code} ${shorten(item.content, 90)}\n   Hạn ${formatVi(item.due)} (${offsets(item.due)}) · /done ${item.code}`);
  }
  return lines.join('\n');
}
