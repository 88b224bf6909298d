import { fold } from './text.ts';

/**
 * The listings (/overdue, /upcoming, /list) answer one page at a time: a unit's 480 overdue items in one reply
 * were 58,000 characters, 15 Telegram messages (30 on Zalo) that nobody read on a phone. 25 two-line items
 * are about 3,800 characters: one Telegram message.
 *
 * A page is asked for with "trang 2" (or "trang số 2") at the very end of the arguments. A bare number would
 * be taken for a unit ("Phường 2"), a day count (/upcoming 30) or a task code; "trang" before a number ends
 * no unit name. Only a number counts after "trang": "Trảng Bàng" folds to "trang bang" and stays a unit.
 */
export const PAGE_SIZE = 25;

export type PageAsk = { ok: true; rest: string; page: number; typed: string } | { ok: false; reply: string };

const NUMBERISH = /^[+-]?\d[\d.,/]*$/;

/** "Sở Tư pháp trang 2" → the page and the arguments without it; page 1 when none is asked for. */
export function parsePage(args: string, command: string): PageAsk {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let typed: string | undefined;
  let cut = words.length;
  const last = words.at(-1) ?? '';
  const glued = /^trang(\d.*)$/.exec(fold(last)); // "trang2"
  if (glued) [typed, cut] = [glued[1]!, words.length - 1];
  else if (NUMBERISH.test(last) && words.length >= 2) {
    const so = fold(words.at(-2)!) === 'so' ? 1 : 0; // "trang số 2", "trang so 2"
    if (words.length >= 2 + so && fold(words.at(-2 - so)!) === 'trang') [typed, cut] = [last, words.length - 2 - so];
  }
  const rest = words.slice(0, cut).join(' ');
  if (typed === undefined) return { ok: true, rest, page: 1, typed: '1' };
  // "2/3" is the header's "trang 2/3" typed back
  const digits = /^(\d+)(?:\/\d+)?$/.exec(typed)?.[1];
  const page = digits === undefined ? NaN : Number(digits);
  if (!(page >= 1)) {
    return { ok: false, reply: `"trang ${shown(typed)}" không phải số trang hợp lệ: số trang là số nguyên từ 1 trở lên, ví dụ ${again(command, rest)} trang 2.` };
  }
  return { ok: true, rest, page, typed: digits! };
}

/** The command that lists the same thing again: "/overdue Sở Tư pháp"; its pages add "trang N". */
export const again = (command: string, args: string) => (args.trim() ? `/${command} ${args.trim()}` : `/${command}`);

const shown = (typed: string) => (typed.length <= 9 ? typed : `${typed.slice(0, 9)}…`);

/**
 * One page of a listing: `title` (its total, without a colon) with ", trang 2/3:", the page's lines, and a last
 * line with what to type for the next page; or, past the last page, a sentence saying how many pages there are.
 * `items` are in the listing's order; `render` writes the lines of one page's items.
 */
export function pageReply<T>(items: readonly T[], ask: { page: number; typed: string }, opts: { title: string; again: string; render: (page: T[]) => string[] }): string {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  if (ask.page > pages) {
    const where = pages === 1 ? `gõ ${opts.again} để xem` : `gõ ${opts.again} trang ${pages} để xem trang cuối`;
    return `Không có trang ${shown(ask.typed)}: danh sách ${items.length} nhiệm vụ này chỉ có ${pages} trang; ${where}.`;
  }
  const slice = items.slice((ask.page - 1) * PAGE_SIZE, ask.page * PAGE_SIZE);
  const lines = [pages > 1 ? `${opts.title}, trang ${ask.page}/${pages}:` : `${opts.title}:`, ...opts.render(slice)];
  if (ask.page < pages) lines.push('', `➡️ Trang sau (${ask.page + 1}/${pages}), gõ: ${opts.again} trang ${ask.page + 1}`);
  return lines.join('\n');
}
