import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeZaloCommand } from '../src/cli/zalo.ts';
import { UsageError } from '../src/cli/io.ts';
import { SendError, type IncomingMessage } from '../src/transports/transport.ts';
import { ZaloTransport, type ZaloTransportOptions } from '../src/transports/zalo.ts';
import { credentialsText, readCredentials, type ZaloCredentials } from '../src/transports/zalo-api.ts';
import { fakeTime, FakeZalo, groupText, sampleCredentials, zaloApiError } from './helpers/fake-zalo.ts';
import { doneButton, doneButtonsNote } from '../commands/done-buttons.ts';

let dir: string;
let credentialsFile: string;
const transports: ZaloTransport[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nhacviec-zalo-'));
  credentialsFile = path.join(dir, 'zalo.json');
  await writeFile(credentialsFile, credentialsText(sampleCredentials()), { mode: 0o600 });
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.stop()));
  await rm(dir, { recursive: true, force: true });
});

type Setup = {
  transport: ZaloTransport;
  clients: FakeZalo[];
  client: () => FakeZalo;
  time: ReturnType<typeof fakeTime>;
  received: IncomingMessage[];
  problems: string[];
  connects: () => number;
};

async function setup(options: Partial<ZaloTransportOptions> = {}, makeClient?: (creds: ZaloCredentials, n: number) => Promise<FakeZalo>): Promise<Setup> {
  const time = fakeTime();
  const clients: FakeZalo[] = [];
  const received: IncomingMessage[] = [];
  const problems: string[] = [];
  let connects = 0;
  const transport = new ZaloTransport({
    credentialsFile,
    connect: async (creds) => {
      connects++;
      const client = makeClient ? await makeClient(creds, connects) : new FakeZalo(structuredClone(creds), time.now);
      clients.push(client);
      return client;
    },
    onSessionProblem: async (message) => {
      problems.push(message);
    },
    random: () => 0.5,
    sleep: time.sleep,
    now: time.now,
    credentialsCheckMs: 0,
    ...options,
  });
  transports.push(transport);
  await transport.start(async (message) => {
    received.push(message);
    return null;
  });
  return {
    transport,
    clients,
    client: () => clients[clients.length - 1]!,
    time,
    received,
    problems,
    connects: () => connects,
  };
}

