/**
 * The CLI delivers its whole output to a pipe (#13 item 4): `import BIG --dry-run --json | wc -c` equals the
 * size written to a file, 10 runs out of 10, for an output over 200 KB, through a real shell pipe whose reader
 * starts late (the pipe fills at 64 KB while the CLI is done: the case a bare process.exit() cut).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE } from '../src/example.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planCsvText } from '../src/import/write-plan.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-pipe-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const big = path.join(dir, 'ke-hoach-lon.csv');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function sh(command: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: root, env: { ...process.env, LOG_LEVEL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  // the example plan ten times over: 400 tasks in ten groups
  const example = await readPlanFile(EXAMPLE.plan);
  const tasks = Array.from({ length: 10 }, (_, g) => example.tasks.map((t, i) => ({ ...t, code: `${g + 1}.${i + 1}`, sectionPath: String(g + 1) }))).flat();
  const sections = Array.from({ length: 10 }, (_, g) => ({ kind: 'group' as const, path: String(g + 1), title: `Nhóm nhiệm vụ ${g + 1}` }));
  fs.writeFileSync(big, planCsvText({ sections, tasks }));
});

describe('whole output through a pipe', () => {
  it('import BIG --dry-run --json | wc -c equals the size written to a file, 10 times out of 10', async () => {
    const url = tempSqliteUrl();
    const cli = `${quote(process.execPath)} --import tsx src/cli/main.ts import ${quote(big)} --year 2023 --dry-run --json`;
    const toFile = path.join(dir, 'out.json');
    const direct = await sh(`${cli} > ${quote(toFile)}`, { DATABASE_URL: url });
    expect(direct.code, direct.stderr).toBe(0);
    const size = fs.statSync(toFile).size;
    expect(size).toBeGreaterThan(200 * 1024);
    expect((JSON.parse(fs.readFileSync(toFile, 'utf8')) as { tasks: unknown[] }).tasks).toHaveLength(400);
    const runs = Array.from({ length: 10 }, (_, i) => i);
    const counts: number[] = [];
    // two at a time: the machine is shared; the late reader (sleep) is what filled the pipe before
    for (let i = 0; i < runs.length; i += 2) {
      const batch = await Promise.all(runs.slice(i, i + 2).map(() => sh(`${cli} | (sleep 1; wc -c)`, { DATABASE_URL: url })));
      for (const r of batch) {
        expect(r.stderr).toBe('');
        counts.push(Number(r.stdout.trim()));
      }
    }
    expect(counts).toEqual(runs.map(() => size));
  }, 600_000);

  it('an error message reaches a pipe whole too, with exit 1', async () => {
    const r = await sh(`${quote(process.execPath)} --import tsx src/cli/main.ts import ${quote(path.join(dir, 'khong-co.csv'))} --year 2023 2>&1 | (sleep 1; cat)`, {});
    expect(r.stdout).toMatch(/^Không mở được tệp .*khong-co\.csv\n$/);
  }, 120_000);
});
