/**
 * Civil dates as 'YYYY-MM-DD' strings (Asia/Ho_Chi_Minh calendar days).
 *
 * All arithmetic goes through a day number (days since 1970-01-01 in the proleptic Gregorian
 * calendar) computed from Y/M/D with integer maths, so no result can depend on the process TZ.
 */

export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function lastDayOfMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A date from its parts, or null when it does not exist (31/02, month 13, year outside 1..9999). */
export function makeDate(y: number, m: number, d: number): LocalDate | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(y, m)) return null;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  return makeDate(Number(match[1]), Number(match[2]), Number(match[3])) !== null;
}

export type DateParts = { year: number; month: number; day: number };

export function dateParts(d: LocalDate): DateParts {
  const match = LOCAL_DATE.exec(d);
  if (!match || makeDate(Number(match[1]), Number(match[2]), Number(match[3])) === null) {
    throw new RangeError(`Ngày không hợp lệ: "${d}" (cần dạng YYYY-MM-DD)`);
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
export function toDayNumber(d: LocalDate): number {
  const { year, month, day } = dateParts(d);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (H. Hinnant's civil_from_days). */
export function fromDayNumber(n: number): LocalDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const date = makeDate(year, month, day);
  if (date === null) throw new RangeError(`Ngày nằm ngoài phạm vi hỗ trợ (số ngày ${n})`);
  return date;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return fromDayNumber(toDayNumber(d) + n);
}

/** 1 = Monday .. 7 = Sunday. 1970-01-01 was a Thursday. */
export function weekday(d: LocalDate): number {
  const n = toDayNumber(d);
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** b − a in days (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Negative, zero or positive like a sort comparator; the string form already sorts. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 'dd/MM/yyyy', the form Vietnamese documents use. */
export function formatVi(d: LocalDate): string {
  const { year, month, day } = dateParts(d);
  return `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
}

/** Every date from `from` to `to`, both included (empty when to < from). */
export function datesInRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  const out: LocalDate[] = [];
  for (let n = start; n <= end; n++) out.push(fromDayNumber(n));
  return out;
}

/** Sorted copy without duplicates. */
export function sortUniqueDates(dates: readonly LocalDate[]): LocalDate[] {
  return [...new Set(dates)].sort(compareDates);
}
