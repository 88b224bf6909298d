/**
 * Reads a free-text deadline cell of a plan into a Rule (domain.md §4).
 *
 * Principles: never throw, never guess. Anything not fully understood (an impossible date, a
 * number left over that no pattern explains) becomes `unknown` with a Vietnamese reason, so the
 * administrator sets the deadline by hand. Every regular expression here works on the folded text
 * (see normalize.ts) and has no nested unbounded repetition, so parsing stays linear.
 */
import { lastDayOfMonth } from '../dates.ts';
import { parseEvent, shorten, tidyTrigger } from './events.ts';
import { fail, isFailure, type Failure } from './failure.ts';
import { parseOnce } from './milestones.ts';
import { canonicalSpelling, foldWithMap, legalReferenceRanges, originalSlice, removeRanges, rewrite, type Folded } from './normalize.ts';
import type { Recurrence, Rule, StatedDay, Weekday } from './rule.ts';

export type ParseContext = { content?: string; note?: string };

/** A deadline cell longer than this is not a deadline phrase (and we refuse to scan it). */
const MAX_CELL_LENGTH = 2000;
/** Context (row content, note) is only searched for a few anchored patterns; cap it anyway. */
const MAX_CONTEXT_LENGTH = 20000;


export function parseDeadline(text: string, year: number, context: ParseContext = {}): Rule {
  const original = typeof text === 'string' ? text : String(text ?? '');
  try {
    return parseUnsafe(original, year, context);
  } catch (err) {
    return { kind: 'unknown', text: original, reason: `Lỗi khi đọc thời hạn (${(err as Error)?.message ?? 'không rõ'})` };
  }
}

function prepare(raw: string, max: number): Folded {
  const folded = foldWithMap(raw.length > max ? raw.slice(0, max) : raw);
  return canonicalSpelling(removeRanges(folded, legalReferenceRanges(folded.s)));
}

