/**
 * Reads a free-text deadline cell of a plan into a Rule (domain.md §4).
 *
 * Principles: never throw, never guess. Anything not fully understood (an impossible date, a
 * number left over that no pattern explains) becomes `unknown` with a Vietnamese reason, so the
 * administrator sets the deadline by hand. Every regular expression here works on the folded text
 * (see normalize.ts) and has no nested unbounded repetition, so parsing stays linear.
 */
import { lastDayOfMonth, makeDate, type LocalDate } from '../dates.ts';
import {
  foldWithMap,
  legalReferenceRanges,
  originalSlice,
  removeRanges,
  type Folded,
} from './normalize.ts';
import {
  halfEnd,
  monthEnd,
  quarterEnd,
  yearEnd,
  type EventRule,
  type Half,
  type Milestone,
  type Quarter,
  type Recurrence,
  type Rule,
  type StatedDay,
  type Weekday,
} from './rule.ts';

export type ParseContext = { content?: string; note?: string };

/** A deadline cell longer than this is not a deadline phrase (and we refuse to scan it). */
const MAX_CELL_LENGTH = 2000;
/** Context (row content, note) is only searched for a few anchored patterns; cap it anyway. */
const MAX_CONTEXT_LENGTH = 20000;
const MAX_TRIGGER_LENGTH = 200;

type Failure = { failed: string };
const fail = (failed: string): Failure => ({ failed });
const isFailure = (x: unknown): x is Failure => typeof x === 'object' && x !== null && 'failed' in x;

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
  return removeRanges(folded, legalReferenceRanges(folded.s));
}

