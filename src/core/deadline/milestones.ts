/**
 * One-off deadlines (domain.md §4): a date, "trước" a date, a month, a quarter, a half or a year, several of them
 * in one cell (a bullet list, "Đợt 1: ...; Đợt 2: ..."), ranges ("từ ... đến ..."). A list of adjacent periods
 * is one milestone at its end ("Quý II, III"); periods apart are one milestone each ("Tháng 6 và tháng 12").
 * Works on the folded text (normalize.ts).
 */
import { addDays, makeDate, type LocalDate } from '../dates.ts';
import { shorten } from './events.ts';
import { fail, isFailure, type Failure } from './failure.ts';
import { originalSlice, type Folded } from './normalize.ts';
import { halfEnd, monthEnd, quarterEnd, yearEnd, type Half, type Milestone, type Quarter } from './rule.ts';


function resolveYear(digits: string | undefined, planYear: number): number | Failure {
  if (digits === undefined || digits === '') return planYear;
  const n = Number(digits);
  // Two digits: the plan's century ("15/02/23" in a 2023 plan is 2023).
  const y = digits.length <= 2 ? Math.floor(planYear / 100) * 100 + n : n;
  if (y < 1900 || y > 2200) return fail(`Năm ${digits} nằm ngoài phạm vi hợp lệ`);
  return y;
}

const ROMAN: Record<string, Quarter> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4, '01': 1, '02': 2, '03': 3, '04': 4 };

const Q = String.raw`(?:iv|iii|ii|i|0?[1-4])(?![a-z0-9])`;
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
const M = String.raw`\d{1,2}(?![0-9])`;
const MONTH_RE = new RegExp(String.raw`(?<![a-z])(truoc )?thang (${M}(?: ?(?:,|;|va|-|den|\+) ?(?:thang )?${M}){0,11})${Y_SUFFIX.replace('nam|,? nam', 'nam')}`, 'g');
/**
 * Labels of the milestones of one cell, which carry numbers that are not dates: "Đợt 1:", "Lần 2", "Giai đoạn
 * 1", "Báo cáo 6 tháng:", "báo cáo năm trước ...".
 */
const LABELS = [
  /(?<![a-z0-9])(?:dot|lan|giai doan|buoc|ky) \d{1,2}(?![0-9/.,])/g,
  /(?<![a-z])bao cao (?:dinh ky )?(?:0?[369] thang(?: (?:dau|cuoi) nam)?|quy|nam|thang)(?= ?[:,()-]| (?:truoc|trong|han|cham nhat|vao|gui)(?![a-z])|$)/g,
  // a form or an appendix the report follows: "theo mẫu số 01", "Biểu số 02", "Phụ lục 03"
  /(?<![a-z])(?:mau|bieu mau|bieu|phu luc)(?: so)? \d{1,3}[a-z]?(?![0-9/.])/g,
  // the period a report's figures cover, not when it is due: "(số liệu tính từ 15/12/2023 đến 14/12/2024)"
  /(?<![a-z])(?:so lieu|ky bao cao|thoi ky bao cao|ky so lieu)(?: [a-z]+){0,3} tu [^();]{0,120}/g,
];
/** "Năm 2024", "trước năm 2025", a span "năm 2024-2025" (due at its end). */
const YEAR_RE = /(?<![a-z])(truoc )?nam (?:\d{4} ?(?:-|den) ?)?(\d{4})(?![0-9])/g;
const PLAN_YEAR_RE = /^(?:[-+.]\s?)?(?:hoan thanh |thuc hien )?(?:trong|het|cuoi|ca) nam(?: ke hoach| nay)?[ .;]*$/;
const RANGE_START = /(?<![a-z])tu (?:ngay |thang )?\d{1,2}(?: ?[/.-] ?\d{1,2})?(?: ?[/.-] ?(?:\d{4}|\d{2}))? ?(?:den|-)(?= )|(?<![a-z])tu (?:ngay )?\d{1,2} ?(?:-|den) ?(?=\d{1,2} ?\/ ?\d)/g;
/** The first end of a range of dated periods, "Tháng 6/2024 - tháng 8/2024", "Quý I/2024 đến Quý III/2024". */
const PERIOD_RANGE_START = /(?<![a-z])(?:tu )?(thang|quy) (?:\d{1,2}|iv|iii|ii|i) ?[/-] ?\d{4} ?(?:-|den)(?= (?:het )?\1 )/g;

/** Whether the white space at folded position `i` was (or held) a line break in the cell. */
function lineBreakAt(f: Folded, i: number): boolean {
  for (let k = f.origin[i] ?? 0; k < f.source.length && /\s/.test(f.source[k] as string); k++) if (f.source[k] === '\n') return true;
  return false;
}

/**
 * The items of a bullet list in a cell: a "-" or "+" that opens the cell, a line, or a sentence (after ". ", ";",
 * ":"). A dash in the middle of a line is a range or a separator ("Quý I - Quý II"), not a bullet.
 */