function parseUnsafe(text: string, year: number, context: ParseContext): Rule {
  const unknown = (reason: string): Rule => ({ kind: 'unknown', text, reason });
  if (!Number.isInteger(year) || year < 1900 || year > 2200) return unknown(`Năm kế hoạch không hợp lệ: ${year}`);
  if (text.length > MAX_CELL_LENGTH) return unknown(`Ô thời hạn quá dài (${text.length} ký tự), không phải một thời hạn`);
  // "ngày 10/01 năm sau" in a one-off cell: the year after the plan year (a yearly rule's "năm sau" is every year's)
  const prepared = prepare(text, MAX_CELL_LENGTH);
  const f = /(?<![a-z])(?:hang|moi|dinh ky) (?:nam|quy|thang)(?![a-z])/.test(prepared.s)
    ? prepared
    : rewrite(prepared, NEXT_YEAR_DATE, (m) => (m[1] ? `${m[1]}/${year + 1}` : `${m[2]} nam ${year + 1}`));
  const s = f.s;
  if (!/[a-z0-9]/.test(s)) return unknown('Ô thời hạn trống');

  const content = context.content ? prepare(context.content, MAX_CONTEXT_LENGTH) : null;
  const note = context.note ? prepare(context.note, MAX_CONTEXT_LENGTH) : null;

  const next = nextPeriodDay(f);
  if (isFailure(next)) return unknown(next.failed);
  if (next) return { kind: 'recurring', text, ...next };

  const event = parseEvent(f);
  if (event) {
    // "Báo cáo nhanh trong 24 giờ; báo cáo đầy đủ trong 05 ngày làm việc": an event rule keeps one time limit
    const amounts = new Set([...s.matchAll(/(?<![0-9])(\d{1,4}) ngay( lam viec)?(?![a-z])/g)].map((m) => `${Number(m[1])} ngày${m[2] ? ' làm việc' : ''}`));
    if (amounts.size > 1 && /[;\n]/.test(f.source)) return unknown(`Một ô có nhiều thời hạn (${[...amounts].join('; ')}) mà một quy tắc theo sự kiện chỉ giữ một`);
    return { kind: 'event', text, ...event };
  }

  const recurrence = parseRecurrence(s, year, [content?.s, note?.s]);
  if (isFailure(recurrence)) return unknown(recurrence.failed);
  if (recurrence) return { kind: 'recurring', text, ...recurrence };

  if (/^(?:[-+(]\s?)?(?:theo|khi|neu co|dot xuat)(?![a-z])/.test(s)) return onDemand(text, f);

  if (ONGOING.test(s)) {
    // "Thường xuyên" while the row itself says "ngay sau khi X (chậm nhất trong 05 ngày làm việc)":
    // the row's own rule is the real deadline.
    for (const ctx of [content, note]) {
      const fromContext = ctx ? parseEvent(ctx, true) : null;
      if (fromContext) return { kind: 'event', text, ...fromContext };
    }
    return { kind: 'ongoing', text };
  }

  const once = parseOnce(f, year);
  if (isFailure(once)) return unknown(once.failed);
  if (once) return { kind: 'once', text, milestones: once };

  if (ON_DEMAND.test(s)) return onDemand(text, f);
  return unknown(`Không nhận ra dạng thời hạn "${shorten(f.source.trim(), 80)}"`);
}

const NEXT_YEAR_DATE = /(?<![0-9])(\d{1,2} ?[/.-] ?\d{1,2})(?! ?[/.-] ?\d) nam (?:sau|tiep theo|ke tiep)(?![a-z])|(?<![a-z])(thang \d{1,2}) nam (?:sau|tiep theo|ke tiep)(?![a-z])/g;
const ONGOING = /(?<![a-z])(?:thuong xuyen|lien tuc|hang ngay|moi ngay|xuyen suot)(?![a-z])/;
const ON_DEMAND =
  /(?<![a-z])(?:khi co|khi phat sinh|khi can|theo yeu cau|theo ke hoach|theo thu moi|theo giay moi|theo chi dao|theo lich|dot xuat)(?![a-z])/;

function onDemand(text: string, f: Folded): Rule {
  const trigger = tidyTrigger(f.source);
  return { kind: 'on_demand', text, trigger: trigger.charAt(0).toUpperCase() + trigger.slice(1) };
}

// ------------------------------------------------------------------ recurrence

const WEEKDAY_NAMES: Record<string, Weekday> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6 };

type Frequency = 'week' | 'month' | 'quarter' | 'half' | 'year';

