import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeBotApi } from './helpers/fake-bot-api.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** `npm start` as a process: node --import tsx src/main.ts, by default in a fresh folder of its own (data/ is made there) */
function start(env: Record<string, string>, args: string[] = [], cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-start-'))) {
  const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src', 'main.ts'), ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', ZALO_CREDENTIALS_FILE: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child = proc;
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

describe('npm start', () => {
  it('console mode: loads the example plan, reminds at --now, answers the officer, stops when the input ends', async () => {
    const bot = start({ DATABASE_URL: tempSqliteUrl(), LOG_LEVEL: 'info' }, ['--now', '2023-02-13T08:00']);
    await bot.waitFor(/NHẮC VIỆC — ngày 13\/02\/2023/);
    const out = bot.out();
    expect(out).toContain('Kế hoạch mẫu: Kế hoạch KSTTHC huyện Châu Thành năm 2023');
    // the banner before the first prompt; no JSON log line in the chat, they are in data/nhacviec.log
    expect(out.indexOf('Gõ /help')).toBeLessThan(out.indexOf('bạn> '));
    expect(out + bot.err()).not.toContain('"level"');
    expect(fs.readFileSync(path.join(bot.cwd, 'data', 'nhacviec.log'), 'utf8')).toContain('example plan loaded');
    bot.proc.stdin!.write('/done 1.1.1\n');
    await bot.waitFor(/Đã ghi nhận: 1\.1\.1/);
    // a file the bot attaches is saved under data/files/, its path printed
    bot.proc.stdin!.write('/baocao xlsx\n');
    await bot.waitFor(/📎 Tệp đính kèm đã lưu: (data\/files\/\S+\.xlsx)/);
    const saved = /📎 Tệp đính kèm đã lưu: (\S+)/.exec(bot.out())![1]!;
    expect(fs.readFileSync(path.join(bot.cwd, saved)).subarray(0, 2).toString()).toBe('PK');
    bot.proc.stdin!.end();
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it('a demo started again with --now on a later day: its first reminders are not "gửi muộn" (the demo was not down, its clock jumped)', async () => {
    const url = tempSqliteUrl();
    const first = start({ DATABASE_URL: url }, ['--now', '2023-02-13T08:00']);
    await first.waitFor(/NHẮC VIỆC — ngày 13\/02\/2023/);
    first.proc.stdin!.end();
    expect(await first.exited).toBe(0);
    // 1.1.1 fell due on 15/02: its overdue notice's moment is 07:30 on 16/02, before this start
    const next = start({ DATABASE_URL: url }, ['--now', '2023-02-16T09:00']);
    await next.waitFor(/NHẮC VIỆC — ngày 16\/02\/2023[\s\S]*\/help để xem các lệnh/);
    expect(next.out()).toContain('• 1.1.1 ');
    expect(next.out()).not.toContain('gửi muộn');
    next.proc.stdin!.end();
    expect(await next.exited).toBe(0);
  }, 90_000);

  it('a wrong setting stops it with a Vietnamese message naming the variable (exit 1)', async () => {
    const bot = start({ NHACVIEC_TIMEZONE: 'Sao Hỏa/Thủ đô' });
    expect(await bot.exited).toBe(1);
    expect(bot.err()).toContain('NHACVIEC_TIMEZONE');
  }, 30_000);

  it('Zalo without its login file stops at once (exit 1) with the command to run', async () => {
    const bot = start({ DATABASE_URL: tempSqliteUrl(), ZALO_CREDENTIALS_FILE: './data/khong-co.json' });
    expect(await bot.exited).toBe(1);
    expect(bot.err()).toContain('npm run -s cli -- zalo login');
    expect(bot.err()).toContain('khong-co.json');
  }, 30_000);

  it('Telegram mode against a local Bot API server: answers in the group, serves /healthz, shuts down cleanly on SIGTERM', async () => {
    const api = new FakeBotApi();
    await api.start();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    try {
      const bot = start({ DATABASE_URL: tempSqliteUrl(), TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, NHACVIEC_HTTP_PORT: String(port) });
      const until = Date.now() + 30_000;
      let health: { ok: boolean; transports: { name: string; connected: boolean }[] } | null = null;
      while (Date.now() < until) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<typeof health>, () => null);
        if (health?.transports[0]?.connected) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(health).toMatchObject({ ok: true, transports: [{ name: 'telegram', connected: true }] });
      // one plain status line on stdout, and the claim code since nobody administers this bot yet
      await bot.waitFor(/mã dùng một lần/);
      expect(bot.out()).toMatch(/^Nhắc việc đang chạy — Telegram @nhacviec_test_bot, long polling · cơ sở dữ liệu: SQLite \S+test\.db · lượt nhắc tiếp theo: \d\d:\d\d \d\d\/\d\d\/\d{4}$/m);
      const code = /\/quantri (\S+)/.exec(bot.out())![1]!;
      api.pushMessage({ chatId: 4242, fromId: 4242, text: `/quantri ${code}` });
      const claimed = await api.waitFor((c) => c.method === 'sendMessage' && c.chat_id === '4242', 15_000);
      expect(claimed.text).toContain('là quản trị viên');
      api.pushMessage({ chatId: -100777, fromId: 42, text: `/help@${api.botInfo.username}` });
      const reply = await api.waitFor((c) => c.method === 'sendMessage' && String(c.chat_id) === '-100777', 15_000);
      expect(reply.text).toContain('Nhắc việc');
      bot.proc.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await api.stop();
    }
  }, 90_000);
});
