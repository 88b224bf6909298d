import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import { harness, type Harness } from './helpers/app.ts';
import { dropTestSchemas, testDatabases } from './helpers/db.ts';

const databases = await testDatabases();
afterAll(dropTestSchemas);

// The whole loop: plan → round → messages in the console chat → /done → status, on each database.
describe.each(databases)('console loop on $name', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(await db.url());
    expect(await ensureExamplePlan(h.app)).toBe(true);
  });
  afterAll(() => h.close());

  const openOccurrence = (code: string) =>
    h.app.db.prisma.occurrence.findFirstOrThrow({ where: { assignment: { role: 'lead', task: { code } } }, orderBy: { due: 'asc' } });

  it('loads the example plan once, binding the console group to the coordinating office', async () => {
    expect(await ensureExamplePlan(h.app)).toBe(false);
    const group = await h.app.db.prisma.chatGroup.findUniqueOrThrow({ where: { chat: 'console:main' }, include: { unit: true } });
    expect(group.unit?.name).toBe('Văn phòng HĐND và UBND huyện');
    expect(await h.app.db.prisma.task.count()).toBeGreaterThan(30);
  });

  it('a round on Monday 13/02/2023 08:00 reminds of the tasks due that week, once', async () => {
    h.at('2023-02-13T08:00');
    const messages = await h.round();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.chat).toBe('console:main');
    expect(messages[0]!.kind).toBe('reminder');
    expect(messages[0]!.tasks.sort()).toEqual(['1.1.1', '1.1.3']);
    // Monday: the weekly digest rides in the same message (one message per group per round)
    expect(messages[0]!.text).toContain('TỔNG HỢP TUẦN 13/02/2023');
    const printed = h.takeOutput();
    expect(printed).toContain('/done 1.1.1');
    expect(printed).toContain('hạn 14/02/2023 (còn 1 ngày làm việc)'); // 1.1.3: "Trước ngày 15/02/2023"
    // the same round again records and sends nothing new
    expect(await h.round()).toEqual([]);
    expect(h.takeOutput()).toBe('');
    expect(await h.app.db.prisma.outbox.count()).toBe(1);
  });

  it('outside office hours and on days off nothing is said', async () => {
    h.at('2023-02-14T18:30');
    expect(await h.round()).toEqual([]);
    h.at('2023-02-18T09:00'); // Saturday
    expect(await h.round()).toEqual([]);
  });

  it('overdue → /done → /overdue no longer lists it, and the audit trail has the change', async () => {
    h.at('2023-02-16T08:00');
    const messages = await h.round();
    expect(messages.map((m) => m.kind)).toEqual(['overdue']);
    expect(messages[0]!.tasks).toEqual(expect.arrayContaining(['1.1.1', '1.1.3']));
    // going overdue asks the lead unit for a written explanation
    expect(messages[0]!.text).toContain('VĂN BẢN GIẢI TRÌNH');

    const before = await h.say('/overdue');
    expect(before).toContain('1.1.1');
    const done = await h.say('/done 1.1.1 đã ban hành kế hoạch');
    expect(done).toContain('✅ Đã ghi nhận: 1.1.1');
    expect(done).toContain('quá hạn');
    const occ = await openOccurrence('1.1.1');
    expect(occ.status).toBe('done');
    expect(occ.doneBy).toBe('console:officer');
    const after = await h.say('/quahan');
    expect(after).not.toContain('1.1.1 ');
    expect(after).toContain('1.1.3');
    const audit = await h.app.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'done', occurrenceId: occ.id } });
    expect(audit).toMatchObject({ actor: 'console:officer', chat: 'console:main', fromStatus: 'open', toStatus: 'done_late', detail: 'đã ban hành kế hoạch' });
    expect(audit.messageId).toBeTruthy();
  });

  it('a done task is not reminded again', async () => {
    h.at('2023-02-17T08:00');
    const messages = await h.round();
    for (const m of messages) expect(m.tasks).not.toContain('1.1.1');
  });

  it('/undo reopens, /task shows the task, /help lists the commands', async () => {
    expect(await h.say('/undo 1.1.1')).toContain('Đã hoàn tác');
    expect((await openOccurrence('1.1.1')).status).toBe('open');
    const task = await h.say('/nv I.1.1');
    expect(task).toContain('Nhiệm vụ 1.1.1');
    expect(task).toContain('Văn phòng HĐND và UBND huyện');
    expect(await h.say('/id')).toContain('console:officer');
    const help = await h.say('/help');
    for (const c of ['/done', '/overdue', '/task', '/undo', '/bind']) expect(help).toContain(c);
  });

  it('a reply "xong" to a reminder with several tasks asks for the code', async () => {
    const delivered = await h.app.db.prisma.delivered.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const answer = await h.say(`#${delivered.messageId} xong`);
    expect(answer).toContain('còn 2 nhiệm vụ chưa xong');
    expect(await h.say('/done 1.1.3')).toContain('Đã ghi nhận: 1.1.3');
    expect(await h.say(`#${delivered.messageId} đã xong`)).toContain('Đã ghi nhận: 1.1.1');
    expect(await h.say(`#${delivered.messageId} xong`)).toContain('đều đã được đánh dấu hoàn thành');
    await h.say('/undo 1.1.1');
    await h.say('/undo 1.1.3');
  });

  it('bad input gets a Vietnamese answer and changes nothing', async () => {
    const snapshot = async () => ({
      audit: await h.app.db.prisma.auditLog.count(),
      done: await h.app.db.prisma.occurrence.count({ where: { status: 'done' } }),
      groups: await h.app.db.prisma.chatGroup.findMany({ orderBy: { id: 'asc' } }),
    });
    const before = await snapshot();
    expect(await h.say('/done 9.9.9')).toContain('Không có nhiệm vụ mã 9.9.9');
    expect(await h.say('/done')).toContain('Thiếu mã nhiệm vụ');
    expect(await h.say('/done abc')).toContain('không phải là mã nhiệm vụ');
    expect(await h.say('/overdue Sở Không Có')).toContain('Không tìm thấy đơn vị');
    expect(await h.say('/task')).toContain('Thiếu mã nhiệm vụ');
    expect(await h.say('/khonglenh')).toContain('Không có lệnh /khonglenh');
    expect(await h.say('/event 1.1.6 31/02/2023')).toContain('không tồn tại');
    expect(await snapshot()).toEqual(before);
  });
});

