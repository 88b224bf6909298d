import { doneButton, doneButtonsNote } from '../commands/done-buttons.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import { admin as adminCli } from '../src/cli/admin.ts';
import { loadSettings } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';
import { SendError, type IncomingMessage, type Reply } from '../src/transports/transport.ts';
import { ZaloBotTransport, type ZaloBotOptions } from '../src/transports/zalo-bot.ts';
import { FAKE_ZALO_BOT_TOKEN, FakeZaloBot } from './helpers/fake-zalo-bot.ts';
import { planPeriodic } from '../src/core/periodic.ts';
import { planRound, type RoundOccurrence } from '../src/core/round.ts';
import { defaultReminderPolicy } from '../src/core/reminder-policy.ts';
import { parseInstant } from '../src/core/time.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';

const doubles: FakeZaloBot[] = [];
const transports: ZaloBotTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.stop()));
  await Promise.all(doubles.splice(0).map((d) => d.stop()));
});

const lan = { id: 'e4ea2cd5189df1c3a88c', name: 'Nguyễn Thị Lan' };
const SECRET = 'bi-mat-cua-webhook-123';

async function setup(options: Partial<ZaloBotOptions> = {}, answer: (m: IncomingMessage) => Reply | null = (m) => ({ text: `Đã nhận: ${m.text}` })) {
  const api = await new FakeZaloBot().start();
  doubles.push(api);
  const delays: number[] = [];
  const received: IncomingMessage[] = [];
  const transport = new ZaloBotTransport({
    token: FAKE_ZALO_BOT_TOKEN,
    apiRoot: api.apiRoot,
    backoffBaseMs: 40,
    random: () => 0.5,
    sleep: (ms) => {
      delays.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
    },
    ...options,
  });
  transports.push(transport);
  await transport.start(async (m) => {
    received.push(m);
    return answer(m);
  });
  if (transport.port) {
    api.webhookTarget = `http://127.0.0.1:${transport.port}${options.webhook ? new URL(options.webhook.url).pathname : '/'}`;
    api.photoHost = `http://127.0.0.1:${transport.port}`;
  }
  return { api, transport, delays, received };
}

