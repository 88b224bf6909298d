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

/** Lines of open items, grouped by unit when several units are listed. */
export function listItems(ctx: CommandContext, title: string, items: OpenItem[], byUnit: boolean): string {
  const offsets = (due: string) => describeOffset(workingOffset(ctx, due));
  const lines = [title];
  let unit = '';
  for (const item of [...items].sort((a, b) => (byUnit ? a.unitName.localeCompare(b.unitName, 'vi') : 0) || a.due.localeCompare(b.due))) {
    if (byUnit && item.unitName !== unit) {
      lines.push(`\n📌 ${item.unitName}`);
      unit = item.unitName;
    }
    lines.push(`• ${item.code} ${shorten(item.content, 90)}\n   Hạn ${formatVi(item.due)} (${offsets(item.due)}) · /done ${item.code}`);
  }
  return lines.join('\n');
}

function workingOffset(ctx: CommandContext, due: string): number {
  return ctx.calendar.workingDaysBetween(due, localDateOf(ctx.now, ctx.zone));
}
