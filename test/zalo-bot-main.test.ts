import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadSettings } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { startBot, stopAll } from './helpers/bot-process.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { FAKE_ZALO_BOT_TOKEN, FakeZaloBot } from './helpers/fake-zalo-bot.ts';
import { seedPlan } from './helpers/seed.ts';
import { ensureExamplePlan } from '../src/example.ts';

afterEach(stopAll);

const lan = { id: 'e4ea2cd5189df1c3a88c', name: 'Nguyễn Thị Lan' };

/** A database with a plan long enough that listing it takes several Zalo messages. */
async function databaseWithPlan(): Promise<string> {
  const url = tempSqliteUrl();
  const app = await createApp(loadSettings({ DATABASE_URL: url }), { log: silentLogger });
  await seedPlan(app, {
    year: 2025,
    units: [
      { name: 'Văn phòng UBND tỉnh', kind: 'province_office', aliases: [] },
      { name: 'Sở Tư pháp', kind: 'department', aliases: [] },
    ],
    tasks: Array.from({ length: 45 }, (_, i) => ({
      code: `2.${i + 1}`,
      deadline: 'Trước ngày 15/9/2025',
      lead: ['Sở Tư pháp'],
      content: `Rà soát, đánh giá quy định, thủ tục hành chính thuộc lĩnh vực số ${i + 1} và đề xuất phương án đơn giản hóa`,
    })),
  });
  await app.close();
  return url;
}

/** Waits until the bot has sent nothing new for a while; returns how many messages it sent. */
async function quiet(api: FakeZaloBot): Promise<number> {
  let count = -1;
  while (count !== api.sent().length) {
    count = api.sent().length;
    await new Promise((r) => setTimeout(r, 700));
  }
  return count;
}