describe('Zalo transport: listener supervision', () => {
  it('restarts the listener with exponential back-off after drops, once per drop, and logs in again after repeated failures', async () => {
    const s = await setup();
    expect(s.transport.status()).toMatchObject({ name: 'zalo', connected: true });
    expect(s.client().starts).toBe(1);
    for (let i = 1; i <= 4; i++) {
      s.client().drop(1006, 'mất mạng'); // zca-js: 'disconnected' + 'closed' for one close
      await vi.waitFor(() => expect(s.client().starts).toBe(i + 1));
    }
    // one restart per drop, each later than the last (2 s · 2^n · 0.75 with random() = 0.5)
    expect(s.time.sleeps).toEqual([1500, 3000, 6000, 12000]);
    expect(s.connects()).toBe(1);
    // the fifth failure in a row: a full new login instead of one more restart of the same socket
    s.client().drop(1006);
    await vi.waitFor(() => expect(s.connects()).toBe(2));
    await vi.waitFor(() => expect(s.client().starts).toBe(1));
    expect(s.clients[0]!.starts).toBe(5);
    expect(s.time.sleeps).toEqual([1500, 3000, 6000, 12000, 24000]);
    expect(s.problems).toEqual([]);
  });

  it('does not loop hot when the listener cannot start: the delays grow to the cap and never shrink to zero', async () => {
    const s = await setup({ reloginAfter: 1000 });
    s.client().failStart = true;
    s.client().drop(1006);
    await vi.waitFor(() => expect(s.time.sleeps.length).toBeGreaterThanOrEqual(12));
    await s.transport.stop();
    const delays = s.time.sleeps.slice(0, 12);
    for (const [i, d] of delays.entries()) {
      expect(d).toBeGreaterThanOrEqual(1000);
      if (i > 0) expect(d).toBeGreaterThanOrEqual(delays[i - 1]!);
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(5 * 60_000);
    expect(delays.at(-1)).toBe(Math.round(5 * 60_000 * 0.75));
    expect(s.transport.status().connected).toBe(false);
  });

  it('status(): connected only once the socket opened; reconnecting after a drop', async () => {
    const s = await setup({}, async (creds) => {
      const fake = new FakeZalo(creds, Date.now);
      fake.emitConnected = false;
      return fake;
    });
    expect(s.transport.status()).toMatchObject({ connected: false, detail: 'đang đăng nhập' });
    s.client().emitter.emit('connected');
    expect(s.transport.status()).toEqual({ name: 'zalo', connected: true, detail: 'đã kết nối' });
    s.client().drop(1006, 'mất mạng');
    await vi.waitFor(() => expect(s.client().starts).toBe(2));
    expect(s.transport.status().connected).toBe(false);
    expect(s.transport.status().detail).toContain('đang kết nối lại');
    expect(s.transport.leaseKey()).toBe('zalo:bot-1');
    expect(s.transport.accountId()).toBe('bot-1');
  });

  it('loses no incoming message when the listener closes every minute (10 closes)', async () => {
    const s = await setup();
    const fake = s.client();
    for (let i = 1; i <= 10; i++) {
      s.time.t += 60_000; // the connection lasted a minute
      fake.drop(1006);
      await vi.waitFor(() => expect(fake.starts).toBe(i + 1));
      fake.deliver(groupText('g1', 'u9', `tin số ${i}`, `m${i}`));
    }
    await vi.waitFor(() => expect(s.received).toHaveLength(10));
    expect(s.received.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `tin số ${i + 1}`));
    expect(new Set(s.received.map((m) => m.messageId)).size).toBe(10); // each handled exactly once
    // a connection that stayed up resets the back-off: every restart waited the first delay only
    expect(s.time.sleeps).toEqual(Array(10).fill(1500));
    expect(s.connects()).toBe(1);
    expect(s.transport.status().connected).toBe(true);
  });
});

