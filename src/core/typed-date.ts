import { makeDate, type LocalDate } from './dates.ts';
import { fold } from './text.ts';

export type TypedDate = { ok: true; date: LocalDate } | { ok: false; reason: string };

/**
 * A date as officers type it: 15/3/2024, 15-03-2024, 15/3 (this year), 2024-03-15, "hôm nay", "hôm qua".
 * An impossible date (31/02) is refused with the reason, never corrected.
 */
export function parseTypedDate(text: string, today: LocalDate): TypedDate {
  const t = fold(text).replace(/\s+/g, '');
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  if (t === 'homnay' || t === 'today') return { ok: true, date: today };
  if (t === 'homqua') {
    const d = new Date(Date.UTC(ty, tm - 1, td - 1));
    return { ok: true, date: d.toISOString().slice(0, 10) };
  }
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return check(makeDate(+m[1]!, +m[2]!, +m[3]!), text);
  m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(t);
  if (m) {
    const year = m[3] ? (m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])) : ty;
    return check(makeDate(year, +m[2]!, +m[1]!), text);
  }
  return { ok: false, reason: `"${text}" không phải ngày hợp lệ; gõ dạng ngày/tháng/năm, ví dụ 15/03/2024` };
}

function check(date: LocalDate | null, text: string): TypedDate {
  return date ? { ok: true, date } : { ok: false, reason: `Ngày "${text}" không tồn tại trong lịch; xin kiểm tra lại ngày và tháng` };
}
