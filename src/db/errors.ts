/**
 * What kind of database failure an error is, on both providers, whichever layer it comes through: the driver
 * (better-sqlite3's SqliteError codes, pg's SQLSTATE codes), the driver adapter (its `cause`) or Prisma's client
 * (P-codes, messages, `meta.driverAdapterError`). The texts are matched, not the classes, because Prisma wraps
 * a driver error differently for model queries, raw queries and transactions.
 */

type Facts = { codes: Set<string>; text: string };

/** The codes and the messages of an error and of everything it wraps. */
function facts(error: unknown): Facts {
  const codes = new Set<string>();
  const texts: string[] = [];
  const visit = (e: unknown, depth: number) => {
    if (e === null || e === undefined || depth > 4) return;
    if (typeof e !== 'object') return void texts.push(String(e));
    const o = e as { code?: unknown; originalCode?: unknown; message?: unknown; originalMessage?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const code of [o.code, o.originalCode]) if (typeof code === 'string' || typeof code === 'number') codes.add(String(code));
    for (const text of [o.message, o.originalMessage]) if (typeof text === 'string') texts.push(text);
    visit(o.cause, depth + 1);
    visit(o.meta?.driverAdapterError, depth + 1);
  };
  visit(error, 0);
  // a raw query's failure names the driver's code in its message: "Raw query failed. Code: `2067`"
  for (const m of texts.join(' ').matchAll(/Code: `([^`]+)`/g)) codes.add(m[1]!);
  return { codes, text: texts.join(' ') };
}

const has = (f: Facts, codes: RegExp, text: RegExp) => [...f.codes].some((c) => codes.test(c)) || text.test(f.text);

/** A unique key was already taken. */
export function isUniqueViolation(error: unknown): boolean {
  return has(facts(error), /^(P2002|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)|2067|1555|23505)$/, /UNIQUE constraint failed|duplicate key value/i);
}

/** Another process holds SQLite's write lock; through Prisma it arrives as "Operation has timed out" (P1008). */
export function isBusy(error: unknown): boolean {
  return has(facts(error), /^(SQLITE_BUSY\w*|P1008)$/, /database is locked|timed out/i);
}

export type NotWritable = 'full' | 'readonly';

/**
 * Whether a write failed because the database cannot take writes now: the disk is full (SQLITE_FULL, ENOSPC,
 * PostgreSQL 53100) or the file, its filesystem or the server is read-only (SQLITE_READONLY, EROFS, EACCES,
 * PostgreSQL 25006). Both pass once an operator acts; until then every write fails the same way.
 * The codes decide (a PostgreSQL server may speak another language: lc_messages); the English texts are only
 * a fallback for an error that lost its code on the way (test/faults.test.ts fills a real tablespace).
 */
export function notWritable(error: unknown): NotWritable | null {
  const f = facts(error);
  if (has(f, /^(SQLITE_FULL|53100|ENOSPC)$/, /database or disk is full|no space left on device|could not extend file/i)) return 'full';
  if (has(f, /^(SQLITE_READONLY\w*|25006|EROFS|EACCES)$/, /readonly database|read-only transaction|read-only file system/i)) return 'readonly';
  return null;
}

/** An error raised by the database or by Prisma on its behalf (never shown as such: it quotes our source). */
export function isDatabaseError(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  if (typeof name === 'string' && /^(PrismaClient\w+|DriverAdapterError|SqliteError)$/.test(name)) return true;
  // pg's DatabaseError: a SQLSTATE code and a severity
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e?.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
}

/** What went wrong with the database, in a Vietnamese clause for a person (the detail goes to the log). */
export function databaseTrouble(error: unknown): string {
  const reason = notWritable(error);
  if (reason === 'full') return 'ổ đĩa chứa cơ sở dữ liệu đã đầy';
  if (reason === 'readonly') return 'cơ sở dữ liệu đang ở chế độ chỉ đọc (tệp, thư mục hoặc máy chủ không cho ghi)';
  if (isBusy(error)) return 'cơ sở dữ liệu đang bận (một tiến trình khác đang ghi)';
  if (has(facts(error), /^(P1001|P1017|ECONNREFUSED|ECONNRESET|57P01|08006)$/, /Can't reach database server|Connection terminated|closed the connection/i)) {
    return 'không kết nối được cơ sở dữ liệu';
  }
  return 'cơ sở dữ liệu báo lỗi khi xử lý yêu cầu';
}
