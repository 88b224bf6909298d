import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoso } from '../commands/hoso.ts';
import { xinloi } from '../commands/xinloi.ts';
import type { Command, CommandContext } from '../commands/context.ts';
import { dossier as dossierCli } from '../src/cli/dossier.ts';
import { importDossierFile } from '../src/dossier-import.ts';
import { addDays, type LocalDate } from '../src/core/dates.ts';
import { explanationPrompt, planDossierRound, type RoundDossier } from '../src/core/dossier.ts';
import type { Routing } from '../src/core/round.ts';
import { parseInstant } from '../src/core/time.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import { deskFor, LetterTemplateError, parseLetterTemplate, renderApologyText } from '../src/core/apology-letter.ts';
import { apologyDocx, formTemplateFile, readLetterTemplate } from '../src/files/apology-letter.ts';
import { PlanFileError } from '../src/import/errors.ts';
import { readDossierFile } from '../src/import/read-dossiers.ts';
import { loadDossierRound } from '../src/round/dossiers.ts';
import { recordRound } from '../src/store/round.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const OFFICE = { start: '07:30', end: '17:00' };
const calendar = loadCalendar();
const at = (iso: string) => parseInstant(iso, ZONE)!;

const routing: Routing = {
  unitChats: (unitId) => (unitId === 7 ? ['telegram:-7'] : []),
  isPaused: () => false,
  escalationChats: () => ['telegram:-1'],
  coordinatorChats: () => ['telegram:-1'],
  defaultChat: 'telegram:-1',
};

/**
 * Runs planDossierRound at 08:00 of every day from `from` to `to`, feeding each round's stages back as
 * the ledger would; returns which day said which stage.
 */
function simulate(dossiers: RoundDossier[], from: LocalDate, to: LocalDate) {
  const said: { day: LocalDate; id: number; stage: number; kinds: string[]; texts: string[] }[] = [];
  let state = dossiers.map((d) => ({ ...d }));
  let previous: Date | null = null;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const now = at(`${day}T08:00`);
    const plan = planDossierRound({ now, zone: ZONE, officeHours: OFFICE, calendar, previousRoundAt: previous, dossiers: state, routing, letter: (d) => `PHIẾU ${d.code}` });
    if (plan.skipped) continue;
    previous = now;
    for (const s of plan.stages) {
      said.push({
        day,
        id: s.dossierId!,
        stage: s.stage,
        kinds: plan.notices.filter((n) => n.dossierId === s.dossierId).map((n) => n.kind),
        texts: plan.messages.map((m) => m.text),
      });
    }
    state = state.map((d) => ({ ...d, lastStage: plan.stages.find((s) => s.dossierId === d.id)?.stage ?? d.lastStage }));
  }
  return said;
}

const base: RoundDossier = {
  id: 1,
  code: 'H12-0001',
  procedure: 'Cấp bản sao trích lục hộ tịch',
  applicant: 'Nguyễn Văn An',
  due: '2023-05-04',
  unitId: 7,
  unitName: 'Phòng Tư pháp',
  apologized: false,
  lastStage: null,
};

