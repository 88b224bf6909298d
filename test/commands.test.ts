import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, ensureExamplePlan } from '../src/example.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { importPlan } from '../src/store/plan-store.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { dbSnapshot } from './helpers/snapshot.ts';
import { leaks as leaksOf } from './helpers/leaks.ts';

// Every chat command, table-driven: good input (the answer's key phrase and its database effect) and bad
// input (a Vietnamese answer that says what to do, and NOTHING changed in the database).

const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
const CRASH = 'đã có lỗi khi xử lý';
const VP = 'Văn phòng HĐND và UBND huyện';

let h: Harness; // console:officer — officer of VP and administrator
let s: Harness; // console:stranger — neither officer nor administrator, same database, same chat
const prisma = () => h.app.db.prisma;

type Snapshot = Awaited<ReturnType<typeof snapshot>>;
const snapshot = () => dbSnapshot(prisma());

/** Rows added, removed or changed between two snapshots, per table. */
function diff(before: Snapshot, after: Snapshot) {
  const out = {} as Record<keyof Snapshot, { added: any[]; removed: any[]; changed: { from: any; to: any }[] }>;
  for (const key of Object.keys(before) as (keyof Snapshot)[]) {
    const a = new Map<number, any>((before[key] as any[]).map((r) => [r.id, r]));
    const b = new Map<number, any>((after[key] as any[]).map((r) => [r.id, r]));
    out[key] = {
      added: [...b.values()].filter((r) => !a.has(r.id)),
      removed: [...a.values()].filter((r) => !b.has(r.id)),
      changed: [...b.values()].filter((r) => a.has(r.id) && JSON.stringify(a.get(r.id)) !== JSON.stringify(r)).map((r) => ({ from: a.get(r.id), to: r })),
    };
  }
  return out;
}
type Diff = ReturnType<typeof diff>;

function onlyChanged(d: Diff, tables: (keyof Snapshot)[]) {
  for (const key of Object.keys(d) as (keyof Snapshot)[]) {
    if (tables.includes(key)) continue;
    expect({ table: key, ...d[key] }).toEqual({ table: key, added: [], removed: [], changed: [] });
  }
}

const unitId = async (name: string) => (await prisma().unit.findUniqueOrThrow({ where: { name } })).id;
const taskOf = async (code: string, year = 2023) => prisma().task.findFirstOrThrow({ where: { code, plan: { year } } });
const leadOccurrences = async (code: string, unit = VP, year = 2023) =>
  prisma().occurrence.findMany({ where: { assignment: { role: 'lead', unit: { name: unit }, task: { code, plan: { year } } } }, orderBy: { due: 'asc' } });

beforeAll(async () => {
  const url = tempSqliteUrl();
  h = await harness(url);
  expect(await ensureExamplePlan(h.app)).toBe(true);
  s = await harness(url, { consoleUser: 'console:stranger' });
  h.at('2023-03-15T09:00'); // Wednesday
  s.at('2023-03-15T09:00');
});
afterAll(async () => {
  await s?.close();
  await h?.close();
});

type Who = 'admin' | 'stranger';
const speaker = (who: Who | undefined) => (who === 'stranger' ? s : h);

// ---------------------------------------------------------------------------------------------------------
// Good input: the rows run in order; each checks its own answer and exactly what it changed.

type Good = { say: string; who?: Who; expect: (string | RegExp)[]; effect: (d: Diff) => Promise<void> | void };
const unchanged = (d: Diff) => onlyChanged(d, []);

