import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSqlite } from '../bench/seed.ts';
import { PAGE_SIZE, parsePage } from '../src/core/paging.ts';
import { openDatabase } from '../src/db/database.ts';
import { overdueItems } from '../src/store/occurrences.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

// A listing answers a page at a time: a unit's 480 overdue items were one 58,000-character reply.

describe('parsePage: "trang N" at the end of the arguments', () => {
  const ok = (args: string) => {
    const r = parsePage(args, 'overdue');
    if (!r.ok) throw new Error(r.reply);
    return [r.rest, r.page];
  };
  it('takes the page off the end, with or without diacritics, any case', () => {
    expect(ok('')).toEqual(['', 1]);
    expect(ok('trang 2')).toEqual(['', 2]);
    expect(ok('Sở Tư pháp trang 3')).toEqual(['Sở Tư pháp', 3]);
    expect(ok('so tu phap TRANG 3')).toEqual(['so tu phap', 3]);
    expect(ok('Sở Tư pháp trang số 4')).toEqual(['Sở Tư pháp', 4]);
    expect(ok('Sở Tư pháp trang so 4')).toEqual(['Sở Tư pháp', 4]);
    expect(ok('Sở Tư pháp trang2')).toEqual(['Sở Tư pháp', 2]);
    expect(ok('tất cả trang 2/5')).toEqual(['tất cả', 2]); // the header's "trang 2/5" typed back
    expect(ok('30   Phòng Tư pháp   trang 2')).toEqual(['30 Phòng Tư pháp', 2]);
  });
  it('a huge page number is a page (past the last one, answered once the total is known)', () => {
    expect(ok('trang 12345678901234')).toEqual(['', 12345678901234]);
  });
  it('leaves unit names alone: a number or "trang" in them is no page', () => {
    expect(ok('Phường 2')).toEqual(['Phường 2', 1]);
    expect(ok('UBND xã Thử 1')).toEqual(['UBND xã Thử 1', 1]);
    expect(ok('UBND thị xã Trảng Bàng')).toEqual(['UBND thị xã Trảng Bàng', 1]);
    expect(ok('UBND thành phố Nha Trang')).toEqual(['UBND thành phố Nha Trang', 1]);
    expect(ok('30')).toEqual(['30', 1]);
    expect(ok('số 2')).toEqual(['số 2', 1]);
  });
  it('refuses a page number that is not a whole number from 1, in Vietnamese, with the command to type', () => {
    for (const [args, shown, example] of [
      ['trang 0', 'trang 0', '/overdue trang 2'],
      ['Sở Tư pháp trang -1', 'trang -1', '/overdue Sở Tư pháp trang 2'],
      ['trang 1.5', 'trang 1.5', '/overdue trang 2'],
      ['trang 1,5', 'trang 1,5', '/overdue trang 2'],
      ['trang 1/2/3', 'trang 1/2/3', '/overdue trang 2'],
      ['trang 1.23456789012', 'trang 1.2345678…', '/overdue trang 2'],
    ] as const) {
      const r = parsePage(args, 'overdue');
      expect(r).toEqual({ ok: false, reply: `"${shown}" không phải số trang hợp lệ: số trang là số nguyên từ 1 trở lên, ví dụ ${example}.` });
    }
  });
});

