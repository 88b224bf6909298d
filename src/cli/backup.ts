import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { processSettings } from '../config.ts';
import { backupSqlite, BackupError } from '../db/backup.ts';
import { parseDatabaseUrl, redact } from '../db/target.ts';
import { UsageError, type CliCommand } from './io.ts';

/**
 * `backup [FILE]`: a consistent copy of the embedded SQLite database, safe while the bot runs (default
 * backup-YYYYMMDD-HHMM.db beside the database, i.e. data/). PostgreSQL has its own tool: pg_dump.
 * The database is not opened through the app: a backup must not migrate it.
 */
export const backup: CliCommand = {
  usage: 'backup [TỆP]',
  summary: 'sao lưu cơ sở dữ liệu SQLite khi bot đang chạy (PostgreSQL: in lệnh pg_dump)',
  notes: ['TỆP mặc định: backup-NămThángNgày-GiờPhút.db cạnh tệp cơ sở dữ liệu (thư mục data/); không ghi đè tệp đã có.'],
  async run(args, env) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    if (positionals.length > 1) throw new UsageError('Cách dùng: backup [TỆP] (mặc định data/backup-YYYYMMDD-HHMM.db)');
    const settings = processSettings(env.db ? { DATABASE_URL: env.db } : {});
    const target = parseDatabaseUrl(settings.databaseUrl);
    if (target.provider === 'postgres') {
      throw new UsageError(
        [
          'Cơ sở dữ liệu là PostgreSQL: hãy sao lưu bằng pg_dump (chạy được khi bot đang chạy, bản sao nhất quán), ví dụ:',
          `  pg_dump --format=custom --schema=${target.schema} --file=nhacviec-$(date +%Y%m%d-%H%M).dump "${redact(target.url)}"`,
          'Khôi phục: pg_restore --clean --if-exists --dbname="<địa chỉ cơ sở dữ liệu>" nhacviec-....dump',
        ].join('\n'),
      );
    }
    if (target.file === ':memory:') throw new UsageError('Cơ sở dữ liệu trong bộ nhớ (:memory:) không có gì để sao lưu.');
    const stamp = DateTime.now().setZone(settings.timezone).toFormat('yyyyLLdd-HHmm');
    const file = path.resolve(positionals[0] ?? path.join(path.dirname(target.file), `backup-${stamp}.db`));
    let result;
    try {
      result = backupSqlite(target.file, file);
    } catch (error) {
      if (error instanceof BackupError) throw new UsageError(error.message);
      throw error;
    }
    const shown = path.relative(process.cwd(), result.file).startsWith('..') ? result.file : path.relative(process.cwd(), result.file);
    return {
      json: result,
      text: [
        `Đã sao lưu cơ sở dữ liệu vào ${shown} (${(result.bytes / 1024).toFixed(0)} KB, ${result.tasks} nhiệm vụ); chỉ người chạy bot đọc được tệp này.`,
        `Khôi phục: dừng bot, chép tệp này đè lên ${target.file} (và xóa các tệp ${path.basename(target.file)}-wal, -shm nếu có), rồi khởi động lại.`,
      ].join('\n'),
    };
  },
};