const good: Good[] = [
  {
    say: '/help',
    expect: ['Lệnh cho mọi người:', '/start (/batdau)', '/id (/ma, /myid)', 'Lệnh cho cán bộ đầu mối:', '/done <mã nhiệm vụ> [ghi chú] (/xong)', '/report [quy 1|q2|6t|thang 3|nam] [xlsx|bieudo] (/baocao)', '/nhacrieng bat|tat (/personal)', '/nhap ok|huy', 'Lệnh cho quản trị viên:', '/bind <đơn vị>'],
    effect: unchanged,
  },
  { say: '/huongdan', expect: ['Lệnh cho quản trị viên:', '/xinloi <mã hồ sơ>'], effect: unchanged },
  { say: '/task 1.1.6', expect: ['📋 Nhiệm vụ 1.1.6', 'Trong thời gian 10 ngày kể từ ngày tiếp nhận', 'Hoàn thành thì gõ: /done 1.1.6'], effect: unchanged },
  { say: '/nv I.1.1', expect: ['📋 Nhiệm vụ 1.1.1 — Kế hoạch KSTTHC huyện Châu Thành năm 2023', 'Thời hạn: 15/02/2023'], effect: unchanged },
  { say: '/list', expect: [`📋 34 nhiệm vụ của ${VP}, trang 1/2:`, '• 1.1.1 ', '➡️ Trang sau (2/2), gõ: /list trang 2'], effect: unchanged },
  { say: '/list trang 2', expect: [`📋 34 nhiệm vụ của ${VP}, trang 2/2:`, /^(?![\s\S]*(• 1\.1\.1 |Trang sau))/], effect: unchanged },
  { say: '/ds phong tu phap', expect: ['nhiệm vụ của Phòng Tư pháp, trang 1/2:', '➡️ Trang sau (2/2), gõ: /list Phòng Tư pháp trang 2'], effect: unchanged },
  // a short list is one page: no page in the header, no next-page line
  { say: '/overdue', expect: [`❗ 3 nhiệm vụ quá hạn của ${VP} (tính đến 15/03/2023):`, '• 1.1.1 ', '/done 1.1.3', /^(?![\s\S]*(trang|Trang sau))/], effect: unchanged },
  { say: '/overdue trang 1', expect: [`❗ 3 nhiệm vụ quá hạn của ${VP} (tính đến 15/03/2023):`, '• 1.1.1 '], effect: unchanged },
  { say: '/quahan Phòng Tư pháp', expect: ['👍 Không có nhiệm vụ quá hạn của Phòng Tư pháp (tính đến 15/03/2023).'], effect: unchanged },
  { say: '/upcoming 30 Phòng Tư pháp', expect: ['⏰ 2 nhiệm vụ của Phòng Tư pháp đến hạn trong 30 ngày tới (đến 14/04/2023):', '2.2.1', 'Hạn 31/03/2023'], effect: unchanged },
  { say: '/upcoming 30 ngày Phòng Tư pháp', expect: ['⏰ 2 nhiệm vụ của Phòng Tư pháp đến hạn trong 30 ngày tới (đến 14/04/2023):'], effect: unchanged },
  { say: '/upcoming 14/04/2023 Phòng Tư pháp', expect: ['⏰ 2 nhiệm vụ của Phòng Tư pháp đến hạn trong 30 ngày tới (đến 14/04/2023):', '2.2.1'], effect: unchanged },
  { say: '/saptoi 31/3 phong tu phap', expect: ['nhiệm vụ của Phòng Tư pháp đến hạn trong 16 ngày tới (đến 31/03/2023):', '2.2.1'], effect: unchanged },
  { say: '/saptoi đến ngày 31/3 phong tu phap', expect: ['nhiệm vụ của Phòng Tư pháp đến hạn trong 16 ngày tới (đến 31/03/2023):'], effect: unchanged },
  { say: '/upcoming trong 30 ngày Phòng Tư pháp', expect: ['⏰ 2 nhiệm vụ của Phòng Tư pháp đến hạn trong 30 ngày tới (đến 14/04/2023):'], effect: unchanged },
  { say: '/saptoi', expect: [`Không có nhiệm vụ nào của ${VP} đến hạn từ 15/03/2023 đến 29/03/2023.`], effect: unchanged },
  { say: '/report', expect: ['📊 Tình hình thực hiện — Kế hoạch KSTTHC huyện Châu Thành năm 2023', '❗ chưa xong, quá hạn 3'], effect: unchanged },
  { say: '/baocao quy 1', expect: ['📊 Báo cáo Quý I/2023', 'Kỳ báo cáo: 15/12/2022 - 14/03/2023'], effect: unchanged },
  {
    say: '/done 1.1.1 đã ban hành kế hoạch',
    expect: [`✅ Đã ghi nhận: 1.1.1 — ${VP} hoàn thành ngày 15/03/2023 (quá hạn, hạn 15/02/2023).`],
    async effect(d) {
      onlyChanged(d, ['occurrences', 'audit']);
      const [occ] = await leadOccurrences('1.1.1');
      expect(d.occurrences.changed.map((c) => c.to.id)).toEqual([occ!.id]);
      expect(occ).toMatchObject({ status: 'done', doneBy: 'console:officer', doneNote: 'đã ban hành kế hoạch' });
      expect(occ!.doneAt).toBeInstanceOf(Date);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'done', occurrenceId: occ!.id, actor: 'console:officer', chat: 'console:main', toStatus: 'done_late' })]);
    },
  },
  {
    say: '/xong 1.1.3',
    expect: ['✅ Đã ghi nhận: 1.1.3', '(quá hạn, hạn 14/02/2023)'],
    async effect(d) {
      onlyChanged(d, ['occurrences', 'audit']);
      const [occ] = await leadOccurrences('1.1.3');
      expect(d.occurrences.changed).toEqual([{ from: expect.objectContaining({ id: occ!.id, status: 'open', doneAt: null }), to: expect.objectContaining({ status: 'done' }) }]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'done', occurrenceId: occ!.id })]);
    },
  },
  {
    say: '/undo 1.1.3',
    expect: [`↩️ Đã hoàn tác: 1.1.3 — ${VP}, kỳ hạn 14/02/2023 trở lại trạng thái chưa hoàn thành.`],
    async effect(d) {
      onlyChanged(d, ['occurrences', 'audit']);
      const [occ] = await leadOccurrences('1.1.3');
      expect(occ).toMatchObject({ status: 'open', doneAt: null });
      expect(d.occurrences.changed.map((c) => c.to.id)).toEqual([occ!.id]);
      expect(d.audit.added).toEqual([expect.objectContaining({ occurrenceId: occ!.id, actor: 'console:officer', toStatus: 'open' })]);
    },
  },
  {
    say: '/hoantac 1.1.1',
    expect: ['↩️ Đã hoàn tác: 1.1.1'],
    async effect(d) {
      onlyChanged(d, ['occurrences', 'audit']);
      const [occ] = await leadOccurrences('1.1.1');
      expect(occ).toMatchObject({ status: 'open', doneAt: null });
      expect(d.audit.added).toHaveLength(1);
    },
  },
  {
    say: '/event 1.1.6 hôm qua',
    expect: [`📌 Đã ghi nhận sự kiện ngày 14/03/2023 cho nhiệm vụ 1.1.6 (${VP}). Hạn hoàn thành: 24/03/2023`, 'Xong thì gõ /done 1.1.6.'],
    async effect(d) {
      onlyChanged(d, ['events', 'occurrences', 'audit']);
      const task = await taskOf('1.1.6');
      expect(d.events.added).toEqual([expect.objectContaining({ taskId: task.id, date: '2023-03-14', reportedBy: 'console:officer', chat: 'console:main' })]);
      const occ = await leadOccurrences('1.1.6');
      expect(d.occurrences.added).toEqual([expect.objectContaining({ due: '2023-03-24', status: 'open', eventId: d.events.added[0].id })]);
      expect(occ.map((o) => o.id)).toEqual([d.occurrences.added[0].id]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'event', taskId: task.id })]);
    },
  },
  {
    say: '/sukien 1.1.6 10/03/2023',
    expect: ['📌 Đã ghi nhận sự kiện ngày 10/03/2023 cho nhiệm vụ 1.1.6', 'Hạn hoàn thành: 20/03/2023'],
    async effect(d) {
      onlyChanged(d, ['events', 'occurrences', 'audit']);
      expect(d.events.added).toEqual([expect.objectContaining({ date: '2023-03-10' })]);
      expect(d.occurrences.added).toEqual([expect.objectContaining({ due: '2023-03-20', eventId: d.events.added[0].id })]);
    },
  },
  {
    say: '/hoso H12-0001 20/03/2023 Cấp giấy khai sinh; Nguyễn Văn A',
    expect: [`✅ Đã đăng ký hồ sơ H12-0001 của ${VP}: hẹn trả 20/03/2023`, '/xinloi H12-0001'],
    async effect(d) {
      onlyChanged(d, ['dossiers', 'audit']);
      expect(d.dossiers.added).toEqual([
        expect.objectContaining({ code: 'H12-0001', due: '2023-03-20', procedure: 'Cấp giấy khai sinh', applicant: 'Nguyễn Văn A', unitId: await unitId(VP), status: 'processing' }),
      ]);
      expect(d.audit.added).toEqual([expect.objectContaining({ dossierId: d.dossiers.added[0].id })]);
    },
  },
  { say: '/hs H12-0001', expect: ['📂 Hồ sơ H12-0001', 'Người nộp: Nguyễn Văn A', 'Hẹn trả: 20/03/2023', 'Lịch sử:'], effect: unchanged },
  { say: '/hoso', expect: ['Cách dùng: /hoso', `Hồ sơ đang giải quyết của ${VP}:`, '• H12-0001 — hẹn trả 20/03/2023'], effect: unchanged },
  {
    say: '/xinloi H12-0001 25/03/2023 cần xác minh thêm',
    expect: [
      '✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ H12-0001: hẹn trả 20/03/2023 → hẹn lại 25/03/2023; lý do: cần xác minh thêm.',
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Kính gửi: Nguyễn Văn A',
    ],
    async effect(d) {
      onlyChanged(d, ['dossiers', 'audit']);
      expect(d.dossiers.changed).toEqual([
        { from: expect.objectContaining({ due: '2023-03-20', apologyAt: null }), to: expect.objectContaining({ code: 'H12-0001', due: '2023-03-25', originalDue: '2023-03-20', apologyReason: 'cần xác minh thêm' }) },
      ]);
      expect(d.dossiers.changed[0]!.to.apologyAt).toBeInstanceOf(Date);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'dossier_apology' })]);
    },
  },
  {
    say: '/hoso tra H12-0001',
    expect: ['✅ Đã ghi nhận: hồ sơ H12-0001 trả kết quả ngày 15/03/2023 (đúng hẹn).'],
    async effect(d) {
      onlyChanged(d, ['dossiers', 'audit']);
      expect(d.dossiers.changed).toEqual([{ from: expect.objectContaining({ status: 'processing' }), to: expect.objectContaining({ status: 'returned', returnedOn: '2023-03-15' }) }]);
      expect(d.audit.added).toHaveLength(1);
    },
  },
  {
    say: '/bind UBND xã Long Trì',
    expect: ['🔗 Đã gắn nhóm này với đơn vị UBND xã Long Trì.'],
    async effect(d) {
      onlyChanged(d, ['groups', 'audit']);
      expect(d.groups.changed).toEqual([{ from: expect.objectContaining({ chat: 'console:main' }), to: expect.objectContaining({ chat: 'console:main', unitId: await unitId('UBND xã Long Trì') }) }]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'bind', actor: 'console:officer', chat: 'console:main', messageId: expect.any(String) })]);
      expect(JSON.parse(d.audit.added[0].detail)).toEqual({ chat: 'console:main', unitId: await unitId('UBND xã Long Trì'), unit: 'UBND xã Long Trì', fromUnitId: await unitId(VP) });
    },
  },
  {
    say: '/gannhom van phong hdnd va ubnd huyen',
    expect: [`🔗 Đã gắn nhóm này với đơn vị ${VP}.`],
    async effect(d) {
      onlyChanged(d, ['groups', 'audit']);
      expect(d.groups.changed.map((c) => c.to)).toEqual([expect.objectContaining({ chat: 'console:main', unitId: await unitId(VP) })]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'bind', actor: 'console:officer' })]);
    },
  },
  {
    say: '/officer add 42 Phòng Tư pháp',
    expect: ['👤 Đã thêm console:42 làm cán bộ đầu mối của Phòng Tư pháp.'],
    async effect(d) {
      onlyChanged(d, ['officers', 'audit']);
      expect(d.officers.added).toEqual([expect.objectContaining({ user: 'console:42', unitId: await unitId('Phòng Tư pháp') })]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'officer_add', actor: 'console:officer', chat: 'console:main' })]);
      expect(JSON.parse(d.audit.added[0].detail)).toEqual({ user: 'console:42', unitId: await unitId('Phòng Tư pháp'), unit: 'Phòng Tư pháp' });
    },
  },
  {
    say: '/canbo remove console:42 phong tu phap',
    expect: ['Đã bỏ console:42 khỏi danh sách cán bộ đầu mối của Phòng Tư pháp.'],
    effect(d) {
      onlyChanged(d, ['officers', 'audit']);
      expect(d.officers.removed).toEqual([expect.objectContaining({ user: 'console:42' })]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'officer_remove', actor: 'console:officer' })]);
    },
  },
  {
    say: '/setdeadline 1.1.2 Trước ngày 15/9/2023',
    expect: ['🗓️ Đã đặt thời hạn nhiệm vụ 1.1.2: Hạn chót 14/09/2023 (trước ngày 15/09/2023).'],
    async effect(d) {
      onlyChanged(d, ['tasks', 'occurrences', 'audit']);
      expect(d.tasks.changed.map((c) => c.to)).toEqual([expect.objectContaining({ code: '1.1.2', deadlineText: 'Trước ngày 15/9/2023', ruleSetBy: 'console:officer' })]);
      expect((await leadOccurrences('1.1.2')).map((o) => o.due)).toEqual(['2023-09-14']);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'setdeadline', taskId: (await taskOf('1.1.2')).id })]);
    },
  },
  {
    say: '/pause',
    expect: ['⏸️ Đã tạm dừng nhắc việc trong nhóm này.'],
    effect(d) {
      onlyChanged(d, ['groups', 'audit']);
      expect(d.groups.changed.map((c) => c.to)).toEqual([expect.objectContaining({ chat: 'console:main', paused: true })]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'pause', actor: 'console:officer', chat: 'console:main', fromStatus: 'running', toStatus: 'paused' })]);
    },
  },
  {
    say: '/resume',
    expect: ['▶️ Đã bật lại nhắc việc trong nhóm này.'],
    effect(d) {
      onlyChanged(d, ['groups', 'audit']);
      expect(d.groups.changed.map((c) => c.to)).toEqual([expect.objectContaining({ chat: 'console:main', paused: false })]);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'resume', fromStatus: 'paused', toStatus: 'running' })]);
    },
  },
  // a non-officer may read
  { who: 'stranger', say: '/task 1.1.1', expect: ['📋 Nhiệm vụ 1.1.1'], effect: unchanged },
  { who: 'stranger', say: '/overdue', expect: [`nhiệm vụ quá hạn của ${VP}`], effect: unchanged },
];

