import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Throttle } from '../commands/throttle.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { dbSnapshot } from './helpers/snapshot.ts';

// Per-person rate limits: the bucket arithmetic on an injected clock, the bound on memory, and the answers a
// person gets through the dispatcher.

describe('Throttle', () => {
  it('allows the allowance, refuses the next once with the wait, then stays quiet until it refills', () => {
    const t = new Throttle({ perMinute: 20, heavyPerHour: 0 });
    for (let i = 0; i < 20; i++) expect(t.take('a', false, 1_000)).toEqual({ ok: true });
    expect(t.take('a', false, 1_000)).toEqual({ ok: false, limit: 'commands', waitMs: 3_000, quiet: false });
    expect(t.take('a', false, 2_000)).toMatchObject({ ok: false, quiet: true, waitMs: 2_000 });
    expect(t.take('b', false, 2_000)).toEqual({ ok: true }); // someone else is not affected
    expect(t.take('a', false, 4_000)).toEqual({ ok: true });
    // told again after an accepted command
    expect(t.take('a', false, 4_000)).toMatchObject({ ok: false, quiet: false });
  });

  it('counts heavy commands per hour on their own; a refused one still costs a command', () => {
    const t = new Throttle({ perMinute: 5, heavyPerHour: 2 });
    expect(t.take('a', true, 0)).toEqual({ ok: true });
    expect(t.take('a', true, 0)).toEqual({ ok: true });
    expect(t.take('a', true, 0)).toEqual({ ok: false, limit: 'heavy', waitMs: 1_800_000, quiet: false });
    expect(t.take('a', false, 0)).toEqual({ ok: true });
    expect(t.take('a', true, 0)).toMatchObject({ limit: 'heavy', quiet: false });
    // five commands taken (two refused reports among them): the next is refused as too fast
    expect(t.take('a', false, 0)).toMatchObject({ ok: false, limit: 'commands' });
    expect(t.take('a', true, 30 * 60_000)).toEqual({ ok: true });
  });

  it('0 means no limit; a clock that goes back grants nothing', () => {
    const free = new Throttle({ perMinute: 0, heavyPerHour: 0 });
    for (let i = 0; i < 1_000; i++) expect(free.take('a', true, 0).ok).toBe(true);
    const t = new Throttle({ perMinute: 1, heavyPerHour: 0 });
    expect(t.take('a', false, 60_000).ok).toBe(true);
    expect(t.take('a', false, 0).ok).toBe(false);
    expect(t.take('a', false, 60_000).ok).toBe(false);
    expect(t.take('a', false, 120_000).ok).toBe(true);
  });

  it('remembers at most maxPeople, forgetting the least recently seen', () => {
    const t = new Throttle({ perMinute: 1, heavyPerHour: 1 });
    for (let i = 0; i < 100_000; i++) {
      t.take(`telegram:${i}`, false, 0);
      if (t.size > 10_000) throw new Error(`${t.size} people remembered`);
    }
    expect(t.size).toBeGreaterThanOrEqual(9_000);
    const small = new Throttle({ perMinute: 1, heavyPerHour: 0 }, 10);
    for (let i = 0; i < 10; i++) expect(small.take(`p${i}`, false, 0).ok).toBe(true);
    expect(small.take('p0', false, 0)).toMatchObject({ ok: false, quiet: false }); // p0 is now the most recent
    expect(small.take('p10', false, 0).ok).toBe(true); // over ten: the least recent tenth-and-one go (p1, p2)
    expect(small.size).toBe(9);
    expect(small.take('p0', false, 0)).toMatchObject({ ok: false, quiet: true }); // remembered
    expect(small.take('p3', false, 0).ok).toBe(false); // remembered
    expect(small.take('p1', false, 0).ok).toBe(true); // forgotten: a fresh allowance
  });
});

describe('rate limits through the dispatcher', () => {
  let h: Harness;
  let no = 0;
  const dm = (user: string, text: string) => h.app.handle({ chat: user, user, userName: 'Người thử', messageId: `m${++no}`, text, direct: true });
  const inGroup = (user: string, text: string) => h.app.handle({ chat: 'console:main', user, userName: 'Người thử', messageId: `m${++no}`, text, direct: false });

  beforeAll(async () => {
    h = await harness(tempSqliteUrl(), { env: { NHACVIEC_COMMANDS_PER_MINUTE: '5', NHACVIEC_REPORTS_PER_HOUR: '2' } });
    expect(await ensureExamplePlan(h.app)).toBe(true);
    h.at('2023-03-15T09:00');
  });
  afterAll(() => h?.close());

  it('a stranger flooding a private chat gets one polite answer, then silence, and nothing is written', async () => {
    const before = await dbSnapshot(h.app.db.prisma);
    for (let i = 0; i < 5; i++) expect((await dm('telegram:777', i % 2 ? '/overdue' : 'xin chào'))?.text).toContain('Mã người dùng của anh/chị: telegram:777');
    expect((await dm('telegram:777', '/overdue'))?.text).toBe('⏳ Anh/chị gửi lệnh nhanh quá (tối đa 5 lệnh mỗi phút); xin đợi khoảng 12 giây rồi gõ lại.');
    for (let i = 0; i < 50; i++) expect(await dm('telegram:777', i % 2 ? '/baocao xlsx' : '/khong-co')).toBeNull();
    // someone else is answered meanwhile
    expect((await dm('telegram:778', '/start'))?.text).toContain('Mã người dùng của anh/chị: telegram:778');
    h.at('2023-03-15T09:00:12');
    expect((await dm('telegram:777', '/start'))?.text).toContain('Mã người dùng của anh/chị: telegram:777');
    expect(await dbSnapshot(h.app.db.prisma)).toEqual(before);
  });

  it('reports and files: a few per hour, the other commands still answered', async () => {
    h.at('2023-03-15T10:00');
    expect((await inGroup('console:officer', '/baocao'))?.text).toContain('📊');
    expect((await inGroup('console:officer', '/baocao xlsx'))?.attachment?.fileName).toMatch(/\.xlsx$/);
    const refused = await inGroup('console:officer', '/baocao bieudo');
    expect(refused?.attachment).toBeUndefined();
    expect(refused?.text).toBe('⏳ Báo cáo và tệp được gửi tối đa 2 lần mỗi giờ cho mỗi người; xin anh/chị thử lại sau khoảng 30 phút.');
    expect((await inGroup('console:officer', '/overdue'))?.text).toContain('nhiệm vụ quá hạn');
  });

  it('talk in a group not addressed to the bot costs nothing', async () => {
    h.at('2023-03-15T11:00');
    for (let i = 0; i < 30; i++) expect(await inGroup('console:officer', 'chào cả nhà')).toBeNull();
    expect((await inGroup('console:officer', '/task 1.1.1'))?.text).toContain('📋 Nhiệm vụ 1.1.1');
  });
});