describe('npm start with the official Zalo Bot', () => {
  it('answers /help in a private chat in Vietnamese, splits a long answer into messages of at most 2000 characters, keeps polling through 408, 429 and 5xx', async () => {
    const api = await new FakeZaloBot().start();
    try {
      // the platform is unwell when the bot starts: polling must go on through it (the 408s come between /help and /list)
      api.scriptFor(
        'getUpdates',
        { status: 502 },
        { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests' }, headers: { 'retry-after': '1' } },
        { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } },
      );
      // Lan is an administrator: in a private chat the plan is read only by administrators and registered officers
      const bot = startBot({ DATABASE_URL: await databaseWithPlan(), ZALO_BOT_TOKEN: FAKE_ZALO_BOT_TOKEN, ZALO_BOT_API_ROOT: api.apiRoot, NHACVIEC_ADMINS: `zalobot:${lan.id}` });
      await bot.waitFor(/^Nhắc việc đang chạy — Zalo Bot bot\.NhacViec, long polling · /m, 30_000);
      await api.pushText(lan, '/help');
      const help = await api.waitFor((c) => c.method === 'sendMessage', 30_000);
      expect(help.body.chat_id).toBe(lan.id);
      expect(String(help.body.text)).toContain('Nhắc việc');
      expect(String(help.body.text)).toMatch(/Lệnh cho cán bộ đầu mối/);
      expect(String(help.body.text)).not.toMatch(/Trả lời tin nhắc việc/); // Zalo Bot passes no replies on
      expect(api.sent('getUpdates').slice(0, 3).map((c) => c.status)).toEqual([502, 429, 500]);
      expect(api.sent('getUpdates').length).toBeGreaterThanOrEqual(4); // three failures, then the poll that brought /help
      const before = await quiet(api);
      for (const part of api.sent()) expect(String(part.body.text).length).toBeLessThanOrEqual(2000);

      await api.pushText(lan, '/list');
      const until = Date.now() + 20_000;
      while (!api.sent().slice(before).some((c) => String(c.body.text).includes('trang 2'))) {
        if (Date.now() > until) throw new Error(`no complete /list answer; stderr: ${bot.err().slice(-500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const parts = api.sent().slice(before).map((c) => String(c.body.text));
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
      const lines = parts.join('\n').split('\n');
      // the first page of 25 (commands page long lists), still over 2000 characters
      expect(lines[0]).toBe('📋 45 nhiệm vụ, trang 1/2:');
      for (let i = 1; i <= 25; i++) expect(lines.filter((l) => l.startsWith(`• 2.${i} `))).toHaveLength(1); // each task once, whole
      expect(lines.at(-1)).toBe('➡️ Trang sau (2/2), gõ: /list trang 2');
      expect(api.sent('getUpdates').some((c) => c.status === 200 && c.at > help.at)).toBe(true); // /list came by a later poll
      bot.proc.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.err()).not.toMatch(/Lỗi/);
    } finally {
      await api.stop();
    }
  }, 90_000);

  it("a round delivers an officer's personal reminder once, across a restart: the failed send is not lost, the next round adds nothing", async () => {
    // the example plan (2023); Lan is Phòng Tư pháp's officer and turned personal reminders on in her chat with the bot
    const url = tempSqliteUrl();
    const app = await createApp(loadSettings({ DATABASE_URL: url }), { log: silentLogger });
    await ensureExamplePlan(app);
    const tp = await app.db.prisma.unit.findUniqueOrThrow({ where: { name: 'Phòng Tư pháp' } });
    await app.db.prisma.officer.create({ data: { user: `zalobot:${lan.id}`, unitId: tp.id } });
    const on = await app.handle({ chat: `zalobot:${lan.id}`, user: `zalobot:${lan.id}`, userName: lan.name, messageId: 'm1', text: '/nhacrieng bat', direct: true });
    expect(on?.text).toContain('Đã bật nhắc việc riêng');
    await app.close();

    const api = await new FakeZaloBot().start();
    try {
      // Wednesday 22/03/2023 08:00 Vietnam time (whatever the server's zone): 2.2.1 and 6.1.1 (due 31/03) are 7
      // working days ahead. The first attempt to deliver is refused (502); the bot stops before its retry.
      api.scriptFor('sendMessage', { status: 502 });
      const env = { DATABASE_URL: url, ZALO_BOT_TOKEN: FAKE_ZALO_BOT_TOKEN, ZALO_BOT_API_ROOT: api.apiRoot, NHACVIEC_INSTANCE: 'zalo-bot-main' };
      const first = startBot(env, ['--now', '2023-03-22T08:00']);
      await api.waitFor((c) => c.method === 'sendMessage' && c.status === 502, 30_000);
      first.proc.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(api.delivered()).toEqual([]);

      // restarted a quarter of an hour later: its own start-up round finds the stage said, the pending message goes out
      const second = startBot(env, ['--now', '2023-03-22T08:15']);
      await api.waitFor((c) => c.method === 'sendMessage' && c.status === 200, 30_000);
      await quiet(api);
      const got = api.delivered(lan.id);
      expect(got).toHaveLength(1);
      const text = String(got[0]!.body.text);
      expect(text).toMatch(/^🔔 NHẮC VIỆC — ngày 22\/03\/2023/);
      expect(text).toMatch(/^• 2\.2\.1 .* · \/done 2\.2\.1$/m);
      expect(text).toMatch(/^• 6\.1\.1 .* · \/done 6\.1\.1$/m);
      expect(text).not.toContain('UBND'); // only her own unit's items
      expect(text).not.toMatch(/trả lời/i); // Zalo Bot passes no replies on: nothing offers one
      expect(api.delivered()).toHaveLength(1);
      second.proc.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.err()).not.toMatch(/Lỗi/);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('a wrong Zalo Bot setting stops it with a Vietnamese message naming the variable (exit 1)', async () => {
    const bot = startBot({ ZALO_BOT_TOKEN: 'khong-phai-token' });
    expect(await bot.exited).toBe(1);
    expect(bot.err()).toContain('ZALO_BOT_TOKEN');
    expect(bot.err()).toContain('Zalo Bot Creator');
  }, 30_000);
});
