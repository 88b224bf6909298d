import path from 'node:path';

/** Where the data lives, read from DATABASE_URL (or --db). */
export type DatabaseTarget =
  | { provider: 'sqlite'; url: string; file: string }
  | { provider: 'postgres'; url: string; schema: string };

export const DEFAULT_DATABASE_URL = 'file:./data/nhacviec.db';

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  if (url.startsWith('file:')) {
    const raw = url.slice('file:'.length).split('?')[0] ?? '';
    if (!raw) throw new DatabaseUrlError(`DATABASE_URL "${url}" không có đường dẫn tệp SQLite`);
    const file = raw === ':memory:' ? raw : path.resolve(cwd, raw);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL "${redact(url)}" không phải là địa chỉ PostgreSQL hợp lệ`);
    }
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new DatabaseUrlError(`Tên schema PostgreSQL "${schema}" không hợp lệ`);
    parsed.searchParams.delete('schema');
    return { provider: 'postgres', url: parsed.toString(), schema };
  }
  throw new DatabaseUrlError(`DATABASE_URL phải bắt đầu bằng "file:" (SQLite) hoặc "postgresql://" (PostgreSQL), nhận được "${redact(url)}"`);
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
