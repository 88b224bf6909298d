import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter, TELEGRAM_LIMITS } from '../src/transports/rate-limit.ts';
import { TelegramTransport, toSendError } from '../src/transports/telegram.ts';
import { SendError } from '../src/transports/transport.ts';
import type { Harness } from './helpers/app.ts';
import { FakeBotApi } from './helpers/fake-bot-api.ts';
import { FAST_LIMITS, telegramBot, type TelegramBot } from './helpers/telegram.ts';
import { freePort } from './helpers/net.ts';

/** Telegram's published limits, exactly: the limiter's mechanism is tested with these. */
const TELEGRAM_FIGURES = { perChat: { limit: 1, windowMs: 1_000 }, perGroup: { limit: 20, windowMs: 60_000 }, overall: { limit: 30, windowMs: 1_000 } };


describe('rate limiter (fake clock)', () => {
  const fakeClock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  it('keeps a margin over Telegram\'s published figures (the limiter counts departures, Telegram arrivals)', () => {
    expect(TELEGRAM_LIMITS.perChat.limit).toBe(1);
    expect(TELEGRAM_LIMITS.perChat.windowMs).toBeGreaterThan(1_000);
    expect(TELEGRAM_LIMITS.perGroup.limit).toBe(20);
    expect(TELEGRAM_LIMITS.perGroup.windowMs).toBeGreaterThan(60_000);
    expect(TELEGRAM_LIMITS.overall.limit).toBe(30);
    expect(TELEGRAM_LIMITS.overall.windowMs).toBeGreaterThan(1_000);
  });

  it('1 message/s per chat; other chats are not held up', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ...clock, limits: TELEGRAM_FIGURES });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await limiter.acquire('42');
      times.push(clock.now());
    }
    expect(times).toEqual([0, 1_000, 2_000]);
    expect(limiter.delay('42')).toBe(1_000);
    expect(limiter.delay('43')).toBe(0);
    await limiter.acquire('43');
    expect(clock.now()).toBe(2_000);
  });

  it('20 messages/minute per group (negative id); private chats have no such limit', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ...clock, limits: TELEGRAM_FIGURES });
    const times: number[] = [];
    for (let i = 0; i < 22; i++) {
      await limiter.acquire('-100123');
      times.push(clock.now());
    }
    // 1/s for the first 20, then the minute window is full until the first send leaves it
    expect(times.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1_000));
    expect(times[20]).toBe(60_000);
    expect(times[21]).toBe(61_000);

    const clock2 = fakeClock();
    const privateChats = new RateLimiter({ ...clock2, limits: TELEGRAM_FIGURES });
    for (let i = 0; i < 22; i++) await privateChats.acquire('42');
    expect(clock2.now()).toBe(21_000);
  });

  it('30 messages/s overall', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ...clock, limits: TELEGRAM_FIGURES });
    const times: number[] = [];
    for (let i = 0; i < 65; i++) {
      await limiter.acquire(String(1000 + i));
      times.push(clock.now());
    }
    expect(times.filter((t) => t === 0)).toHaveLength(30);
    expect(times[30]).toBe(1_000);
    expect(times.filter((t) => t === 1_000)).toHaveLength(30);
    expect(times[60]).toBe(2_000);
  });

  it('concurrent senders to one chat are spaced out (real timers)', async () => {
    const limiter = new RateLimiter({ limits: { perChat: { limit: 1, windowMs: 40 } } });
    const start = Date.now();
    const done: number[] = [];
    await Promise.all([0, 1, 2].map(() => limiter.acquire('-1').then(() => done.push(Date.now() - start))));
    done.sort((a, b) => a - b);
    expect(done[0]!).toBeLessThan(30);
    expect(done[1]!).toBeGreaterThanOrEqual(38);
    expect(done[2]!).toBeGreaterThanOrEqual(78);
  });
});

