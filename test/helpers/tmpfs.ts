import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A small filesystem of its own (tmpfs) that a test can fill, make read-only and give back. */
export type SmallDisk = {
  dir: string;
  /** writes a filler file until the filesystem is full */
  fill(): void;
  /** deletes the filler */
  free(): void;
  /** the same files through a read-only mount (as a read-only file or filesystem looks to the bot) */
  readOnlyView(): string;
  /** makes the read-only views writable again (an operator fixing the mount) */
  makeViewsWritable(): void;
  remove(): void;
};

let notice = false;

/**
 * Mounts a tmpfs of `bytes` on a fresh folder; null (with a notice, once) where mounting is not allowed
 * (not root, no CAP_SYS_ADMIN, a container without mount rights).
 */
export function smallDisk(bytes: number): SmallDisk | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    if (!notice) console.warn(`Không gắn được tmpfs (${String((error as { stderr?: unknown }).stderr ?? error).trim()}): bỏ qua bài kiểm thử đĩa đầy thật.`);
    notice = true;
    return null;
  }
  const filler = path.join(dir, 'filler');
  const views: string[] = [];
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        fs.closeSync(fd);
      }
      // the last bytes a partial write could still take
      for (const size of [4096, 512, 1]) {
        try {
          fs.appendFileSync(filler, Buffer.alloc(size));
        } catch {
          // full
        }
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    readOnlyView() {
      const view = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-ro-'));
      execFileSync('mount', ['--bind', dir, view], { stdio: 'pipe' });
      execFileSync('mount', ['-o', 'remount,ro,bind', view], { stdio: 'pipe' });
      views.push(view);
      return view;
    },
    makeViewsWritable() {
      for (const view of views) execFileSync('mount', ['-o', 'remount,rw,bind', view], { stdio: 'pipe' });
    },
    remove() {
      for (const view of views) {
        execFileSync('umount', ['-l', view], { stdio: 'pipe' });
        fs.rmdirSync(view);
      }
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmdirSync(dir);
    },
  };
}
