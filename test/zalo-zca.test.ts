import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CookieJar } from 'tough-cookie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeZaloCommand } from '../src/cli/zalo.ts';
import { UsageError } from '../src/cli/io.ts';
import { statusChartPng } from '../src/files/chart.ts';
import { FileTooLargeError } from '../src/transports/download.ts';
import { SendError, type IncomingMessage } from '../src/transports/transport.ts';
import { ZaloTransport, type ZaloTransportOptions } from '../src/transports/zalo.ts';
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
    const modes: number[] = [];
    const qr = path.join(dir, 'qr.png');
    const login = await loginWithQr(qr, (event) => void (event.kind === 'generated' && modes.push(fs.statSync(qr).mode & 0o777)), { fetch: zalo.fetch });
    expect(login.accountId).toBe(zalo.uid);
    // the QR logs the bot's account in for whoever scans it first: only the operator may read it
    expect(modes).toEqual([0o600]);
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

describe('Zalo transport on the real zca-js', () => {
  const started: ZaloTransport[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.stop()));
  });

  async function transport(options: Partial<ZaloTransportOptions> = {}) {
    const credentialsFile = path.join(dir, 'zalo.json');
    await writeCredentials(credentialsFile, {
      cookie: [{ key: 'zpw_sek', value: 'sek-1', domain: 'chat.zalo.me', path: '/' }],
      imei: 'imei-1',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });
    const problems: string[] = [];
    const received: IncomingMessage[] = [];
    const t = new ZaloTransport({
      credentialsFile,
      connect: (credentials) => createZcaClient(credentials, { selfListen: true, fetch: zalo.fetch }),
      onSessionProblem: async (message) => void problems.push(message),
      minGapMs: 0,
      maxGapMs: 0,
      backoffBaseMs: 20,
      credentialsCheckMs: 0,
      ...options,
    });
    started.push(t);
    await t.start(async (message) => {
      received.push(message);
      return null;
    });
    await vi.waitFor(() => expect(t.status(), JSON.stringify({ problems, requests: zalo.requests })).toMatchObject({ connected: true }));
    return { t, problems, received, credentialsFile };
  }

  it('an upload whose file_done never comes ends as unknown_outcome after its timeout, and the queue moves on', async () => {
    const { t } = await transport({ uploadTimeoutMs: 300 });
    zalo.fileDone = false; // the socket misses the event zca-js waits for, with no timeout of its own
    const letter = t.send('1234', { text: 'Thư xin lỗi', attachment: { fileName: 'thu-xin-loi.docx', data: new Uint8Array(2048), mime: 'application/msword' } });
    const next = t.send('1234', { text: 'Tin sau tệp' });
    const error = await within(letter.catch((e: unknown) => e), 5_000, 'the upload');
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).reason).toBe('unknown_outcome');
    expect(await within(next, 5_000, 'the send queued after the upload')).toHaveLength(1);
    // zca-js sends the caption as a text, then uploads; the next send went out after the upload was given up
    expect(zalo.sent.map((s) => s.text ?? s.fileName)).toEqual(['Thư xin lỗi', 'thu-xin-loi.docx', 'Tin sau tệp']);
  });

  it('a chart goes as a picture with its size, the caption in its text', async () => {
    const { t } = await transport();
    const png = await statusChartPng([], { date: '2025-03-03' });
    const ids = await t.send('g7', { text: 'Biểu đồ tuần', attachment: { fileName: 'bieu-do.png', data: png, mime: 'image/png' } });
    expect(ids.length).toBeGreaterThan(0);
    const photo = zalo.sent.find((x) => x.path.endsWith('/photo_original/send'))!;
    const view = new DataView(png.buffer, png.byteOffset);
    expect(photo).toMatchObject({ threadId: 'g7', isGroup: true, width: view.getUint32(16), height: view.getUint32(20) });
    expect(photo.width).toBeGreaterThan(100);
  });

  it('close 3000 (another listener on the session) reconnects with back-off and asks for no new QR', async () => {
    const { t, problems } = await transport();
    zalo.duplicate(); // zca-js closes its socket with 3000
    await vi.waitFor(() => expect(zalo.sockets).toHaveLength(2), { timeout: 5_000 });
    await vi.waitFor(() => expect(t.status().connected).toBe(true));
    expect(problems).toEqual([]);
    expect(zalo.logins).toHaveLength(1); // the same login, only the socket again
  });

  it('close 3003 names Zalo Web and Zalo PC, then logs in again with the saved login; a new QR only when that login is refused', async () => {
    const { t, problems } = await transport({ kickDelayMs: 50 });
    zalo.close(3003);
    await vi.waitFor(() => expect(problems).toHaveLength(1), { timeout: 5_000 });
    expect(problems[0]).toMatch(/Zalo Web/);
    expect(problems[0]).toMatch(/Zalo PC/);
    await vi.waitFor(() => expect(zalo.sockets).toHaveLength(2), { timeout: 5_000 });
    await vi.waitFor(() => expect(t.status().connected).toBe(true));
    expect(zalo.logins.map((l) => l.ok)).toEqual([true, true]);
    // kicked again, and this time Zalo refuses the saved cookies: now (and only now) a QR is asked for
    zalo.validSek = 'sek-2';
    zalo.close(3003);
    await vi.waitFor(() => expect(problems.some((p) => /nhacviec zalo login/.test(p))).toBe(true), { timeout: 5_000 });
    expect(problems.at(-1)).toMatch(/quét lại mã QR/);
    expect(t.status().connected).toBe(false);
    expect(zalo.logins.at(-1)).toEqual({ sek: 'sek-1', ok: false });
  });

  it('reads texts, quotes and shared documents as zca-js parses them off the socket; a send without msgId is confirmed by its echo', async () => {
    const files = http.createServer((req, res) => {
      const body = Buffer.alloc(req.url === '/big' ? 300_000 : 7295, 1);
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...(req.url === '/chunked' ? {} : { 'content-length': String(body.length) }) });
      res.end(body);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    try {
      const { t, received } = await transport();
      zalo.sends.push('echoOnly');
      const [sentId] = await t.send('g5', { text: 'Nhắc việc 1.2' });
      expect(sentId).toMatch(/^\d+$/);
      zalo.deliver('g5', { msgId: '501', uidFrom: '7301', dName: 'Chị Lan', content: 'xong', quote: { ownerId: 0, globalMsgId: Number(sentId), cliMsgId: 1, fromD: 'Nhắc việc' } });
      const share = (title: string, href: string, fileSize: string) => ({
        msgId: String(Math.floor(Math.random() * 1e9)),
        uidFrom: '7302',
        dName: 'Anh Minh',
        msgType: 'share.file',
        content: { title, href, description: '', thumb: '', childnumber: 0, action: 'recommened.file', params: JSON.stringify({ fileSize, checksum: 'x', fileExt: 'docx', tWidth: 0, tHeight: 0 }), type: '' },
      });
      zalo.deliver('7302', share('ke-hoach-2025.docx', `${base}/ok`, '7295'), false);
      zalo.deliver('7302', share('phu luc', `${base}/big`, '300000'), false);
      zalo.deliver('7302', share('khong ro co', `${base}/chunked`, ''), false);
      await vi.waitFor(() => expect(received).toHaveLength(4));
      expect(received[0]).toMatchObject({ chat: 'zalo:g5', user: 'zalo:7301', userName: 'Chị Lan', text: 'xong', replyTo: sentId });
      expect(received[0]!.file).toBeUndefined();
      const [, plan, big, chunked] = received;
      expect(plan).toMatchObject({ chat: 'zalo:7302', user: 'zalo:7302', text: '', file: { name: 'ke-hoach-2025.docx', size: 7295 } });
      expect(plan!.file!.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect((await plan!.file!.download(10_000)).byteLength).toBe(7295);
      expect(big!.file).toMatchObject({ name: 'phu luc.docx', size: 300_000 });
      await expect(big!.file!.download(100_000)).rejects.toBeInstanceOf(FileTooLargeError);
      expect(chunked!.file!.size).toBeNull();
      await expect(chunked!.file!.download(1_000)).rejects.toThrow(/lớn hơn giới hạn/); // no length given: cut off while reading
    } finally {
      files.closeAllConnections();
      await new Promise((resolve) => files.close(resolve));
    }
  });
});
