import { addDays, daysBetween, formatVi, type LocalDate } from '../src/core/dates.ts';
import { again, PAGE_SIZE, pageReply, parsePage } from '../src/core/paging.ts';
import { fold } from '../src/core/text.ts';
import { localDateOf } from '../src/core/time.ts';
import { parseTypedDate } from '../src/core/typed-date.ts';
import { upcomingItems } from '../src/store/occurrences.ts';
import { text, type Command } from './context.ts';
import { scopeLabel, scopeWords, unitScope } from './lookup.ts';
import { itemLines, sortItems } from './overdue.ts';

const DEFAULT_DAYS = 14;
const MAX_DAYS = 366;
const HOW = `Cách dùng: /upcoming [số ngày hoặc đến ngày] [đơn vị], ví dụ /upcoming 30, /upcoming 30/06/2023 hoặc /upcoming 30 Phòng Tư pháp (số ngày từ 1 đến ${MAX_DAYS}, mặc định ${DEFAULT_DAYS}).`;

const FILLER = new Set(['den', 'ngay', 'toi', 'trong', 'truoc']);

/** `typed`: the words that gave the horizon (asked again for a next page), `rest`: the words after them. */
type Horizon = { ok: true; until: LocalDate; typed: string; rest: string } | { ok: false; reply: string };

/** The first word: a number of days ("30", "30 ngày"), a date ("30/6", "30/06/2023"), or neither (a unit). */
export function parseHorizon(args: string, today: LocalDate): Horizon {
  const all = args.trim().split(/\s+/);
  // "trong 30 ngày", "đến ngày 30/6": the words before a number are the user being polite
  let i = 0;
  while (i < all.length - 1 && FILLER.has(fold(all[i]!))) i++;
  const [first = '', ...words] = /^[+-]?\d/.test(all[i]!) ? all.slice(i) : all;
  if (/^[+-]?\d+(?:[.,]\d+)?$/.test(first)) {
    const days = Number(first.replace(',', '.'));
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) return { ok: false, reply: `"${first}" không phải số ngày hợp lệ: số ngày phải là số nguyên từ 1 đến ${MAX_DAYS}.\n${HOW}` };
    const rest = words[0] && fold(words[0]) === 'ngay' ? words.slice(1) : words;
    return { ok: true, until: addDays(today, days), typed: all.slice(0, all.length - rest.length).join(' '), rest: rest.join(' ') };
  }
  if (/^\d{1,4}[/.-]\d/.test(first) || ['homnay', 'today'].includes(fold(first))) {
    const date = parseTypedDate(first, today);
    if (!date.ok) return { ok: false, reply: `${date.reason}.\n${HOW}` };
    if (date.date < today) return { ok: false, reply: `Ngày ${formatVi(date.date)} đã qua; /upcoming xem các nhiệm vụ sắp đến hạn (xem việc đã trễ hạn bằng /overdue).\n${HOW}` };
    if (daysBetween(today, date.date) > MAX_DAYS) return { ok: false, reply: `Ngày ${formatVi(date.date)} xa quá ${MAX_DAYS} ngày.\n${HOW}` };
    return { ok: true, until: date.date, typed: all.slice(0, all.length - words.length).join(' '), rest: words.join(' ') };
  }
  return { ok: true, until: addDays(today, DEFAULT_DAYS), typed: '', rest: args.trim() };
}

export const upcoming: Command = {
  name: 'upcoming',
  aliases: ['saptoi'],
  usage: '/upcoming [số ngày | đến ngày] [đơn vị] [trang N]',
  summary: `nhiệm vụ sắp đến hạn, mỗi trang ${PAGE_SIZE} nhiệm vụ (mặc định ${DEFAULT_DAYS} ngày tới; đơn vị của nhóm, nhắn riêng thì đơn vị của anh/chị; "tất cả" cho mọi đơn vị; trang sau: thêm "trang 2")`,
  access: 'member',
  async run(ctx) {
    const today = localDateOf(ctx.now, ctx.zone);
    const ask = parsePage(ctx.args, 'upcoming');
    if (!ask.ok) return text(ask.reply);
    const horizon = parseHorizon(ask.rest, today);
    if (!horizon.ok) return text(horizon.reply);
    const scope = await unitScope(ctx, horizon.rest);
    if (!scope.ok) return text(scope.reply);
    const units = scope.value.units;
    const items = await upcomingItems(ctx.prisma, today, horizon.until, units?.map((u) => u.id));
    const label = scopeLabel(scope.value);
    if (!items.length) return text(`Không có nhiệm vụ nào ${label} đến hạn từ ${formatVi(today)} đến ${formatVi(horizon.until)}.`);
    const days = daysBetween(today, horizon.until);
    const when = days ? `trong ${days} ngày tới (đến ${formatVi(horizon.until)})` : `hôm nay (${formatVi(today)})`;
    const byUnit = units?.length !== 1;
    return text(
      pageReply(sortItems(items, byUnit), ask, {
        title: `⏰ ${items.length} nhiệm vụ ${label} đến hạn ${when}`,
        again: again('upcoming', `${horizon.typed} ${scopeWords(scope.value, horizon.rest)}`),
        render: (page) => itemLines(ctx, page, byUnit),
      }),
    );
  },
};