describe.each(databases)('permissions on $name', (db) => {
  it('someone who is not an officer of the lead unit cannot mark it done', async () => {
    const url = await db.url();
    const admin = await harness(url);
    await ensureExamplePlan(admin.app);
    await admin.close();
    const stranger = await harness(url, { consoleUser: 'console:stranger' });
    try {
      stranger.at('2023-02-16T08:00');
      const answer = await stranger.say('/done 1.1.1');
      expect(answer).toContain('chỉ cán bộ đầu mối của đơn vị chủ trì');
      expect(answer).toContain('Văn phòng HĐND và UBND huyện');
      expect(await stranger.app.db.prisma.occurrence.count({ where: { status: 'done' } })).toBe(0);
      expect(await stranger.say('/bind Phòng Tư pháp')).toContain('chỉ dành cho quản trị viên');
    } finally {
      await stranger.close();
    }
  });

  it('administrators\' changes are audited; a stranger in a private chat reads nothing and leaves no row', async () => {
    const h = await harness(await db.url());
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-03-15T09:00');
      const prisma = h.app.db.prisma;
      expect(await h.say('/officer add 42 Phòng Tư pháp')).toContain('👤 Đã thêm console:42');
      expect(await h.say('/pause')).toContain('⏸️');
      expect(await h.say('/resume')).toContain('▶️');
      expect(await h.say('/bind Văn phòng HĐND và UBND huyện')).toContain('🔗');
      const actions = (await prisma.auditLog.findMany({ where: { actor: 'console:officer' }, orderBy: { id: 'asc' } })).map((a) => a.action);
      expect(actions).toEqual(['officer_add', 'pause', 'resume', 'bind']);
      const groups = await prisma.chatGroup.count();
      const reply = await h.app.handle({ chat: 'telegram:777', user: 'telegram:777', userName: 'Người lạ', messageId: '1', text: '/overdue', direct: true });
      expect(reply?.text).toContain('Mã người dùng của anh/chị: telegram:777');
      expect(reply?.text).not.toContain('Văn phòng');
      expect(await prisma.chatGroup.count()).toBe(groups);
    } finally {
      await h.close();
    }
  });
});