describe('Zalo transport: expired or kicked session', () => {
  it('a kick (3003) is told once, naming Zalo Web and Zalo PC, and followed by a new login with the saved credentials after a longer delay', async () => {
    const s = await setup({ kickDelayMs: 60_000 });
    s.client().drop(3003, 'kick');
    await vi.waitFor(() => expect(s.connects()).toBe(2));
    await vi.waitFor(() => expect(s.transport.status().connected).toBe(true));
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toContain('3003');
    expect(s.problems[0]).toContain('Zalo Web');
    expect(s.problems[0]).toContain('Zalo PC');
    expect(s.problems[0]).not.toContain('zalo login'); // no new QR while the saved login works
    expect(s.time.sleeps).toEqual([45_000]); // 60 s · 0.75, not the 2 s of a network drop
    expect(s.clients[0]!.stops).toBeGreaterThan(0); // the kicked client is closed, not restarted
    // kicked again at once: the delay grows, the administrators are not told twice
    s.client().drop(3003);
    await vi.waitFor(() => expect(s.connects()).toBe(3));
    expect(s.time.sleeps).toEqual([45_000, 90_000]);
    expect(s.problems).toHaveLength(1);
  });

  it('a kick whose saved login Zalo then refuses asks for a new QR and logs in when new credentials are saved', async () => {
    let refuse = false;
    const s = await setup({ kickDelayMs: 60_000, credentialsPollMs: 60_000 }, async (creds) => {
      if (refuse) throw zaloApiError('The session key was improperly submitted or has reached its timeout', 102);
      return new FakeZalo(structuredClone(creds), Date.now);
    });
    refuse = true;
    s.client().drop(3003);
    await vi.waitFor(() => expect(s.problems).toHaveLength(2));
    expect(s.problems[1]).toContain('nhacviec zalo login');
    await vi.waitFor(() => expect(s.time.sleeps.filter((ms) => ms === 60_000).length).toBeGreaterThanOrEqual(3));
    expect(s.connects()).toBe(2); // waiting for the file, not hammering Zalo
    await expect(s.transport.send('g1', { text: 'Nhắc việc' })).rejects.toMatchObject({ reason: 'retry' });
    refuse = false;
    await writeFile(credentialsFile, credentialsText(sampleCredentials('moi')));
    await vi.waitFor(() => expect(s.connects()).toBe(3));
    await vi.waitFor(() => expect(s.transport.status().connected).toBe(true));
  });

  it('a duplicate listener (3000) restarts the same socket with back-off; several in a row are told once', async () => {
    const s = await setup();
    s.client().drop(3000);
    await vi.waitFor(() => expect(s.client().starts).toBe(2));
    expect(s.problems).toEqual([]);
    expect(s.connects()).toBe(1);
    s.client().drop(3000);
    await vi.waitFor(() => expect(s.client().starts).toBe(3));
    s.client().drop(3000);
    await vi.waitFor(() => expect(s.client().starts).toBe(4));
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toContain('3000');
    expect(s.problems[0]).toContain('hai bản bot');
    expect(s.time.sleeps).toEqual([1500, 3000, 6000]);
    s.client().drop(3000);
    await vi.waitFor(() => expect(s.client().starts).toBe(5));
    expect(s.problems).toHaveLength(1);
  });

  it('stops at once while a login hangs', async () => {
    const transport = new ZaloTransport({ credentialsFile, connect: () => new Promise(() => {}), credentialsCheckMs: 0 });
    const starting = transport.start(async () => null);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await transport.stop();
    await starting;
    expect(Date.now() - t0).toBeLessThan(1_000); // not the 60 s login timeout, nor the 30 s start-up wait
    expect(transport.status().detail).toBe('đã dừng');
  });

  it('a login that never answers counts as failed after its timeout and is tried again', async () => {
    const s = await setup({ loginTimeoutMs: 50 }, async (creds, n) => {
      if (n === 1) return new Promise<FakeZalo>(() => {});
      return new FakeZalo(structuredClone(creds), Date.now);
    });
    await vi.waitFor(() => expect(s.connects()).toBe(2));
    await vi.waitFor(() => expect(s.transport.status().connected).toBe(true));
    expect(s.time.sleeps).toEqual([1500]);
  });

  it('does not crash when the saved login is refused at start: reports once and waits', async () => {
    const s = await setup({}, async () => {
      throw zaloApiError('The session key was improperly submitted or has reached its timeout', 102);
    });
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toContain('nhacviec zalo login');
    expect(s.transport.status()).toMatchObject({ connected: false });
    await vi.waitFor(() => expect(s.time.sleeps.length).toBeGreaterThanOrEqual(3));
    expect(s.connects()).toBe(1);
    expect(s.problems).toHaveLength(1);
  });

  it('reports a missing credentials file in Vietnamese without crashing', async () => {
    await rm(credentialsFile);
    const s = await setup();
    expect(s.connects()).toBe(0);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toContain('Chưa có tệp đăng nhập Zalo');
  });

  it('an auth failure when sending → SendError retry, the administrators told once, a fresh login', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const first = s.client();
    first.behaviours.push({ kind: 'throw', error: zaloApiError('zpw_sek bị thiếu hoặc không đúng', 600) });
    first.behaviours.push({ kind: 'throw', error: zaloApiError('zpw_sek bị thiếu hoặc không đúng', 600) });
    const error = await s.transport.send('g1', { text: 'Nhắc việc' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).reason).toBe('retry');
    expect(first.sent).toHaveLength(1);
    expect(s.problems).toHaveLength(1);
    await vi.waitFor(() => expect(s.connects()).toBe(2));
    await vi.waitFor(() => expect(s.transport.status().connected).toBe(true));
    expect(await s.transport.send('g1', { text: 'Nhắc việc' })).toEqual(['1000']);
  });
});