describe('Zalo Bot: polling', () => {
  it('answers a private message in the same chat; the address is zalobot:<chat id>', async () => {
    const { api, received, transport } = await setup();
    await api.pushText(lan, '/help');
    const reply = await api.waitFor((c) => c.method === 'sendMessage');
    expect(reply.body).toEqual({ chat_id: lan.id, text: 'Đã nhận: /help' });
    expect(received[0]).toMatchObject({ chat: `zalobot:${lan.id}`, user: `zalobot:${lan.id}`, userName: 'Nguyễn Thị Lan', text: '/help', direct: true });
    expect(api.sent('deleteWebhook')).toHaveLength(1); // getUpdates answers nothing while a webhook is set
    expect(transport.status()).toEqual({ name: 'zalobot', connected: true, detail: 'bot.NhacViec, long polling' });
  });

  it("reads an update as the documentation's own sample writes it (no event_name, first_name): a text from a private chat", async () => {
    const { api, received } = await setup();
    await api.push({ message: { chat: { id: lan.id, chat_type: 'PRIVATE' }, text: 'Xin chào', message_id: '16f6366b3f02645a3d15', date: 1766619597466, from: { id: lan.id, first_name: 'Nguyen Van A' } } });
    await api.pushText(lan, '/id'); // and polling goes on
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]).toMatchObject({ chat: `zalobot:${lan.id}`, user: `zalobot:${lan.id}`, userName: 'Nguyen Van A', text: 'Xin chào', direct: true });
  });

  it('keeps polling through 408s, 429s, 5xx and dropped connections, with a growing back-off that honours Retry-After', async () => {
    const { api, delays, transport } = await setup();
    await vi.waitFor(() => expect(api.sent('getUpdates').length).toBeGreaterThanOrEqual(2)); // a 408 or two: nothing came
    expect(delays).toEqual([]); // a 408 is the normal end of a long poll: polled again at once
    api.scriptFor(
      'getUpdates',
      { status: 500 },
      { status: 502, body: '<html>Bad Gateway</html>' },
      { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests' }, headers: { 'retry-after': '3' } },
      'drop',
      { status: 503 },
    );
    await vi.waitFor(() => expect(delays).toHaveLength(5), { timeout: 5_000 });
    expect(delays).toEqual([30, 60, 3000, 240, 480]); // 40·2^n·0.75, the 429 waiting its 3 s
    expect(transport.status().connected).toBe(false);
    await api.pushText(lan, 'vẫn đây chứ?');
    await api.waitFor((c) => c.method === 'sendMessage' && c.body.text === 'Đã nhận: vẫn đây chứ?');
    expect(transport.status().connected).toBe(true);
    await vi.waitFor(() => expect(api.sent('getUpdates').length).toBeGreaterThanOrEqual(9));
    expect(delays).toHaveLength(5); // back to polling at once: the back-off was reset
  });

  it('splits a long answer on line boundaries into messages of at most 2000 characters, in order', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `${i + 1}. Nhiệm vụ ${i + 1}: cập nhật, công khai thủ tục hành chính`);
    const { api } = await setup({}, () => ({ text: lines.join('\n'), buttons: [{ label: '✅ Đã xong 2.1', data: '/done 2.1' }] }));
    await api.pushText(lan, '/upcoming');
    await vi.waitFor(() => expect(api.sent().map((c) => String(c.body.text)).join('\n')).toContain('/done 2.1'));
    const texts = api.sent().map((c) => String(c.body.text));
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect(texts.join('\n').split('\n').slice(0, lines.length)).toEqual(lines); // every line whole, in order
  });

  it('a picture goes as text figures without a public address, as a link the bot serves with one', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const chart: Reply = { text: '📊 Biểu đồ trạng thái', attachment: { fileName: 'bieu-do.png', data: png, mime: 'image/png', altText: 'UBND xã A: 3 xong, 1 quá hạn' } };
    const plain = await setup({}, () => chart);
    await plain.api.pushText(lan, '/baocao bieudo');
    const text = await plain.api.waitFor((c) => c.method === 'sendMessage');
    expect(text.body.text).toBe('📊 Biểu đồ trạng thái\n\nUBND xã A: 3 xong, 1 quá hạn');
    expect(plain.api.sent('sendPhoto')).toEqual([]);

    const linked = await setup({ publicUrl: 'https://nhacviec.example.gov.vn/', listen: { port: 0 } }, () => chart);
    await linked.api.pushText(lan, '/baocao bieudo');
    const photo = await linked.api.waitFor((c) => c.method === 'sendPhoto');
    await vi.waitFor(() => expect(linked.api.fetchedPhotos).toHaveLength(1));
    expect(photo.body).toMatchObject({ chat_id: lan.id, caption: '📊 Biểu đồ trạng thái' });
    expect(String(photo.body.photo)).toMatch(/^https:\/\/nhacviec\.example\.gov\.vn\/zalobot\/anh\/[0-9a-f]{32}\.png$/);
    expect(linked.api.fetchedPhotos).toEqual([{ url: photo.body.photo, status: 200, bytes: png.byteLength, type: 'image/png' }]);
    expect(linked.api.sent()).toEqual([]); // the caption went with the photo
  });

  it('sends: 429 is rate_limited with its delay, 5xx and network failures are retry', async () => {
    const { api, transport } = await setup();
    api.scriptFor('sendMessage', { status: 429, headers: { 'retry-after': '7' } }, { status: 500 }, 'drop');
    await expect(transport.send(lan.id, { text: 'a' })).rejects.toMatchObject({ reason: 'rate_limited', retryAfterMs: 7000 });
    await expect(transport.send(lan.id, { text: 'b' })).rejects.toMatchObject({ reason: 'retry' });
    const dropped = await transport.send(lan.id, { text: 'c' }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(SendError);
    expect((dropped as SendError).reason).toBe('retry');
    expect(await transport.send(lan.id, { text: 'd' })).toHaveLength(1);
  });

  it('a refused token stops the start with a Vietnamese message', async () => {
    const api = await new FakeZaloBot().start();
    doubles.push(api);
    const transport = new ZaloBotTransport({ token: '1:sai', apiRoot: api.apiRoot });
    await expect(transport.start(async () => null)).rejects.toThrow(/Zalo Bot từ chối ZALO_BOT_TOKEN \(mã 401\)/);
  });

  it('explains in a private chat what it cannot receive; a photo arrives as the message file', async () => {
    const { api, received } = await setup();
    const base = { from: { id: lan.id, display_name: lan.name }, chat: { id: lan.id, chat_type: 'PRIVATE' }, date: Date.now() };
    await api.push({ event_name: 'message.unsupported.received', message: { ...base, message_id: 'u1' } });
    const note = await api.waitFor((c) => c.method === 'sendMessage');
    expect(note.body.text).toMatch(/Zalo Bot chưa chuyển được loại tin này/);
    await api.push({ event_name: 'message.image.received', message: { ...base, message_id: 'p1', photo: 'https://photo.zdn.test/a/b/anh-ke-hoach.jpg', caption: 'kế hoạch' } });
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toMatchObject({ text: 'kế hoạch', file: { name: 'anh-ke-hoach.jpg', size: null, mime: 'image/jpeg' } });
  });
});