describe('a unit with 60 overdue items', () => {
  const UNIT = 'UBND xã Thử 1';
  let h: Harness;
  let order: string[]; // the unit's codes, most overdue first

  beforeAll(async () => {
    const url = tempSqliteUrl();
    const opened = await openDatabase(url);
    await opened.close();
    if (opened.target.provider !== 'sqlite') throw new Error('expected SQLite');
    // two units, each leading the same 60 tasks, due from 21/11/2024 to 20/12/2024
    seedSqlite(opened.target.file, { units: 2, tasks: 60, lastDue: '2024-12-20', spreadDays: 30 });
    h = await harness(url);
    h.at('2025-01-15T09:00');
    const unitId = (await h.app.db.prisma.unit.findUniqueOrThrow({ where: { name: UNIT } })).id;
    order = (await overdueItems(h.app.db.prisma, '2025-01-15', [unitId])).map((i) => i.code);
    expect(order).toHaveLength(60);
  });
  afterAll(() => h?.close());

  const codes = (reply: string) => [...reply.matchAll(/^• (\S+) /gm)].map((m) => m[1]);

  it('page 1 of 3: the total and the page in the header, the 25 most overdue, the next page\'s command last', async () => {
    const reply = (await h.say(`/overdue ${UNIT}`))!;
    const lines = reply.split('\n');
    expect(lines[0]).toBe(`❗ 60 nhiệm vụ quá hạn của ${UNIT} (tính đến 15/01/2025), trang 1/3:`);
    expect(codes(reply)).toEqual(order.slice(0, PAGE_SIZE));
    expect(lines[1]).toMatch(/^• \S+ .*\n?$/);
    expect(reply).toContain('Hạn 21/11/2024'); // the earliest due day comes first
    expect(lines.at(-1)).toBe(`➡️ Trang sau (2/3), gõ: /overdue ${UNIT} trang 2`);
    // one phone screen, one Telegram message
    expect(reply.length).toBeLessThanOrEqual(4096);
  });

  it('the command the hint gives answers page 2; page 3 has the rest and no hint', async () => {
    const first = (await h.say(`/overdue ${UNIT}`))!;
    const typed = first.split('\n').at(-1)!.replace(/^.*gõ: /, '');
    const second = (await h.say(typed))!;
    expect(second.split('\n')[0]).toBe(`❗ 60 nhiệm vụ quá hạn của ${UNIT} (tính đến 15/01/2025), trang 2/3:`);
    expect(codes(second)).toEqual(order.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(second.split('\n').at(-1)).toBe(`➡️ Trang sau (3/3), gõ: /overdue ${UNIT} trang 3`);

    const third = (await h.say(`/quahan ubnd xa thu 1 TRANG 3`))!;
    expect(third.split('\n')[0]).toBe(`❗ 60 nhiệm vụ quá hạn của ${UNIT} (tính đến 15/01/2025), trang 3/3:`);
    expect(codes(third)).toEqual(order.slice(2 * PAGE_SIZE));
    expect(third).not.toContain('Trang sau');
    expect([...codes(first), ...codes(second), ...codes(third)].sort()).toEqual([...order].sort());
  });

  it('page 4: a clear Vietnamese answer naming the last page', async () => {
    expect(await h.say(`/overdue ${UNIT} trang 4`)).toBe(`Không có trang 4: danh sách 60 nhiệm vụ này chỉ có 3 trang; gõ /overdue ${UNIT} trang 3 để xem trang cuối.`);
    expect(await h.say(`/overdue ${UNIT} trang 0`)).toBe(`"trang 0" không phải số trang hợp lệ: số trang là số nguyên từ 1 trở lên, ví dụ /overdue ${UNIT} trang 2.`);
  });

  it('every unit: pages of the grouped list, the unit named again at the top of a page', async () => {
    // an administrator of no unit in an unbound chat: every unit by default, so the hint adds no unit
    const first = (await h.say('/overdue'))!;
    expect(first.split('\n')[0]).toBe('❗ 120 nhiệm vụ quá hạn của tất cả đơn vị (tính đến 15/01/2025), trang 1/5:');
    expect(first.split('\n').at(-1)).toBe('➡️ Trang sau (2/5), gõ: /overdue trang 2');
    const third = (await h.say('/overdue trang 3'))!;
    // items 51–75: the last 10 of the first unit, then the first 15 of the second
    expect(third).toMatch(/^❗ 120 nhiệm vụ quá hạn của tất cả đơn vị \(tính đến 15\/01\/2025\), trang 3\/5:\n\n📌 UBND xã Thử 1\n/);
    expect(third).toContain('\n📌 UBND xã Thử 2\n');
    expect(codes(third)).toHaveLength(PAGE_SIZE);
    expect((await h.say('/overdue tất cả trang 2'))!.split('\n').at(-1)).toBe('➡️ Trang sau (3/5), gõ: /overdue tất cả trang 3');
  });

  it('/list and /upcoming page the same way', async () => {
    const list = (await h.say(`/ds ${UNIT} trang 3`))!;
    expect(list.split('\n')[0]).toBe(`📋 60 nhiệm vụ của ${UNIT}, trang 3/3:`);
    expect(list.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect((await h.say(`/list ${UNIT}`))!.split('\n').at(-1)).toBe(`➡️ Trang sau (2/3), gõ: /list ${UNIT} trang 2`);

    h.at('2024-11-15T09:00'); // all 60 due within the next 40 days
    try {
      const up = (await h.say(`/upcoming 40 ${UNIT}`))!;
      expect(up.split('\n')[0]).toBe(`⏰ 60 nhiệm vụ của ${UNIT} đến hạn trong 40 ngày tới (đến 25/12/2024), trang 1/3:`);
      expect(up.split('\n').at(-1)).toBe(`➡️ Trang sau (2/3), gõ: /upcoming 40 ${UNIT} trang 2`);
      expect(codes((await h.say(`/saptoi 40 ${UNIT} trang 2`))!)).toHaveLength(PAGE_SIZE);
      expect(await h.say(`/upcoming 40 ${UNIT} trang 9`)).toBe(`Không có trang 9: danh sách 60 nhiệm vụ này chỉ có 3 trang; gõ /upcoming 40 ${UNIT} trang 3 để xem trang cuối.`);
    } finally {
      h.at('2025-01-15T09:00');
    }
  });

  it('a stranger still gets nothing of the plan, with or without a page', async () => {
    for (const say of [`/overdue ${UNIT} trang 2`, '/overdue trang 2']) {
      const reply = (await h.app.handle({ chat: 'telegram:777', user: 'telegram:777', userName: 'Người lạ', messageId: `s-${say}`, text: say, direct: true }))!.text;
      expect(reply).not.toContain('nhiệm vụ quá hạn');
      expect(reply).not.toContain(UNIT);
    }
  });
});
