import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { SendError } from '../src/transports/transport.ts';
import { ZaloSendQueue, type ZaloQueueOptions, type ZaloQueueSession } from '../src/transports/zalo-queue.ts';
import { credentialsText } from '../src/transports/zalo-credentials.ts';
import { ZaloSession } from '../src/transports/zalo-session.ts';
import { fakeTime, FakeZalo, groupText, sampleCredentials, zaloApiError } from './helpers/fake-zalo.ts';

/** The send queue alone, with a stub session (no login, no listener); the session alone, with no queue. */
function queue(client: FakeZalo | null, options: Partial<ZaloQueueOptions> = {}) {
  const time = fakeTime();
  const calls = { authRejected: [] as string[], sent: 0 };
  const session: ZaloQueueSession = {
    client: () => client,
    unavailable: () => new SendError('Zalo chưa kết nối', 'retry'),
    authRejected: async (reason) => void calls.authRejected.push(reason),
    sent: () => void calls.sent++,
    pause: time.sleep,
  };
  const q = new ZaloSendQueue(session, { maxLength: 2000, log: silentLogger, random: () => 0.5, now: time.now, ...options });
  return { q, time, calls };
}

describe('ZaloSendQueue', () => {
  it('without a client every send fails as the session says (retry), and the queue goes on', async () => {
    const { q } = queue(null);
    await expect(q.send('g1', { text: 'một' })).rejects.toMatchObject({ reason: 'retry', message: 'Zalo chưa kết nối' });
    await expect(q.send('g1', { text: 'hai' })).rejects.toBeInstanceOf(SendError);
  });

  it('splits a long text on line boundaries into parts of at most 2000 characters, the commands on the last one', async () => {
    const fake = new FakeZalo(sampleCredentials());
    const { q, calls } = queue(fake, { minGapMs: 0, maxGapMs: 0 });
    const lines = Array.from({ length: 120 }, (_, i) => `${i + 1}. Nhiệm vụ số ${i + 1}: rà soát thủ tục hành chính`);
    const ids = await q.send('g1', { text: lines.join('\n'), buttons: [{ label: '✅ Đã xong 1.2', data: '/done 1.2' }] });
    expect(ids.length).toBeGreaterThan(2);
    expect(fake.sent).toHaveLength(ids.length);
    for (const part of fake.sent) expect(part.text.length).toBeLessThanOrEqual(2000);
    const joined = fake.sent.map((p) => p.text).join('\n');
    for (const line of lines) expect(joined).toContain(line); // no line cut in two
    expect(fake.sent.at(-1)!.text).toContain('/done 1.2');
    expect(calls.sent).toBe(ids.length);
  });

  it('a text send that never answers and whose echo never comes is unknown_outcome after its timeout', async () => {
    const fake = new FakeZalo(sampleCredentials());
    fake.sendMessage = () => new Promise(() => {});
    const { q } = queue(fake, { sendTimeoutMs: 30 });
    await expect(q.send('g1', { text: 'treo' })).rejects.toMatchObject({ reason: 'unknown_outcome' });
  });

  it('an auth error is handed to the session and becomes retry', async () => {
    const fake = new FakeZalo(sampleCredentials());
    fake.behaviours.push({ kind: 'throw', error: zaloApiError('zpw_sek bị thiếu hoặc không đúng', 600) });
    const { q, calls } = queue(fake);
    await expect(q.send('g1', { text: 'x' })).rejects.toMatchObject({ reason: 'retry' });
    expect(calls.authRejected).toEqual(['zpw_sek bị thiếu hoặc không đúng']);
  });
});

describe('ZaloSession alone (no send queue)', () => {
  it('logs in, hands the listener messages on, restarts after a drop and closes on stop', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nhacviec-zalo-session-'));
    const credentialsFile = path.join(dir, 'zalo.json');
    await writeFile(credentialsFile, credentialsText(sampleCredentials()));
    const time = fakeTime();
    const fake = new FakeZalo(sampleCredentials(), time.now);
    const heard: string[] = [];
    const session = new ZaloSession(
      { credentialsFile, connect: async () => fake, sleep: time.sleep, now: time.now, random: () => 0.5, credentialsCheckMs: 0 },
      { message: (m) => void heard.push(String(m.data.content)), groupEvent: () => {} },
    );
    try {
      await session.start();
      expect(session.status()).toEqual({ connected: true, detail: 'đã kết nối' });
      expect(session.client()).toBe(fake);
      fake.deliver(groupText('g1', 'u1', 'chào', 'm1'));
      expect(heard).toEqual(['chào']);
      fake.drop(1006);
      await vi.waitFor(() => expect(fake.starts).toBe(2));
      expect(time.sleeps).toEqual([1500]);
      await session.stop();
      expect(session.client()).toBeNull();
      session.close();
      expect(fake.running).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