describe('Zalo Bot: webhook', () => {
  const webhook = { url: 'https://nhacviec.example.gov.vn/zalo-bot/cap-nhat', secret: SECRET };

  it('sets the webhook with its secret, checks the secret on every request, handles each message once', async () => {
    const { api, received } = await setup({ webhook, listen: { port: 0 } });
    await vi.waitFor(() => expect(api.webhook).toEqual({ url: webhook.url, secret: SECRET }));
    expect(api.sent('getUpdates')).toEqual([]);
    const update = {
      event_name: 'message.text.received',
      message: { message_id: 'm1', from: { id: lan.id, display_name: lan.name }, chat: { id: lan.id, chat_type: 'PRIVATE' }, date: 1, text: '/help' },
    };
    expect(await api.deliver(update, 'doan-bua-mot-chuoi')).toBe(403);
    expect(await api.deliver(update, null)).toBe(403);
    expect(await api.deliver(update, SECRET, '{not json')).toBe(400);
    expect(await api.deliver(update, SECRET, JSON.stringify({ result: { event_name: 'x', pad: 'y'.repeat(1_100_000) } }))).toBe(413);
    expect(await api.deliver(update)).toBe(200);
    expect(await api.deliver(update)).toBe(200); // the platform retried: not handled twice
    await api.waitFor((c) => c.method === 'sendMessage');
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((m) => m.text)).toEqual(['/help']);
    expect(api.sent()).toHaveLength(1);
  });

  it('an answer refused with 429 (Retry-After honoured) and then 502 is sent again, once delivered, the next update not held up', async () => {
    const { api, delays } = await setup({ webhook, listen: { port: 0 } });
    await vi.waitFor(() => expect(api.webhook).not.toBeNull());
    api.scriptFor('sendMessage', { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests' }, headers: { 'retry-after': '7' } }, { status: 502 });
    await api.pushText(lan, '/help');
    await api.waitFor((c) => c.method === 'sendMessage' && c.status === 200);
    expect(api.sent().map((c) => c.status)).toEqual([429, 502, 200]);
    expect(api.delivered(lan.id).map((c) => c.body.text)).toEqual(['Đã nhận: /help']);
    expect(delays).toContain(7_000);
    await api.pushText(lan, '/id');
    await vi.waitFor(() => expect(api.delivered(lan.id)).toHaveLength(2));
  });

  it('retries setWebhook through 5xx until it holds', async () => {
    const api = await new FakeZaloBot().start();
    doubles.push(api);
    api.scriptFor('setWebhook', { status: 502 }, { status: 500 });
    const transport = new ZaloBotTransport({ token: FAKE_ZALO_BOT_TOKEN, apiRoot: api.apiRoot, webhook, listen: { port: 0 }, backoffBaseMs: 10 });
    transports.push(transport);
    await transport.start(async () => null);
    await vi.waitFor(() => expect(transport.status().connected).toBe(true));
    expect(api.sent('setWebhook')).toHaveLength(3);
  });
});

describe('Zalo Bot with the app', () => {
  it('an officer learns their id with /id in a private chat and an administrator registers it with /officer add', async () => {
    const admin = { id: '7a1b2c3d4e5f60718293', name: 'Quản trị' };
    const url = tempSqliteUrl();
    const app = await createApp(loadSettings({ DATABASE_URL: url }), { log: silentLogger });
    try {
      // the administrator is added by the CLI with the Zalo Bot id
      expect((await adminCli.run(['add', `zalobot:${admin.id}`], { json: false, db: url })).text).toContain(`Đã thêm quản trị viên zalobot:${admin.id}`);
      await seedPlan(app, { year: 2025, units: [{ name: 'Sở Tư pháp', kind: 'department', aliases: ['STP'] }], tasks: [{ code: '1.1', deadline: 'Quý IV/2025', lead: ['Sở Tư pháp'] }] });
      const api = await new FakeZaloBot().start();
      doubles.push(api);
      const transport = new ZaloBotTransport({ token: FAKE_ZALO_BOT_TOKEN, apiRoot: api.apiRoot });
      transports.push(transport);
      await transport.start((m) => app.handle(m));
      await api.pushText(lan, '/id');
      const id = await api.waitFor((c) => c.method === 'sendMessage' && c.body.chat_id === lan.id);
      expect(String(id.body.text)).toContain(`zalobot:${lan.id}`);
      for (const typed of [`zalobot:${lan.id}`, lan.id]) {
        const before = api.sent().length;
        await api.pushText(admin, `/officer add ${typed} STP`);
        await vi.waitFor(() => expect(api.sent().length).toBe(before + 1));
        expect(String(api.sent().at(-1)!.body.text)).toMatch(/Sở Tư pháp/);
      }
      expect(await app.db.prisma.officer.findMany({ select: { user: true } })).toEqual([{ user: `zalobot:${lan.id}` }]);
    } finally {
      await app.close();
    }
  });
});

describe('Zalo Bot: no reply offers (its updates carry no quote, so a reply "xong" cannot reach the bot)', () => {
  const calendar = loadCalendar();
  const chats = [`zalobot:${lan.id}`, 'telegram:-5'];

  it("a round's reminder of one task and a monthly check-in ask for a reply in a Telegram group, never in a Zalo Bot chat", () => {
    // Monday 02/10/2023 08:00 Vietnam time: 1.2 is due the next day, the first working day of October
    const now = parseInstant('2023-10-02T08:00', 'Asia/Ho_Chi_Minh')!;
    const occurrence: RoundOccurrence = { id: 1, due: '2023-10-03', lastStage: null, planId: 1, code: '1.2', content: 'Ban hành kế hoạch', label: 'Hạn chót', unitId: 5, unitName: 'Phòng Tư pháp' };
    const routing = { unitChats: () => chats, isPaused: () => false, escalationChats: () => [], coordinatorChats: () => [], defaultChat: 'telegram:-1' };
    const plan = planRound({ now, zone: 'Asia/Ho_Chi_Minh', officeHours: { start: '07:30', end: '17:00' }, calendar, policyOf: () => defaultReminderPolicy, previousRoundAt: null, occurrences: [occurrence], routing });
    const text = (chat: string) => plan.messages.find((m) => m.chat === chat)!.text;
    expect(text('telegram:-5')).toContain('Xong thì gõ /done 1.2 hoặc trả lời "xong" vào tin này; /help để xem các lệnh.');
    expect(text(chats[0]!)).toContain('Xong thì gõ /done 1.2; /help để xem các lệnh.');
    expect(text(chats[0]!)).not.toMatch(/trả lời/i);

    const periodic = planPeriodic({
      today: '2023-10-02',
      calendar,
      units: [],
      coordinator: null,
      ongoing: [{ assignmentId: 7, code: '3.1', content: 'Kiểm soát thủ tục hành chính thường xuyên', unitName: 'Phòng Tư pháp', chats }],
      said: new Set(),
      late: false,
    });
    const checkin = (chat: string) => periodic.messages.find((m) => m.chat === chat)!.text;
    expect(checkin('telegram:-5')).toContain('Trả lời tin này (trả lời trực tiếp vào tin nhắn) để ghi nhận.');
    expect(checkin(chats[0]!)).not.toMatch(/trả lời tin/i);
    expect(checkin(chats[0]!)).toContain('xin báo kết quả trong nhóm của đơn vị hoặc cho văn phòng');
  });

  it('its "Đã xong" buttons are written out as the commands to type; /help offers no reply there', async () => {
    const { api, transport } = await setup();
    await transport.send(lan.id, { text: 'Nhắc việc 1.2', buttons: [doneButton('1.2')], buttonsNote: doneButtonsNote(['1.2']) });
    expect(api.sent().map((c) => c.body.text)).toEqual(['Nhắc việc 1.2\n\nBáo đã xong: gõ /done 1.2']);

    const app = await createApp(loadSettings({ DATABASE_URL: tempSqliteUrl() }), { log: silentLogger });
    try {
      const help = (chat: string) => app.handle({ chat, user: chat, userName: lan.name, messageId: chat, text: '/help', direct: true }).then((r) => r!.text);
      expect(await help('telegram:42')).toContain('Trả lời tin nhắc việc bằng "xong" cũng được ghi nhận.');
      const zaloBot = await help(`zalobot:${lan.id}`);
      expect(zaloBot).toContain('Mã nhiệm vụ gõ dạng 3.2 hoặc III.2.');
      expect(zaloBot).not.toMatch(/xong"|Trả lời tin/); // (/officer's reply form is for a group, on the platforms that have one)
    } finally {
      await app.close();
    }
  });
});