describe('Telegram errors → SendError', () => {
  const api = (error_code: number, description: string, parameters?: object) =>
    Object.assign(new Error(description), { response: { error_code, description, ...(parameters ? { parameters } : {}) } });

  it('classifies Bot API answers and network failures', () => {
    expect(toSendError(api(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toMatchObject({ reason: 'rate_limited', retryAfterMs: 7_000 });
    expect(toSendError(api(403, 'Forbidden: bot was kicked from the group chat')).reason).toBe('chat_gone');
    expect(toSendError(api(400, 'Bad Request: chat not found')).reason).toBe('chat_gone');
    expect(toSendError(api(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100999 }))).toMatchObject({ reason: 'migrated', newChat: 'telegram:-100999' });
    expect(toSendError(api(502, 'Bad Gateway')).reason).toBe('retry');
    const other = toSendError(api(400, 'Bad Request: message text is empty'));
    expect(other.reason).toBe('retry');
    expect(other.message).toContain('message text is empty');
    expect(toSendError(Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError' })).reason).toBe('retry');
    expect(toSendError(Object.assign(new Error('aborted'), { name: 'AbortError' })).reason).toBe('retry');
  });
});

describe('Telegram transport + sender at the Bot API boundary', () => {
  let bot: TelegramBot;
  let fake: FakeBotApi;
  let h: Harness;
  let tg: TelegramTransport;
  const prisma = () => h.app.db.prisma;

  beforeAll(async () => {
    bot = await telegramBot();
    ({ fake, h, tg } = bot);
  });
  afterAll(async () => {
    await bot?.close();
  });

  const queue = async (chat: string, text: string, tasks: string[] = []) =>
    (await prisma().outbox.create({ data: { chat, kind: 'reminder', text, tasks: JSON.stringify(tasks), roundAt: h.app.clock(), nextAttemptAt: h.app.clock() } })).id;
  const advance = (ms: number) => h.at(new Date(h.app.clock().getTime() + ms).toISOString());
  const sentTo = (chatId: string) => fake.sent.filter((c) => c.method === 'sendMessage' && c.chat_id === chatId);

  it('starts: getMe, no webhook, long polling', async () => {
    expect(tg.status()).toMatchObject({ name: 'telegram', connected: true });
    expect(tg.username).toBe(fake.botInfo.username);
    await expect.poll(() => fake.requests.some((r) => r.method === 'getUpdates')).toBe(true);
    const methods = fake.requests.map((r) => r.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    expect(fake.requests.find((r) => r.method === 'deleteWebhook')!.body.drop_pending_updates).toBeFalsy();
    expect(fake.requests.find((r) => r.method === 'getUpdates')!.body).toMatchObject({ timeout: 50, allowed_updates: ['message', 'callback_query', 'my_chat_member'] });
  });

  it('429 with retry_after: retried after the wait, sent exactly once', async () => {
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const id = await queue('telegram:-100429', 'Nhắc việc 429');
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await prisma().outbox.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('pending');
    expect(row.nextAttemptAt.getTime() - h.app.clock().getTime()).toBe(7_000);
    expect(row.lastError).toContain('429');
    advance(5_000);
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 0, failed: 0 });
    advance(2_000);
    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sentTo('-100429').map((c) => c.text)).toEqual(['Nhắc việc 429']);
    expect((await prisma().outbox.findUniqueOrThrow({ where: { id } })).status).toBe('sent');
    const delivered = await prisma().delivered.findMany({ where: { outboxId: id } });
    expect(delivered.map((d) => d.messageId)).toEqual([String(sentTo('-100429')[0]!.message_id)]);
  });

  it('403: the row fails and the group is deactivated', async () => {
    await prisma().chatGroup.create({ data: { chat: 'telegram:-100403', title: 'Nhóm bị xoá' } });
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    const id = await queue('telegram:-100403', 'Nhắc việc 403');
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await prisma().outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed' });
    expect(await prisma().chatGroup.findUniqueOrThrow({ where: { chat: 'telegram:-100403' } })).toMatchObject({ active: false });
    expect(sentTo('-100403')).toEqual([]);
  });

  it('400 with migrate_to_chat_id: the group and the message move to the new id and it is sent there', async () => {
    await prisma().chatGroup.create({ data: { chat: 'telegram:-500', title: 'Nhóm cũ' } });
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -100500 } });
    const id = await queue('telegram:-500', 'Nhắc việc nhóm nâng cấp');
    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 1, failed: 0 });
    expect(await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-500' } })).toBeNull();
    expect(await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-100500' } })).toMatchObject({ title: 'Nhóm cũ', active: true });
    expect(await prisma().outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', chat: 'telegram:-100500' });
    expect(sentTo('-500')).toEqual([]);
    expect(sentTo('-100500').map((c) => c.text)).toEqual(['Nhắc việc nhóm nâng cấp']);
  });

  it('a migration service message moves the group binding (onChatMigrated)', async () => {
    await prisma().chatGroup.create({ data: { chat: 'telegram:-600', title: 'Nhóm 600' } });
    fake.pushMigration(-600, -100600);
    await expect.poll(async () => (await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-100600' } }))?.title).toBe('Nhóm 600');
    expect(await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-600' } })).toBeNull();
    await fake.drained();
  });

  it('a burst of 500s, then recovery: delivered exactly once', async () => {
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 3);
    const id = await queue('telegram:-100500500', 'Nhắc việc sau sự cố');
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await h.sender.drain());
      advance(10 * 60_000);
    }
    expect(results.map((r) => (r.sent ? 'sent' : r.retried ? 'retried' : 'none'))).toEqual(['retried', 'retried', 'retried', 'sent']);
    expect(sentTo('-100500500').map((c) => c.text)).toEqual(['Nhắc việc sau sự cố']);
    expect(await prisma().outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 4 });
    expect(fake.requests.filter((r) => r.method === 'sendMessage' && String(r.body.chat_id) === '-100500500')).toHaveLength(4);
  });

  it('a 10,000-character text goes out in parts of at most 4096, the buttons on the last', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')} ${'x'.repeat(45)}`).join('\n');
    expect(text.length).toBeGreaterThan(9_900);
    const id = await queue('telegram:-100777', text, ['1.1.1']);
    expect(await h.sender.drain()).toMatchObject({ sent: 1 });
    const parts = sentTo('-100777');
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.text!.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n')).toBe(text);
    expect(parts.map((p) => Boolean(p.reply_markup))).toEqual([false, false, true]);
    expect(parts[2]!.reply_markup!.inline_keyboard).toEqual([[{ text: '✅ Đã xong 1.1.1', callback_data: '/done 1.1.1' }]]);
    expect(parts.every((p) => p.body.parse_mode === undefined)).toBe(true);
    const delivered = await prisma().delivered.findMany({ where: { outboxId: id }, orderBy: { id: 'asc' } });
    expect(delivered.map((d) => d.messageId)).toEqual(parts.map((p) => String(p.message_id)));
  });

  it('send(): a document, an inline keyboard of at most 8 buttons, one per row', async () => {
    const ids = await tg.send('-100888', { text: 'Báo cáo tháng', attachment: { fileName: 'bao-cao.xlsx', data: new Uint8Array([1, 2, 3, 4]), mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    const doc = fake.sent.find((c) => c.method === 'sendDocument' && c.chat_id === '-100888')!;
    expect(doc).toMatchObject({ caption: 'Báo cáo tháng', document: { filename: 'bao-cao.xlsx', size: 4 } });
    expect(ids).toEqual([String(doc.message_id)]);

    const buttons = Array.from({ length: 10 }, (_, i) => ({ label: `Xong 1.${i}`, data: `/done 1.${i}` }));
    buttons.push({ label: 'quá dài', data: `/done ${'9'.repeat(80)}` });
    await tg.send('-100888', { text: 'Nhiều nút', buttons: [buttons[10]!, ...buttons.slice(0, 10)] });
    const keyboard = fake.sent.find((c) => c.text === 'Nhiều nút')!.reply_markup!.inline_keyboard!;
    expect(keyboard).toHaveLength(8);
    expect(keyboard.every((row) => row.length === 1)).toBe(true);
    expect(keyboard[0]![0]!.callback_data).toBe('/done 1.0');
  });

  it('sends to one chat are spaced by the per-chat limit', async () => {
    // the limiter's own clock, not the double's arrival times: on a loaded machine two requests can arrive
    // closer together than they left, and the spacing under test is the one the transport keeps
    let clock = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter({
      limits: { ...FAST_LIMITS, perChat: { limit: 1, windowMs: 150 } },
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    const slow = new TelegramTransport({ token: fake.token, apiRoot: fake.apiRoot, limiter });
    await Promise.all([slow.send('-100111', { text: 'một' }), slow.send('-100111', { text: 'hai' })]);
    const sent = fake.requests.filter((r) => r.method === 'sendMessage' && String(r.body.chat_id) === '-100111');
    expect(sent.map((r) => r.body.text)).toEqual(['một', 'hai']);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(150);
    expect(clock).toBeGreaterThanOrEqual(150);
  });

  it('a timeout or a refused connection is a transient failure (retry)', async () => {
    const impatient = new TelegramTransport({ token: fake.token, apiRoot: fake.apiRoot, limits: FAST_LIMITS, requestTimeoutMs: 100 });
    fake.delayMs = 400;
    try {
      await expect(impatient.send('-100222', { text: 'chậm' })).rejects.toMatchObject({ reason: 'retry' });
    } finally {
      fake.delayMs = 0;
    }
    const closedPort = await freePort();
    const offline = new TelegramTransport({ token: fake.token, apiRoot: `http://127.0.0.1:${closedPort}`, limits: FAST_LIMITS });
    const error = await offline.send('-100222', { text: 'mất mạng' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).reason).toBe('retry');
    expect((error as SendError).message).not.toContain(fake.token);
  });

  it('a wrong token stops start-up with a clear message', async () => {
    const wrong = new TelegramTransport({ token: '1:wrong', apiRoot: fake.apiRoot });
    await expect(wrong.start(async () => null)).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(wrong.status().connected).toBe(false);
  });

  it('stop() ends a pending long poll promptly', async () => {
    const before = Date.now();
    await tg.stop();
    expect(Date.now() - before).toBeLessThan(2_000);
    expect(tg.status().connected).toBe(false);
  });
});
