import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { leaks as leaksOf } from './helpers/leaks.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { claimAdmin, issueClaimCode } from '../src/store/admins.ts';
import type { IncomingMessage } from '../src/transports/transport.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

// An attacker who found the bot: every command and alias, with and without arguments, with "@bot" suffixes,
// very long and odd texts, files; in a private chat and in a group bound to no unit. They get their id and
// how to be registered, never a task, unit, date, figure or file, and they leave no row in any table.

let h: Harness;
const prisma = () => h.app.db.prisma;

beforeAll(async () => {
  h = await harness(tempSqliteUrl());
  expect(await ensureExamplePlan(h.app)).toBe(true);
  h.at('2023-03-15T09:00');
});
afterAll(async () => {
  await h?.close();
});

/** every row of every table (SQLite), to see that nothing at all was written */
async function everything(): Promise<string> {
  const tables = await prisma().$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = await prisma().$queryRawUnsafe(`SELECT * FROM "${name}" ORDER BY rowid`);
  return JSON.stringify(out, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const leaks = (reply: string, user: string) => leaksOf(prisma(), reply, user);

let n = 0;
const from = (user: string, chat: string, text: string, extra: Partial<IncomingMessage> = {}): IncomingMessage => ({
  chat,
  user,
  userName: 'Người lạ',
  messageId: `x-${++n}`,
  text,
  direct: chat === user,
  ...extra,
});

const ARGS = ['', ' 1.1.1', ' tất cả', ' Phòng Tư pháp', ' H12-0001 30/03/2023 lý do', ' xlsx', ' q1 xlsx', ' 6t', ' thang 3', ' ok', ' add telegram:666 Phòng Tư pháp'];
const NAMES = commands.flatMap((c) => [c.name, ...c.aliases]);
// /help, /id, /start and /quantri answer anyone, without the plan: their own texts (digits of usage examples) are checked apart
const OPEN = new Set(['help', 'huongdan', 'id', 'myid', 'start', 'quantri', 'claim'].flatMap((c) => [c, ...(commands.find((x) => x.name === c)?.aliases ?? [])]));

describe('a stranger tries every command', () => {
  for (const [where, user, chat] of [
    ['a private chat', 'telegram:666', 'telegram:666'],
    ['a group bound to no unit', 'telegram:667', 'telegram:-100666'],
  ] as const) {
    it(`in ${where}: no task, unit, date, figure or file, and no row anywhere`, async () => {
      const before = await everything();
      let answered = 0;
      for (const name of NAMES) {
        for (const args of ARGS) {
          for (const suffix of ['', '@nhacviec_bot']) {
            const said = `/${name}${suffix}${args}`;
            const reply = await h.app.handle(from(user, chat, said));
            if (!reply) continue;
            answered++;
            expect(reply.attachment, said).toBeUndefined();
            expect(reply.buttons ?? [], said).toEqual([]);
            const leaked = await leaks(reply.text, user);
            expect(OPEN.has(name) ? leaked.filter((l) => !l.startsWith('digits')) : leaked, `${said} → ${reply.text}`).toEqual([]);
            // the administrators' commands say only that; the others also give the id and how to be registered
            if (!OPEN.has(name)) expect(reply.text, said).toMatch(new RegExp(`Mã người dùng của anh/chị: ${user}|^Lệnh /\\w+ chỉ dành cho quản trị viên\\.`));
          }
        }
      }
      expect(answered).toBeGreaterThan(NAMES.length * ARGS.length);
      expect(await everything()).toBe(before);
    }, 120_000);
  }

  it('very long texts, odd Unicode and files: a short answer, still nothing of the plan, no row', async () => {
    const before = await everything();
    const user = 'telegram:668';
    const odd = [
      '/overdue ' + 'Phòng Tư pháp '.repeat(20_000),
      'x'.repeat(200_000),
      '/done 1.1.1 ' + '😀'.repeat(50_000),
      '/task \u202e1.1.1\u202c',
      '/li\u200bst',
      '/\u0000overdue',
      '/overdue\ud800',
      '/ＯＶＥＲＤＵＥ',
      '/list Pho\u0300ng Tu\u031b pha\u0301p',
      'xong',
      '/quantri ' + 'A'.repeat(100_000),
    ];
    for (const say of odd) {
      for (const chat of [user, 'telegram:-100668']) {
        const reply = await h.app.handle(from(user, chat, say));
        if (!reply) continue;
        expect(reply.attachment).toBeUndefined();
        expect(reply.text.length, say.slice(0, 30)).toBeLessThan(2_000);
        expect((await leaks(reply.text, user)).filter((l) => !say.startsWith('/quantri') || !l.startsWith('digits')), say.slice(0, 30)).toEqual([]);
      }
    }
    let downloads = 0;
    const file = { name: 'ke-hoach.xlsx', size: 1000, download: async () => (downloads++, new Uint8Array(1000)) };
    for (const chat of [user, 'telegram:-100668']) {
      const reply = await h.app.handle(from(user, chat, '/nhap', { file }));
      expect(reply?.attachment).toBeUndefined();
      if (reply) expect(await leaks(reply.text, user)).toEqual([]);
    }
    expect(downloads).toBe(0);
    expect(await everything()).toBe(before);
  }, 120_000);
});

describe('guessing the one-time claim code', () => {
  it('ten wrong tries kill the code, even sent all at once from many accounts', async () => {
    const g = await harness(tempSqliteUrl());
    try {
      const issued = (await issueClaimCode(g.app.db.prisma, [], 'a', g.app.clock()))!;
      // fifty guesses at once: each one counted, none lost to another's update
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => g.app.handle(from(`telegram:${1000 + i}`, `telegram:${1000 + i}`, `/quantri WRNG-${String(i).padStart(4, '0')}-XXXX`))),
      );
      expect(answers.every((a) => /^Mã không đúng hoặc đã hết hiệu lực/.test(a?.text ?? ''))).toBe(true);
      const now = g.app.clock();
      expect(await claimAdmin(g.app.db.prisma, [], issued.code, { actor: { user: 'telegram:1' }, privateChat: true, now })).toBe('no_code');
      expect(await g.app.db.prisma.admin.count()).toBe(0);
    } finally {
      await g.close();
    }
  }, 60_000);
});