describe('Zalo transport: sending', () => {
  it('a send without msgId confirmed by its echo returns the echo id', async () => {
    const s = await setup();
    s.client().behaviours.push({ kind: 'noIdEcho', echoId: '7700112233' });
    expect(await s.transport.send('g1', { text: 'Nhắc việc: hạn 30/06' })).toEqual(['7700112233']);
    expect(s.client().sent).toHaveLength(1);
    expect(s.received).toHaveLength(0); // its own message is not handed to the bot
  });

  it('an echo arriving shortly after the call also confirms the send', async () => {
    const s = await setup({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)), echoWaitMs: 2_000, minGapMs: 0, maxGapMs: 0 });
    s.client().behaviours.push({ kind: 'noIdLateEcho', echoId: '88', delayMs: 30 });
    expect(await s.transport.send('g1', { text: 'Nhắc việc muộn' })).toEqual(['88']);
  });

  it('a send without msgId and without echo → SendError unknown_outcome, sendMessage called exactly once', async () => {
    const s = await setup();
    const fake = s.client();
    fake.behaviours.push({ kind: 'noId' });
    // echoes that do not match: another thread, another text, an id already known
    fake.echo('g2', 'Nhắc việc', 'x1');
    fake.echo('g1', 'Tin khác', 'x2');
    const error = await s.transport.send('g1', { text: 'Nhắc việc' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).reason).toBe('unknown_outcome');
    expect(fake.sent).toHaveLength(1);
  });

  it('a network failure whose echo came back counts as sent; without echo it is retry', async () => {
    const s = await setup({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)), echoWaitMs: 300, minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    fake.behaviours.push({ kind: 'throw', error: new Error('fetch failed') });
    const err = await s.transport.send('g1', { text: 'A' }).catch((e: unknown) => e);
    expect((err as SendError).reason).toBe('retry');
    // the socket shows our message although the HTTP call failed
    fake.behaviours.push({ kind: 'throw', error: new Error('socket hang up') });
    const sending = s.transport.send('g1', { text: 'B' });
    await vi.waitFor(() => expect(fake.sent).toHaveLength(2));
    fake.echo('g1', 'B', '555');
    expect(await sending).toEqual(['555']);
    expect(fake.sent).toHaveLength(2);
  });

  it('spaces the sends of one queue 1.5–3 s apart, in order', async () => {
    let r = 0;
    const randoms = [0, 0.9, 0.3, 1 - 1e-9, 0.6];
    const s = await setup({ random: () => randoms[r++ % randoms.length]! });
    const fake = s.client();
    const texts = ['một', 'hai', 'ba', 'bốn', 'năm', 'sáu'];
    const ids = await Promise.all(texts.map((text, i) => s.transport.send(i % 2 ? 'g1' : 'u7', { text })));
    expect(ids.flat()).toHaveLength(6);
    expect(fake.sent.map((c) => c.text)).toEqual(texts);
    const gaps = fake.sent.slice(1).map((c, i) => c.at - fake.sent[i]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1500);
      expect(gap).toBeLessThanOrEqual(3000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1); // jitter
  });

  it('writes buttons out as commands and learns thread kinds from incoming messages', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    fake.deliver({ type: 0, threadId: 'u5', isSelf: false, data: { msgId: '1', uidFrom: 'u5', dName: 'Bà B', content: 'chào' } });
    await vi.waitFor(() => expect(s.received).toHaveLength(1));
    // a reminder's buttons as the sender gives them: the words for a platform without buttons come with them
    await s.transport.send('u5', { text: 'Nhắc việc 1.2', buttons: [doneButton('1.2')], buttonsNote: doneButtonsNote(['1.2']) });
    expect(fake.sent[0]).toMatchObject({ threadId: 'u5', isGroup: false });
    expect(fake.sent[0]!.text).toContain('Nhắc việc 1.2\n\n');
    expect(fake.sent[0]!.text).toContain('/done 1.2');
    expect(fake.sent[0]!.text).toContain('Báo đã xong: gõ /done 1.2'); // a reply "xong" is offered by the reminder's own text
    await s.transport.send('g9', { text: 'x' });
    expect(fake.sent[1]).toMatchObject({ threadId: 'g9', isGroup: true });
  });

  it('an unknown thread rejected as a group is tried once as a direct chat', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    fake.behaviours.push({ kind: 'throw', error: zaloApiError('Nhóm không tồn tại', 114) });
    expect(await s.transport.send('7311', { text: 'Báo cáo' })).toEqual(['1000']);
    expect(fake.sent.map((c) => c.isGroup)).toEqual([true, false]);
    await s.transport.send('7311', { text: 'Lần hai' });
    expect(fake.sent.at(-1)!.isGroup).toBe(false);
  });
});