function parseUnsafe(text: string, year: number, context: ParseContext): Rule {
  const unknown = (reason: string): Rule => ({ kind: 'unknown', text, reason });
  if (!Number.isInteger(year) || year < 1900 || year > 2200) return unknown(`Năm kế hoạch không hợp lệ: ${year}`);
  if (text.length > MAX_CELL_LENGTH) return unknown(`Ô thời hạn quá dài (${text.length} ký tự), không phải một thời hạn`);
  const f = prepare(text, MAX_CELL_LENGTH);
  const s = f.s;
  if (!/[a-z0-9]/.test(s)) return unknown('Ô thời hạn trống');

  const content = context.content ? prepare(context.content, MAX_CONTEXT_LENGTH) : null;
  const note = context.note ? prepare(context.note, MAX_CONTEXT_LENGTH) : null;

  const event = parseEvent(f);
  if (event) return { kind: 'event', text, ...event };

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

function shorten(x: string, n: number): string {
  const one = x.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function tidyTrigger(x: string): string {
  return shorten(x.replace(/\s+/g, ' ').trim().replace(/^[\s,:;.-]+|[\s,:;.(-]+$/g, ''), MAX_TRIGGER_LENGTH);
}

const ONGOING = /(?<![a-z])(?:thuong xuyen|lien tuc|hang ngay|moi ngay)(?![a-z])/;
const ON_DEMAND =
  /(?<![a-z])(?:khi co|khi phat sinh|khi can|theo yeu cau|theo ke hoach|theo thu moi|theo giay moi|theo chi dao|theo lich|dot xuat)(?![a-z])/;

function onDemand(text: string, f: Folded): Rule {
  const trigger = tidyTrigger(f.source);
  return { kind: 'on_demand', text, trigger: trigger.charAt(0).toUpperCase() + trigger.slice(1) };
}

// ------------------------------------------------------------------ events

type EventPart = Omit<EventRule, 'kind' | 'text'>;

/** The trigger is the rest of the phrase after the match, cut at a bracket, ';' or sentence end. */
function triggerAfter(f: Folded, end: number): string {
  const rest = f.s.slice(end);
  const stop = rest.search(/[();]|\. |\.$/);
  const cut = stop < 0 ? rest.length : stop;
  return tidyTrigger(originalSlice(f, end, end + cut));
}

function offsetOf(digits: string | undefined): number | null {
  const n = Number(digits);
  return Number.isInteger(n) && n >= 0 && n <= 3660 ? n : null;
}

const EVENT_BEFORE =
  /(?<![a-z0-9])(?:cham nhat )?(?:truoc )?(\d{1,4}) ngay( lam viec)?,? (tinh den|so voi|cua|truoc|den) (?=[a-z])/;
const EVENT_BEFORE_LEADING = /(?<![a-z0-9])truoc (\d{1,4}) ngay( lam viec)?(?![a-z])/;
const EVENT_AFTER = /(?<![a-z0-9])(\d{1,4}) ngay( lam viec)?,? (ke tu khi|ke tu|tinh tu|sau khi|sau) (?=[a-z])/;
const EVENT_WITHIN = /(?<![a-z0-9])(?:cham nhat|trong|trong vong|trong thoi han|trong thoi gian)(?: la)?(?: trong)? (\d{1,4}) ngay( lam viec)?(?![a-z/])/;
const IMMEDIATE = /(?<![0-9] )(?<![a-z0-9])ngay sau khi (?=[a-z])/;

/**
 * `fromContext`: reading the row content rather than the deadline cell; only the explicit
 * "(chậm nhất trong N ngày [làm việc])" form counts there, anchored to a "ngay sau khi"/"kể từ" trigger.
 */
function parseEvent(f: Folded, fromContext = false): EventPart | null {
  const s = f.s;
  const unitOf = (workingDays: string | undefined) => (workingDays ? 'working_day' : 'calendar_day') as EventRule['unit'];

  const within = EVENT_WITHIN.exec(s);
  const immediate = IMMEDIATE.exec(s);
  if (fromContext) {
    if (!within || !immediate) return null;
  }

  if (!fromContext) {
    const before = EVENT_BEFORE.exec(s);
    if (before && (before[3] !== 'den' || /truoc/.test(before[0]))) {
      const offset = offsetOf(before[1]);
      if (offset !== null) {
        let trigger = triggerAfter(f, before.index + before[0].length);
        if (!/^ngày/i.test(trigger) && before[3] !== 'truoc') trigger = `ngày ${trigger}`;
        if (before[3] === 'truoc' && !/^(ngày|khi)/i.test(trigger)) trigger = `ngày ${trigger}`;
        if (trigger.length > 5) return { direction: 'before', offset, unit: unitOf(before[2]), trigger };
      }
    }
    const after = EVENT_AFTER.exec(s);
    if (after) {
      const offset = offsetOf(after[1]);
      if (offset !== null) {
        let trigger = triggerAfter(f, after.index + after[0].length);
        if (after[3] === 'sau khi' || after[3] === 'ke tu khi') trigger = `khi ${trigger}`;
        else if (after[3] === 'sau' && !/^(ngày|khi)/i.test(trigger)) trigger = `khi ${trigger}`;
        if (trigger.length > 4) return { direction: 'after', offset, unit: unitOf(after[2]), trigger };
      }
    }
    const leadingBefore = EVENT_BEFORE_LEADING.exec(s);
    if (leadingBefore && !within) {
      const offset = offsetOf(leadingBefore[1]);
      if (offset !== null) return { direction: 'before', offset, unit: unitOf(leadingBefore[2]), trigger: 'ngày đến hạn' };
    }
  }

  if (immediate) {
    const end = immediate.index + immediate[0].length;
    const trigger = triggerAfter(f, end);
    if (trigger.length > 0) {
      if (within) {
        const offset = offsetOf(within[1]);
        if (offset !== null) return { direction: 'after', offset, unit: unitOf(within[2]), trigger: `khi ${trigger}` };
      }
      return { direction: 'after', offset: 0, unit: 'working_day', trigger, immediate: true };
    }
  }
  if (within && !fromContext) {
    const offset = offsetOf(within[1]);
    if (offset !== null) {
      return { direction: 'after', offset, unit: unitOf(within[2]), trigger: 'khi phát sinh công việc' };
    }
  }
  return null;
}

// ------------------------------------------------------------------ recurrence

const WEEKDAY_NAMES: Record<string, Weekday> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6 };

type Frequency = 'week' | 'month' | 'quarter' | 'half' | 'year';

const FREQ_WEEK = /(?<![a-z])(?:hang|moi) tuan(?![a-z])|(?<![a-z])tuan (?:mot|01|1) lan(?![a-z])/;
const FREQ_MONTH = /(?<![a-z])(?:hang|moi) thang(?![a-z])|(?<![a-z])thang (?:mot|01|1) lan(?![a-z])|(?<![a-z])dinh ky thang(?![a-z])/;
const FREQ_QUARTER = /(?<![a-z])(?:hang|moi) quy(?![a-z])|(?<![a-z])quy (?:mot|01|1) lan(?![a-z])|(?<![a-z])dinh ky (?:theo )?quy(?![a-z])/;
const FREQ_HALF = /(?<![a-z0-9])(?:hang|moi|dinh ky) (?:0?6 thang|nua nam)(?![a-z/])|(?<![a-z])nua nam (?:mot|01|1) lan(?![a-z])/;
const FREQ_YEAR = /(?<![a-z])(?:hang|moi) nam(?![a-z])|(?<![a-z])dinh ky (?:hang )?nam(?![a-z])|(?<![a-z])nam (?:mot|01|1) lan(?![a-z])/;
const TIMES_PER = /(?<![0-9])(\d{1,2}) lan ?\/ ?(nam|quy|thang|tuan)(?![a-z])|(?<![0-9])(\d{1,2}) lan (?:mot|moi|trong) (nam|quy|thang|tuan)(?![a-z])/;
const EVERY_N_MONTHS = /(?<![0-9])(\d{1,2}) thang ?\/ ?(?:(?:01|1|mot) )?lan(?![a-z])|(?<![0-9])(\d{1,2}) thang (?:01|1|mot) lan(?![a-z])/;

function frequencyOf(s: string): Frequency | Failure | null {
  const times = TIMES_PER.exec(s);
  if (times) {
    const n = Number(times[1] ?? times[3]);
    const per = (times[2] ?? times[4]) as 'nam' | 'quy' | 'thang' | 'tuan';
    if (n === 1) return per === 'nam' ? 'year' : per === 'quy' ? 'quarter' : per === 'thang' ? 'month' : 'week';
    if (per === 'nam') {
      const byCount: Record<number, Frequency> = { 2: 'half', 4: 'quarter', 12: 'month', 52: 'week' };
      const freq = byCount[n];
      if (freq) return freq;
    }
    return fail(`"${n} lần/${per === 'nam' ? 'năm' : per === 'quy' ? 'quý' : per === 'thang' ? 'tháng' : 'tuần'}" chưa quy được về một chu kỳ (tuần, tháng, quý, 6 tháng, năm)`);
  }
  const everyN = EVERY_N_MONTHS.exec(s);
  if (everyN) {
    const n = Number(everyN[1] ?? everyN[2]);
    const byMonths: Record<number, Frequency> = { 1: 'month', 3: 'quarter', 6: 'half', 12: 'year' };
    return byMonths[n] ?? fail(`Chu kỳ "${n} tháng/lần" chưa được hỗ trợ`);
  }
  if (FREQ_WEEK.test(s)) return 'week';
  if (FREQ_MONTH.test(s)) return 'month';
  if (FREQ_QUARTER.test(s)) return 'quarter';
  if (FREQ_HALF.test(s)) return 'half';
  if (FREQ_YEAR.test(s)) return 'year';
  return null;
}

const MONTH_DAY_IN_TEXT = /(?<![a-z])(truoc |cham nhat |cham nhat la |han )?ngay (\d{1,2})(?! ?[/.-] ?\d)(?! thang \d)/;
const MONTH_DAY_IN_CONTEXT = /(?<![a-z])(truoc )?ngay (\d{1,2}) (?:hang|moi|cua|cua moi|cua hang) thang(?![a-z])/;
const QUARTER_DAY = /(?<![a-z])(truoc )?ngay (\d{1,2}) (?:cua )?(?:thang cuoi (?:cua |moi |cua moi )?quy|thang thu (?:ba|3) cua quy)(?![a-z])/;
const YEAR_DATE = /(?<![a-z])(truoc )?ngay (\d{1,2}) ?(?:\/|-|\.| thang ) ?(\d{1,2})(?! ?[/.-] ?\d)(?! nam \d)/;
const WEEKDAY = /(?<![a-z])thu (hai|ba|tu|nam|sau|bay)(?![a-z])|(?<![a-z])thu ([2-7])(?![0-9])|(?<![a-z])(chu nhat)(?![a-z])/;

function statedDay(match: RegExpExecArray | null, maxDay: number): StatedDay | Failure | null {
  if (!match) return null;
  const day = Number(match[2]);
  if (!Number.isInteger(day) || day < 1 || day > maxDay) return fail(`Ngày ${match[2]} không có trong tháng`);
  return { day, before: Boolean(match[1]?.startsWith('truoc')) };
}

function parseRecurrence(s: string, _year: number, contexts: (string | undefined)[]): Recurrence | Failure | null {
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
      let on = statedDay(MONTH_DAY_IN_TEXT.exec(s), 31);
      for (const c of ctx) if (on === null) on = statedDay(MONTH_DAY_IN_CONTEXT.exec(c), 31);
      if (isFailure(on)) return on;
      return on ? { every: 'month', on } : { every: 'month' };
    }
    case 'quarter': {
      const alsoYear = /(?<![a-z])quy ?(?:,|va|, va)? ?(?:(?:0?6 thang|nua nam) ?(?:,|va|, va)? ?)?(?:ca |cuoi )?nam(?![a-z])/.test(s);
      let on = statedDay(QUARTER_DAY.exec(s), 31);
      for (const c of ctx) if (on === null) on = statedDay(QUARTER_DAY.exec(c), 31);
      if (isFailure(on)) return on;
      return on ? { every: 'quarter', on, alsoYear } : { every: 'quarter', alsoYear };
    }
    case 'half':
      return { every: 'half' };
    case 'year': {
      const m = YEAR_DATE.exec(s);
      if (!m) return { every: 'year' };
      const day = Number(m[2]);
      const month = Number(m[3]);
      if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(2024, month)) {
        return fail(`Ngày ${m[2]}/${m[3]} không tồn tại`);
      }
      return { every: 'year', on: { day, month, before: Boolean(m[1]) } };
    }
  }
}

