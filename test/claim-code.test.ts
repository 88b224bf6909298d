import { describe, expect, it } from 'vitest';
import { GUESS_BURST } from '../commands/throttle.ts';
import { keepClaimCode, type IssuedCode } from '../src/claim-code.ts';
import { silentLogger } from '../src/log.ts';
import { CLAIM_TTL_MS } from '../src/store/admins.ts';
import type { IncomingMessage } from '../src/transports/transport.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

/** `user` types `text`, in their private chat with the bot unless `chat` says otherwise */
const typed = (user: string, text: string, chat = user): IncomingMessage => ({ chat, user, userName: 'Người lạ', messageId: String(Math.random()), text });

/** A harness plus what the running bot does with codes: each one the keeper shows (on the operator's screen). */
async function bot(): Promise<{ h: Harness; shown: (IssuedCode & { replaces: boolean })[]; keeper: ReturnType<typeof keepClaimCode>; replies: string[] }> {
  const h = await harness(tempSqliteUrl());
  const shown: (IssuedCode & { replaces: boolean })[] = [];
  // no timer in the test: checks run when the test says (as main.ts does after each /quantri)
  const keeper = keepClaimCode({ prisma: h.app.db.prisma, admins: [], holder: 'host-a', clock: h.app.clock, log: silentLogger }, (c, replaces) => shown.push({ ...c, replaces }), 3_600_000);
  await keeper.check();
  return { h, shown, keeper, replies: [] };
}

/** Every text the bot put in any chat (replies and the outbox): no code may ever be in one. */
async function chatTexts(b: { h: Harness; replies: string[] }): Promise<string> {
  const outbox = await b.h.app.db.prisma.outbox.findMany({ select: { text: true } });
  return [...b.replies, ...outbox.map((o) => o.text), b.h.takeOutput()].join('\n');
}
const bare = (code: string) => code.replace(/-/g, '');

describe('a claim code killed by strangers is replaced on the operator screen, never in a chat', () => {
  it('after 10 wrong tries a new code exists and works from a private chat; the old one does not', async () => {
    const b = await bot();
    try {
      const send = async (m: IncomingMessage) => {
        const reply = await b.h.app.handle(m);
        if (reply) b.replies.push(reply.text);
        await b.keeper.check();
        return reply?.text ?? '';
      };
      expect(b.shown).toHaveLength(1);
      const old = b.shown[0]!.code;
      // ten wrong tries from four strangers (each allowed a few before being throttled)
      for (let i = 0; i < 10; i++) expect(await send(typed(`telegram:${900 + Math.floor(i / GUESS_BURST)}`, `/quantri WRNG-${String(i).padStart(4, '0')}-XXXX`))).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      expect(b.shown).toHaveLength(2);
      const fresh = b.shown[1]!;
      expect(fresh.replaces).toBe(true);
      expect(fresh.code).not.toBe(old);

      // the old code is refused like any wrong one, then the new one makes the clerk administrator
      expect(await send(typed('telegram:5', `/quantri ${old}`))).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      expect(await b.h.app.db.prisma.admin.count()).toBe(0);
      expect(await send(typed('telegram:5', `/quantri ${fresh.code}`))).toContain('là quản trị viên');
      expect(await b.h.app.db.prisma.admin.findMany({ select: { user: true } })).toEqual([{ user: 'telegram:5' }]);
      // an administrator now: no more codes, and the used one is dead
      expect(b.shown).toHaveLength(2);
      expect(await send(typed('telegram:6', `/quantri ${fresh.code}`))).toContain('đã có quản trị viên');

      const said = await chatTexts(b);
      for (const c of b.shown) {
        expect(said).not.toContain(c.code);
        expect(said).not.toContain(bare(c.code));
      }
    } finally {
      await b.keeper.stop();
      await b.h.close();
    }
  });

  it('a code typed in a group, or expired, is replaced too; the new one is shown once', async () => {
    const b = await bot();
    try {
      const first = b.shown[0]!.code;
      const burnt = await b.h.app.handle(typed('telegram:7', `/quantri ${first}`, 'telegram:-100777'));
      expect(burnt?.text).toContain('đã bị hủy');
      expect(burnt?.text).toContain('màn hình máy chủ');
      expect(burnt?.text).not.toContain(first);
      await b.keeper.check();
      await b.keeper.check();
      expect(b.shown.map((s) => s.replaces)).toEqual([false, true]);

      b.h.at('2023-02-14T09:00'); // past the second code's 24 hours (issued 08:00 on the 13th)
      expect(b.h.app.clock().getTime()).toBeGreaterThan(b.shown[1]!.expiresAt.getTime());
      await b.keeper.check();
      expect(b.shown).toHaveLength(3);
      expect(b.shown[2]!.expiresAt.getTime()).toBe(b.h.app.clock().getTime() + CLAIM_TTL_MS);
      expect(await b.h.app.handle(typed('telegram:8', `/quantri ${b.shown[1]!.code}`))).toMatchObject({ text: 'Mã không đúng hoặc đã hết hiệu lực.' });
      expect((await b.h.app.handle(typed('telegram:8', `/quantri ${b.shown[2]!.code}`)))?.text).toContain('là quản trị viên');
    } finally {
      await b.keeper.stop();
      await b.h.close();
    }
  });

  it('a fast guesser is throttled: the refusals after a few tries cost the code nothing, and time gives tries back', async () => {
    const b = await bot();
    try {
      const code = b.shown[0]!.code;
      const guess = async (i: number) => (await b.h.app.handle(typed('telegram:66', `/quantri GSSS-${String(i).padStart(4, '0')}-XXXX`)))?.text ?? '';
      for (let i = 0; i < GUESS_BURST; i++) expect(await guess(i)).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      for (let i = GUESS_BURST; i < 40; i++) expect(await guess(i)).toMatch(/^⏳ .*đợi khoảng \d+ phút/);
      // even the right code is not tried while throttled; and the code still stands
      expect(await b.h.app.handle(typed('telegram:66', `/quantri ${code}`))).toMatchObject({ text: expect.stringMatching(/^⏳/) });
      await b.keeper.check();
      expect(b.shown).toHaveLength(1);
      // a sender with no wrong tries of their own is not held back by another's
      expect((await b.h.app.handle(typed('telegram:67', '/quantri KHAC-0000-XXXX')))?.text).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      // five minutes later one more try: the guesser, wrong once more; the clerk, right
      b.h.at('2023-02-13T08:06');
      expect(await guess(99)).toBe('Mã không đúng hoặc đã hết hiệu lực.');
      expect(await guess(100)).toMatch(/^⏳/);
      expect((await b.h.app.handle(typed('telegram:5', `/quantri ${code}`)))?.text).toContain('là quản trị viên');
      expect(b.shown).toHaveLength(1);
    } finally {
      await b.keeper.stop();
      await b.h.close();
    }
  });

  it('with an administrator, no code; when the last one is removed, a code appears again (as at start-up)', async () => {
    const h = await harness(tempSqliteUrl());
    const shown: boolean[] = [];
    const keeper = keepClaimCode({ prisma: h.app.db.prisma, admins: [], holder: 'host-b', clock: h.app.clock, log: silentLogger }, (_c, replaces) => shown.push(replaces), 3_600_000);
    try {
      await h.app.db.prisma.admin.create({ data: { user: 'telegram:1' } });
      await keeper.check();
      await keeper.check();
      expect(shown).toEqual([]);
      await h.app.db.prisma.admin.deleteMany();
      await keeper.check();
      await keeper.check();
      expect(shown).toEqual([false]);
    } finally {
      await keeper.stop();
      await h.close();
    }
  });
});