const FREQ_WEEK = /(?<![a-z])(?:hang|moi) tuan(?![a-z])|(?<![a-z])tuan (?:mot|01|1) lan(?![a-z])/;
const FREQ_MONTH = /(?<![a-z])(?:hang|moi) thang(?![a-z])|(?<![a-z])thang (?:mot|01|1) lan(?![a-z])|(?<![a-z])dinh ky thang(?![a-z])/;
const FREQ_QUARTER =
  /(?<![a-z])(?:hang|moi) quy(?![a-z])|(?<![a-z])quy (?:mot|01|1) lan(?![a-z])|(?<![a-z])dinh ky (?:theo )?quy(?![a-z])|(?<![a-z])bao cao (?:dinh ky )?quy(?=[,.;]| va |$| \()|(?<![a-z])(?<!lam viec )cuoi (?:cung )?(?:cua )?(?:moi |cac |hang )?quy(?![a-z])(?! (?:iv|iii|ii|i|0?[1-4]|nay)(?![a-z0-9]))/;
const FREQ_HALF =
  /(?<![a-z0-9])(?:hang|moi|dinh ky) (?:0?6 thang|nua nam)(?![a-z/])|(?<![a-z])nua nam (?:mot|01|1) lan(?![a-z])|(?<![a-z0-9])0?6 thang(?:,| va|, va) (?:ca )?nam(?![a-z])|(?<![a-z])so ket (?:0?6 thang|nua nam)(?: dau nam)?,? (?:va )?tong ket (?:ca )?nam(?![a-z])/;
const FREQ_YEAR = /(?<![a-z])(?:hang|moi) nam(?![a-z])|(?<![a-z])dinh ky (?:hang )?nam(?![a-z])|(?<![a-z])nam (?:mot|01|1) lan(?![a-z])/;
/** "02 lần/năm", "hai lần/năm", "1 lần trong quý". */
const N = String.raw`(?:\d{1,2}|mot|hai|ba|bon|tu|sau)`;
const TIMES_PER = new RegExp(
  String.raw`(?<![0-9a-z])(${N}) lan ?\/ ?(nam|quy|thang|tuan)(?![a-z])|(?<![0-9a-z])(${N}) lan (?:mot|moi|trong) (nam|quy|thang|tuan)(?![a-z])`,
);
/** "Mỗi năm 02 lần", "một năm hai lần", "hằng quý 01 lần": the period first. */
const TIMES_IN = new RegExp(String.raw`(?<![a-z])(?:moi|mot|hang) (nam|quy|thang|tuan) (${N}) lan(?![a-z])`);
/** "01 lần/06 tháng", "1 lần/3 tháng": one time every N months. */
const ONCE_PER_MONTHS = /(?<![0-9a-z])(?:0?1|mot) lan ?\/ ?(\d{1,2}) thang(?![a-z])/;
const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, sau: 6 };
/** "Quý/lần", "01 quý/lần", "1 tháng/1 lần", "năm một lần" said of the period itself. */
const PERIOD_PER_TIME = /(?<![a-z0-9])(?:(?:0?1|mot) )?(tuan|thang|quy|nam) ?\/ ?(?:(?:0?1|mot) )?lan(?![a-z])/;
const EVERY_N_MONTHS = /(?<![0-9])(\d{1,2}) thang ?\/ ?(?:(?:01|1|mot) )?lan(?![a-z])|(?<![0-9])(\d{1,2}) thang (?:01|1|mot) lan(?![a-z])/;

function frequencyOf(s: string): Frequency | Failure | null {
  const times = TIMES_PER.exec(s);
  const timesIn = times ? null : TIMES_IN.exec(s);
  if (times || timesIn) {
    const word = (times ? (times[1] ?? times[3]) : timesIn?.[2]) as string;
    const n = NUMBER_WORDS[word] ?? Number(word);
    const per = (times ? (times[2] ?? times[4]) : timesIn?.[1]) as 'nam' | 'quy' | 'thang' | 'tuan';
    if (n === 1) return per === 'nam' ? 'year' : per === 'quy' ? 'quarter' : per === 'thang' ? 'month' : 'week';
    if (per === 'nam') {
      const byCount: Record<number, Frequency> = { 2: 'half', 4: 'quarter', 12: 'month', 52: 'week' };
      const freq = byCount[n];
      if (freq) return freq;
    }
    // "03 lần/năm" is flagged, not read as every 4 months: a count that does not divide the year into months
    // or quarters is tied to what the plan does (council sessions, inspection rounds), not to calendar thirds,
    // and a guess would send confident reminders on the wrong days.
    if (per === 'nam') return fail(`"${n} lần/năm" không chia năm thành các kỳ đều theo tháng hoặc quý, nên không biết các mốc (hãy ghi rõ các tháng hoặc ngày)`);
    return fail(`"${n} lần/${per === 'quy' ? 'quý' : per === 'thang' ? 'tháng' : 'tuần'}" chưa quy được về một chu kỳ (tuần, tháng, quý, 6 tháng, năm)`);
  }
  const everyN = EVERY_N_MONTHS.exec(s) ?? ONCE_PER_MONTHS.exec(s);
  if (everyN) {
    const n = Number(everyN[1] ?? everyN[2]);
    const byMonths: Record<number, Frequency> = { 1: 'month', 3: 'quarter', 6: 'half', 12: 'year' };
    return byMonths[n] ?? fail(`Chu kỳ "${n} tháng/lần" chưa được hỗ trợ`);
  }
  const perTime = PERIOD_PER_TIME.exec(s);
  if (perTime) return ({ tuan: 'week', thang: 'month', quy: 'quarter', nam: 'year' } as const)[perTime[1] as 'tuan' | 'thang' | 'quy' | 'nam'];
  if (FREQ_WEEK.test(s)) return 'week';
  if (FREQ_MONTH.test(s)) return 'month';
  if (FREQ_QUARTER.test(s)) return 'quarter';
  if (FREQ_HALF.test(s)) return 'half';
  if (FREQ_YEAR.test(s)) return 'year';
  // "Trước ngày 15 tháng cuối quý" says the period by itself
  if (QUARTER_DAY.test(s)) return 'quarter';
  return null;
}

