import fs from 'node:fs';
import pg from 'pg';
import type { App } from '../app.ts';
import { createApp } from '../app.ts';
import { processSettings, rawSetting } from '../config.ts';
import { parseDatabaseUrl, redact } from '../db/target.ts';
import { silentLogger, createLogger } from '../log.ts';
import { UsageError, type CliEnv } from './io.ts';

/**
 * Why the database cannot serve a read-only command without being created first (a SQLite file that does not
 * exist or is empty, a PostgreSQL schema without the application's tables), or null when it can. Opening the
 * database would create and migrate it: a typo in --db must not become a new empty database.
 */
async function newDatabase(url: string): Promise<string | null> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') {
    if (target.file === ':memory:') return 'là cơ sở dữ liệu tạm trong bộ nhớ (luôn trống)';
    if (!fs.existsSync(target.file)) return `chưa tồn tại (không có tệp ${target.file})`;
    return fs.statSync(target.file).size === 0 ? `trống (tệp ${target.file} rỗng)` : null;
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch {
    return null; // opening it reports the connection problem
  }
  try {
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`"${target.schema}"."_prisma_migrations"`]);
    return rows[0]?.found ? null : `trống (schema "${target.schema}" của ${redact(target.url)} chưa có bảng nào của nhacviec)`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Opens the app on the database of --db or DATABASE_URL for one CLI command, and closes it after. `existingOnly`:
 * the command only reads (or changes what must already be there), so a database that does not exist yet is
 * refused instead of created.
 */
export async function withApp<T>(env: CliEnv, fn: (app: App) => Promise<T>, opts: { existingOnly?: boolean } = {}): Promise<T> {
  const settings = processSettings(env.db ? { DATABASE_URL: env.db } : {});
  if (opts.existingOnly) {
    const why = await newDatabase(settings.databaseUrl);
    if (why) {
      throw new UsageError(
        `Cơ sở dữ liệu ${redact(settings.databaseUrl)} ${why}: lệnh này chỉ dùng dữ liệu đã có nên không tạo cơ sở dữ liệu mới. Kiểm tra lại --db hoặc DATABASE_URL (mặc định file:./data/nhacviec.db), hoặc nhập kế hoạch trước (nhacviec import).`,
      );
    }
  }
  const log = rawSetting('LOG_LEVEL') ? createLogger(settings.logLevel) : silentLogger;
  const app = await createApp(settings, { log });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
