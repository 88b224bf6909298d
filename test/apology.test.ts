import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleMessage, type Services } from '../commands/index.ts';
import { loadSettings, SettingsError } from '../src/config.ts';
import type { PrismaClient } from '../src/db/database.ts';
import { formTemplateFile } from '../src/files/apology-letter.ts';
import { silentLogger } from '../src/log.ts';
import { watchWrites } from '../src/store/write-watch.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { seedPlan } from './helpers/seed.ts';

// a failure injected right after the apology's transaction has committed (when `failAfterCommit` is set)
const inject = vi.hoisted(() => ({ failAfterCommit: false }));
vi.mock('../src/store/apologies.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/store/apologies.ts')>();
  return {
    ...real,
    recordApology: async (...args: Parameters<typeof real.recordApology>) => {
      const result = await real.recordApology(...args);
      if (inject.failAfterCommit) throw new Error('injected after the commit');
      return result;
    },
  };
});

const units = [
  { name: 'Văn phòng UBND tỉnh', kind: 'province_office' as const, aliases: [] },
  { name: 'Sở Tư pháp', kind: 'department' as const, aliases: [] },
  { name: 'UBND xã Long Trì', kind: 'commune' as const, aliases: [] },
];
const chats = { 'console:stp': 'Sở Tư pháp', 'console:lt': 'UBND xã Long Trì' };
const officers = { 'console:officer': 'Sở Tư pháp', 'console:xa': 'UBND xã Long Trì' };

function tempTemplate(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mau-')), 'mau.txt');
  fs.copyFileSync(formTemplateFile('2025'), file);
  return file;
}

describe('the template setting is checked at start-up like every other setting', () => {
  it('a missing or broken template, an unknown form, wrong desks stop start-up naming the setting', () => {
    const missing = () => loadSettings({ NHACVIEC_APOLOGY_TEMPLATE: '/khong/co/mau.txt' });
    expect(missing).toThrow(SettingsError);
    expect(missing).toThrow('NHACVIEC_APOLOGY_TEMPLATE: Không đọc được mẫu văn bản xin lỗi /khong/co/mau.txt: không có tệp này');
    const broken = tempTemplate();
    fs.appendFileSync(broken, '\n{{ten_sai}}\n');
    expect(() => loadSettings({ NHACVIEC_APOLOGY_TEMPLATE: broken })).toThrow(/NHACVIEC_APOLOGY_TEMPLATE: .*không có chỗ trống \{\{ten_sai\}\}/);
    expect(() => loadSettings({ NHACVIEC_APOLOGY_FORM: '2019' })).toThrow(/NHACVIEC_APOLOGY_FORM: phải là 2025 .* hoặc 2018/);
    expect(() => loadSettings({ NHACVIEC_LETTER_DESKS: '{tinh:1}' })).toThrow(/NHACVIEC_LETTER_DESKS: phải là JSON/);
    expect(() => loadSettings({ NHACVIEC_LETTER_DESKS: '{"bo":"X"}' })).toThrow(/NHACVIEC_LETTER_DESKS/);
  });

  it('the form, the template and the desks reach the letter settings', () => {
    expect(loadSettings({}).letter).toEqual({ form: '2025' });
    const file = tempTemplate();
    expect(loadSettings({ NHACVIEC_APOLOGY_FORM: '2018', NHACVIEC_APOLOGY_TEMPLATE: file, NHACVIEC_LETTER_DESKS: '{"tinh":"Trung tâm Phục vụ hành chính công tỉnh Tây Ninh"}' }).letter).toEqual({
      form: '2018',
      templateFile: file,
      desks: { tinh: 'Trung tâm Phục vụ hành chính công tỉnh Tây Ninh' },
    });
  });
});