// ------------------------------------------------------------------ one-off milestones

function resolveYear(digits: string | undefined, planYear: number): number | Failure {
  if (digits === undefined || digits === '') return planYear;
  const n = Number(digits);
  // Two digits: the plan's century ("15/02/23" in a 2023 plan is 2023).
  const y = digits.length <= 2 ? Math.floor(planYear / 100) * 100 + n : n;
  if (y < 1900 || y > 2200) return fail(`Năm ${digits} nằm ngoài phạm vi hợp lệ`);
  return y;
}

const ROMAN: Record<string, Quarter> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

const Q = String.raw`(?:iv|iii|ii|i|[1-4])(?![a-z0-9])`;
const Y_SUFFIX = String.raw`(?: ?(?:\/|-|nam|,? nam) ?(\d{4}|\d{2})(?![0-9]))?`;
const QUARTER_RE = new RegExp(
  String.raw`(?<![a-z])(truoc )?quy (${Q}(?: ?(?:,|;|va|-|den|\/|\+) ?(?:quy )?${Q}){0,6})${Y_SUFFIX}`,
  'g',
);
const HALF_RE = new RegExp(String.raw`(?<![a-z0-9])(truoc )?(?:0?6 thang|nua) (dau|cuoi) nam(?: ?[/-]? ?(\d{4}|\d{2})(?![0-9]))?`, 'g');
const DATE_SHORT = String.raw`(?<![0-9/])(\d{1,2}) ?[/.-] ?(\d{1,2})(?: ?[/.-] ?(\d{4}|\d{2}))?(?![0-9])(?! ?\/ ?[0-9])`;
const DATE_LONG = String.raw`(?<![a-z])ngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}|\d{2}))?(?![0-9])`;
const BEFORE_RE = new RegExp(String.raw`(?<![a-z])truoc (?:ngay )?(?:${DATE_SHORT}|${DATE_LONG.replace('(?<![a-z])', '')})`, 'g');
const DATE_LONG_RE = new RegExp(DATE_LONG, 'g');
const DATE_SHORT_RE = new RegExp(DATE_SHORT, 'g');
const MONTH_RE = new RegExp(String.raw`(?<![a-z])(truoc )?thang (\d{1,2})(?![0-9])${Y_SUFFIX.replace('nam|,? nam', 'nam')}`, 'g');
const YEAR_RE = /(?<![a-z])(truoc )?nam (\d{4})(?![0-9])/g;
const PLAN_YEAR_RE = /^(?:[-+.]\s?)?(?:hoan thanh |thuc hien )?(?:trong|het|cuoi|ca) nam(?: ke hoach| nay)?[ .;]*$/;
const RANGE_START = /(?<![a-z])tu (?:ngay |thang )?\d{1,2}(?: ?[/.-] ?\d{1,2})?(?: ?[/.-] ?(?:\d{4}|\d{2}))? ?(?:den|-)(?= )/g;