describe('good input', () => {
  it.each(good.map((g, i) => ({ ...g, i })))('$say ($who)', async (g) => {
    const before = await snapshot();
    const reply = await speaker(g.who).say(g.say);
    expect(reply).not.toBeNull();
    expect(reply).not.toContain(CRASH);
    for (const e of g.expect) typeof e === 'string' ? expect(reply).toContain(e) : expect(reply).toMatch(e);
    await g.effect(diff(before, await snapshot()));
  });

  it('/xinloi answers with the letter as a Word attachment too', async () => {
    await h.say('/hoso H12-0009 20/03/2023 Chứng thực bản sao; Trần Thị B');
    const before = await snapshot();
    const reply = await h.app.handle({ chat: 'console:main', chatTitle: 'Nhóm thử nghiệm', user: 'console:officer', userName: 'Cán bộ', messageId: 'x-letter', text: '/xinloi H12-0009 27/03/2023 chờ ý kiến cơ quan phối hợp' });
    expect(reply?.text).toContain('Kính gửi: Trần Thị B');
    expect(reply?.attachment?.fileName).toMatch(/\.docx$/);
    expect(Buffer.from(reply!.attachment!.data).subarray(0, 2).toString()).toBe('PK');
    const d = diff(before, await snapshot());
    onlyChanged(d, ['dossiers', 'audit']);
    expect(d.dossiers.changed.map((c) => c.to)).toEqual([expect.objectContaining({ code: 'H12-0009', due: '2023-03-27', originalDue: '2023-03-20' })]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Free text people type into stored fields is kept to 1,000 characters (whole ones), and the reply says so.

describe('long free text is cut at 1,000 characters, and the reply says so', () => {
  const LONG = `${'x'.repeat(999)}${'😀'.repeat(10)}`; // 1,009 characters: the cut falls after the first emoji
  const KEPT = `${'x'.repeat(999)}😀`;
  const NOTICE = (what: string) => `✂️ ${what} dài hơn 1.000 ký tự nên chỉ lưu 1.000 ký tự đầu.`;

  it('/done <mã> <a 1,009-character note>', async () => {
    const reply = await h.say(`/done 1.1.3 ${LONG}`);
    expect(reply).toContain('✅ Đã ghi nhận: 1.1.3');
    expect(reply).toContain(NOTICE('Ghi chú'));
    const [occ] = await leadOccurrences('1.1.3');
    expect(occ!.doneNote).toBe(KEPT);
    expect((await prisma().auditLog.findFirstOrThrow({ where: { action: 'done', occurrenceId: occ!.id }, orderBy: { id: 'desc' } })).detail).toBe(KEPT);
    expect(await h.say('/undo 1.1.3')).toContain('↩️ Đã hoàn tác: 1.1.3');
    // exactly 1,000: kept whole, nothing said
    const whole = 'y'.repeat(1_000);
    const exact = await h.say(`/done 1.1.3 ${whole}`);
    expect(exact).not.toContain('✂️');
    expect((await leadOccurrences('1.1.3'))[0]!.doneNote).toBe(whole);
    expect(await h.say('/undo 1.1.3')).toContain('↩️ Đã hoàn tác: 1.1.3');
  });

  it('an answer to a monthly check-in', async () => {
    const assignment = await prisma().assignment.findFirstOrThrow({ where: { role: 'lead', unit: { name: VP }, task: { code: '1.1.1', plan: { year: 2023 } } } });
    const outbox = await prisma().outbox.create({ data: { chat: 'console:main', kind: 'checkin', text: 'HỎI THĂM TIẾN ĐỘ', roundAt: new Date(), status: 'sent' } });
    await prisma().notice.create({ data: { key: `checkin:${assignment.id}:2023-03:test`, kind: 'checkin', outboxId: outbox.id } });
    await prisma().delivered.create({ data: { outboxId: outbox.id, chat: 'console:main', messageId: '900001' } });
    const reply = await h.say(`#900001 ${LONG}`);
    expect(reply).toContain(`📝 Đã ghi nhận kết quả của ${VP} cho nhiệm vụ 1.1.1`);
    expect(reply).toContain(NOTICE('Câu trả lời'));
    expect((await prisma().auditLog.findFirstOrThrow({ where: { action: 'checkin' }, orderBy: { id: 'desc' } })).detail).toBe(KEPT);
    await prisma().outbox.delete({ where: { id: outbox.id } });
  });

  it('/hoso procedure and applicant, /xinloi reason', async () => {
    const reply = await h.say(`/hoso H12-0800 20/03/2023 ${LONG}; ${LONG}`);
    expect(reply).toContain('✅ Đã đăng ký hồ sơ H12-0800');
    expect(reply).toContain(NOTICE('Tên thủ tục, Tên người nộp'));
    expect(await prisma().dossier.findUniqueOrThrow({ where: { code: 'H12-0800' } })).toMatchObject({ procedure: KEPT, applicant: KEPT });
    const apology = await h.say(`/xinloi H12-0800 25/03/2023 ${LONG}`);
    expect(apology).toContain('✅ Đã ghi nhận văn bản xin lỗi cho hồ sơ H12-0800');
    expect(apology).toContain(NOTICE('Lý do'));
    expect((await prisma().dossier.findUniqueOrThrow({ where: { code: 'H12-0800' } })).apologyReason).toBe(KEPT);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Private chats and strangers: a stranger gets a short explanation and their id, nothing about the plan,
// and leaves no row behind; an officer gets their own units' items; an administrator sees every unit.

let dmNo = 0;
/** someone writes to the bot in a one-to-one chat (on Telegram the chat id is the user's id) */
async function dm(user: string, say: string, opts: { chat?: string; direct?: boolean } = {}) {
  return h.app.handle({ chat: opts.chat ?? user, user, userName: 'Người thử', messageId: `dm-${++dmNo}`, text: say, direct: opts.direct ?? true });
}

const leaks = (reply: string, user: string) => leaksOf(prisma(), reply, user);

const STRANGER = 'telegram:777';
const STRANGER_TRIES = [
  '/overdue', '/quahan Phòng Tư pháp', '/overdue tất cả', '/upcoming', '/saptoi 30', '/upcoming 30 Phòng Tư pháp', '/list', '/ds phong tu phap',
  '/task 1.1.1', '/nv 2023:1.1.1', '/task 9.9.9', '/report', '/baocao xlsx', '/baocao bieudo', '/baocao quy 1 xlsx', '/done 1.1.1', '/xong 1.1.3 xong rồi',
  '/undo 1.1.1', '/event 1.1.6 hôm qua', '/hoso', '/hoso H12-0001', '/hs tra H12-0001', '/hoso H12-0500 20/03/2023 Cấp phép', '/xinloi H12-0001 30/03/2023 chờ',
  '/start', 'xin chào', 'xong', '1.1.1', 'Phòng Tư pháp',
];

describe('private chats and strangers', () => {
  it.each(STRANGER_TRIES)('a stranger in a private chat: %s → the explanation and their id, nothing of the plan, no row', async (say) => {
    const before = await snapshot();
    const reply = await dm(STRANGER, say);
    expect(reply?.attachment).toBeUndefined();
    expect(reply?.text).toContain(`Mã người dùng của anh/chị: ${STRANGER}`);
    expect(reply?.text).toContain(`quản trị viên gõ: /officer add ${STRANGER} <tên đơn vị>`);
    expect(reply?.text).toMatch(VIETNAMESE);
    expect(await leaks(reply!.text, STRANGER)).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('a stranger gets the administrators\' refusal for their commands, the list of commands and their id, still nothing of the plan', async () => {
    const before = await snapshot();
    for (const say of ['/bind Phòng Tư pháp', '/officer add 777 Phòng Tư pháp', '/pause', '/setdeadline 1.1.2 Quý I/2023']) {
      const reply = await dm(STRANGER, say);
      expect(reply?.text).toMatch(/^Lệnh \/\w+ chỉ dành cho quản trị viên\./);
      expect(await leaks(reply!.text, STRANGER)).toEqual([]);
    }
    expect((await dm(STRANGER, '/id'))?.text).toContain(`Mã người dùng của Người thử: ${STRANGER}`);
    const help = (await dm(STRANGER, '/help'))!.text;
    expect(help).toContain('Lệnh cho cán bộ đầu mối:');
    expect((await leaks(help, STRANGER)).filter((l) => !l.startsWith('digits'))).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('a transport that does not say is read by its ids: a Zalo user thread (chat id = user id) is a private chat', async () => {
    const before = await snapshot();
    const zalo = 'zalo:7300000000777';
    for (const say of ['/overdue', 'xin chào']) {
      const reply = await h.app.handle({ chat: zalo, user: zalo, userName: 'Người lạ', messageId: `z-${say}`, text: say });
      expect(reply?.text).toContain(`Mã người dùng của anh/chị: ${zalo}`);
      expect(await leaks(reply!.text, zalo)).toEqual([]);
    }
    // a Zalo group's thread is not the user: plain talk there is not for the bot
    expect(await h.app.handle({ chat: 'zalo:5512000000001', user: zalo, userName: 'Người lạ', messageId: 'z-g', text: 'xin chào' })).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('a stranger in a group bound to no unit gets the same explanation, and the group is not recorded', async () => {
    const before = await snapshot();
    for (const say of ['/overdue', '/task 1.1.1', '/list', '/baocao xlsx']) {
      const reply = await dm('telegram:778', say, { chat: 'telegram:-100999', direct: false });
      expect(reply?.text).toContain('Mã người dùng của anh/chị: telegram:778');
      expect(reply?.attachment).toBeUndefined();
      expect(await leaks(reply!.text, 'telegram:778')).toEqual([]);
    }
    // talk in a group that is not addressed to the bot gets no answer
    expect(await dm('telegram:778', 'chào cả nhà', { chat: 'telegram:-100999', direct: false })).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('a group member who is not an officer still reads in the bound group, but gets no report file', async () => {
    expect(await s.say('/overdue')).toContain(`nhiệm vụ quá hạn của ${VP}`);
    const report = await s.app.handle({ chat: 'console:main', user: 'console:stranger', userName: 'Người thử', messageId: 'm-report', text: '/baocao xlsx', direct: false });
    expect(report?.attachment).toBeUndefined();
    expect(report?.text).toContain('Lệnh /report chỉ dành cho cán bộ đầu mối đã được đăng ký và quản trị viên.');
    expect(report?.text).toContain('Mã người dùng của anh/chị: console:stranger');
  });

  describe('an officer in a private chat', () => {
    const TUPHAP = 'Phòng Tư pháp';
    beforeAll(async () => {
      await prisma().officer.create({ data: { user: 'telegram:555', unitId: await unitId(TUPHAP) } });
      await prisma().officer.create({ data: { user: 'telegram:556', unitId: await unitId(VP) } });
      await prisma().officer.create({ data: { user: 'telegram:556', unitId: await unitId(TUPHAP) } });
      await prisma().admin.create({ data: { user: 'telegram:9000' } });
    });

    it('gets their own unit\'s items by default, any unit by name, every unit with "tất cả"', async () => {
      const before = await snapshot();
      expect((await dm('telegram:555', '/overdue'))?.text).toBe(`👍 Không có nhiệm vụ quá hạn của ${TUPHAP} (tính đến 15/03/2023).`);
      expect((await dm('telegram:555', '/upcoming 30'))?.text).toContain(`⏰ 2 nhiệm vụ của ${TUPHAP} đến hạn trong 30 ngày tới (đến 14/04/2023):`);
      expect((await dm('telegram:555', '/list'))?.text).toMatch(new RegExp(`^📋 \\d+ nhiệm vụ của ${TUPHAP}, trang 1/\\d+:`));
      expect((await dm('telegram:555', '/task 1.1.1'))?.text).toContain('📋 Nhiệm vụ 1.1.1');
      expect((await dm('telegram:555', `/overdue ${VP}`))?.text).toContain(`❗ 2 nhiệm vụ quá hạn của ${VP}`);
      const all = (await dm('telegram:555', '/quahan tat ca'))!.text;
      expect(all).toContain('❗ 2 nhiệm vụ quá hạn của tất cả đơn vị');
      expect(all).toContain(`📌 ${VP}`);
      expect((await dm('telegram:555', '/baocao'))?.text).toContain('📊 Tình hình thực hiện');
      expect(await snapshot()).toEqual(before);
    });

    it('of two units: both, grouped by unit', async () => {
      const reply = (await dm('telegram:556', '/overdue'))!.text;
      expect(reply).toMatch(/^❗ 2 nhiệm vụ quá hạn của (Văn phòng HĐND và UBND huyện; Phòng Tư pháp|Phòng Tư pháp; Văn phòng HĐND và UBND huyện) \(tính đến 15\/03\/2023\):/);
      expect(reply).toContain(`📌 ${VP}`);
      expect((await dm('telegram:556', '/list'))?.text).toContain(`nhiệm vụ của `);
    });

    it('/done and /undo act on their own unit\'s share, audited with the private chat', async () => {
      const before = await snapshot();
      expect((await dm('telegram:556', '/done 1.1.1 xong từ tin nhắn riêng'))?.text).toContain(`✅ Đã ghi nhận: 1.1.1 — ${VP} hoàn thành ngày 15/03/2023`);
      const d = diff(before, await snapshot());
      onlyChanged(d, ['occurrences', 'audit']);
      expect(d.audit.added).toEqual([expect.objectContaining({ action: 'done', actor: 'telegram:556', chat: 'telegram:556' })]);
      expect((await dm('telegram:556', '/undo 1.1.1'))?.text).toContain(`↩️ Đã hoàn tác: 1.1.1 — ${VP}`);
      // an officer of another unit is refused
      const mid = await snapshot();
      expect((await dm('telegram:555', '/done 1.1.1'))?.text).toContain('Xin lỗi, chỉ cán bộ đầu mối của đơn vị chủ trì');
      expect(await snapshot()).toEqual(mid);
    });

    it('/start or anything typed: who they are to the bot and their id; no row for the private chat', async () => {
      const before = await snapshot();
      for (const say of ['/start', 'chào bot']) {
        const reply = (await dm('telegram:555', say))!.text;
        expect(reply).toContain(`Anh/chị là cán bộ đầu mối của: ${TUPHAP}.`);
        expect(reply).toContain('Mã người dùng: telegram:555');
        expect(reply).toContain('Gõ /help để xem các lệnh.');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('an administrator of no unit sees every unit; group commands say they belong in groups', async () => {
      const before = await snapshot();
      expect((await dm('telegram:9000', '/overdue'))?.text).toContain('❗ 2 nhiệm vụ quá hạn của tất cả đơn vị');
      expect((await dm('telegram:9000', '/start'))?.text).toContain('Anh/chị là quản trị viên');
      expect((await dm('telegram:9000', `/bind ${TUPHAP}`))?.text).toContain('Lệnh /bind dùng trong nhóm chat của đơn vị');
      expect((await dm('telegram:9000', '/pause'))?.text).toContain('Lệnh /pause dùng trong nhóm chat của đơn vị');
      expect(await snapshot()).toEqual(before);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bad input: a Vietnamese answer naming the problem and what to do; the database untouched.

type Bad = { say: string; who?: Who; expect: string | RegExp; hint: RegExp };
const HOW = /Cách dùng/;
const ADMIN_ONLY = /chỉ dành cho quản trị viên\. Liên hệ bộ phận CNTT/;

const bad: Bad[] = [
  { say: '/foo 1.1.1', expect: 'Không có lệnh /foo.', hint: /Gõ \/help để xem các lệnh/ },
  { say: '/Xoa 1.1.1', expect: 'Không có lệnh /Xoa.', hint: /Gõ \/help/ },
  // /done /xong
  { say: '/done', expect: 'Thiếu mã nhiệm vụ.', hint: /Cách dùng: \/done <mã nhiệm vụ>/ },
  { say: '/xong 9.9.9', expect: 'Không có nhiệm vụ mã 9.9.9 trong kế hoạch đang theo dõi.', hint: /Gõ \/list/ },
  { say: '/done abc', expect: '"abc" không phải là mã nhiệm vụ', hint: /ví dụ đúng: 3\.2 hoặc III\.2\)\. Cách dùng/ },
  { say: '/done 99999999999999999999', expect: 'không phải là mã nhiệm vụ', hint: HOW },
  { say: '/done 5.1.1', expect: 'Nhiệm vụ 5.1.1 có nhiều đơn vị chủ trì', hint: /Hãy gõ lệnh trong nhóm chat của đơn vị cần đánh dấu/ },
  { who: 'stranger', say: '/done 1.1.1', expect: 'Xin lỗi, chỉ cán bộ đầu mối của đơn vị chủ trì', hint: /đề nghị quản trị viên thêm bằng lệnh \/officer add/ },
  // /undo /hoantac
  { say: '/undo', expect: 'Thiếu mã nhiệm vụ.', hint: /Cách dùng: \/undo/ },
  { say: '/hoantac III.9.9', expect: 'Không có nhiệm vụ mã 3.9.9', hint: /Gõ \/list/ },
  { who: 'stranger', say: '/undo 1.1.1', expect: 'chỉ cán bộ đầu mối của đơn vị chủ trì hoặc quản trị viên mới được hoàn tác', hint: /hãy gõ lệnh trong nhóm của đơn vị/ },
  // /overdue /quahan, /upcoming /saptoi, /list /ds
  { say: '/overdue Phòng Không Tồn Tại', expect: 'Không tìm thấy đơn vị "Phòng Không Tồn Tại".', hint: /Gõ tên đơn vị, tên viết tắt/ },
  { say: '/quahan xã', expect: '"xã" khớp nhiều đơn vị', hint: /xin gõ rõ hơn/ },
  { say: '/upcoming 0', expect: '"0" không phải số ngày hợp lệ: số ngày phải là số nguyên từ 1 đến 366', hint: /ví dụ \/upcoming 30/ },
  { say: '/saptoi 999', expect: '"999" không phải số ngày hợp lệ', hint: /ví dụ/ },
  { say: '/upcoming 1000', expect: '"1000" không phải số ngày hợp lệ', hint: /ví dụ \/upcoming 30/ },
  { say: '/upcoming -5', expect: '"-5" không phải số ngày hợp lệ', hint: /số nguyên từ 1 đến 366/ },
  { say: '/upcoming 1.5 Phòng Tư pháp', expect: '"1.5" không phải số ngày hợp lệ', hint: /số nguyên/ },
  { say: '/upcoming 31/02/2023', expect: 'Ngày "31/02/2023" không tồn tại trong lịch', hint: /\/upcoming 30\/06\/2023/ },
  { say: '/upcoming 01/01/2023', expect: 'Ngày 01/01/2023 đã qua', hint: /\/overdue/ },
  { say: '/upcoming 01/01/2030', expect: 'Ngày 01/01/2030 xa quá 366 ngày', hint: /Cách dùng: \/upcoming/ },
  { say: '/upcoming 30 xyz', expect: 'Không tìm thấy đơn vị "xyz"', hint: /Gõ tên đơn vị/ },
  { say: '/ds phòng ma', expect: 'Không tìm thấy đơn vị "phòng ma"', hint: /Gõ tên đơn vị/ },
  // pages
  { say: '/overdue trang 2', expect: /Không có trang 2: danh sách \d nhiệm vụ này chỉ có 1 trang/, hint: /gõ \/overdue để xem\.$/ },
  { say: '/overdue Phòng Tư pháp trang 0', expect: '"trang 0" không phải số trang hợp lệ', hint: /ví dụ \/overdue Phòng Tư pháp trang 2\.$/ },
  { say: '/quahan trang -1', expect: '"trang -1" không phải số trang hợp lệ: số trang là số nguyên từ 1 trở lên', hint: /ví dụ \/overdue trang 2/ },
  { say: '/upcoming 30 trang 1.5', expect: '"trang 1.5" không phải số trang hợp lệ', hint: /ví dụ \/upcoming 30 trang 2/ },
  { say: '/list trang số 99999999999999', expect: 'Không có trang 999999999…: danh sách 34 nhiệm vụ này chỉ có 2 trang', hint: /gõ \/list trang 2 để xem trang cuối\.$/ },
  { say: '/ds tat ca trang 3', expect: 'Không có trang 3: danh sách', hint: /gõ \/list tất cả trang \d+ để xem trang cuối/ },
  // /task /nv
  { say: '/task', expect: 'Thiếu mã nhiệm vụ.', hint: /Cách dùng: \/task/ },
  { say: '/nv 9.9.9', expect: 'Không có nhiệm vụ mã 9.9.9', hint: /Gõ \/list/ },
  { say: '/task %_%', expect: 'không phải là mã nhiệm vụ', hint: HOW },
  // /report /baocao
  { say: '/baocao quý 9', expect: 'Không hiểu "quý 9"', hint: /Cách dùng lệnh báo cáo/ },
  // /event /sukien
  { say: '/event', expect: 'Thiếu ngày phát sinh sự kiện.', hint: /Cách dùng: \/event <mã nhiệm vụ> <ngày phát sinh>, ví dụ/ },
  { say: '/event 1.1.6', expect: 'Thiếu ngày phát sinh sự kiện.', hint: HOW },
  { say: '/sukien 9.9.9 hôm qua', expect: 'Không có nhiệm vụ mã 9.9.9', hint: /Gõ \/list/ },
  { say: '/event 1.1.6 31/02/2023', expect: 'Ngày "31/02/2023" không tồn tại trong lịch', hint: /xin kiểm tra lại ngày và tháng/ },
  { say: '/event 1.1.6 ngày mai', expect: '"ngày mai" không phải ngày hợp lệ', hint: /gõ dạng ngày\/tháng\/năm, ví dụ/ },
  { say: '/event 1.1.6 20/12/2023', expect: 'Ngày 20/12/2023 chưa tới', hint: /chỉ báo sự kiện đã xảy ra/ },
  { say: '/event 1.1.1 hôm qua', expect: 'Nhiệm vụ 1.1.1 không tính hạn theo sự kiện', hint: /không cần \/event/ },
  { say: '/event 2.1.7 hôm qua', expect: 'Nhiệm vụ 2.1.7 tính hạn theo ngày hẹn trả của từng hồ sơ', hint: /\/hoso <mã hồ sơ> <ngày hẹn trả>/ },
  // /hoso (/hs)
  { say: '/hoso !!! 20/03/2023', expect: '"!!!" không phải mã hồ sơ hợp lệ', hint: /Cách dùng: \/hoso <mã hồ sơ> <ngày hẹn trả>/ },
  { say: '/hoso H12-0100 31/02/2023', expect: 'Ngày "31/02/2023" không tồn tại trong lịch', hint: /Cách dùng: \/hoso/ },
  { say: '/hoso H12-0100 sớm', expect: '"sớm" không phải ngày hợp lệ', hint: /Cách dùng: \/hoso/ },
  { say: '/hoso KHONG-CO', expect: 'Không có hồ sơ mã "KHONG-CO"', hint: /Đăng ký bằng: \/hoso/ },
  { say: '/hoso tra H12-0002 32/13/2023', expect: 'Ngày "32/13/2023" không tồn tại trong lịch', hint: /Cách dùng: \/hoso tra <mã> \[ngày trả\]/ },
  { say: '/hoso tra H12-0002 20/12/2023', expect: 'Ngày trả kết quả 20/12/2023 chưa tới', hint: /chỉ ghi nhận khi đã trả/ },
  { say: '/hoso tra H12-0001', expect: 'Hồ sơ H12-0001 đã được ghi nhận trả kết quả ngày 15/03/2023 rồi', hint: /rồi/ },
  { say: '/hoso H12-0001 30/03/2023', expect: 'Hồ sơ H12-0001 đã trả kết quả ngày 15/03/2023; không cập nhật nữa', hint: /không cập nhật nữa/ },
  { say: '/hoso H12-0003 30/03/2023', expect: 'Hồ sơ H12-0003 đã xin lỗi và hẹn lại ngày 25/03/2023', hint: /Khi đã trả kết quả, gõ \/hoso tra H12-0003/ },
  { who: 'stranger', say: '/hoso H12-0100 20/03/2023 Cấp phép', expect: `Xin lỗi, chỉ cán bộ đầu mối của ${VP} hoặc quản trị viên mới được xem và cập nhật hồ sơ H12-0100`, hint: /\/officer add/ },
  { who: 'stranger', say: '/hoso H12-0002', expect: 'mới được xem và cập nhật hồ sơ H12-0002', hint: /\/officer add/ },
  { who: 'stranger', say: '/hoso tra H12-0002', expect: 'mới được xem và cập nhật hồ sơ H12-0002', hint: /\/officer add/ },
  { who: 'stranger', say: '/hoso H12-0002 30/03/2023', expect: 'mới được xem và cập nhật hồ sơ H12-0002', hint: /\/officer add/ },
  // /xinloi
  { say: '/xinloi', expect: 'Cách dùng: /xinloi <mã hồ sơ> <ngày hẹn mới> <lý do>', hint: /Ví dụ: \/xinloi/ },
  { say: '/xinloi KHONG-CO 30/03/2023 chờ', expect: 'Không có hồ sơ mã "KHONG-CO"', hint: /Đăng ký hồ sơ trước bằng \/hoso/ },
  { say: '/xinloi H12-0002', expect: 'Thiếu ngày hẹn mới và lý do.', hint: /Cách dùng: \/xinloi/ },
  { say: '/xinloi H12-0002 31/02/2023 chờ ý kiến', expect: 'Ngày "31/02/2023" không tồn tại trong lịch', hint: /Cách dùng: \/xinloi/ },
  { say: '/xinloi H12-0002 30/03/2023', expect: '❌ Thiếu lý do chậm trả kết quả', hint: /Cách dùng: \/xinloi H12-0002 <ngày hẹn mới> <lý do>/ },
  { say: '/xl H12-0002 18/03/2023 chờ ý kiến', expect: '❌ Ngày hẹn mới (18/03/2023) phải sau ngày hẹn trả ban đầu 20/03/2023', hint: /phải sau/ },
  { say: '/henlai H12-0003 30/03/2023 lần hai', expect: 'Theo quy định, ngày trả kết quả chỉ được hẹn lại một lần: không ghi nhận lần thứ hai', hint: /Đề nghị trả kết quả đúng ngày 25\/03\/2023; khi đã trả, gõ \/hoso tra H12-0003/ },
  { say: '/xinloi H12-0001 30/03/2023 chờ', expect: '❌ Hồ sơ H12-0001 đã trả kết quả ngày 15/03/2023: không cần gửi văn bản xin lỗi', hint: /không cần/ },
  { who: 'stranger', say: '/xinloi H12-0002 30/03/2023 chờ ý kiến', expect: 'Xin lỗi, chỉ cán bộ đầu mối của', hint: /\/officer add/ },
  // admin only: /bind /officer /setdeadline /pause /resume
  { say: '/bind', expect: 'Thiếu tên đơn vị.', hint: /Cách dùng: \/bind <đơn vị>, ví dụ/ },
  { say: '/bind Sở Không Có', expect: 'Không tìm thấy đơn vị "Sở Không Có"', hint: /Gõ tên đơn vị/ },
  { say: '/gannhom xã', expect: '"xã" khớp nhiều đơn vị', hint: /xin gõ rõ hơn/ },
  { who: 'stranger', say: '/bind UBND xã Long Trì', expect: 'Lệnh /bind chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { say: '/officer', expect: 'Cách dùng: /officer add|remove <mã người dùng> <đơn vị>', hint: /Ví dụ: \/officer add 123456789 Phòng Tư pháp/ },
  { say: '/officer add 42', expect: 'Cách dùng: /officer', hint: /Ví dụ/ },
  { say: '/officer promote 42 Phòng Tư pháp', expect: 'Cách dùng: /officer', hint: /Ví dụ/ },
  { say: '/officer add @@@ Phòng Tư pháp', expect: '"@@@" không phải mã người dùng hợp lệ', hint: /gõ số id \(ví dụ 123456789\)/ },
  { say: '/officer add 42 Phòng Ma', expect: 'Không tìm thấy đơn vị "Phòng Ma"', hint: /Gõ tên đơn vị/ },
  { say: '/canbo remove 42 Phòng Tư pháp', expect: 'console:42 không phải cán bộ đầu mối của Phòng Tư pháp.', hint: /không phải cán bộ đầu mối/ },
  { say: `/officer add console:officer ${VP}`, expect: `console:officer đã là cán bộ đầu mối của ${VP} từ trước.`, hint: /từ trước/ },
  { who: 'stranger', say: '/officer add console:stranger Phòng Tư pháp', expect: 'Lệnh /officer chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { who: 'stranger', say: '/canbo add console:stranger Phòng Tư pháp', expect: 'Lệnh /officer chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { say: '/setdeadline', expect: 'Cách dùng: /setdeadline <mã nhiệm vụ> <thời hạn>', hint: /ví dụ \/setdeadline 1\.3\.2/ },
  { say: '/setdeadline 1.1.2', expect: 'Cách dùng: /setdeadline', hint: /ví dụ/ },
  { say: '/setdeadline 9.9.9 Quý I/2023', expect: 'Không có nhiệm vụ mã 9.9.9', hint: /Gõ \/list/ },
  { say: '/datthoihan 1.1.2 lúc nào đó', expect: 'Chưa hiểu thời hạn "lúc nào đó"', hint: /Thử cách viết khác, ví dụ/ },
  { who: 'stranger', say: '/setdeadline 1.1.2 Quý I/2023', expect: 'Lệnh /setdeadline chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { say: `/setdeadline 1.1.2 ${'Quý I/2023 '.repeat(100)}`, expect: 'Thời hạn dài hơn 1.000 ký tự', hint: /gõ ngắn gọn, ví dụ \/setdeadline 1\.3\.2/ },
  { who: 'stranger', say: '/pause', expect: 'Lệnh /pause chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { who: 'stranger', say: '/tamdung', expect: 'Lệnh /pause chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
  { who: 'stranger', say: '/resume', expect: 'Lệnh /resume chỉ dành cho quản trị viên.', hint: ADMIN_ONLY },
];

async function expectRefusedWithoutChange(who: Who | undefined, say: string, expected: string | RegExp, hint: RegExp) {
  const before = await snapshot();
  const reply = await speaker(who).say(say);
  expect(reply).not.toBeNull();
  expect(reply).not.toContain(CRASH);
  expect(reply).toMatch(VIETNAMESE);
  typeof expected === 'string' ? expect(reply).toContain(expected) : expect(reply).toMatch(expected);
  expect(reply).toMatch(hint);
  expect(await snapshot()).toEqual(before);
}

describe('bad input: a Vietnamese answer that says what to do, and nothing changed', () => {
  beforeAll(async () => {
    // H12-0002: open, due 20/03; H12-0003: already apologised once (due 25/03)
    expect(await h.say('/hoso H12-0002 20/03/2023 Đăng ký kết hôn; Lê Văn C')).toContain('✅ Đã đăng ký hồ sơ H12-0002');
    expect(await h.say('/hoso H12-0003 20/03/2023 Cấp phép xây dựng; Phạm Thị D')).toContain('✅ Đã đăng ký hồ sơ H12-0003');
    expect(await h.say('/xinloi H12-0003 25/03/2023 cần thẩm định thực địa')).toContain('✅ Đã ghi nhận văn bản xin lỗi');
  });

  it.each(bad)('$say ($who)', async (b) => {
    await expectRefusedWithoutChange(b.who, b.say, b.expect, b.hint);
  });

  it('/hoso tra <unknown code> says how to register the dossier (hoso.ts:105 gives no hint)', async () => {
    await expectRefusedWithoutChange('admin', '/hoso tra KHONG-CO', 'Không có hồ sơ mã "KHONG-CO"', /\/hoso <mã hồ sơ> <ngày hẹn trả>/);
  });
  // Regression (found by this suite, fixed): src/store/task-changes.ts:9 and :17 (reportEvent) create the Event row and the 'event' AuditLog row
  // before knowing whether any occurrence is new; commands/event.ts:41 then answers "đã được ghi nhận trước
  // đó" while a duplicate Event (same task, same date) and an audit row claiming an event were written.
  // Expected: a repeated report writes nothing.
  it('/event 1.1.6 hôm qua reported again: "đã được ghi nhận trước đó" and nothing written (task-changes.ts:9 writes a duplicate Event)', async () => {
    await expectRefusedWithoutChange('admin', '/event 1.1.6 hôm qua', 'Sự kiện ngày 14/03/2023 của nhiệm vụ 1.1.6 đã được ghi nhận trước đó (hạn 24/03/2023)', /trước đó/);
  });

  it('/hoso tra <unknown code> changes nothing and answers in Vietnamese', async () => {
    await expectRefusedWithoutChange('admin', '/hoso tra KHONG-CO', 'Không có hồ sơ mã "KHONG-CO".', /KHONG-CO/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Replying "xong" to a reminder.

describe('reply "xong" to a reminder', () => {
  let messageId = '';
  let tasks: string[] = [];
  beforeAll(async () => {
    h.at('2023-03-16T08:00');
    s.at('2023-03-16T08:00');
    const messages = await h.round();
    const overdue = messages.find((m) => m.chat === 'console:main' && m.tasks.includes('1.1.1'));
    expect(overdue).toBeDefined();
    tasks = overdue!.tasks;
    expect(tasks.length).toBeGreaterThan(1);
    const delivered = await prisma().delivered.findMany({ where: { chat: 'console:main', outbox: { tasks: { contains: '"1.1.1"' } } }, orderBy: { id: 'desc' } });
    messageId = delivered[0]!.messageId;
  });

  it('to a reminder of several open tasks: asks for /done <mã>, changes nothing', async () => {
    await expectRefusedWithoutChange('admin', `#${messageId} xong`, /Tin nhắc này còn \d+ nhiệm vụ chưa xong/, /Xin gõ \/done <mã> cho từng nhiệm vụ đã xong/);
  });

  it('by a non-officer: refused, nothing changed', async () => {
    // leave 1.1.1 the only open task of the reminder (its other codes may be dossiers, which /done ignores)
    const open = async () =>
      prisma().task.findMany({
        where: { code: { not: '1.1.1' }, assignments: { some: { occurrences: { some: { status: 'open', notices: { some: { outbox: { delivered: { some: { chat: 'console:main', messageId } } } } } } } } } },
        select: { code: true },
      });
    for (let round = 0; round < 5 && (await open()).length; round++) {
      for (const { code } of await open()) expect(await h.say(`/done ${code}`)).toContain(`✅ Đã ghi nhận: ${code}`);
    }
    expect(await open()).toEqual([]);
    await expectRefusedWithoutChange('stranger', `#${messageId} xong`, 'Xin lỗi, chỉ cán bộ đầu mối', /\/officer add/);
  });

  it('by the officer, once one task is left: marks it done', async () => {
    const before = await snapshot();
    const reply = await h.say(`#${messageId} Đã xong.`);
    expect(reply).toContain('✅ Đã ghi nhận: 1.1.1');
    const d = diff(before, await snapshot());
    onlyChanged(d, ['occurrences', 'audit']);
    const [occ] = await leadOccurrences('1.1.1');
    expect(d.occurrences.changed.map((c) => c.to)).toEqual([expect.objectContaining({ id: occ!.id, status: 'done', doneBy: 'console:officer' })]);
    expect(d.audit.added).toEqual([expect.objectContaining({ action: 'done', occurrenceId: occ!.id })]);
  });

  it('again, when everything is done: says so, changes nothing', async () => {
    await expectRefusedWithoutChange('admin', `#${messageId} xong`, 'Các nhiệm vụ trong tin nhắc này đều đã được đánh dấu hoàn thành.', /đã được đánh dấu hoàn thành/);
  });

  it('to an unknown message: no answer, nothing changed', async () => {
    const before = await snapshot();
    expect(await h.say('#999999 xong')).toBeNull();
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Two plans sharing codes: a bare code lists the candidates and never guesses; "2024:1.1.1" picks one.

describe('ambiguous codes (the example plan imported twice)', () => {
  beforeAll(async () => {
    h.at('2023-03-16T09:00');
    s.at('2023-03-16T09:00');
    await importPlan(prisma(), await readPlanFile(EXAMPLE.plan), { name: 'Bản sao', year: 2024, calendar: h.app.calendar, now: h.app.clock() });
    expect(await prisma().task.count({ where: { code: '1.1.1' } })).toBe(2);
  });

  const candidates = /Mã "[^"]+" khớp nhiều nhiệm vụ:\n• 2024:[\d.]+ — .*\(Bản sao\)\n• 2023:[\d.]+ — .*\(Kế hoạch KSTTHC huyện Châu Thành năm 2023\)/;
  const ambiguous: Bad[] = [
    { say: '/task 1.1.1', expect: candidates, hint: /Gõ kèm năm kế hoạch, ví dụ \/task 2024:1\.1\.1/ },
    { say: '/nv I.I.1', expect: candidates, hint: /Gõ kèm năm kế hoạch/ },
    { who: 'stranger', say: '/task 1.1.1', expect: candidates, hint: /Gõ kèm năm kế hoạch/ },
    { say: '/done 1.1.2', expect: candidates, hint: /Gõ kèm năm kế hoạch, ví dụ \/done 2024:1\.1\.2/ },
    { say: '/undo 1.1.1', expect: candidates, hint: /ví dụ \/undo 2024:1\.1\.1/ },
    { say: '/event 1.1.6 hôm qua', expect: candidates, hint: /ví dụ \/event 2024:1\.1\.6/ },
    { say: '/setdeadline 1.1.2 Quý II/2023', expect: candidates, hint: /ví dụ \/setdeadline 2024:1\.1\.2/ },
    { say: '/task 2025:1.1.1', expect: 'Không có nhiệm vụ mã 1.1.1', hint: /Gõ \/list/ },
  ];
  it.each(ambiguous)('$say ($who): candidates, no guess, nothing changed', async (b) => {
    await expectRefusedWithoutChange(b.who, b.say, b.expect, b.hint);
  });

  it('/task 2024:1.1.1 and /task 2023:1.1.1 each pick one plan', async () => {
    expect(await h.say('/task 2024:1.1.1')).toContain('📋 Nhiệm vụ 1.1.1 — Bản sao');
    expect(await h.say('/task 2023/1.1.1')).toContain('📋 Nhiệm vụ 1.1.1 — Kế hoạch KSTTHC huyện Châu Thành năm 2023');
  });

  it('/done 2024:1.1.2 marks the 2024 plan\'s task only', async () => {
    const before = await snapshot();
    expect(await h.say('/done 2024:1.1.2')).toContain('✅ Đã ghi nhận: 1.1.2');
    const d = diff(before, await snapshot());
    onlyChanged(d, ['occurrences', 'audit']);
    const [occ2024] = await leadOccurrences('1.1.2', VP, 2024);
    expect(d.occurrences.changed.map((c) => c.to.id)).toEqual([occ2024!.id]);
    expect((await leadOccurrences('1.1.2', VP, 2023)).every((o) => o.status === 'open')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Regression (found by this suite, fixed): a lone UTF-16 surrogate (possible from a JSON transport such as Zalo: "\ud800") that reaches a Prisma
// query or write makes the query engine throw "JSON Error: unexpected end of hex escape" (first seen at
// src/store/dossiers.ts:112 findDossier); commands/index.ts:61 turns it into "đã có lỗi khi xử lý yêu cầu ...
// vui lòng thử lại sau ít phút" — a retry that can never succeed. Same for /hoso tra, /xinloi, a /done note,
// /setdeadline text. Expected: the text made well-formed (e.g. toWellFormed() in handleMessage) and the
// normal answer.
describe('text with a lone surrogate', () => {
  it('/hoso <unknown code with a lone surrogate> answers "Không có hồ sơ mã" (dossiers.ts:112 throws)', async () => {
    await expectRefusedWithoutChange('admin', '/hoso HS\ud800', 'Không có hồ sơ mã', /Đăng ký bằng: \/hoso/);
  });
  it('... and at least it answers in Vietnamese and changes nothing', async () => {
    for (const say of ['/xinloi HS\ud800 30/03/2023 lý do', '/hoso tra HS\udfff']) {
      const before = await snapshot();
      expect(await h.say(say)).toMatch(VIETNAMESE);
      expect(await snapshot()).toEqual(before);
    }
    expect((await leadOccurrences('2.2.2')).map((o) => o.status)).toEqual(['open']);
  });
  it('/done 2023:2.2.2 with a note holding a lone surrogate is recorded (the write throws)', async () => {
    expect(await h.say('/done 2023:2.2.2 đã gửi \ud800')).toContain('✅ Đã ghi nhận: 2.2.2');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Regression (found by this suite, fixed): commands/event.ts:33-34 — the units reported for are "the group's unit's lead assignments" without
// checking that the sender is an officer of that unit or an administrator (compare done.ts mayAct and
// undo.ts:21). A stranger in a bound group can report an event: an Event, an occurrence and an AuditLog row
// are written. Expected: the refusal at event.ts:35 and nothing changed. Last in the file: it writes.
describe('non-officer /event', () => {
  it('/event 1.1.6 13/03/2023 by a stranger is refused and changes nothing (event.ts:33 lacks the officer check)', async () => {
    await expectRefusedWithoutChange('stranger', '/event 2023:1.1.6 13/03/2023', 'Chỉ cán bộ đầu mối của đơn vị chủ trì nhiệm vụ 1.1.6 hoặc quản trị viên mới báo được sự kiện', /hãy gõ lệnh trong nhóm của đơn vị/);
  });
});
