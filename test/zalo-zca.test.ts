import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CookieJar } from 'tough-cookie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeZaloCommand } from '../src/cli/zalo.ts';
import { UsageError } from '../src/cli/io.ts';
import { createZcaClient, loginWithQr, readCredentials, writeCredentials } from '../src/transports/zalo-api.ts';
import { ZaloDouble } from './helpers/zalo-double.ts';

/** The Zalo transport's edges against the real zca-js classes, driven offline through a Zalo double. */

let dir: string;
let zalo: ZaloDouble;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nhacviec-zca-'));
  zalo = await new ZaloDouble().start();
});

afterEach(async () => {
  await zalo.stop();
  await rm(dir, { recursive: true, force: true });
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('zca-js credentials', () => {
  it('what zca-js hands out to save (tough-cookie leaves an empty cookie value out) reads back, and the bot logs in with it', async () => {
    const file = path.join(dir, 'zalo.json');
    const login = await loginWithQr(path.join(dir, 'qr.png'), () => {}, { fetch: zalo.fetch });
    expect(login.accountId).toBe(zalo.uid);
    await writeCredentials(file, login.credentials);
    const client = await createZcaClient((await readCredentials(file)).credentials, { fetch: zalo.fetch });
    // the running bot re-saves the session's cookies from zca-js's jar
    const renewed = client.getContext();
    const cookies = renewed.cookie as Record<string, unknown>[];
    expect(cookies.find((c) => c.key === 'app.event.zalo.me')).not.toHaveProperty('value');
    await writeCredentials(file, renewed);
    const read = await readCredentials(file);
    await createZcaClient(read.credentials, { fetch: zalo.fetch });
    expect(zalo.logins.map((l) => l.ok)).toEqual([true, true, true]);
  });

  it('accepts a jar serialised by tough-cookie itself, in both of its shapes', async () => {
    const jar = new CookieJar();
    await jar.setCookie('zpw_sek=sek-1; Domain=.chat.zalo.me; Path=/', 'https://chat.zalo.me');
    await jar.setCookie('blank=; Domain=.zalo.me; Path=/', 'https://id.zalo.me');
    const serialized = jar.toJSON()!;
    const file = path.join(dir, 'jar.json');
    for (const cookie of [serialized.cookies, serialized] as const) {
      await writeCredentials(file, { cookie: cookie as never, imei: 'imei-1', userAgent: 'Mozilla/5.0' });
      const { credentials } = await readCredentials(file);
      const cookies = Array.isArray(credentials.cookie) ? credentials.cookie : credentials.cookie.cookies;
      expect(cookies.map((c) => [c.key, c.value])).toEqual([
        ['zpw_sek', 'sek-1'],
        ['blank', ''],
      ]);
    }
  });
});

describe('zca-js QR login', () => {
  it('declining on the phone ends the login with a Vietnamese message (exit 1), it does not hang', async () => {
    zalo.qrAnswer = 'decline';
    const events: string[] = [];
    const cmd = makeZaloCommand({
      env: { ZALO_CREDENTIALS_FILE: path.join(dir, 'zalo.json') },
      progress: (line) => events.push(line),
      login: (qrPath, onQr) => loginWithQr(qrPath, onQr, { fetch: zalo.fetch }),
    });
    const error = await within(cmd.run(['login'], { json: false }).catch((e: unknown) => e), 5_000, 'zalo login after a decline');
    expect(error).toBeInstanceOf(UsageError); // the CLI exits 1 on a UsageError
    expect((error as Error).message).toMatch(/bị từ chối trên điện thoại/);
    expect(events.join('\n')).toContain('từ chối');
  });
});
