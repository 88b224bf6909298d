import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './io.ts';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'main.ts');

/** nhacviec bench [--quick]: the same figures as npm run bench (bench/main.ts), run in a child process. */
export const bench: CliCommand = {
  usage: 'bench [--quick]',
  summary: 'đo hiệu năng (như npm run bench), khoảng một phút',
  options: [['--quick', 'bỏ qua phép đo một triệu nhiệm vụ']],
  async run(args) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, '--json', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
    if (result.status !== 0) throw new Error(`Đo hiệu năng thất bại (mã thoát ${result.status ?? result.signal})`);
    const json = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    const text = Object.entries(json).map(([k, v]) => `${k.padEnd(28)} ${String(v)}`).join('\n');
    return { json, text };
  },
};