describe('planDossierRound (pure)', () => {
  it('due Thursday 04/05/2023 after the 29/4–3/5 holidays: prompts on 27/04 and 28/04, overdue 05/05, escalation 08/05', () => {
    const said = simulate([base], '2023-04-20', '2023-05-12');
    // (next overdue notice: 5 working days later, 15/05)
    expect(said.map((s) => [s.day, s.stage])).toEqual([
      ['2023-04-27', -2],
      ['2023-04-28', -1],
      ['2023-05-05', 1],
      ['2023-05-08', 2],
    ]);
    expect(said[0]!.kinds).toEqual(['apology']);
    expect(said[2]!.kinds).toEqual(['overdue']);
    expect(said[3]!.kinds).toEqual(['overdue', 'escalation']);
    const first = said[0]!.texts[0]!;
    expect(first).toContain('Hồ sơ H12-0001 — Nguyễn Văn An');
    expect(first).toContain('Thủ tục: Cấp bản sao trích lục hộ tịch');
    expect(first).toContain('Hẹn trả: 04/05/2023 (còn 2 ngày làm việc)');
    // the last day for the letter is Friday 28/04, not Wednesday 03/05 (a day off)
    expect(first).toContain('gửi Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết chậm nhất ngày 28/04/2023');
    expect(first).toContain('/xinloi H12-0001 <ngày hẹn mới> <lý do>');
    expect(first).toContain('/hoso tra H12-0001');
    expect(first).toContain('PHIẾU H12-0001');
    // the second prompt does not repeat the letter
    expect(said[1]!.texts[0]).not.toContain('PHIẾU H12-0001');
  });

  it('one message per chat, kind apology; a unit without a group goes to the default chat headed with its name', () => {
    const plan = planDossierRound({
      now: at('2023-04-27T08:00'),
      zone: ZONE,
      officeHours: OFFICE,
      calendar,
      previousRoundAt: null,
      routing,
      dossiers: [base, { ...base, id: 2, code: 'H12-0002' }, { ...base, id: 3, code: 'X-3', unitId: 9, unitName: 'UBND xã Long Trì' }],
    });
    expect(plan.messages.map((m) => [m.chat, m.kind, m.tasks])).toEqual([
      ['telegram:-7', 'apology', ['H12-0001', 'H12-0002']],
      ['telegram:-1', 'apology', ['X-3']],
    ]);
    expect(plan.messages[1]!.text).toContain('📌 Đơn vị UBND xã Long Trì (chưa gắn nhóm chat):');
    expect(plan.notices.map((n) => n.key)).toContain('dossier:1:2023-05-04:stage:-2:telegram:-7');
    expect(plan.messages[0]!.letterFor).toEqual([1, 2]);
  });

  it('an apologised dossier is not prompted before its new date, then only overdue/escalation against it', () => {
    const apologized = { ...base, due: '2023-05-10', originalDue: '2023-05-04', apologized: true };
    const said = simulate([apologized], '2023-05-04', '2023-05-15');
    expect(said.map((s) => [s.day, s.stage, s.kinds.join('+')])).toEqual([
      ['2023-05-11', 1, 'overdue'],
      ['2023-05-12', 2, 'overdue+escalation'],
    ]);
    expect(said[0]!.texts[0]).toContain('hẹn ban đầu 04/05/2023, đã xin lỗi và hẹn lại');
    expect(said[0]!.texts[0]).toContain('không được hẹn lại nữa');
    expect(said[0]!.texts[0]).not.toContain('/xinloi');
  });

  it('nothing outside office hours or on a day off; a missed stage is said later, once, marked late', () => {
    expect(planDossierRound({ now: at('2023-05-02T08:00'), zone: ZONE, officeHours: OFFICE, calendar, previousRoundAt: null, routing, dossiers: [base] }).skipped).toBe('not_working_day');
    expect(planDossierRound({ now: at('2023-04-27T18:00'), zone: ZONE, officeHours: OFFICE, calendar, previousRoundAt: null, routing, dossiers: [base] }).skipped).toBe('outside_office_hours');
    // the bot was down from 26/04 to 28/04 10:00: the -1 stage (28/04 07:30) is said late, -2 is skipped over
    const plan = planDossierRound({ now: at('2023-04-28T10:00'), zone: ZONE, officeHours: OFFICE, calendar, previousRoundAt: at('2023-04-26T16:00'), routing, dossiers: [base] });
    expect(plan.stages).toEqual([{ dossierId: 1, stage: -1 }]);
    expect(plan.messages[0]!.late).toBe(true);
    expect(plan.messages[0]!.text).toContain('gửi muộn');
  });

  it('explanationPrompt asks the lead unit for a written explanation to the coordinating office', () => {
    const t = explanationPrompt([{ code: '1.1.1', content: 'Ban hành kế hoạch', due: '2023-02-14', offset: 3, unitName: 'Phòng Tư pháp' }], {
      coordinatorName: 'Văn phòng HĐND và UBND huyện',
      respondBy: '2023-02-20',
    });
    expect(t).toContain('văn bản giải trình về Văn phòng HĐND và UBND huyện trước ngày 20/02/2023');
    expect(t).toContain('1.1.1 Ban hành kế hoạch — Phòng Tư pháp, hạn 14/02/2023 (trễ 3 ngày làm việc)');
    expect(explanationPrompt([])).toBe('');
  });
});

