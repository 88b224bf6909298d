import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeBotApi } from './helpers/fake-bot-api.ts';
import { startBot as start, stopAll } from './helpers/bot-process.ts';
import { tempSqliteUrl } from './helpers/db.ts';

afterEach(stopAll);

describe('npm start', () => {
  it('console mode: loads the example plan, reminds at --now, answers the officer, stops when the input ends', async () => {
    const url = tempSqliteUrl();
    const dataDir = path.dirname(url.slice('file:'.length));
    const bot = start({ DATABASE_URL: url, LOG_LEVEL: 'info' }, ['--now', '2023-02-13T08:00']);
    await bot.waitFor(/NHẮC VIỆC — ngày 13\/02\/2023/);
    const out = bot.out();
    expect(out).toContain('Kế hoạch mẫu: Kế hoạch KSTTHC huyện Châu Thành năm 2023');
    // the banner before the first prompt; no JSON log line in the chat: they go beside the database (data/ by default)
    expect(out.indexOf('Gõ /help')).toBeLessThan(out.indexOf('bạn> '));
    expect(out + bot.err()).not.toContain('"level"');
    expect(out).toContain(`Nhật ký (log) ghi vào ${path.join(dataDir, 'nhacviec.log')}`);
    expect(fs.readFileSync(path.join(dataDir, 'nhacviec.log'), 'utf8')).toContain('example plan loaded');
    bot.proc.stdin!.write('/done 1.1.1\n');
    await bot.waitFor(/Đã ghi nhận: 1\.1\.1/);
    // a file the bot attaches is saved under files/ beside the database, its path printed
    bot.proc.stdin!.write('/baocao xlsx\n');
    await bot.waitFor(/📎 Tệp đính kèm đã lưu: \S+\.xlsx/);
    const saved = /📎 Tệp đính kèm đã lưu: (\S+)/.exec(bot.out())![1]!;
    expect(path.dirname(saved)).toBe(path.join(dataDir, 'files'));
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
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
      const first = /\/quantri (\S+)/.exec(bot.out())![1]!;
      // typed in a group, the code dies: the running bot prints a fresh one on its screen, never in a chat
      api.pushMessage({ chatId: -100888, fromId: 4242, text: `/quantri ${first}` });
      const burnt = await api.waitFor((c) => c.method === 'sendMessage' && String(c.chat_id) === '-100888', 15_000);
      expect(burnt.text).toContain('màn hình máy chủ');
      await bot.waitFor(/đây là mã mới\. Chưa có quản trị viên\. Người quản trị nhắn riêng cho bot: \/quantri \S+/);
      const code = /đây là mã mới.*\/quantri (\S+)/.exec(bot.out())![1]!;
      expect(code).not.toBe(first);
      api.pushMessage({ chatId: 4242, fromId: 4242, text: `/quantri ${first}` });
      expect((await api.waitFor((c) => c.method === 'sendMessage' && c.chat_id === '4242', 15_000)).text).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      api.pushMessage({ chatId: 4242, fromId: 4242, text: `/quantri ${code}` });
      const claimed = await api.waitFor((c) => c.method === 'sendMessage' && c.chat_id === '4242' && String(c.text).includes('là quản trị viên'), 15_000);
      expect(claimed.text).toContain('là quản trị viên');
      expect(JSON.stringify(api.sent)).not.toMatch(new RegExp(`${first}|${code}`));
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