describe('/xinloi is all or nothing (SQLite)', () => {
  let h: Harness;
  let template: string;
  let n = 0;
  beforeAll(async () => {
    template = tempTemplate();
    h = await harness(tempSqliteUrl(), { env: { NHACVIEC_APOLOGY_TEMPLATE: template } });
    await seedPlan(h.app, { year: 2023, units, chats, officers, tasks: [{ code: '1.1', deadline: '30/06/2023', lead: ['Sở Tư pháp'] }] });
    h.at('2023-03-13T09:00');
    for (const code of ['X-1', 'X-2', 'X-3', 'X-4']) expect(await say('/hoso ' + code + ' 17/03/2023 Cấp phiếu lý lịch tư pháp; Trần Thị B')).toContain('✅ Đã đăng ký');
  });
  afterAll(() => h.close());

  const prisma = () => h.app.db.prisma;
  /** The officer of Sở Tư pháp in its group, through the real message handler (on `client`, default the app's). */
  async function say(line: string, client?: PrismaClient): Promise<string> {
    const services: Services = { prisma: client ?? prisma(), zone: h.app.settings.timezone, calendar: h.app.calendar, admins: [], letter: h.app.settings.letter, clock: h.app.clock, log: silentLogger };
    const reply = await handleMessage(services, { chat: 'console:stp', user: 'console:officer', userName: 'Cán bộ', messageId: `x${++n}`, text: line });
    return reply?.text ?? '';
  }
  const snapshot = async (code: string) => {
    const d = await prisma().dossier.findUniqueOrThrow({ where: { code } });
    return { d, audits: await prisma().auditLog.count({ where: { dossierId: d.id } }) };
  };

  it('a template broken while the bot runs: an honest reply, nothing written; the same command works once it is fixed', async () => {
    const good = fs.readFileSync(template, 'utf8');
    const before = await snapshot('X-1');
    fs.rmSync(template);
    const reply = await say('/xinloi X-1 24/03/2023 chờ kết quả xác minh');
    expect(reply).toContain('❌ Chưa ghi nhận gì cho hồ sơ X-1: không tạo được văn bản xin lỗi (Không đọc được mẫu văn bản xin lỗi');
    expect(reply).toContain('sửa mẫu văn bản rồi gõ lại lệnh');
    expect(await snapshot('X-1')).toEqual(before);
    fs.writeFileSync(template, good.replace('Lý do: {{ly_do}}', 'Lý do: {{ly do}}'));
    expect(await say('/xinloi X-1 24/03/2023 chờ kết quả xác minh')).toContain('không có chỗ trống {{ly do}}');
    expect(await snapshot('X-1')).toEqual(before);

    fs.writeFileSync(template, good);
    const ok = await say('/xinloi X-1 24/03/2023 chờ kết quả xác minh');
    expect(ok).toContain('✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ X-1: hẹn trả 17/03/2023 → hẹn lại 24/03/2023');
    expect(ok).toContain('Nhớ thông báo Trung tâm Phục vụ hành chính công tỉnh.');
    expect(ok).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect((await snapshot('X-1')).d).toMatchObject({ due: '2023-03-24', originalDue: '2023-03-17', apologyReason: 'chờ kết quả xác minh' });
  });

  it('a failure after each write step: the reply says what is true, the database holds all or nothing', async () => {
    const injected = (step: string) => async ({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) => {
      await query(args);
      throw new Error(`injected after ${step}`);
    };
    const failing = (step: 'dossier.updateMany' | 'auditLog.create') =>
      (step === 'dossier.updateMany'
        ? prisma().$extends({ query: { dossier: { updateMany: injected(step) } } })
        : prisma().$extends({ query: { auditLog: { create: injected(step) } } })) as unknown as PrismaClient;

    for (const [code, client] of [
      ['X-2', failing('dossier.updateMany')],
      ['X-3', failing('auditLog.create')],
    ] as const) {
      const before = await snapshot(code);
      const reply = await say(`/xinloi ${code} 24/03/2023 cần lấy ý kiến`, client);
      expect(reply).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; vui lòng thử lại sau ít phút.');
      expect(await snapshot(code)).toEqual(before);
      // and the retry is not refused as "already apologised"
      expect(await say(`/xinloi ${code} 24/03/2023 cần lấy ý kiến`)).toContain(`✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ ${code}`);
    }

    // after the commit: the apology is recorded whole, and the reply does not deny it
    inject.failAfterCommit = true;
    try {
      const reply = await say('/xinloi X-4 24/03/2023 cần lấy ý kiến');
      expect(reply).toContain('một phần yêu cầu có thể đã được ghi nhận');
      expect(reply).not.toContain('không bị thay đổi');
    } finally {
      inject.failAfterCommit = false;
    }
    const after = await snapshot('X-4');
    expect(after.d).toMatchObject({ due: '2023-03-24', originalDue: '2023-03-17', apologyReason: 'cần lấy ý kiến' });
    expect(await prisma().auditLog.count({ where: { dossierId: after.d.id, action: 'dossier_apology' } })).toBe(1);
    expect(await say('/xinloi X-4 25/03/2023 lại chậm')).toContain('chỉ được hẹn lại một lần');
  });

  it('a round with a broken template still prompts, naming the form, and says the letter is missing', async () => {
    await say('/hoso Y-1 22/03/2023 Chứng thực; Lê Văn C');
    const good = fs.readFileSync(template, 'utf8');
    fs.writeFileSync(template, '[noi-dung]\nkhông có tiêu đề\n');
    try {
      h.at('2023-03-20T09:00');
      const [m] = (await h.round()).filter((x) => x.kind === 'apology' && x.tasks.includes('Y-1'));
      expect(m!.text).toContain('Hồ sơ Y-1');
      expect(m!.text).toContain('gửi Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết chậm nhất ngày 21/03/2023');
      expect(m!.text).toContain('⚠️ Chưa kèm được dự thảo văn bản:');
      expect(m!.text).toContain('thiếu mục [tieu-de]');
    } finally {
      fs.writeFileSync(template, good);
    }
  });

  it('the write watcher: reads and rolled-back transactions are no writes; raw and batched writes are', async () => {
    const read = watchWrites(prisma());
    await read.prisma.dossier.count();
    await read.prisma.$queryRaw`SELECT 1`;
    expect(read.wrote()).toBe(false);
    const rolledBack = watchWrites(prisma());
    await expect(rolledBack.prisma.$transaction(async (tx) => {
      await tx.state.create({ data: { key: 'probe', value: '1' } });
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(rolledBack.wrote()).toBe(false);
    expect(await prisma().state.count({ where: { key: 'probe' } })).toBe(0);
    const raw = watchWrites(prisma());
    await raw.prisma.$executeRaw`UPDATE "State" SET "value" = "value" WHERE "key" = 'none'`;
    expect(raw.wrote()).toBe(true);
    const batch = watchWrites(prisma());
    await batch.prisma.$transaction([batch.prisma.state.create({ data: { key: 'probe', value: '1' } })]);
    expect(batch.wrote()).toBe(true);
  });
});

describe('the 2018 form stays selectable (NHACVIEC_APOLOGY_FORM=2018)', () => {
  it('/xinloi, /hoso and the round name and attach the Phiếu xin lỗi và hẹn lại ngày trả kết quả; a commune letter names its centre', async () => {
    const h = await harness(tempSqliteUrl(), { env: { NHACVIEC_APOLOGY_FORM: '2018' } });
    try {
      await seedPlan(h.app, { year: 2023, units, chats, officers, tasks: [{ code: '1.1', deadline: '30/06/2023', lead: ['Sở Tư pháp'] }] });
      h.at('2023-03-13T09:00');
      const say = async (line: string, chat = 'console:lt', user = 'console:xa') =>
        (await h.app.handle({ chat, user, userName: 'Cán bộ', messageId: `${Math.random()}`, text: line }))!;
      expect((await say('/hoso Z-1 17/03/2023 Đăng ký khai sinh; Hồ Văn G')).text).toContain('phải gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả chậm nhất ngày 16/03/2023');
      h.at('2023-03-15T09:00');
      const [prompt] = (await h.round()).filter((m) => m.kind === 'apology');
      expect(prompt!.text).toContain('nếu không kịp, phải gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả');
      const outbox = await h.app.db.prisma.outbox.findFirstOrThrow({ where: { kind: 'apology' } });
      expect((JSON.parse(outbox.attachments) as { fileName: string }[]).map((f) => f.fileName)).toEqual(['phieu-xin-loi-Z-1.docx']);
      const reply = await say('/xinloi Z-1 24/03/2023 chờ xác minh');
      expect(reply.text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
      expect(reply.text).toContain('- Trung tâm Phục vụ hành chính công xã Long Trì;');
      expect(reply.attachment?.fileName).toBe('phieu-xin-loi-Z-1.docx');
      const xml = await (await JSZip.loadAsync(reply.attachment!.data)).file('word/document.xml')!.async('string');
      expect(xml).toContain('Mẫu số 04 – Thông tư số 01/2018/TT-VPCP');
    } finally {
      await h.close();
    }
  });
});