describe('apology letter', () => {
  const data = {
    agency: 'Phòng Tư pháp',
    applicant: 'Trần Thị Bình',
    received: '2023-04-20',
    procedure: 'Chứng thực hợp đồng',
    code: 'H12-0009',
    originalDue: '2023-05-04',
    reason: 'cần xác minh thông tin',
    newDue: '2023-05-10',
    date: '2023-04-27',
    oneStopDesk: 'Trung tâm Phục vụ hành chính công tỉnh',
  };
  const form2025 = readLetterTemplate(formTemplateFile('2025'));
  const form2018 = readLetterTemplate(formTemplateFile('2018'));

  it('the 2025 form (Mẫu số 04, Thông tư 03/2025/TT-VPCP): its title, the dates, the reason, the proposed new time, the apology, the signer', () => {
    expect(form2025.name).toBe('Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết');
    const t = renderApologyText(form2025, data);
    for (const s of [
      'PHÒNG TƯ PHÁP',
      'Số: …………',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'ngày 27 tháng 04 năm 2023',
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Kính gửi: Trần Thị Bình',
      'Ngày 20/04/2023, Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ',
      'Chứng thực hợp đồng',
      'mã hồ sơ H12-0009',
      'Giấy tiếp nhận hồ sơ và hẹn trả kết quả là ngày 04/05/2023',
      'Lý do: cần xác minh thông tin.',
      'Phòng Tư pháp thành thật xin lỗi',
      'đề nghị gia hạn thời gian giải quyết hồ sơ; thời gian trả kết quả mới là ngày 10/05/2023',
      'Nơi nhận:',
      '- Trung tâm Phục vụ hành chính công tỉnh;',
      'THỦ TRƯỞNG CƠ QUAN',
    ]) {
      expect(t).toContain(s);
    }
    expect(t).not.toContain('{{');
    expect(t).not.toMatch(/^#/m);
    expect(t).not.toContain('PHIẾU');
    const blank = renderApologyText(form2025, { agency: null, applicant: null, procedure: null, code: 'X', originalDue: '2023-05-04' });
    expect(blank).toContain('Lý do: …………\n');
    expect(blank).toContain('Kính gửi: …………');
  });

  it('the 2018 form stays available: Phiếu xin lỗi và hẹn lại ngày trả kết quả (Thông tư 01/2018/TT-VPCP)', () => {
    expect(form2018.name).toBe('Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect(form2018.fileStem).toBe('phieu-xin-loi');
    const t = renderApologyText(form2018, data);
    for (const s of ['PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', 'Mã hồ sơ: H12-0009', 'Lý do: cần xác minh thông tin.', 'hẹn trả kết quả giải quyết hồ sơ vào ngày 10/05/2023']) expect(t).toContain(s);
  });

  it('DOCX of each form opens, holds its title, the form number, applicant, code, both dates and the reason, and is deterministic', async () => {
    for (const [template, title, form] of [
      [form2025, 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT', 'Mẫu số 04 – Phụ lục I, Thông tư số 03/2025/TT-VPCP'],
      [form2018, 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', 'Mẫu số 04 – Thông tư số 01/2018/TT-VPCP'],
    ] as const) {
      const bytes = await apologyDocx(data, template);
      const again = await apologyDocx(data, template);
      expect(Buffer.from(bytes).equals(Buffer.from(again))).toBe(true);
      const zip = await JSZip.loadAsync(bytes);
      const xml = await zip.file('word/document.xml')!.async('string');
      for (const s of ['Trần Thị Bình', 'H12-0009', '04/05/2023', '10/05/2023', 'cần xác minh thông tin', title, form, 'Độc lập - Tự do - Hạnh phúc']) expect(xml).toContain(s);
      expect(await zip.file('docProps/core.xml')!.async('string')).toContain(`${template.name} — hồ sơ H12-0009`);
    }
  });

  it('a template is checked: unknown sections and placeholders, no title or body, are refused with the line', () => {
    expect(() => parseLetterTemplate('[noi-dung]\nTheo Nghị định mới: {{ma_ho_so}} / {{khong_co}}\n[tieu-de]\nTHƯ', 'mẫu thử')).toThrow('mẫu thử không dùng được: dòng 2: không có chỗ trống {{khong_co}}');
    expect(() => parseLetterTemplate('[tieu-de]\nTHƯ\n[than-thu]\nabc')).toThrow(/dòng 3: không có mục \[than-thu\]/);
    expect(() => parseLetterTemplate('# chỉ có ghi chú\n[tieu-de]\nTHƯ')).toThrow(/thiếu mục \[noi-dung\]/);
    expect(() => parseLetterTemplate('văn bản không có mục')).toThrow(LetterTemplateError);
    const custom = parseLetterTemplate('# ghi chú\n[tieu-de]\nTHƯ XIN LỖI VÀ HẸN LẠI\n[noi-dung]\nTheo Nghị định mới: {{ma_ho_so}}\n');
    expect(renderApologyText(custom, data)).toBe('THƯ XIN LỖI VÀ HẸN LẠI\n\nTheo Nghị định mới: H12-0009');
    expect([custom.name, custom.fileStem]).toEqual(['Thư xin lỗi và hẹn lại', 'thu-xin-loi']);
  });

  it('the receiving desk follows the unit\'s kind since the two-tier local government, and the settings', () => {
    expect(deskFor({ kind: 'department', name: 'Sở Tư pháp' })).toBe('Trung tâm Phục vụ hành chính công tỉnh');
    expect(deskFor({ kind: 'commune', name: 'UBND xã Long Trì' })).toBe('Trung tâm Phục vụ hành chính công xã Long Trì');
    expect(deskFor({ kind: 'commune', name: 'Ủy ban nhân dân phường An Lạc' })).toBe('Trung tâm Phục vụ hành chính công phường An Lạc');
    expect(deskFor({ kind: 'commune', name: 'Xã Long Trì' })).toBe('Trung tâm Phục vụ hành chính công cấp xã');
    expect(deskFor({ kind: 'commune_service_center', name: 'Trung tâm Phục vụ hành chính công xã Tân Hòa' })).toBe('Trung tâm Phục vụ hành chính công xã Tân Hòa');
    expect(deskFor({ kind: 'district', name: 'Phòng Tư pháp' })).toBe('Bộ phận Tiếp nhận và Trả kết quả cấp huyện');
    expect(deskFor(null)).toBe('Trung tâm Phục vụ hành chính công tỉnh');
    // a ministry names its desk once; a province names its centre per level
    expect(deskFor({ kind: 'other', name: 'Cục X' }, { oneStopDesk: 'Bộ phận Tiếp nhận và Trả kết quả của Bộ Tư pháp' })).toBe('Bộ phận Tiếp nhận và Trả kết quả của Bộ Tư pháp');
    const desks = { tinh: 'Trung tâm Phục vụ hành chính công tỉnh Tây Ninh' };
    expect(deskFor({ kind: 'department', name: 'Sở Tư pháp' }, { desks, oneStopDesk: 'X' })).toBe('Trung tâm Phục vụ hành chính công tỉnh Tây Ninh');
    expect(deskFor({ kind: 'commune', name: 'UBND xã Long Trì' }, { desks })).toBe('Trung tâm Phục vụ hành chính công xã Long Trì');
  });
});

describe('dossiers on SQLite: chat commands, ledger, import', () => {
  let h: Harness;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = tempSqliteUrl();
    h = await harness(url);
    expect(await ensureExamplePlan(h.app)).toBe(true);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossiers-'));
  });
  afterAll(() => h.close());

  const prisma = () => h.app.db.prisma;
  let messageNo = 0;
  async function run(command: Command, args: string, user = 'console:officer'): Promise<Awaited<ReturnType<Command['run']>>> {
    const ctx: CommandContext = {
      prisma: prisma(),
      now: h.app.clock(),
      zone: h.app.settings.timezone,
      calendar: h.app.calendar,
      admins: ['console:officer'],
      message: { chat: 'console:main', user, userName: 'Người thử', messageId: `m${++messageNo}`, text: `/${command.name} ${args}` },
      args,
    };
    return command.run(ctx);
  }
  const round = async () => {
    const plan = await loadDossierRound(prisma(), { now: h.app.clock(), zone: ZONE, officeHours: OFFICE, calendar: h.app.calendar, defaultChat: h.app.defaultChat });
    const recorded = await recordRound(prisma(), { at: h.app.clock(), ...plan }, h.app.db.target.provider);
    return { plan, recorded };
  };

  it('/hoso registers a dossier for the group unit; bad input changes nothing', async () => {
    h.at('2023-04-20T09:00');
    const r = await run(hoso, 'H12-0001 04/05/2023 Cấp bản sao trích lục hộ tịch; Nguyễn Văn An');
    expect(r.text).toContain('✅ Đã đăng ký hồ sơ H12-0001 của Văn phòng HĐND và UBND huyện: hẹn trả 04/05/2023');
    expect(r.text).toContain('chậm nhất ngày 28/04/2023');
    expect((await run(hoso, 'H12-0002 31/02/2023')).text).toContain('không tồn tại');
    expect((await run(hoso, 'H12-0003 04/05/2023 Đăng ký khai sinh', 'telegram:999')).text).toContain('chỉ cán bộ đầu mối');
    expect(await prisma().dossier.count()).toBe(1);
    await run(hoso, 'H12-0002 04/05/2023 Đăng ký khai sinh; Lê Thị Cúc');
    const shown = (await run(hoso, 'H12-0001')).text;
    expect(shown).toContain('Người nộp: Nguyễn Văn An');
    expect(shown).toContain('Lịch sử:');
    expect(shown).toContain('Đăng ký');
    expect((await run(hoso, 'H12-0001', 'telegram:999')).text).toContain('chỉ cán bộ đầu mối');
  });

  it('a returned dossier gets no prompt; prompts go through the ledger once, with the letter DOCX', async () => {
    expect((await run(hoso, 'tra H12-0002')).text).toContain('✅ Đã ghi nhận: hồ sơ H12-0002 trả kết quả ngày 20/04/2023 (đúng hẹn)');
    h.at('2023-04-26T08:00');
    expect((await round()).plan.messages).toEqual([]);
    h.at('2023-04-27T08:00');
    const { plan, recorded } = await round();
    expect(plan.messages).toHaveLength(1);
    const m = plan.messages[0]!;
    expect(m).toMatchObject({ chat: 'console:main', kind: 'apology', tasks: ['H12-0001'] });
    expect(m.text).toContain('chậm nhất ngày 28/04/2023');
    expect(m.text).not.toContain('H12-0002');
    const outbox = await prisma().outbox.findUniqueOrThrow({ where: { id: recorded.outboxIds[0]! } });
    const files = JSON.parse(outbox.attachments) as { fileName: string; mime: string; base64: string }[];
    expect(files.map((f) => f.fileName)).toEqual(['van-ban-xin-loi-H12-0001.docx']);
    const xml = await (await JSZip.loadAsync(Buffer.from(files[0]!.base64, 'base64'))).file('word/document.xml')!.async('string');
    expect(xml).toContain('Nguyễn Văn An');
    const notices = await prisma().notice.findMany({ where: { dossierId: { not: null } } });
    expect(notices.map((n) => n.key)).toEqual(['dossier:1:2023-05-04:stage:-2:console:main']);
    // the same round again records nothing new, and recording the old plan again is refused by the ledger
    expect((await round()).plan.messages).toEqual([]);
    await expect(recordRound(prisma(), { at: h.app.clock(), ...plan }, h.app.db.target.provider)).rejects.toThrow();
    expect(await prisma().outbox.count({ where: { kind: 'apology' } })).toBe(1);
    expect((await prisma().dossier.findUniqueOrThrow({ where: { code: 'H12-0001' } })).lastStage).toBe(-2);
  });

  it('/xinloi records the apology with the letter as text and DOCX; a second one is refused with the reason', async () => {
    h.at('2023-04-28T09:00');
    expect((await run(xinloi, 'H12-0001 03/05/2023 cần xác minh')).text).toContain('phải sau ngày hẹn trả ban đầu 04/05/2023');
    expect((await run(xinloi, 'H12-0001 10/05/2023')).text).toContain('Thiếu lý do');
    expect((await run(xinloi, 'H12-0001 10/05/2023 cần xác minh', 'telegram:999')).text).toContain('chỉ cán bộ đầu mối');
    expect((await prisma().dossier.findUniqueOrThrow({ where: { code: 'H12-0001' } })).apologyAt).toBeNull();

    const ok = await run(xinloi, 'H12-0001 10/05/2023 cần lấy ý kiến Sở Tư pháp');
    expect(ok.text).toContain('✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ H12-0001: hẹn trả 04/05/2023 → hẹn lại 10/05/2023');
    expect(ok.text).toContain('Kính gửi: Nguyễn Văn An');
    expect(ok.text).toContain('Lý do: cần lấy ý kiến Sở Tư pháp.');
    expect(ok.attachment?.fileName).toBe('van-ban-xin-loi-H12-0001.docx');
    const xml = await (await JSZip.loadAsync(ok.attachment!.data)).file('word/document.xml')!.async('string');
    for (const s of ['Nguyễn Văn An', 'H12-0001', '04/05/2023', '10/05/2023', 'cần lấy ý kiến Sở Tư pháp']) expect(xml).toContain(s);

    const again = await run(xinloi, 'H12-0001 15/05/2023 lại chậm');
    expect(again.attachment).toBeUndefined();
    expect(again.text).toContain('chỉ được hẹn lại một lần');
    expect(again.text).toContain('hẹn lại 10/05/2023');
    const d = await prisma().dossier.findUniqueOrThrow({ where: { code: 'H12-0001' } });
    expect(d).toMatchObject({ due: '2023-05-10', originalDue: '2023-05-04', apologyReason: 'cần lấy ý kiến Sở Tư pháp', lastStage: null });
    expect(await prisma().auditLog.count({ where: { dossierId: d.id, action: 'dossier_apology' } })).toBe(1);
    expect((await run(hoso, 'H12-0001 20/05/2023')).text).toContain('chỉ được hẹn lại một lần');
  });

  it('after the apology: no prompt before the new date, overdue then escalation after it', async () => {
    h.at('2023-05-04T08:00');
    expect((await round()).plan.messages).toEqual([]);
    h.at('2023-05-11T08:00');
    const { plan } = await round();
    expect(plan.notices.map((n) => n.kind)).toEqual(['overdue']);
    expect(plan.messages[0]!.text).toContain('đã xin lỗi và hẹn lại');
    expect(plan.messages[0]!.attachments).toBeUndefined();
    h.at('2023-05-12T08:00');
    expect((await round()).plan.notices.map((n) => n.kind)).toEqual(['overdue', 'escalation']);
    h.at('2023-05-12T10:00');
    expect((await round()).plan.messages).toEqual([]);
  });

  it('a malformed dossier list changes nothing and names the bad rows', async () => {
    const before = await prisma().dossier.count();
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      [
        'STT,Mã hồ sơ,Tên thủ tục,Người nộp,Ngày tiếp nhận,Ngày hẹn trả,Đơn vị',
        '1,K-01,Chứng thực,Phạm Văn Dũng,20/04/2023,05/05/2023,Phòng Tư pháp',
        '2,K-02,Chứng thực,Võ Thị Em,20/04/2023,31/02/2023,Phòng Tư pháp',
        '3,,Chứng thực,Ai đó,20/04/2023,05/05/2023,Phòng Tư pháp',
        '4,K-04,Chứng thực,Hồ Văn Giang,20/04/2023,05/05/2023,Phòng Không Có',
      ].join('\n'),
    );
    const error = await importDossierFile(prisma(), file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanFileError);
    const message = (error as Error).message;
    expect(message).toContain('chưa nhập hồ sơ nào');
    expect(message).toContain('Dòng 3 (hồ sơ K-02): ngày hẹn trả "31/02/2023" không phải ngày hợp lệ');
    expect(message).toContain('Dòng 4: thiếu mã hồ sơ');
    // an unknown unit is no reason to refuse a row: only rows that cannot be stored are named
    expect(message).toContain('có 2 dòng lỗi');
    expect(message).not.toContain('Dòng 5');
    expect(message).not.toContain('Dòng 2');
    expect(await prisma().dossier.count()).toBe(before);

    const binary = path.join(dir, 'bin.csv');
    fs.writeFileSync(binary, Buffer.from([1, 0, 2, 0, 3]));
    await expect(readDossierFile(binary)).rejects.toThrow(PlanFileError);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(readDossierFile(empty)).rejects.toThrow(/Tệp rỗng/);
    const noHeader = path.join(dir, 'noheader.csv');
    fs.writeFileSync(noHeader, 'a,b,c\n1,2,3\n');
    await expect(readDossierFile(noHeader)).rejects.toThrow(/Không tìm thấy dòng tiêu đề/);
    // through the CLI command: PlanFileError → exit status 1 in main.ts
    await expect(dossierCli.run(['import', file], { db: url, json: true })).rejects.toThrow(PlanFileError);
    expect(await prisma().dossier.count()).toBe(before);
  });

  it('imports an XLSX export (columns by meaning, Excel dates); a re-import updates by code', async () => {
    const xlsx = path.join(dir, 'mot-cua.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT']);
    ws.addRow(['TT', 'Số hồ sơ', 'Tổ chức, cá nhân', 'Thủ tục', 'Ngày nhận', 'Hạn trả kết quả', 'Cơ quan giải quyết']);
    ws.addRow([1, 'K-10', 'Phạm Văn Dũng', 'Chứng thực chữ ký', new Date(Date.UTC(2023, 3, 20)), new Date(Date.UTC(2023, 4, 5)), 'Phòng Tư pháp huyện']);
    ws.addRow([2, 'K-11', 'Võ Thị Em', 'Đăng ký kết hôn', '21/04/2023 08:15', '08/05/2023 17:00', 'Phòng Tư pháp']);
    fs.writeFileSync(xlsx, Buffer.from(await wb.xlsx.writeBuffer()));

    const dry = await dossierCli.run(['import', xlsx, '--dry-run'], { db: url, json: true });
    expect((dry.json as { dossiers: unknown[] }).dossiers).toEqual([
      { code: 'K-10', procedure: 'Chứng thực chữ ký', applicant: 'Phạm Văn Dũng', received: '2023-04-20', due: '2023-05-05', unit: 'Phòng Tư pháp', status: 'processing', status_text: '' },
      { code: 'K-11', procedure: 'Đăng ký kết hôn', applicant: 'Võ Thị Em', received: '2023-04-21', due: '2023-05-08', unit: 'Phòng Tư pháp', status: 'processing', status_text: '' },
    ]);
    expect(await prisma().dossier.count({ where: { code: { in: ['K-10', 'K-11'] } } })).toBe(0);

    const first = await importDossierFile(prisma(), xlsx);
    expect(first.added).toEqual(['K-10', 'K-11']);
    const tsv = path.join(dir, 'lan-2.tsv');
    fs.writeFileSync(
      tsv,
      ['Mã hồ sơ\tNgười nộp\tTên thủ tục\tNgày tiếp nhận\tNgày hẹn trả\tĐơn vị', 'K-10\tPhạm Văn Dũng\tChứng thực chữ ký\t20/04/2023\t09/05/2023\tPhòng Tư pháp', 'K-11\tVõ Thị Em\tĐăng ký kết hôn\t21/04/2023\t08/05/2023\tPhòng Tư pháp'].join('\n'),
    );
    const second = await importDossierFile(prisma(), tsv);
    expect(second.added).toEqual([]);
    expect(second.updated).toEqual(['K-10']);
    expect(second.unchanged).toBe(1);
    const k10 = await prisma().dossier.findUniqueOrThrow({ where: { code: 'K-10' } });
    expect(k10.due).toBe('2023-05-09');
    expect(await prisma().dossier.count({ where: { code: { in: ['K-10', 'K-11'] } } })).toBe(2);
    const history = await prisma().auditLog.findMany({ where: { dossierId: k10.id }, orderBy: { id: 'asc' } });
    expect(history.map((a) => a.action)).toEqual(['dossier_add', 'dossier_update']);
    expect(history[1]!.detail).toContain('ngày hẹn trả 05/05/2023 → 09/05/2023');
  });
});