const MONTH_DAY_IN_TEXT = /(?<![a-z])(truoc |cham nhat |cham nhat la |han )?ngay (\d{1,2})(?! ?[/.-] ?\d)(?! thang \d)/;
/** "Trước 25 hằng tháng", "chậm nhất 10 hàng tháng": the day without the word "ngày". */
const MONTH_DAY_BARE = /(?<![a-z])(truoc |cham nhat |han )(\d{1,2}) (?:hang|moi) thang(?![a-z])/;
const MONTH_DAY_IN_CONTEXT = /(?<![a-z])(truoc )?ngay (\d{1,2}) (?:hang|moi|cua|cua moi|cua hang) thang(?![a-z])/;
const QUARTER_DAY = /(?<![a-z])(truoc )?ngay (\d{1,2}) (?:cua )?(?:thang cuoi (?:cua |moi |cua moi )?quy|thang thu (?:ba|3) cua quy)(?![a-z])/;
/** A day of the year: "trước 20/12", "ngày 31/12", "trước ngày 15 tháng 12" (no year after it). */
const YEAR_DATE = [
  /(?<![a-z0-9/])(truoc (?:ngay )?|ngay |han |cham nhat (?:la )?(?:ngay )?)?(\d{1,2}) ?[/.-] ?(\d{1,2})(?! ?[/.-] ?\d)(?![0-9])/,
  /(?<![a-z])(truoc (?:ngay )?|ngay )(\d{1,2}) thang (\d{1,2})(?![0-9])(?! nam \d)/,
];
/** The quarter's days listed one by one: "trước ngày 20/3, 20/6, 20/9, 20/12". */
const QUARTER_DATES = /(?<![a-z0-9/])(truoc (?:ngay )?|ngay )?(\d{1,2}) ?\/ ?(0?3|0?6|0?9|12)(?![0-9])(?! ?\/ ?\d)/g;
const WEEKDAY = /(?<![a-z])thu (hai|ba|tu|nam|sau|bay)(?![a-z])|(?<![a-z])thu ([2-7])(?![0-9])|(?<![a-z])(chu nhat)(?![a-z])/;

function statedDay(match: RegExpExecArray | null, maxDay: number): StatedDay | Failure | null {
  if (!match) return null;
  const day = Number(match[2]);
  if (!Number.isInteger(day) || day < 1 || day > maxDay) return fail(`Ngày ${match[2]} không có trong tháng`);
  return { day, before: Boolean(match[1]?.startsWith('truoc')) };
}

/**
 * A day in the month after each period: "trước ngày 10 tháng đầu quý sau" (the quarter's report, due in the next
 * quarter; the 4th quarter's in January of the next year), "ngày 05 của tháng sau". "Tháng sáu" is June, not
 * "the next month": a cell that writes the accent is not read this way. "Tháng đầu mỗi quý" (which quarter's
 * report?) is flagged rather than guessed.
 */
const NEXT_QUARTER_DAY = /(?<![a-z])(truoc |cham nhat |han )?(?:ngay )?(\d{1,2}) (?:cua )?thang dau(?: tien)? (?:cua )?quy (?:sau|tiep theo|ke tiep)(?![a-z])/;
const NEXT_MONTH_DAY = /(?<![a-z])(truoc |cham nhat |han )?(?:ngay )?(\d{1,2}) (?:cua )?thang (sau|tiep theo|ke tiep)(?![a-z])(?! ?(?:\/ ?\d|nam \d))/;
const FIRST_MONTH_OF_QUARTER = /(?<![a-z])thang dau(?: tien)? (?:cua )?(?:moi |hang |cac )?quy(?![a-z])(?! (?:sau|tiep theo|ke tiep|iv|iii|ii|i|0?[1-4])(?![a-z0-9]))/;

