import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export class BackupError extends Error {}

export type BackupResult = { file: string; bytes: number; tasks: number };

/**
 * A consistent copy of a SQLite database while the bot writes to it: `VACUUM INTO` reads one snapshot (one
 * read transaction; in WAL mode the writers go on), so the copy holds whole transactions only. The copy is
 * written to a private temporary file (mode 0600: it holds chat ids and names), checked, flushed, and only
 * then given its name, which it never takes from an existing file.
 */
export function backupSqlite(source: string, dest: string): BackupResult {
  if (!fs.existsSync(source)) throw new BackupError(`Không có cơ sở dữ liệu ${source} để sao lưu (kiểm tra DATABASE_URL hoặc --db).`);
  if (fs.existsSync(dest)) throw new BackupError(`Tệp ${dest} đã có: chọn tên khác, bản sao lưu không ghi đè tệp cũ.`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const partial = `${dest}.${process.pid}.partial`;
  // VACUUM INTO accepts an empty file: created here first so that it is private from the start
  fs.closeSync(fs.openSync(partial, 'wx', 0o600));
  try {
    // read-write only so that, the last one out, it tidies the -wal and -shm files up; it writes nothing
    const db = new BetterSqlite3(source, { fileMustExist: true, timeout: 10_000 });
    try {
      db.prepare('VACUUM INTO ?').run(partial);
    } finally {
      db.close();
    }
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    let tasks: number;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`Bản sao lưu không toàn vẹn (${String(check)}); chưa ghi ${dest}.`);
      tasks = (copy.prepare('SELECT COUNT(*) AS n FROM "Task"').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    const fd = fs.openSync(partial, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // a hard link fails on an existing name (rename would replace it)
    fs.linkSync(partial, dest);
    return { file: dest, bytes: fs.statSync(dest).size, tasks };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`Tệp ${dest} đã có: chọn tên khác, bản sao lưu không ghi đè tệp cũ.`);
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new BackupError(`Ổ đĩa đầy: không ghi được bản sao lưu ${dest}; chưa có tệp nào được tạo.`);
    throw error;
  } finally {
    fs.rmSync(partial, { force: true });
  }
}
