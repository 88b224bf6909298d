import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import type { IncomingMessage, Outgoing, Transport } from '../src/transports/transport.ts';
import { harness, type Harness } from './helpers/app.ts';
import { dropTestSchemas, tempSqliteUrl, testDatabases } from './helpers/db.ts';
import { dbSnapshot } from './helpers/snapshot.ts';

// Personal reminders (#15 part 3, the round's side): /nhacrieng bat|tat, then each round sends the officer
// their units' items in one direct message, through the same ledger as the groups' messages.

const databases = await testDatabases();
afterAll(dropTestSchemas);

const TP = 'Phòng Tư pháp';
const OFFICER = 'telegram:42';

let h: Harness | undefined;
let again: Harness | undefined;
afterEach(async () => {
  await again?.close();
  await h?.close();
  h = again = undefined;
});

/** A message typed by a person in their private chat with the bot (chat id = user id) or in a group. */
const typed = (hh: Harness, text: string, user = OFFICER, chat = user): Promise<string | undefined> => {
  const message: IncomingMessage = { chat, user, userName: 'Cán bộ Tư pháp', messageId: String(Math.random()), text };
  return hh.app.handle(message).then((r) => r?.text);
};

describe('/nhacrieng', () => {
  it('only a registered officer turns it on or off; bad input and repeats change nothing', async () => {
    h = await harness(tempSqliteUrl());
    await ensureExamplePlan(h.app);
    const prisma = h.app.db.prisma;
    const unchanged = async (text: string, user: string, expected: string | RegExp) => {
      const before = await dbSnapshot(prisma);
      const reply = await typed(h!, text, user);
      expect(reply).toMatch(expected);
      expect(await dbSnapshot(prisma)).toEqual(before);
    };
    await typed(h, '/id', 'telegram:77'); // any command records the chat it came from (seeGroup)
    await unchanged('/nhacrieng bat', 'telegram:77', /^Lệnh \/nhacrieng chỉ dành cho cán bộ đầu mối đã được đăng ký[\s\S]*telegram:77[\s\S]*\/officer add telegram:77/);
    await typed(h, '/id', OFFICER);
    const unitIds = await prisma.unit.findMany({ where: { name: { in: [TP, 'UBND xã Long Trì'] } }, select: { id: true } });
    await prisma.officer.createMany({ data: unitIds.map((u) => ({ user: OFFICER, unitId: u.id })) });
    await unchanged('/nhacrieng', OFFICER, /^🔕 Nhắc việc riêng đang tắt\. Gõ \/nhacrieng bat để nhận các nhiệm vụ của Phòng Tư pháp; UBND xã Long Trì/);
    await unchanged('/nhacrieng có', OFFICER, 'Không hiểu "có". Cách dùng: /nhacrieng bat để bật, /nhacrieng tat để tắt nhắc việc qua tin nhắn riêng.');
    await unchanged('/nhacrieng tắt', OFFICER, '🔕 Nhắc việc riêng vốn đang tắt; không có gì thay đổi.');

    const on = await typed(h, '/nhacrieng bật', OFFICER);
    expect(on).toMatch(/^🔔 Đã bật nhắc việc riêng: .* các nhiệm vụ của Phòng Tư pháp; UBND xã Long Trì/);
    expect(on).not.toContain('nhắn riêng cho bot một lần'); // typed in the private chat already
    expect((await prisma.officer.findMany({ where: { user: OFFICER } })).map((o) => o.personalReminders)).toEqual([true, true]);
    expect(await prisma.auditLog.findFirst({ where: { action: 'personal_reminders' }, orderBy: { id: 'desc' } })).toMatchObject({ actor: OFFICER, chat: OFFICER, detail: 'on' });
    await unchanged('/nhacrieng bat', OFFICER, /^🔔 Nhắc việc riêng vốn đang bật/);
    // typed in a group: the platform must have seen the person write to the bot first
    await typed(h, '/id', OFFICER, 'telegram:-100');
    expect(await typed(h, '/nhacrieng tat', OFFICER, 'telegram:-100')).toBe('🔕 Đã tắt nhắc việc riêng. Nhắc việc vẫn gửi vào nhóm của đơn vị như trước.');
    expect(await typed(h, '/nhacrieng bat', OFFICER, 'telegram:-100')).toContain('hãy nhắn riêng cho bot một lần');
    expect((await prisma.auditLog.findMany({ where: { action: 'personal_reminders' } })).map((a) => a.detail)).toEqual(['on', 'off', 'on']);
  });
});

