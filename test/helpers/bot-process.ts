import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * `npm start` as a process (node --import tsx src/main.ts), by default in a fresh folder of its own (data/ is
 * made there), with no chat credentials from the environment unless given; `waitFor` waits for its stdout to
 * match. `stopAll` (in afterEach) kills what is left.
 */
export function startBot(env: Record<string, string>, args: string[] = [], cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-start-'))) {
  const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src', 'main.ts'), ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', ZALO_CREDENTIALS_FILE: '', ZALO_BOT_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = async (what: RegExp, ms = 20_000) => {
    const until = Date.now() + ms;
    while (!what.test(stdout)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { proc, exited, waitFor, cwd, out: () => stdout, err: () => stderr };
}

const running = new Set<ChildProcess>();

/** Kills every bot process the test started. */
export function stopAll(): void {
  for (const proc of running) proc.kill('SIGKILL');
  running.clear();
}
