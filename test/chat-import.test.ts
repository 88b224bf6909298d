import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE } from '../src/example.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planCsvText, planDocxBuffer, type WritablePlan } from '../src/import/write-plan.ts';
import { harness, type Harness } from './helpers/app.ts';
import { applyImport } from '../src/chat-import.ts';
import { claimImport, fileOf } from '../src/store/pending-imports.ts';
import { dropTestSchemas, tempSqliteUrl, testDatabases } from './helpers/db.ts';
import type { SentCall } from './helpers/fake-bot-api.ts';
import { dbSnapshot } from './helpers/snapshot.ts';
import { telegramBot, type TelegramBot } from './helpers/telegram.ts';

const databases = await testDatabases();
afterAll(dropTestSchemas);

const ADMIN = 4242;
const STRANGER = 5151;
const GROUP = -100888;

/** the example plan, as the project's writers write it (title with its year, sections, 40 tasks) */
async function examplePlan(): Promise<WritablePlan> {
  const parsed = await readPlanFile(EXAMPLE.plan);
  return { ...(parsed.title ? { title: parsed.title } : {}), sections: parsed.sections, tasks: parsed.tasks };
}

const tokenOf = (call: SentCall | { buttons?: { data: string }[] } | null | undefined, label: RegExp) => {
  const buttons = call && 'reply_markup' in call ? (call.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ label: b.text, data: b.callback_data ?? '' })) : ((call as { buttons?: { label: string; data: string }[] })?.buttons ?? []);
  const data = buttons.find((b) => label.test(b.label))?.data;
  if (!data) throw new Error(`no button ${label} in ${JSON.stringify(buttons)}`);
  return data;
};