describe('Zalo transport: the bot added to or removed from a group', () => {
  it('reports its own joining and leaving (not other members\'), and posts the greeting to the group', async () => {
    const calls: [string, boolean, string][] = [];
    const s = await setup({
      minGapMs: 0,
      maxGapMs: 0,
      onMembership: async (chat, present, title) => {
        calls.push([chat, present, title]);
        return present ? 'Xin chào nhóm' : null;
      },
    });
    const fake = s.client();
    const event = (type: string, members: string[]) => ({ type, threadId: 'g7', data: { groupName: 'Nhóm UBND xã', updateMembers: members.map((id) => ({ id })) } });
    fake.emitter.emit('group_event', event('join', ['u5'])); // someone else joined
    fake.emitter.emit('group_event', event('join', [fake.ownId]));
    await vi.waitFor(() => expect(fake.sent).toHaveLength(1));
    expect(fake.sent[0]).toMatchObject({ text: 'Xin chào nhóm', threadId: 'g7', isGroup: true });
    fake.emitter.emit('group_event', event('update_setting', [fake.ownId]));
    fake.emitter.emit('group_event', event('remove_member', [fake.ownId]));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls).toEqual([
      ['zalo:g7', true, 'Nhóm UBND xã'],
      ['zalo:g7', false, 'Nhóm UBND xã'],
    ]);
    expect(fake.sent).toHaveLength(1);
  });
});

describe('Zalo transport: incoming', () => {
  it('a reply quoting a person carries that person as replyToUser; quoting the bot does not', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    const quoting = (msgId: string, ownerId: string, fromD: string) => ({
      type: 1 as const,
      threadId: 'g1',
      isSelf: false,
      data: { msgId, uidFrom: 'u1', dName: 'Quản trị', content: '/officer add', quote: { globalMsgId: 555, ownerId, fromD } },
    });
    fake.deliver(quoting('9001', '7300000000001', 'Trần Thị B'));
    fake.deliver(quoting('9002', fake.ownId, 'Nhắc việc'));
    await vi.waitFor(() => expect(s.received).toHaveLength(2));
    expect(s.received[0]!.replyToUser).toEqual({ user: 'zalo:7300000000001', name: 'Trần Thị B' });
    expect(s.received[1]!.replyToUser).toBeUndefined();
  });

  it('a reply quoting a message carries replyTo = quote.globalMsgId as a string', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    fake.behaviours.push({ kind: 'noIdEcho', echoId: '7312345678901' });
    const [sentId] = await s.transport.send('g1', { text: 'Nhắc việc 1.2' });
    fake.deliver(groupText('g1', 'u9', 'xong', '7312345678999', Number(sentId)));
    fake.deliver(groupText('g1', 'u9', 'chào cả nhóm', '7312345679000'));
    fake.deliver({ type: 1, threadId: 'g1', isSelf: false, data: { msgId: '1', uidFrom: 'u9', content: { href: 'ảnh' } } }); // a photo
    fake.echo('g1', 'tin của chính bot', '42');
    await vi.waitFor(() => expect(s.received).toHaveLength(2));
    expect(s.received[0]).toEqual({
      chat: 'zalo:g1',
      user: 'zalo:u9',
      userName: 'Nguyễn Văn A',
      messageId: '7312345678999',
      text: 'xong',
      replyTo: '7312345678901',
    });
    expect(s.received[0]!.replyTo).toBe(sentId);
    expect(s.received[1]!.replyTo).toBeUndefined();
  });

  it('sends the handler reply back to the same thread', async () => {
    const time = fakeTime();
    const fake = new FakeZalo(sampleCredentials(), time.now);
    const transport = new ZaloTransport({ credentialsFile, connect: async () => fake, sleep: time.sleep, now: time.now, random: () => 0, credentialsCheckMs: 0 });
    transports.push(transport);
    await transport.start(async (m) => ({ text: `Đã ghi nhận: ${m.text}` }));
    fake.deliver(groupText('g3', 'u1', '/status', '5'));
    await vi.waitFor(() => expect(fake.sent).toHaveLength(1));
    expect(fake.sent[0]).toMatchObject({ threadId: 'g3', isGroup: true, text: 'Đã ghi nhận: /status' });
  });
});