function nextPeriodDay(f: Folded): Recurrence | Failure | null {
  const s = f.s;
  const quarter = NEXT_QUARTER_DAY.exec(s);
  if (quarter) {
    const on = statedDay(quarter, 31);
    if (isFailure(on) || on === null) return on;
    return { every: 'quarter', on, alsoYear: false, nextPeriod: true };
  }
  if (FIRST_MONTH_OF_QUARTER.test(s) && /(?<![a-z])ngay \d/.test(s)) {
    return fail('Ngày trong "tháng đầu quý" chưa rõ là hạn của quý nào (quý này hay quý trước); hãy ghi "tháng đầu quý sau" hoặc ngày cụ thể');
  }
  const month = NEXT_MONTH_DAY.exec(s);
  if (month) {
    const at = month.index + month[0].length - (month[3] as string).length;
    if (month[3] === 'sau' && /[áÁ]/.test(originalSlice(f, at, at + 3))) return null;
    const on = statedDay(month, 31);
    if (isFailure(on) || on === null) return on;
    // "trước ngày 10 tháng sau của quý", "tháng sau quý báo cáo": the month after each quarter
    if (/(?<![a-z])qu[yi](?![a-z])/.test(s) && !FREQ_MONTH.test(s)) return { every: 'quarter', on, alsoYear: false, nextPeriod: true };
    return { every: 'month', on, nextPeriod: true };
  }
  return null;
}

/** "Năm 2024 và các năm tiếp theo", "Từ năm 2024 trở đi": every year from that year on. */
const FROM_YEAR_ON = /(?<![a-z])(?:tu |bat dau tu )?nam (\d{4}) ?(?:,? va (?:cac|nhung) nam (?:tiep theo|sau|ke tiep|tiep sau)|tro di|tro ve sau)(?![a-z])/;

function parseRecurrence(text: string, year: number, contexts: (string | undefined)[]): Recurrence | Failure | null {
  let s = text;
  const fromYear = FROM_YEAR_ON.exec(s);
  if (fromYear) {
    const start = Number(fromYear[1]);
    if (start > year) return fail(`Việc bắt đầu từ năm ${start}, sau năm kế hoạch ${year}: năm ${year} chưa có hạn`);
    s = `${s.slice(0, fromYear.index)}hang nam${s.slice(fromYear.index + fromYear[0].length)}`;
  }
  const freq = frequencyOf(s);
  if (freq === null || isFailure(freq)) return freq;
  const ctx = contexts.filter((c): c is string => typeof c === 'string');

  switch (freq) {
    case 'week': {
      const m = WEEKDAY.exec(s);
      if (!m) return { every: 'week' };
      const weekday: Weekday = m[3] ? 7 : m[1] ? (WEEKDAY_NAMES[m[1]] as Weekday) : ((Number(m[2]) - 1) as Weekday);
      return { every: 'week', weekday };
    }
    case 'month': {
      let on = statedDay(MONTH_DAY_IN_TEXT.exec(s) ?? MONTH_DAY_BARE.exec(s), 31);
      for (const c of ctx) if (on === null) on = statedDay(MONTH_DAY_IN_CONTEXT.exec(c), 31);
      if (isFailure(on)) return on;
      return on ? { every: 'month', on } : { every: 'month' };
    }
    case 'quarter': {
      const alsoYear = /(?<![a-z])quy ?(?:,|va|, va)? ?(?:(?:0?6 thang|nua nam) ?(?:,|va|, va)? ?)?(?:ca |cuoi )?nam(?![a-z])/.test(s);
      let on = statedDay(QUARTER_DAY.exec(s), 31) ?? quarterDates(s);
      for (const c of ctx) if (on === null) on = statedDay(QUARTER_DAY.exec(c), 31);
      if (isFailure(on)) return on;
      if (on === null && /(?<![a-z])dau (?:moi |hang |cac )?quy(?![a-z])/.test(s)) return fail('"Đầu quý" không nói ngày nào của quý (hãy ghi "trước ngày ... tháng đầu quý sau" hoặc ngày cụ thể)');
      return on ? { every: 'quarter', on, alsoYear } : { every: 'quarter', alsoYear };
    }
    case 'half':
      return { every: 'half' };
    case 'year': {
      const m = YEAR_DATE.map((re) => re.exec(s)).find((x) => x !== null);
      if (!m) return yearPeriod(s);
      const days = new Set([...s.matchAll(DAY_MONTH)].map((x) => `${Number(x[1] ?? x[3])}/${Number(x[2] ?? x[4])}`));
      if (days.size > 1) return fail(`Mỗi năm có nhiều mốc (${[...days].join(', ')}) mà một quy tắc hằng năm chỉ giữ một mốc`);
      const day = Number(m[2]);
      const month = Number(m[3]);
      if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(2024, month)) {
        return fail(`Ngày ${m[2]}/${m[3]} không tồn tại`);
      }
      return { every: 'year', on: { day, month, before: Boolean(m[1]?.startsWith('truoc')) } };
    }
  }
}

