import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import { notifyAdmins } from '../src/store/admin-notices.ts';
import { claimAdmin, issueClaimCode } from '../src/store/admins.ts';
import type { IncomingMessage } from '../src/transports/transport.ts';
import { harness, type Harness } from './helpers/app.ts';
import { cli } from './helpers/cli.ts';
import { tempSqliteUrl } from './helpers/db.ts';

type AdminsJson = { admins: { id: string; source: 'env' | 'db'; added: string | null }[] };

/** a message typed by `user`, in their private chat with the bot unless `chat` says otherwise */
const typed = (user: string, text: string, chat = user): IncomingMessage => ({ chat, user, userName: 'Chị Lan', messageId: String(Math.random()), text });

// each CLI call is a fresh process (tsx, the migrations): several of them take long on a loaded machine
describe('admin CLI (contracts.md): administrators in the database, without a restart', { timeout: 120_000 }, () => {
  let url: string;
  let h: Harness;
  beforeAll(async () => {
    url = tempSqliteUrl();
    h = await harness(url, { env: { NHACVIEC_ADMINS: 'telegram:1' } });
    await ensureExamplePlan(h.app);
  });
  afterAll(() => h.close());

  it('admin add makes a running bot obey the new administrator at once; list shows both sources; remove takes it back', async () => {
    const env = { DATABASE_URL: url, NHACVIEC_ADMINS: 'telegram:1' };
    const before = await h.app.handle(typed('telegram:42', '/pause', 'telegram:-100500'));
    expect(before?.text).toContain('chỉ dành cho quản trị viên');

    const added = await cli(['admin', 'add', 'telegram:42', '--json'], env);
    expect(added.code).toBe(0);
    const json = added.json as AdminsJson;
    expect(json.admins.map((a) => [a.id, a.source])).toEqual([['telegram:1', 'env'], ['telegram:42', 'db']]);
    expect(json.admins[0]!.added).toBeNull();
    expect(Date.parse(json.admins[1]!.added!)).not.toBeNaN();

    // the same app, no restart
    const after = await h.app.handle(typed('telegram:42', '/pause', 'telegram:-100500'));
    expect(after?.text).not.toContain('chỉ dành cho quản trị viên');
    expect(await h.app.db.prisma.chatGroup.findUniqueOrThrow({ where: { chat: 'telegram:-100500' } })).toMatchObject({ paused: true });

    const again = await cli(['admin', 'add', 'telegram:42'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('đã là quản trị viên');
    const list = await cli(['admin', 'list'], env);
    expect(list.stdout).toContain('telegram:1 (NHACVIEC_ADMINS)');
    expect(list.stdout).toMatch(/telegram:42 \(thêm lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\)/);

    const removed = await cli(['admin', 'remove', 'telegram:42', '--json'], env);
    expect(removed.code).toBe(0);
    expect((removed.json as AdminsJson).admins.map((a) => a.id)).toEqual(['telegram:1']);
    expect((await h.app.handle(typed('telegram:42', '/resume', 'telegram:-100500')))?.text).toContain('chỉ dành cho quản trị viên');

    const audit = await h.app.db.prisma.auditLog.findMany({ where: { action: { in: ['admin_add', 'admin_remove'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor, a.detail])).toEqual([
      ['admin_add', 'cli', 'telegram:42'],
      ['admin_remove', 'cli', 'telegram:42'],
    ]);
  }, 180_000);

  it('wrong input: exit 1, a Vietnamese reason, nothing written', async () => {
    const env = { DATABASE_URL: url, NHACVIEC_ADMINS: 'telegram:1' };
    const count = () => h.app.db.prisma.admin.count();
    const before = await count();
    for (const [args, reason] of [
      [['admin', 'add', '42'], 'không phải mã người dùng'],
      [['admin', 'add'], 'Cách dùng: admin add'],
      [['admin', 'remove', 'telegram:1'], 'NHACVIEC_ADMINS'],
      [['admin', 'remove', 'telegram:9'], 'không phải quản trị viên'],
      [['admin', 'promote', 'telegram:9'], 'Cách dùng'],
    ] as const) {
      const r = await cli([...args], env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(reason);
    }
    expect(await count()).toBe(before);
  }, 180_000);

  it('notices reach the administrators of the database as well as those of NHACVIEC_ADMINS', async () => {
    const prisma = h.app.db.prisma;
    await prisma.admin.create({ data: { user: 'zalo:77' } });
    await prisma.admin.create({ data: { user: 'telegram:78' } });
    const now = new Date();
    await notifyAdmins(prisma, ['telegram:1'], 'thử thông báo', now, (a) => a.startsWith('zalo:'));
    const rows = await prisma.outbox.findMany({ where: { text: 'thử thông báo' }, select: { chat: true } });
    expect(rows.map((r) => r.chat).sort()).toEqual(['telegram:1', 'telegram:78']);
  });
});

describe('the one-time claim code: the first administrator from the chat', () => {
  it('the right code in a private chat makes the sender administrator, once; the code then dies', async () => {
    const h = await harness(tempSqliteUrl());
    try {
      const prisma = h.app.db.prisma;
      const issued = await issueClaimCode(prisma, [], 'instance-a', h.app.clock());
      expect(issued?.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(JSON.stringify(await prisma.state.findMany())).not.toContain(issued!.code);

      expect((await h.app.handle(typed('telegram:5', '/quantri ABCD-EFGH-JKMN')))?.text).toContain('Mã không đúng');
      // typed loosely: lower case, no dashes
      const claimed = await h.app.handle(typed('telegram:5', `/quantri ${issued!.code.replace(/-/g, '').toLowerCase()}`));
      expect(claimed?.text).toContain('là quản trị viên');
      expect(await prisma.admin.findMany({ select: { user: true } })).toEqual([{ user: 'telegram:5' }]);
      expect((await h.app.handle(typed('telegram:5', '/pause', 'telegram:-1001')))?.text).not.toContain('chỉ dành cho quản trị viên');

      const second = await h.app.handle(typed('telegram:6', `/quantri ${issued!.code}`));
      expect(second?.text).toContain('đã có quản trị viên');
      expect(await prisma.admin.count()).toBe(1);
      expect(await prisma.auditLog.count({ where: { action: 'admin_add', actor: 'telegram:5' } })).toBe(1);
      // an administrator exists: a restart prints no code
      expect(await issueClaimCode(prisma, [], 'instance-a', h.app.clock())).toBeNull();
    } finally {
      await h.close();
    }
  });

  it('typed in a group, the right code is burnt, not used; wrong tries and expiry kill codes too', async () => {
    const h = await harness(tempSqliteUrl());
    try {
      const prisma = h.app.db.prisma;
      const now = h.app.clock();
      const burnt = (await issueClaimCode(prisma, [], 'a', now))!;
      expect((await h.app.handle(typed('telegram:5', `/quantri ${burnt.code}`, 'telegram:-100777')))?.text).toContain('đã bị hủy');
      expect((await h.app.handle(typed('telegram:5', `/quantri ${burnt.code}`)))?.text).toContain('Mã không đúng hoặc đã hết hiệu lực');
      expect(await prisma.admin.count()).toBe(0);

      const guessed = (await issueClaimCode(prisma, [], 'a', now))!;
      const actor = { user: 'telegram:6' };
      for (let i = 0; i < 10; i++) expect(await claimAdmin(prisma, [], `WRONG-${i}`, { actor, privateChat: true, now })).toBe('wrong');
      expect(await claimAdmin(prisma, [], guessed.code, { actor, privateChat: true, now })).toBe('no_code');

      const late = (await issueClaimCode(prisma, [], 'a', now))!;
      expect(await claimAdmin(prisma, [], late.code, { actor, privateChat: true, now: new Date(late.expiresAt.getTime() + 1) })).toBe('no_code');
      expect(await prisma.admin.count()).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('several instances on one database each print a working code; the first claim kills them all', async () => {
    const h = await harness(tempSqliteUrl());
    try {
      const prisma = h.app.db.prisma;
      const now = h.app.clock();
      const a = (await issueClaimCode(prisma, [], 'host-a', now))!;
      const b = (await issueClaimCode(prisma, [], 'host-b', now))!;
      expect(a.code).not.toBe(b.code);
      const actor = (user: string) => ({ actor: { user }, privateChat: true, now });
      const [first, second] = await Promise.all([claimAdmin(prisma, [], b.code, actor('telegram:7')), claimAdmin(prisma, [], a.code, actor('telegram:8'))]);
      expect([first, second].filter((o) => o === 'claimed')).toHaveLength(1);
      expect(await prisma.admin.count()).toBe(1);
      expect(await prisma.state.count({ where: { key: { startsWith: 'admin-claim:' } } })).toBe(0);
      // administrators of NHACVIEC_ADMINS: no code at all
      expect(await issueClaimCode(prisma, ['telegram:1'], 'host-c', now)).toBeNull();
    } finally {
      await h.close();
    }
  });
});