describe('a plan sent as a DOCX in Telegram: preview, "Nhập", /task finds it (acceptance)', () => {
  let bot: TelegramBot;
  const prisma = () => bot.h.app.db.prisma;
  const tasks = () => prisma().task.count();
  const toChat = (chat: number, after: number) => (c: SentCall) => c.method === 'sendMessage' && c.chat_id === String(chat) && (c.message_id ?? 0) > after;
  let docx: Buffer;

  beforeAll(async () => {
    bot = await telegramBot({
      env: { NHACVIEC_ADMINS: `telegram:${ADMIN}` },
      prepare: async (h) => {
        // the unit registry first, as the guide says (its own chat import is tested below)
        expect((await h.say(`/nhap ${EXAMPLE.units}`))!).toContain('danh mục đơn vị');
        expect((await h.say('/nhap ok'))!).toContain('Đã nhập danh mục đơn vị');
      },
    });
    docx = await planDocxBuffer(await examplePlan());
  });
  afterAll(() => bot?.close());

  it('the administrator gets a preview and nothing is written; "Nhập" imports; a second "Nhập" imports nothing', async () => {
    const { fake } = bot;
    const before = { ...(await dbSnapshot(prisma())), units: await prisma().unit.findMany({ orderBy: { id: 'asc' } }) };
    const sentBefore = fake.sent.length ? fake.sent.at(-1)!.message_id! : 0;
    fake.pushDocument({ chatId: ADMIN, fromId: ADMIN, fileName: 'Ke hoach KSTTHC 2023.docx', data: docx, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const preview = await fake.waitFor(toChat(ADMIN, sentBefore), 20_000);
    expect(preview.text).toContain('📄 Xem trước: kế hoạch "Nội dung thực hiện tổ chức hoạt động kiểm soát thủ tục hành chính');
    expect(preview.text).toContain('năm 2023');
    expect(preview.text).toContain('Năm 2023 đọc từ tiêu đề');
    expect(preview.text).toContain('Nhiệm vụ: 40 — thêm mới 40');
    expect(preview.text).toMatch(/Đơn vị được giao: \d+ \(Văn phòng HĐND và UBND huyện/);
    expect(preview.text).toMatch(/Cảnh báo|Không có cảnh báo/);
    expect(fake.downloads).toBe(1);
    // nothing but the pending file itself
    expect({ ...(await dbSnapshot(prisma())), units: await prisma().unit.findMany({ orderBy: { id: 'asc' } }) }).toEqual(before);
    expect(await tasks()).toBe(0);

    const ok = tokenOf(preview, /Nhập/);
    expect(tokenOf(preview, /Hủy/)).toMatch(/^\/nhap huy [0-9A-Z]{8}$/);
    fake.pushCallback({ chatId: ADMIN, fromId: ADMIN, messageId: preview.message_id!, data: ok });
    const done = await fake.waitFor(toChat(ADMIN, preview.message_id!), 30_000);
    expect(done.text).toContain('✅ Đã nhập kế hoạch');
    expect(done.text).toContain('40 nhiệm vụ');
    expect(await tasks()).toBe(40);

    // pressed again (twice at once): nothing more is imported
    fake.pushCallback({ chatId: ADMIN, fromId: ADMIN, messageId: preview.message_id!, data: ok });
    fake.pushCallback({ chatId: ADMIN, fromId: ADMIN, messageId: preview.message_id!, data: ok });
    await fake.waitFor(toChat(ADMIN, done.message_id!), 15_000);
    const again = await fake.waitFor((c) => toChat(ADMIN, done.message_id!)(c) && fake.sent.filter(toChat(ADMIN, done.message_id!)).length >= 2, 15_000);
    for (const reply of fake.sent.filter(toChat(ADMIN, done.message_id!))) expect(reply.text).toContain('đã được nhập lúc');
    expect(again.text).toContain('không nhập lại');
    expect(await tasks()).toBe(40);
    expect(await prisma().auditLog.count({ where: { action: 'import' } })).toBe(1);

    const last = fake.sent.at(-1)!.message_id!;
    fake.pushMessage({ chatId: ADMIN, fromId: ADMIN, text: '/task 1.1.1' });
    const task = await fake.waitFor(toChat(ADMIN, last), 15_000);
    expect(task.text).toContain('📋 Nhiệm vụ 1.1.1');
  }, 90_000);

  it("a non-administrator's file is refused politely, without being downloaded; in a group it is not even answered", async () => {
    const { fake } = bot;
    const downloads = fake.downloads;
    const last = fake.sent.at(-1)?.message_id ?? 0;
    fake.pushDocument({ chatId: GROUP, fromId: STRANGER, fileName: 'bien-ban-hop.docx', data: docx });
    fake.pushDocument({ chatId: STRANGER, fromId: STRANGER, fileName: 'ke-hoach.docx', data: docx });
    const refusal = await fake.waitFor(toChat(STRANGER, last), 15_000);
    expect(refusal.text).toContain('chỉ quản trị viên của Nhắc việc mới nhập được');
    await fake.drained();
    expect(fake.sent.filter(toChat(GROUP, last))).toEqual([]);
    expect(fake.downloads).toBe(downloads);
    expect(await prisma().pendingImport.count({ where: { user: `telegram:${STRANGER}` } })).toBe(0);
  }, 60_000);

  it("an administrator's minutes shared in a group get no answer; the same file with /nhap gets one", async () => {
    const { fake } = bot;
    const minutes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Biên bản họp giao ban tháng 3'), new Paragraph('Thành phần: ...')] }] }));
    const last = fake.sent.at(-1)?.message_id ?? 0;
    fake.pushDocument({ chatId: GROUP, fromId: ADMIN, fileName: 'bien-ban-hop.docx', data: minutes });
    await fake.drained();
    fake.pushDocument({ chatId: GROUP, fromId: ADMIN, fileName: 'bien-ban-hop.docx', data: minutes, caption: '/nhap' });
    const answer = await fake.waitFor(toChat(GROUP, last), 15_000);
    expect(answer.text).toContain('Không nhập được tệp "bien-ban-hop.docx": Không tìm thấy bảng nào trong tệp bien-ban-hop.docx');
    expect(fake.sent.filter(toChat(GROUP, last))).toHaveLength(1);
  }, 60_000);

  it('a file over the limit is refused from its announced size; a wrong type gets a clear answer', async () => {
    const { fake } = bot;
    const downloads = fake.downloads;
    let last = fake.sent.at(-1)?.message_id ?? 0;
    fake.pushDocument({ chatId: ADMIN, fromId: ADMIN, fileName: 'ke-hoach-rat-lon.xlsx', data: new Uint8Array(16), size: 50 * 1024 * 1024 });
    expect((await fake.waitFor(toChat(ADMIN, last), 15_000)).text).toContain('lớn quá (giới hạn 10 MB)');
    last = fake.sent.at(-1)!.message_id!;
    fake.pushDocument({ chatId: ADMIN, fromId: ADMIN, fileName: 'anh-chup.jpg', data: new Uint8Array([0xff, 0xd8, 0xff]) });
    expect((await fake.waitFor(toChat(ADMIN, last), 15_000)).text).toContain('bot nhận bản Word (.docx), Excel (.xlsx)');
    expect(fake.downloads).toBe(downloads);
    // a file that says it is small but is not: the download stops at the limit
    last = fake.sent.at(-1)!.message_id!;
    fake.pushDocument({ chatId: ADMIN, fromId: ADMIN, fileName: 'noi-doi.csv', data: new Uint8Array(10 * 1024 * 1024 + 1), size: null });
    expect((await fake.waitFor(toChat(ADMIN, last), 15_000)).text).toContain('lớn quá');
  }, 60_000);
});

describe('files in the console chat (/nhap <đường dẫn>): registry, dossiers, year asked for, cancel', () => {
  let url: string;
  let h: Harness;
  let dir: string;
  const prisma = () => h.app.db.prisma;
  const say = async (line: string) => (await h.say(line)) ?? '';

  beforeAll(async () => {
    url = tempSqliteUrl();
    h = await harness(url);
    h.at('2023-04-20T09:00');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-nhap-test-'));
  });
  afterAll(() => h.close());

  it('a unit registry is recognised by its header; "Hủy" then "Nhập" says it was cancelled; sent again and confirmed, it is imported', async () => {
    const preview = await say(`/nhap ${EXAMPLE.units}`);
    expect(preview).toContain('📄 Xem trước: danh mục đơn vị (tệp don-vi-chau-thanh-2023.csv)');
    expect(preview).toMatch(/Đơn vị: \d+ — thêm mới \d+, cập nhật 0/);
    expect(h.takeOutput()).toMatch(/\[✅ Nhập\] → gõ \/nhap ok [0-9A-Z]{8}/);
    expect(await say('/nhap huy')).toContain('Đã hủy');
    expect(await say('/nhap ok')).toContain('Không có tệp nào đang chờ nhập');
    expect(await prisma().unit.count()).toBe(0);
    await say(`/nhap "${EXAMPLE.units}"`);
    expect(await say('/nhap ok')).toContain('Đã nhập danh mục đơn vị');
    expect(await prisma().unit.count()).toBe(fs.readFileSync(EXAMPLE.units, 'utf8').trim().split('\n').length - 1);
  });

  it('a plan with no year in its title: the year is asked for, then the preview, then the import', async () => {
    const plan = await examplePlan();
    const file = path.join(dir, 'ke-hoach-khong-nam.csv');
    fs.writeFileSync(file, planCsvText({ ...plan, title: 'Kế hoạch kiểm soát thủ tục hành chính của huyện' }));
    const asked = await say(`/nhap ${file}`);
    expect(asked).toContain('Chưa đọc được năm của kế hoạch từ tiêu đề');
    expect(h.takeOutput()).toContain('[Năm 2023] → gõ /nhap nam 2023');
    expect(await say('/nhap ok')).toContain('Chưa biết năm của kế hoạch');
    expect(await say('/nhap nam 23')).toContain('không phải năm hợp lệ');
    const preview = await say('/nhap nam 2023');
    expect(preview).toContain('📄 Xem trước: kế hoạch "Kế hoạch kiểm soát thủ tục hành chính của huyện" năm 2023');
    expect(preview).toContain('Năm 2023 theo anh/chị chọn');
    expect(await prisma().task.count()).toBe(0);
    const renamed = await say('/nhap ten Kế hoạch KSTTHC huyện 2023');
    expect(renamed).toContain('kế hoạch "Kế hoạch KSTTHC huyện 2023" năm 2023');
    expect(await say('/nhap ok')).toContain('✅ Đã nhập kế hoạch "Kế hoạch KSTTHC huyện 2023" năm 2023: 40 nhiệm vụ');
    expect(await prisma().plan.findMany({ select: { name: true, year: true } })).toEqual([{ name: 'Kế hoạch KSTTHC huyện 2023', year: 2023 }]);

    // the same plan under another name later: the preview says a plan of that year exists
    const other = await say(`/nhap ${EXAMPLE.plan}`);
    expect(other).toContain('Năm 2023 đã có kế hoạch khác: "Kế hoạch KSTTHC huyện 2023"');
    expect(await say('/nhap huy')).toContain('Đã hủy');
  });

  it('a dossier export is recognised by its header and imported on "Nhập"', async () => {
    const file = path.join(dir, 'ho-so.csv');
    fs.writeFileSync(
      file,
      ['STT,Mã hồ sơ,Tên thủ tục,Người nộp,Ngày tiếp nhận,Ngày hẹn trả,Đơn vị', '1,H12-0001,Chứng thực bản sao,Nguyễn Văn An,18/04/2023,25/04/2023,Phòng Tư pháp', '2,H12-0002,Đăng ký khai sinh,Trần Thị Bình,19/04/2023,26/04/2023,Phòng Tư pháp'].join('\n'),
    );
    const preview = await say(`/nhap ${file}`);
    expect(preview).toContain('📄 Xem trước: danh sách hồ sơ (tệp ho-so.csv)');
    expect(preview).toContain('Hồ sơ: 2 — thêm mới 2');
    expect(await prisma().dossier.count()).toBe(0);
    expect(await say('/nhap ok')).toContain('✅ Đã nhập danh sách hồ sơ');
    expect(await prisma().dossier.count()).toBe(2);
  });

  it('a re-import that would archive more than half of a plan shows what, and imports only on "Nhập và lưu trữ N nhiệm vụ"', async () => {
    const plan = await examplePlan();
    const name = 'Kế hoạch lưu trữ thử 2025';
    const full = path.join(dir, 'ke-hoach-du.csv');
    fs.writeFileSync(full, planCsvText({ ...plan, title: name }));
    const short = path.join(dir, 'ke-hoach-thieu.csv');
    fs.writeFileSync(short, planCsvText({ ...plan, title: name, tasks: plan.tasks.slice(0, 5) }));
    await say(`/nhap ${full}`);
    expect(await say('/nhap ok')).toContain(`✅ Đã nhập kế hoạch "${name}" năm 2025: 40 nhiệm vụ`);
    const live = () => prisma().task.count({ where: { plan: { name }, archivedAt: null } });
    expect(await live()).toBe(40);
    h.takeOutput();

    const preview = await say(`/nhap ${short}`);
    expect(preview).toContain(`⚠️ Nhập tệp này sẽ LƯU TRỮ 35/40 nhiệm vụ đang theo dõi của kế hoạch "${name}" (quá một nửa kế hoạch)`);
    expect(preview).toContain(plan.tasks[5]!.code);
    expect(preview).toContain('Nếu đúng là muốn vậy, bấm "Nhập và lưu trữ 35 nhiệm vụ" (hoặc gõ /nhap ok luutru)');
    expect(preview).not.toContain('--force'); // the CLI's words are not the chat's
    const buttons = h.takeOutput();
    expect(buttons).toMatch(/\[⚠️ Nhập và lưu trữ 35 nhiệm vụ\] → gõ \/nhap ok [0-9A-Z]{8} luutru/);
    expect(buttons).not.toContain('[✅ Nhập]');

    // a plain "Nhập" (typed, or an old button) archives nothing and says what it would need
    const plain = await say('/nhap ok');
    expect(plain).toMatch(/^Chưa nhập\. ⚠️ Nhập tệp này sẽ LƯU TRỮ 35\/40 nhiệm vụ/);
    expect(await live()).toBe(40);
    // it still waits; the explicit confirmation imports and archives
    const done = await say('/nhap ok luutru');
    expect(done).toContain(`✅ Đã nhập kế hoạch "${name}" năm 2025: 5 nhiệm vụ`);
    expect(done).toContain('lưu trữ 35');
    expect(await live()).toBe(5);
    expect(await say('/nhap ok luutru')).toContain('Không có tệp nào đang chờ nhập');

    // archiving half or less needs no more than "Nhập"
    await say(`/nhap ${full}`);
    expect(await say('/nhap ok')).toContain('✅ Đã nhập kế hoạch');
    expect(await live()).toBe(40);
    const half = path.join(dir, 'ke-hoach-nua.csv');
    fs.writeFileSync(half, planCsvText({ ...plan, title: name, tasks: plan.tasks.slice(0, 20) }));
    expect(await say(`/nhap ${half}`)).not.toContain('LƯU TRỮ');
    expect(await say('/nhap ok')).toContain('lưu trữ 20');
  });

  it('files it cannot take get a clear answer and leave nothing behind', async () => {
    const before = await dbSnapshot(prisma());
    const pending = await prisma().pendingImport.count();
    const png = path.join(dir, 'bieu-do.png');
    fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(await say(`/nhap ${png}`)).toContain('không nhập được: bot nhận bản Word (.docx)');
    const huge = path.join(dir, 'lon.xlsx');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 11 * 1024 * 1024); // sparse: 11 MB of nothing
    expect(await say(`/nhap ${huge}`)).toContain('lớn quá (giới hạn 10 MB)');
    const unknown = path.join(dir, 'bang-luong.csv');
    fs.writeFileSync(unknown, 'Họ tên,Lương\nAn,100\n');
    const answer = await say(`/nhap ${unknown}`);
    expect(answer).toContain('Không nhận ra nội dung tệp bang-luong.csv');
    expect(answer).not.toContain(os.tmpdir());
    const oldWord = path.join(dir, 'ke-hoach.doc');
    fs.writeFileSync(oldWord, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(await say(`/nhap ${oldWord}`)).toContain('lưu lại dưới dạng .docx');
    expect(await say('/nhap /khong/co/tep.docx')).toContain('Không tìm thấy tệp');
    expect(await dbSnapshot(prisma())).toEqual(before);
    expect(await prisma().pendingImport.count()).toBe(pending);
  });
});

describe.each(databases)('a preview kept in the database on $name', (db) => {
  it('survives a restart (another app on the same database confirms it), two "Nhập" at once import once, and it expires after 24 hours', async () => {
    const url = await db.url();
    const h = await harness(url);
    const later = await harness(url);
    try {
      h.at('2023-04-20T09:00');
      const plan = await examplePlan();
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-nhap-test-')), 'ke-hoach-2024.csv');
      fs.writeFileSync(file, planCsvText({ ...plan, title: 'Kế hoạch kiểm soát TTHC năm 2024', tasks: plan.tasks.slice(0, 5) }));
      expect(await h.say(`/nhap ${file}`)).toContain('năm 2024');
      const token = [...h.takeOutput().matchAll(/\/nhap ok ([0-9A-Z]{8})/g)].at(-1)![1]!;
      await h.close(); // the bot stops; "another" starts on the same database

      later.at('2023-04-21T08:00');
      const [a, b] = await Promise.all([later.say(`/nhap ok ${token}`), later.say(`/nhap ok ${token}`)]);
      expect([a, b].filter((r) => r!.startsWith('✅ Đã nhập kế hoạch'))).toHaveLength(1);
      expect([a, b].find((r) => !r!.startsWith('✅'))).toMatch(/^(Tệp này đang được nhập|Tệp "ke-hoach-2024.csv" đã được nhập lúc)/);
      expect(await later.say(`/nhap ok ${token}`)).toMatch(/^Tệp "ke-hoach-2024.csv" đã được nhập lúc 08:00 21\/04\/2023 \(console:officer\); không nhập lại/);
      expect(await later.app.db.prisma.task.count({ where: { plan: { year: 2024 } } })).toBe(5);
      expect(await later.app.db.prisma.auditLog.count({ where: { action: 'import' } })).toBe(1);
      // the file is let go once imported
      expect((await later.app.db.prisma.pendingImport.findFirstOrThrow({ where: { token } })).data.length).toBe(0);

      expect(await later.say(`/nhap ${file}`)).toContain('Xem trước');
      later.at('2023-04-22T08:01'); // more than 24 hours after the preview
      expect(await later.say('/nhap ok')).toContain('đã hết hạn');
      expect(await later.app.db.prisma.task.count({ where: { plan: { year: 2024 } } })).toBe(5);
      // the next file lets the expired one's bytes go; its row still answers a late tap
      const expired = await later.app.db.prisma.pendingImport.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect(await later.say(`/nhap ${file}`)).toContain('Xem trước');
      expect(await later.app.db.prisma.pendingImport.findUniqueOrThrow({ where: { id: expired.id } })).toMatchObject({ status: 'expired', data: new Uint8Array(0) });
      expect(await later.say(`/nhap ok ${expired.token}`)).toContain('đã hết hạn');
    } finally {
      await later.close();
    }
  }, 60_000);

  it('a bot that dies during an import: after the restart "Nhập" waits out the dead import, then imports once', async () => {
    const url = await db.url();
    const plan = await examplePlan();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-nhap-test-')), 'ke-hoach-2026.csv');
    fs.writeFileSync(file, planCsvText({ ...plan, title: 'Kế hoạch kiểm soát TTHC năm 2026', tasks: plan.tasks.slice(0, 7) }));
    const tasks = (p: Harness) => p.app.db.prisma.task.count({ where: { plan: { year: 2026 } } });

    // two previews; the bot dies after claiming the first (before or after its transaction: both are left 'importing')
    const first = await harness(url);
    first.at('2023-05-02T09:00');
    expect(await first.say(`/nhap ${file}`)).toContain('Xem trước');
    const row = await first.app.db.prisma.pendingImport.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(await claimImport(first.app.db.prisma, row.id, 'console:officer', first.at('2023-05-02T09:01'))).toBe(true);
    const file2 = await fileOf(first.app.db.prisma, row.id);
    await applyImport({ prisma: first.app.db.prisma, calendar: first.app.calendar, now: first.at('2023-05-02T09:01'), zone: 'Asia/Ho_Chi_Minh' }, {
      kind: 'plan',
      file: { name: row.fileName, data: file2 },
      planName: row.planName,
      planYear: row.planYear,
      actor: { user: 'console:officer', chat: 'console:main' },
    });
    await first.close(); // the process is gone: the row still says 'importing'

    const restarted = await harness(url);
    try {
      expect(await tasks(restarted)).toBe(7);
      restarted.at('2023-05-02T09:05'); // the dead import might still be running elsewhere: wait
      expect(await restarted.say(`/nhap ok ${row.token}`)).toBe('Tệp này đang được nhập; vui lòng chờ giây lát.');
      restarted.at('2023-05-02T09:20'); // long dead: claimed again, imported again, which changes nothing
      const [a, b] = await Promise.all([restarted.say(`/nhap ok ${row.token}`), restarted.say(`/nhap ok ${row.token}`)]);
      expect([a, b].filter((r) => r!.startsWith('✅ Đã nhập kế hoạch'))).toHaveLength(1);
      expect(await tasks(restarted)).toBe(7);
      expect(await restarted.app.db.prisma.auditLog.count({ where: { action: 'import' } })).toBe(1);
      expect(await restarted.say(`/nhap ok ${row.token}`)).toMatch(/đã được nhập lúc 09:20 02\/05\/2023 \(console:officer\); không nhập lại/);
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