function splitSegments(f: Folded): [number, number][] {
  const s = f.s;
  const listLike = /^[-+]/.test(s) || /\n\s*[-+]\s/.test(f.source);
  if (!listLike) return [[0, s.length]];
  const cuts: number[] = [];
  for (const m of s.matchAll(/(?:^|([.;:])? )[-+] /g)) {
    if (m.index === 0 || m[1] !== undefined || lineBreakAt(f, m.index + (m[1] ? 1 : 0))) cuts.push(m.index + m[0].length);
  }
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

export function parseOnce(f: Folded, planYear: number): Milestone[] | Failure | null {
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

/** Runs of adjacent numbers: [6, 12] -> [[6], [12]]; [2, 3, 4] -> [[2, 3, 4]]. */
function runs(sorted: number[]): number[][] {
  const out: number[][] = [];
  for (const n of sorted) {
    const run = out[out.length - 1];
    if (run && n === (run[run.length - 1] as number) + 1) run.push(n);
    else out.push([n]);
  }
  return out;
}

function parseOnceSegment(segment: string, planYear: number): Milestone[] | Failure | null {
  let rest = LABELS.reduce((text, re) => text.replace(re, (m) => ' '.repeat(m.length)), segment).replace(RANGE_START, (m) => ' '.repeat(m.length)).replace(PERIOD_RANGE_START, (m) => ' '.repeat(m.length));
  const found: { at: number; milestone: Milestone }[] = [];
  let failure: Failure | null = null;
  const consume = (re: RegExp, handle: (m: RegExpExecArray) => Milestone | Milestone[] | Failure) => {
    re.lastIndex = 0;
    const hits = [...rest.matchAll(re)];
    for (const m of hits) {
      const got = handle(m as RegExpExecArray);
      if (isFailure(got)) {
        failure ??= got;
        continue;
      }
      for (const milestone of Array.isArray(got) ? got : [got]) found.push({ at: m.index, milestone });
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
    if (m[1]) return { on: 'before', date: makeDate(y, (quarters[0] as Quarter) * 3 - 2, 1) as LocalDate };
    return runs(quarters).map((run) => ({ on: 'quarter', year: y, quarters: run as Quarter[], date: quarterEnd(y, run[run.length - 1] as Quarter) }));
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
    const months = monthList(m[2] ?? '');
    if (isFailure(months)) return months;
    const y = resolveYear(m[3], planYear);
    if (isFailure(y)) return y;
    if (m[1]) return { on: 'before', date: makeDate(y, months[0] as number, 1) as LocalDate };
    return runs(months).map((run) => {
      const month = run[run.length - 1] as number;
      return { on: 'month', year: y, month, date: monthEnd(y, month) };
    });
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
  return withoutCoveringPeriods(found.sort((x, y) => x.at - y.at), segment);
}

/** The first day of the period a milestone names; null for a day. */
function periodStart(m: Milestone): LocalDate | null {
  switch (m.on) {
    case 'month':
      return makeDate(m.year, m.month, 1) as LocalDate;
    case 'quarter':
      return makeDate(m.year, (m.quarters[0] as number) * 3 - 2, 1) as LocalDate;
    case 'half':
      return makeDate(m.year, m.half === 1 ? 1 : 7, 1) as LocalDate;
    case 'year':
      return makeDate(m.year, 1, 1) as LocalDate;
    default:
      return null;
  }
}

/**
 * "Năm 2024 (trước 15/12/2024)", "Quý III/2024 (trước 30/9)": a day inside a period the same clause names says
 * when in that period; the period adds no second due day. Clauses apart ("trước 30/6/2024; thực hiện đến hết năm
 * 2024") are milestones of their own.
 */
function withoutCoveringPeriods(found: { at: number; milestone: Milestone }[], segment: string): Milestone[] {
  const days = found.filter((f) => f.milestone.on === 'date' || f.milestone.on === 'before');
  return found
    .filter(({ at, milestone: m }) => {
      const start = periodStart(m);
      if (start === null) return true;
      return !days.some((d) => d.milestone.date >= start && d.milestone.date <= addDays(m.date, 1) && !segment.slice(Math.min(at, d.at), Math.max(at, d.at)).includes(';'));
    })
    .map((f) => f.milestone);
}

function dateMilestone(d: string | undefined, m: string | undefined, y: string | undefined, planYear: number): Milestone | Failure {
  const year = resolveYear(y, planYear);
  if (isFailure(year)) return year;
  const date = makeDate(year, Number(m), Number(d));
  return date ? { on: 'date', date } : fail(`Ngày ${d}/${m}/${year} không tồn tại`);
}

/** "10, 11", "6 và tháng 12", "3-5": the months, a range filled in; sorted, each once. */
function monthList(list: string): number[] | Failure {
  const months: number[] = [];
  for (const m of list.matchAll(/(,|;|va|-|den|\+)? ?(?:thang )?(\d{1,2})/g)) {
    const n = Number(m[2]);
    if (n < 1 || n > 12) return fail(`Tháng ${m[2]} không tồn tại`);
    const prev = months[months.length - 1];
    if ((m[1] === '-' || m[1] === 'den') && prev !== undefined) {
      if (n < prev) return fail(`Khoảng tháng ngược chiều (${prev} đến ${n})`);
      for (let x = prev + 1; x <= n; x++) months.push(x);
    } else months.push(n);
  }
  return [...new Set(months)].sort((a, b) => a - b);
}

function quarterList(list: string): Quarter[] | Failure {
  const quarters: Quarter[] = [];
  for (const m of list.matchAll(/(,|;|va|-|den|\/|\+)? ?(?:quy )?(iv|iii|ii|i|0?[1-4])(?![a-z0-9])/g)) {
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