describe.each(databases)('personal reminders in the round on $name', (db) => {
  it("an officer's units' items come in one direct message, once per stage, across a restart; none once turned off", async () => {
    const url = await db.url();
    const sent: { chat: string; message: Outgoing }[] = [];
    h = await harness(url, { transports: [recorder(sent)] });
    await ensureExamplePlan(h.app);
    const prisma = h.app.db.prisma;
    const tp = await prisma.unit.findUniqueOrThrow({ where: { name: TP } });
    await prisma.officer.create({ data: { user: OFFICER, unitId: tp.id } });
    expect(await typed(h, '/nhacrieng bat')).toContain('Đã bật');

    // Wednesday 22/03/2023: Phòng Tư pháp's 2.2.1 and 6.1.1 (due 31/03) are 7 working days ahead
    h.at('2023-03-22T08:00');
    const first = await h.round();
    const direct = first.filter((m) => m.chat === OFFICER);
    expect(direct).toHaveLength(1);
    expect(direct[0]!.tasks).toEqual(['2.2.1', '6.1.1']);
    expect(direct[0]!.text).toMatch(/^• 2\.2\.1 .* · \/done 2\.2\.1$/m);
    expect(direct[0]!.text).not.toContain('UBND'); // only the officer's own unit
    // the unit has no group: the same items still go to the office's group, under their own notice keys
    expect(first.find((m) => m.chat === 'console:main')!.text).toMatch(/• 2\.2\.1 .*Phòng Tư pháp/);
    const keys = (await prisma.notice.findMany({ where: { outbox: { chat: OFFICER } }, select: { key: true } })).map((n) => n.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(/^occ:\d+:stage:-7:telegram:42$/);
    // delivered through the telegram transport, once, with its buttons
    const dm = sent.filter((s) => s.chat === '42');
    expect(dm).toHaveLength(1);
    expect(dm[0]!.message.buttons!.map((b) => b.data)).toEqual(['/done 2.2.1', '/done 6.1.1']);

    // the same round again, and after a restart: nothing twice
    expect((await h.round()).filter((m) => m.chat === OFFICER)).toEqual([]);
    again = await harness(url, { transports: [recorder(sent)] });
    again.at('2023-03-22T08:15');
    expect((await again.round()).filter((m) => m.chat === OFFICER)).toEqual([]);
    // the next stage (3 working days ahead, 28/03) comes once
    again.at('2023-03-28T08:00');
    expect((await again.round()).filter((m) => m.chat === OFFICER).map((m) => m.tasks)).toEqual([['2.2.1', '6.1.1']]);
    expect(sent.filter((s) => s.chat === '42')).toHaveLength(2);

    // turned off: the groups still get the next stage, the officer no longer
    expect(await typed(again, '/nhacrieng tat')).toContain('Đã tắt');
    again.at('2023-03-30T08:00');
    const later = await again.round();
    expect(later.some((m) => m.chat === 'console:main' && m.text.includes('6.1.1'))).toBe(true);
    expect(later.filter((m) => m.chat === OFFICER)).toEqual([]);
  }, 60_000);
});

/** A telegram-named transport that records what the sender gives it. */
function recorder(sent: { chat: string; message: Outgoing }[]): Transport {
  let id = 0;
  return {
    name: 'telegram',
    maxLength: 4096,
    start: async () => {},
    stop: async () => {},
    status: () => ({ name: 'telegram', connected: true }),
    async send(chat, message) {
      sent.push({ chat, message });
      return [String(++id)];
    },
  };
}
