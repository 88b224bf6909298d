import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import { TelegramTransport } from '../src/transports/telegram.ts';
import type { Harness } from './helpers/app.ts';
import { FakeBotApi, type SentCall } from './helpers/fake-bot-api.ts';
import { telegramBot, type TelegramBot } from './helpers/telegram.ts';
import { freePort } from './helpers/net.ts';

const GROUP = -100123;
const OFFICER = 42;
const ADMIN = 4242;

// The whole bot through real telegraf (long polling) against a fake Bot API: a group bound to the plan's
// coordinating office, its focal officer typing commands, replying "xong" and pressing the buttons.
describe('Telegram end to end (long polling)', () => {
  let running: TelegramBot;
  let fake: FakeBotApi;
  let h: Harness;
  let bot: string;
  const prisma = () => h.app.db.prisma;

  beforeAll(async () => {
    running = await telegramBot({
      env: { NHACVIEC_ADMINS: `telegram:${ADMIN}` },
      async prepare(hh: Harness) {
        expect(await ensureExamplePlan(hh.app)).toBe(true);
        const db = hh.app.db.prisma;
        const unitId = (await db.plan.findFirstOrThrow()).coordinatorUnitId!;
        // the office's group is on Telegram now, not on the console
        await db.chatGroup.update({ where: { chat: 'console:main' }, data: { unitId: null } });
        await db.chatGroup.create({ data: { chat: `telegram:${GROUP}`, title: 'VP HĐND-UBND huyện', unitId } });
        await db.officer.create({ data: { user: `telegram:${OFFICER}`, unitId } });
      },
    });
    ({ fake, h } = running);
    bot = fake.botInfo.username;
  });
  afterAll(async () => {
    await running?.close();
  });

  const occurrence = (code: string) => prisma().occurrence.findFirstOrThrow({ where: { assignment: { role: 'lead', task: { code } } }, orderBy: { due: 'asc' } });
  /** a user writes in the group; resolves with the bot's reply to that message */
  const say = async (text: string, opts: { fromId?: number; replyTo?: number } = {}): Promise<{ id: number; reply: SentCall }> => {
    const id = fake.pushMessage({ chatId: GROUP, fromId: opts.fromId ?? OFFICER, text, ...(opts.replyTo !== undefined ? { replyTo: opts.replyTo } : {}), firstName: 'Nguyễn', lastName: 'Văn A' });
    const reply = await fake.waitFor((c) => c.method === 'sendMessage' && c.chat_id === String(GROUP) && c.reply_to_message_id === id);
    return { id, reply };
  };
  const snapshot = async () => ({
    audit: await prisma().auditLog.count(),
    done: await prisma().occurrence.count({ where: { status: 'done' } }),
  });

  let reminderId = 0;

  it('a reminder round posts to the group with one "done" button per task', async () => {
    h.at('2023-02-13T08:00');
    const messages = await h.round();
    expect(messages.map((m) => [m.chat, m.kind, [...m.tasks].sort()])).toEqual([[`telegram:${GROUP}`, 'reminder', ['1.1.1', '1.1.3']]]);
    const posted = fake.sent.filter((c) => c.method === 'sendMessage' && c.chat_id === String(GROUP));
    expect(posted).toHaveLength(1);
    const reminder = posted[0]!;
    expect(reminder.text).toContain('1.1.1');
    expect(reminder.body.parse_mode).toBeUndefined();
    const data = reminder.reply_markup!.inline_keyboard!.map((row) => row[0]!.callback_data).sort();
    expect(data).toEqual(['/done 1.1.1', '/done 1.1.3']);
    reminderId = reminder.message_id!;
    const delivered = await prisma().delivered.findFirstOrThrow({ where: { chat: `telegram:${GROUP}` } });
    expect(delivered.messageId).toBe(String(reminderId));
  });

  it('a reply "xong" to a reminder with two tasks asks for the code', async () => {
    const { reply } = await say('xong', { replyTo: reminderId });
    expect(reply.text).toMatch(/(có|còn) 2 nhiệm vụ/);
    expect(reply.text).toContain('1.1.1');
    expect(reply.text).toContain('1.1.3');
  });

  it('(a) /done@bot <code> marks the task done, audited with the chat and message id', async () => {
    h.at('2023-02-13T09:00');
    const { id, reply } = await say(`/done@${bot} 1.1.3 đã trình ký`);
    expect(reply.text).toContain('Đã ghi nhận: 1.1.3');
    const occ = await occurrence('1.1.3');
    expect(occ).toMatchObject({ status: 'done', doneBy: `telegram:${OFFICER}` });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'done', occurrenceId: occ.id } });
    expect(audit).toMatchObject({ actor: `telegram:${OFFICER}`, chat: `telegram:${GROUP}`, messageId: String(id), toStatus: 'done_on_time', detail: 'đã trình ký' });
  });

  it('(b) /done@otherbot is someone else\'s command: ignored', async () => {
    const before = await snapshot();
    const ignored = fake.pushMessage({ chatId: GROUP, fromId: OFFICER, text: '/done@otherbot 1.1.1' });
    // a later message is answered, so the ignored one was seen and skipped
    const { reply } = await say(`/help@${bot}`);
    expect(reply.text).toContain('/done');
    expect(fake.sent.some((c) => c.reply_to_message_id === ignored)).toBe(false);
    expect(await snapshot()).toEqual(before);
    expect((await occurrence('1.1.1')).status).toBe('open');
  });

  it('(e) someone who is not an officer of the unit is refused; nothing changes', async () => {
    const before = await snapshot();
    const { reply } = await say(`/done@${bot} 1.1.1`, { fromId: 99 });
    expect(reply.text).toContain('chỉ cán bộ đầu mối của đơn vị chủ trì');
    // the button too
    const query = fake.pushCallback({ chatId: GROUP, fromId: 99, messageId: reminderId, data: '/done 1.1.1' });
    const toast = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.callback_query_id === query);
    expect(toast.text).toContain('chỉ cán bộ đầu mối');
    expect(toast.text!.length).toBeLessThanOrEqual(190);
    await fake.drained();
    expect(await snapshot()).toEqual(before);
    expect((await occurrence('1.1.1')).status).toBe('open');
    expect(fake.sent.some((c) => c.method === 'editMessageReplyMarkup')).toBe(false); // the buttons stay
  });

  it('(d) pressing "Đã xong 1.1.1" marks it done, answers the button and posts the answer', async () => {
    const posted = fake.sent.length;
    const query = fake.pushCallback({ chatId: GROUP, fromId: OFFICER, messageId: reminderId, data: '/done 1.1.1' });
    const toast = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.callback_query_id === query);
    expect(toast.text).toContain('Đã ghi nhận: 1.1.1');
    const full = await fake.waitFor((c, i = fake.sent.indexOf(c)) => i >= posted && c.method === 'sendMessage' && c.chat_id === String(GROUP) && (c.text ?? '').includes('Đã ghi nhận: 1.1.1'));
    expect(full.reply_to_message_id).toBe(reminderId);
    const occ = await occurrence('1.1.1');
    expect(occ).toMatchObject({ status: 'done', doneBy: `telegram:${OFFICER}` });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'done', occurrenceId: occ.id } });
    expect(audit).toMatchObject({ chat: `telegram:${GROUP}`, messageId: String(reminderId) });
    // its button goes; the other task's stays
    const edit = await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.message_id === reminderId);
    expect(edit.body.reply_markup).toEqual({ inline_keyboard: [[{ text: '✅ Đã xong 1.1.3', callback_data: '/done 1.1.3' }]] });
    // pressing 1.1.3, done earlier by /done, says so and takes that button off too
    const again = fake.pushCallback({ chatId: GROUP, fromId: OFFICER, messageId: reminderId, data: '/done 1.1.3' });
    expect((await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.callback_query_id === again)).text).toContain('đã được đánh dấu hoàn thành hết rồi');
    const last = await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.message_id === reminderId && c !== edit);
    expect(last.body.reply_markup).toEqual({ inline_keyboard: [] });
  });

  it('(c) a reply "xong" to a reminder carrying one task marks that task done', async () => {
    h.at('2023-02-22T08:00');
    const messages = await h.round();
    const single = messages.find((m) => m.chat === `telegram:${GROUP}` && m.tasks.length === 1);
    expect(single?.tasks).toEqual(['1.1.2']);
    const reminder = [...fake.sent].reverse().find((c) => c.method === 'sendMessage' && c.chat_id === String(GROUP) && c.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data === '/done 1.1.2')!;
    expect(reminder.reply_markup!.inline_keyboard).toHaveLength(1);
    expect((await occurrence('1.1.2')).status).toBe('open');
    const { id, reply } = await say('Xong.', { replyTo: reminder.message_id! });
    expect(reply.text).toContain('Đã ghi nhận: 1.1.2');
    // the replied reminder loses its button
    const edit = await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.message_id === reminder.message_id);
    expect(edit.body.reply_markup).toEqual({ inline_keyboard: [] });
    const occ = await occurrence('1.1.2');
    expect(occ.status).toBe('done');
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'done', occurrenceId: occ.id } });
    expect(audit).toMatchObject({ chat: `telegram:${GROUP}`, messageId: String(id) });
  });

  it('an administrator makes someone a focal officer by replying to their message; @names cannot be looked up', async () => {
    const unitId = (await prisma().chatGroup.findUniqueOrThrow({ where: { chat: `telegram:${GROUP}` } })).unitId!;
    const theirs = fake.pushMessage({ chatId: GROUP, fromId: 55, text: 'Em là cán bộ mới của văn phòng ạ' });
    const id = fake.pushMessage({ chatId: GROUP, fromId: ADMIN, text: `/officer@${bot} add`, replyTo: theirs, replyToFrom: 55 });
    const reply = await fake.waitFor((c) => c.method === 'sendMessage' && c.reply_to_message_id === id);
    expect(reply.text).toBe('👤 Đã thêm Người dùng 55 (telegram:55) làm cán bộ đầu mối của Văn phòng HĐND và UBND huyện.');
    expect(await prisma().officer.findUniqueOrThrow({ where: { user_unitId: { user: 'telegram:55', unitId } } })).toMatchObject({ displayName: 'Người dùng 55' });
    // typed by someone who is not an administrator: refused
    const denied = fake.pushMessage({ chatId: GROUP, fromId: OFFICER, text: `/officer@${bot} add`, replyTo: theirs, replyToFrom: 56 });
    expect((await fake.waitFor((c) => c.method === 'sendMessage' && c.reply_to_message_id === denied)).text).toContain('chỉ dành cho quản trị viên');
    const before = await prisma().officer.count();
    const named = fake.pushMessage({ chatId: GROUP, fromId: ADMIN, text: `/officer@${bot} add @nguyenvana Phòng Tư pháp` });
    expect((await fake.waitFor((c) => c.method === 'sendMessage' && c.reply_to_message_id === named)).text).toContain('Bot không tra được mã người dùng từ tên "@nguyenvana"');
    expect(await prisma().officer.count()).toBe(before);
  });

  it('commands in a private chat are answered there', async () => {
    const id = fake.pushMessage({ chatId: OFFICER, fromId: OFFICER, text: '/task 1.1.1' });
    const reply = await fake.waitFor((c) => c.method === 'sendMessage' && c.reply_to_message_id === id);
    expect(reply.chat_id).toBe(String(OFFICER));
    expect(reply.text).toContain('Nhiệm vụ 1.1.1');
  });

  it('a stranger in a private chat gets their id and how to be registered: no task, unit, date, figure or file, and no row', async () => {
    const groups = await prisma().chatGroup.count();
    const posted = fake.sent.length;
    for (const text of ['/start', '/overdue', '/baocao xlsx', '/list', 'cho tôi xem kế hoạch']) {
      const id = fake.pushMessage({ chatId: 777, fromId: 777, text });
      const reply = await fake.waitFor((c) => c.chat_id === '777' && c.reply_to_message_id === id);
      expect(reply.method).toBe('sendMessage');
      expect(reply.text).toContain('Mã người dùng của anh/chị: telegram:777');
      expect(reply.text!.replaceAll('telegram:777', '')).not.toMatch(/\d|Văn phòng|Phòng/);
    }
    await fake.drained();
    expect(fake.sent.slice(posted).filter((c) => c.method !== 'sendMessage')).toEqual([]);
    expect(await prisma().chatGroup.count()).toBe(groups);
  });

  it('the unit\'s officer in a private chat gets their unit\'s overdue items', async () => {
    const clock = h.app.clock();
    h.at('2023-12-15T09:00');
    const id = fake.pushMessage({ chatId: OFFICER, fromId: OFFICER, text: '/overdue' });
    const reply = await fake.waitFor((c) => c.chat_id === String(OFFICER) && c.reply_to_message_id === id);
    expect(reply.text).toMatch(/^❗ \d+ nhiệm vụ quá hạn của Văn phòng HĐND và UBND huyện \(tính đến 15\/12\/2023\):/);
    h.at(clock.toISOString());
  });

  it('removed from a group, the bot switches the binding off and tells the administrators; added back, it greets and resumes', async () => {
    const chat = `telegram:${GROUP}`;
    fake.pushMembership({ chatId: GROUP, from: 'member', to: 'kicked', title: 'VP HĐND-UBND huyện' });
    await expect.poll(async () => (await prisma().chatGroup.findUniqueOrThrow({ where: { chat } })).active).toBe(false);
    const notice = await prisma().outbox.findFirstOrThrow({ where: { chat: `telegram:${ADMIN}` }, orderBy: { id: 'desc' } });
    expect(notice.text).toContain('Bot đã bị xoá khỏi nhóm "VP HĐND-UBND huyện"');
    expect(notice.text).toContain('nhóm chung');
    // a change of rights is not a return: nothing said, still off
    const before = fake.sent.length;
    fake.pushMembership({ chatId: GROUP, from: 'kicked', to: 'left' });
    fake.pushMembership({ chatId: GROUP, from: 'left', to: 'member', title: 'VP HĐND-UBND huyện (mới)' });
    const welcome = await fake.waitFor((c) => c.method === 'sendMessage' && c.chat_id === String(GROUP) && c.text?.includes('trở lại') === true);
    expect(welcome.text).toBe('👋 Nhắc việc đã trở lại nhóm này và tiếp tục gửi nhắc việc của Văn phòng HĐND và UBND huyện. Gõ /help để xem các lệnh.');
    expect(await prisma().chatGroup.findUniqueOrThrow({ where: { chat } })).toMatchObject({ active: true, title: 'VP HĐND-UBND huyện (mới)' });
    fake.pushMembership({ chatId: GROUP, from: 'member', to: 'administrator' });
    await fake.drained();
    expect(fake.sent.slice(before).filter((c) => c.chat_id === String(GROUP))).toHaveLength(1);
  });

  it('added to a group it does not know, the bot explains how to bind it', async () => {
    fake.pushMembership({ chatId: -1005555, from: 'left', to: 'member', title: 'Nhóm UBND xã mới' });
    const welcome = await fake.waitFor((c) => c.method === 'sendMessage' && c.chat_id === '-1005555');
    expect(welcome.text).toContain('👋 Xin chào! Tôi là Nhắc việc');
    expect(welcome.text).toContain('/bind <tên đơn vị>');
    expect(await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-1005555' } })).toBeNull();
  });

  it('a group upgraded to a supergroup keeps its binding under the new id', async () => {
    fake.pushMigration(GROUP, -1009999);
    await expect.poll(async () => (await prisma().chatGroup.findUnique({ where: { chat: 'telegram:-1009999' } }))?.unitId).toBeTruthy();
    expect(await prisma().chatGroup.findUnique({ where: { chat: `telegram:${GROUP}` } })).toBeNull();
  });

  it('stop() confirms the handled updates and ends the long poll', async () => {
    await fake.drained();
    await running.tg.stop();
    expect(running.tg.status().connected).toBe(false);
    const last = fake.requests.at(-1)!;
    expect(last.method).toBe('getUpdates');
  });
});