function splitSegments(f: Folded): [number, number][] {
  const s = f.s;
  const listLike = /^[-+]/.test(s) || /\n\s*[-+]\s/.test(f.source);
  if (!listLike) return [[0, s.length]];
  const cuts: number[] = [];
  for (const m of s.matchAll(/(?:^|[\s.;:])[-+] /g)) cuts.push(m.index + m[0].length);
  if (cuts.length === 0) return [[0, s.length]];
  const segments: [number, number][] = [];
  for (let i = 0; i < cuts.length; i++) {
    const start = cuts[i] as number;
    const next = cuts[i + 1];
    const end = next === undefined ? s.length : next - 2;
    if (end > start) segments.push([start, end]);
  }
  return segments;
}

function parseOnce(f: Folded, planYear: number): Milestone[] | Failure | null {
  const segments = splitSegments(f);
  const milestones: Milestone[] = [];
  for (const [a, b] of segments) {
    const got = parseOnceSegment(f.s.slice(a, b), planYear);
    if (isFailure(got)) return got;
    if (got === null) {
      // In a list, an item we cannot read would silently drop a milestone: refuse the whole cell.
      return segments.length > 1 ? fail(`Không hiểu mốc "${shorten(originalSlice(f, a, b), 60)}"`) : null;
    }
    milestones.push(...got);
  }
  return milestones.length > 0 ? milestones : null;
}