const DAY_MONTH = /(?<![a-z0-9/])(\d{1,2}) ?[/.-] ?(\d{1,2})(?! ?[/.-] ?\d)(?![0-9])|(?<![a-z])ngay (\d{1,2}) thang (\d{1,2})(?![0-9])/g;
const QUARTER_NAMED = /(?<![a-z])quy (iv|iii|ii|i|0?[1-4])(?![a-z0-9])/g;
const MONTH_NAMED = /(?<![a-z])thang (\d{1,2}(?: ?(?:,|;|va|, va) ?(?:thang )?\d{1,2})*)(?![0-9])/g;

/**
 * "Quý I hằng năm", "Tháng 01 hàng năm", "Tháng 6 và tháng 12 hằng năm": the period each year names is when it
 * is due (its last day); two periods half a year apart are the half-yearly rule; other lists are not guessed.
 */
function yearPeriod(s: string): Recurrence | Failure {
  const quarters = [...new Set([...s.matchAll(QUARTER_NAMED)].map((m) => QUARTER_NUMBERS[m[1] as string] as number))];
  const months = [...new Set([...s.matchAll(MONTH_NAMED)].flatMap((m) => (m[1] as string).match(/\d{1,2}/g)!.map(Number)))];
  const unique = [...new Set([...quarters.map((q) => q * 3), ...months])].sort((a, b) => a - b);
  if (unique.some((n) => n < 1 || n > 12)) return fail(`Tháng ${unique.find((n) => n < 1 || n > 12)} không tồn tại`);
  if (unique.length === 0) return { every: 'year' };
  if (unique.length === 1) {
    const month = unique[0] as number;
    return month === 12 ? { every: 'year' } : { every: 'year', on: { day: lastDayOfMonth(2024, month), month, before: false } };
  }
  if (unique.length === 2 && unique[0] === 6 && unique[1] === 12) return { every: 'half' };
  return fail(`Mỗi năm có nhiều mốc (${unique.map((n) => `tháng ${n}`).join(', ')}) mà một quy tắc hằng năm chỉ giữ một mốc`);
}

const QUARTER_NUMBERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4, '01': 1, '02': 2, '03': 3, '04': 4 };

/** The same day of each quarter's last month, listed: that day, "before" when the list says "trước". */
function quarterDates(s: string): StatedDay | null {
  const hits = [...s.matchAll(QUARTER_DATES)];
  const days = new Set(hits.map((m) => Number(m[2])));
  const day = hits.length >= 2 && days.size === 1 ? [...days][0]! : 0;
  if (day < 1 || day > 31) return null;
  return { day, before: hits.some((m) => m[1]?.startsWith('truoc')) || /(?<![a-z])truoc(?![a-z])/.test(s.slice(0, hits[0]!.index)) };
}
