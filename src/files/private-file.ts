import fs from 'node:fs';
import path from 'node:path';

/**
 * Files the bot writes that hold people's data (the database, exported reports) are readable and writable by
 * their owner only (0600), whatever the umask; folders it creates for them, 0700.
 */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Creates `file` empty and private if it does not exist; an existing file keeps its mode (the operator's choice). */
export function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fs.fchmodSync(fd, FILE_MODE); // the umask may have taken bits away from the owner
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `data` to `file`, private even if the file was there before with a wider mode. */
export function writePrivateFile(file: string, data: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const fd = fs.openSync(file, 'w', FILE_MODE);
  try {
    fs.fchmodSync(fd, FILE_MODE);
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}