function parseOnceSegment(segment: string, planYear: number): Milestone[] | Failure | null {
  let rest = segment.replace(RANGE_START, (m) => ' '.repeat(m.length));
  const found: { at: number; milestone: Milestone }[] = [];
  let failure: Failure | null = null;
  const consume = (re: RegExp, handle: (m: RegExpExecArray) => Milestone | Failure) => {
    re.lastIndex = 0;
    const hits = [...rest.matchAll(re)];
    for (const m of hits) {
      const got = handle(m as RegExpExecArray);
      if (isFailure(got)) {
        failure ??= got;
        continue;
      }
      found.push({ at: m.index, milestone: got });
    }
    for (const m of hits) rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  };

  consume(HALF_RE, (m) => {
    const y = resolveYear(m[3], planYear);
    if (isFailure(y)) return y;
    const half: Half = m[2] === 'dau' ? 1 : 2;
    if (m[1]) return { on: 'before', date: half === 1 ? (makeDate(y, 1, 1) as LocalDate) : (makeDate(y, 7, 1) as LocalDate) };
    return { on: 'half', year: y, half, date: halfEnd(y, half) };
  });
  consume(QUARTER_RE, (m) => {
    const y = resolveYear(m[3], planYear);
    if (isFailure(y)) return y;
    const quarters = quarterList(m[2] ?? '');
    if (isFailure(quarters)) return quarters;
    const first = quarters[0] as Quarter;
    const last = quarters[quarters.length - 1] as Quarter;
    if (m[1]) return { on: 'before', date: makeDate(y, first * 3 - 2, 1) as LocalDate };
    return { on: 'quarter', year: y, quarters, date: quarterEnd(y, last) };
  });
  consume(BEFORE_RE, (m) => {
    const short = m[1] !== undefined;
    const day = Number(short ? m[1] : m[4]);
    const month = Number(short ? m[2] : m[5]);
    const y = resolveYear(short ? m[3] : m[6], planYear);
    if (isFailure(y)) return y;
    const date = makeDate(y, month, day);
    return date ? { on: 'before', date } : fail(`Ngày ${day}/${month}/${y} không tồn tại`);
  });
  consume(DATE_LONG_RE, (m) => dateMilestone(m[1], m[2], m[3], planYear));
  consume(MONTH_RE, (m) => {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return fail(`Tháng ${m[2]} không tồn tại`);
    const y = resolveYear(m[3], planYear);
    if (isFailure(y)) return y;
    if (m[1]) return { on: 'before', date: makeDate(y, month, 1) as LocalDate };
    return { on: 'month', year: y, month, date: monthEnd(y, month) };
  });
  consume(DATE_SHORT_RE, (m) => dateMilestone(m[1], m[2], m[3], planYear));
  consume(YEAR_RE, (m) => {
    const y = resolveYear(m[2], planYear);
    if (isFailure(y)) return y;
    if (m[1]) return { on: 'before', date: makeDate(y, 1, 1) as LocalDate };
    return { on: 'year', year: y, date: yearEnd(y) };
  });
  if (failure) return failure;

  const badQuarter = /(?<![a-z])quy ([0-9]+|[ivxlc]+)(?![a-z0-9])/.exec(rest);
  if (badQuarter) return fail(`Quý ${badQuarter[1]?.toUpperCase()} không tồn tại`);
  const leftoverNumber = /\d+/.exec(rest);
  if (leftoverNumber) {
    if (found.length === 0 && !/(?<![a-z])(?:ngay|thang|quy|nam|truoc)(?![a-z])/.test(segment)) return null;
    return fail(`Không hiểu con số "${leftoverNumber[0]}" trong thời hạn`);
  }
  if (found.length === 0) {
    if (PLAN_YEAR_RE.test(segment.trim())) return [{ on: 'year', year: planYear, date: yearEnd(planYear) }];
    return null;
  }
  return found.sort((x, y) => x.at - y.at).map((x) => x.milestone);
}

function dateMilestone(d: string | undefined, m: string | undefined, y: string | undefined, planYear: number): Milestone | Failure {
  const year = resolveYear(y, planYear);
  if (isFailure(year)) return year;
  const date = makeDate(year, Number(m), Number(d));
  return date ? { on: 'date', date } : fail(`Ngày ${d}/${m}/${year} không tồn tại`);
}

function quarterList(list: string): Quarter[] | Failure {
  const quarters: Quarter[] = [];
  for (const m of list.matchAll(/(,|;|va|-|den|\/|\+)? ?(?:quy )?(iv|iii|ii|i|[1-4])(?![a-z0-9])/g)) {
    const q = ROMAN[m[2] ?? ''];
    if (q === undefined) continue;
    const prev = quarters[quarters.length - 1];
    if ((m[1] === '-' || m[1] === 'den') && prev !== undefined) {
      if (q < prev) return fail(`Khoảng quý ngược chiều (${prev} đến ${q})`);
      for (let x = prev + 1; x <= q; x++) quarters.push(x as Quarter);
    } else {
      quarters.push(q);
    }
  }
  const unique = [...new Set(quarters)].sort((a, b) => a - b);
  return unique.length > 0 ? unique : fail('Không đọc được quý');
}