describe('Zalo credentials', () => {
  it('re-saves the credentials atomically (temp file + rename, mode 0600) when Zalo renews the cookies', async () => {
    const s = await setup({ minGapMs: 0, maxGapMs: 0 });
    const fake = s.client();
    const before = await stat(credentialsFile);
    await s.transport.send('g1', { text: 'một' });
    await new Promise((r) => setTimeout(r, 20));
    expect((await stat(credentialsFile)).ino).toBe(before.ino); // unchanged login: not rewritten
    // only access times changed: still not rewritten
    fake.credentials = { ...fake.credentials, cookie: [{ ...(fake.credentials.cookie as object[])[0]!, lastAccessed: '2024-01-02T00:00:00Z' } as never] };
    await s.transport.send('g1', { text: 'hai' });
    await new Promise((r) => setTimeout(r, 20));
    expect((await stat(credentialsFile)).ino).toBe(before.ino);
    // Zalo renewed zpw_sek
    fake.credentials = sampleCredentials('moi-hon');
    await s.transport.send('g1', { text: 'ba' });
    await vi.waitFor(async () => expect((await readCredentials(credentialsFile)).credentials).toEqual(sampleCredentials('moi-hon')));
    const after = await stat(credentialsFile);
    expect(after.ino).not.toBe(before.ino); // replaced by rename, not rewritten in place
    expect(after.mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['zalo.json']); // no temp file left
  });

  it('rejects a credentials file without imei/userAgent with a Vietnamese message', async () => {
    await writeFile(credentialsFile, JSON.stringify({ cookie: [] }));
    await expect(readCredentials(credentialsFile)).rejects.toThrow(/thiếu cookie, imei hoặc userAgent/);
  });
});

describe('zalo login (CLI)', () => {
  it('needs ZALO_CREDENTIALS_FILE', async () => {
    const cmd = makeZaloCommand({ env: {}, login: async () => ({ credentials: sampleCredentials(), accountId: '1' }), progress: () => {} });
    await expect(cmd.run(['login'], { json: false })).rejects.toBeInstanceOf(UsageError);
    await expect(cmd.run(['login'], { json: false })).rejects.toThrow(/ZALO_CREDENTIALS_FILE/);
  });

  it('writes the QR, stores the credentials (0600) and reports the account', async () => {
    const file = path.join(dir, 'sub', 'zalo-moi.json');
    const lines: string[] = [];
    const cmd = makeZaloCommand({
      env: { ZALO_CREDENTIALS_FILE: file },
      progress: (l) => lines.push(l),
      login: async (qrPath, onQr) => {
        await writeFile(qrPath, 'png');
        await onQr({ kind: 'generated', path: qrPath, code: 'abc' });
        await onQr({ kind: 'scanned', name: 'Bot Nhắc việc' });
        return { credentials: sampleCredentials('qr'), accountId: '7311' };
      },
    });
    const out = await cmd.run(['login', '--qr', path.join(dir, 'qr.png')], { json: true });
    expect(out.json).toEqual({ account: '7311', credentialsFile: file });
    expect(out.text).toContain('Đã đăng nhập Zalo');
    expect(lines.join('\n')).toContain('quét bằng ứng dụng Zalo');
    // Zalo binds the login to the user agent and IP: said before the QR and in the result
    expect(lines[0]).toContain('trên chính máy chủ chạy bot');
    expect(out.text).toContain('trên chính máy chủ chạy bot');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(sampleCredentials('qr'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).not.toContain('qr.png'); // the used QR is removed
  });
});
