import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export type CliResult = { code: number | null; stdout: string; stderr: string; json: unknown };

/**
 * Runs the administrator CLI as a user would (`npm run -s cli -- ...`), in its own process; `preload`: modules
 * given to node's --import before the CLI (e.g. helpers/report-usage.mjs).
 */
export function cli(args: string[], env: Record<string, string> = {}, opts: { preload?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const preload = (opts.preload ?? []).flatMap((m) => ['--import', m]);
    const child = spawn(process.execPath, ['--import', 'tsx', ...preload, path.join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      let json: unknown = null;
      if (args.includes('--json') && code === 0) json = JSON.parse(stdout);
      resolve({ code, stdout, stderr, json });
    });
  });
}