describe('Telegram webhook mode', () => {
  let fake: FakeBotApi;
  let tg: TelegramTransport;
  let port: number;

  beforeAll(async () => {
    fake = new FakeBotApi();
    const { apiRoot } = await fake.start();
    port = await freePort();
    tg = new TelegramTransport({ token: fake.token, apiRoot, webhook: { url: `http://127.0.0.1:${port}/tg/hook`, port, host: '127.0.0.1' } });
    await tg.start(async (m) => ({ text: `đã nhận "${m.text}" từ ${m.userName} (${m.user} trong ${m.chat})` }));
  });
  afterAll(async () => {
    await tg?.stop();
    await fake?.stop();
  });

  it('sets the webhook with a secret token and does not poll', () => {
    expect(fake.webhook).toMatchObject({ url: `http://127.0.0.1:${port}/tg/hook` });
    expect(fake.webhook!.secret_token).toMatch(/^[A-Za-z0-9_-]{16,256}$/);
    expect(fake.webhook!.secret_token).not.toContain(fake.token);
    expect(fake.requests.some((r) => r.method === 'getUpdates')).toBe(false);
    expect(tg.status()).toMatchObject({ connected: true });
  });

  it('updates posted to the webhook are answered with a real message (webhookReply off)', async () => {
    const id = fake.pushMessage({ chatId: GROUP, fromId: 7, text: `/ping@${fake.botInfo.username} a b`, firstName: 'Trần', lastName: 'Thị B' });
    const reply = await fake.waitFor((c) => c.method === 'sendMessage' && c.reply_to_message_id === id);
    expect(reply.text).toBe(`đã nhận "/ping a b" từ Trần Thị B (telegram:7 trong telegram:${GROUP})`);
    expect(reply.message_id).toBeGreaterThan(0);
  });

  it('a request without the secret token is refused', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', body: JSON.stringify({ update_id: 1 }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(403);
  });

  it('stop() closes the webhook server', async () => {
    await tg.stop();
    await expect(fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