describe('the apology letter header from the settings', () => {
  it('prints the governing body, the place and the one-stop desk in the text and the Word file', async () => {
    const hh = await harness(tempSqliteUrl(), {
      env: { NHACVIEC_LETTER_PARENT_AGENCY: 'UBND huyện Châu Thành', NHACVIEC_LETTER_PLACE: 'Châu Thành', NHACVIEC_LETTER_ONE_STOP_DESK: 'Bộ phận Một cửa huyện Châu Thành' },
    });
    try {
      expect(await ensureExamplePlan(hh.app)).toBe(true);
      hh.at('2023-03-15T09:00');
      await hh.say('/hoso H12-0009 20/03/2023 Chứng thực bản sao; Trần Thị B');
      const reply = await hh.app.handle({ chat: 'console:main', chatTitle: 'Nhóm thử nghiệm', user: 'console:officer', userName: 'Cán bộ', messageId: 'x1', text: '/xinloi H12-0009 27/03/2023 chờ ý kiến cơ quan phối hợp' });
      for (const expected of ['UBND HUYỆN CHÂU THÀNH', 'Châu Thành, ngày 15 tháng 03 năm 2023', '- Bộ phận Một cửa huyện Châu Thành;']) {
        expect(reply?.text).toContain(expected);
      }
      const xml = await (await JSZip.loadAsync(Buffer.from(reply!.attachment!.data))).file('word/document.xml')!.async('string');
      expect(xml).toContain('UBND HUYỆN CHÂU THÀNH');
      expect(xml).toContain('Châu Thành, ngày 15 tháng 03 năm 2023');
      expect(xml).toContain('Bộ phận Một cửa huyện Châu Thành');
      // and the letter a round attaches to its prompt
      await hh.say('/hoso H12-0010 17/03/2023 Chứng thực chữ ký; Lê Văn C');
      await hh.round();
      // (merged with the group's other notices into one message of the round)
      const prompt = await hh.app.db.prisma.outbox.findFirstOrThrow({ where: { attachments: { contains: 'van-ban-xin-loi-H12-0010.docx' } } });
      const [file] = JSON.parse(prompt.attachments) as { fileName: string; base64: string }[];
      expect(file!.fileName).toBe('van-ban-xin-loi-H12-0010.docx');
      const promptXml = await (await JSZip.loadAsync(Buffer.from(file!.base64, 'base64'))).file('word/document.xml')!.async('string');
      expect(promptXml).toContain('UBND HUYỆN CHÂU THÀNH');
      expect(promptXml).toContain('Bộ phận Một cửa huyện Châu Thành');
    } finally {
      await hh.close();
    }
  });
});
