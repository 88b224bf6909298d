import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A Zalo Web server double for driving the REAL zca-js 2.2.0 classes offline: its HTTP calls go through the
 * `fetch` this double hands out (zca-js's `polyfill` option, no network at all), its listener connects to a
 * WebSocket server on 127.0.0.1 (port 0) whose address the double gives out as the login's `zpw_ws`.
 *
 * Written from zca-js's own source (node_modules/zca-js/dist): apis/loginQR.js (the QR flow), apis/login.js
 * (getLoginInfo answered encrypted with the key derived from the request's zcid/zcid_ext, getServerInfo),
 * utils.js (encodeAES/decodeAES with the session's zpw_enk, resolveResponse, decodeEventData with encrypt 0),
 * apis/listen.js (4-byte frame header: version, cmd as uint16 LE, subCmd; cmd 501/521 messages, 601 controls
 * such as file_done, 3000 "another connection"), apis/sendMessage.js and apis/uploadAttachment.js.
 */

/** What the double does with the next text send. */
export type DoubleSend = 'ok' | 'noId' | 'echoOnly' | { error: number; message: string };

export type DoubleSent = { path: string; threadId: string; isGroup: boolean; text?: string; fileName?: string };

export type DoubleMessage = {
  msgId: string;
  uidFrom: string;
  dName?: string;
  msgType?: string;
  content: unknown;
  quote?: Record<string, unknown>;
};

const LOGIN_VERSION = '2.44.12';
/** a 1×1 PNG */
const QR_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=';

function aes(key: Buffer, text: string): string {
  const cipher = crypto.createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

function unaes(key: Buffer, base64: string): string {
  const decipher = crypto.createDecipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
  return Buffer.concat([decipher.update(Buffer.from(decodeURIComponent(base64), 'base64')), decipher.final()]).toString('utf8');
}

/** zca-js ParamsEncryptor.createEncryptKey, server side: the key getLoginInfo's answer is encrypted with. */
function loginKey(zcid: string, zcidExt: string): string {
  const md5 = crypto.createHash('md5').update(zcidExt).digest('hex').toUpperCase();
  const even = (s: string) => [...s].filter((_, i) => i % 2 === 0);
  const odd = (s: string) => [...s].filter((_, i) => i % 2 === 1);
  return even(md5).slice(0, 8).join('') + even(zcid).slice(0, 12).join('') + odd(zcid).reverse().slice(0, 12).join('');
}

function json(body: unknown, headers: Record<string, string | string[]> = {}, status = 200): Response {
  const h = new Headers({ 'content-type': 'application/json' });
  for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) h.append(k, one);
  return new Response(JSON.stringify(body), { status, headers: h });
}

export class ZaloDouble {
  readonly uid = '7300000000099';
  /** the session's zpw_enk: every service call is AES-encrypted with it */
  readonly secretKey = crypto.randomBytes(32).toString('base64');
  /** the zpw_sek cookie value the double accepts; anything else is an expired login */
  validSek = 'sek-1';
  /** the QR flow's answer once scanned: confirmed on the phone or declined there */
  qrAnswer: 'confirm' | 'decline' = 'confirm';
  /** cookies Zalo sets at the end of a QR login (Set-Cookie lines) */
  loginCookies = [
    'zpw_sek=sek-1; Domain=.chat.zalo.me; Path=/; Secure; HttpOnly',
    // an empty value, as Zalo sets for some cookies: tough-cookie serialises it without a "value" field
    'app.event.zalo.me=; Domain=.zalo.me; Path=/',
    'zpsid=psid-1; Domain=.zalo.me; Path=/; Secure; HttpOnly',
  ];
  /** send uploads' file_done on the socket (false: the event is missed, the upload never completes) */
  fileDone = true;
  readonly sends: DoubleSend[] = [];
  readonly sent: DoubleSent[] = [];
  readonly logins: { sek: string | null; ok: boolean }[] = [];
  readonly requests: string[] = [];
  /** every socket the listener opened, in order */
  readonly sockets: WebSocket[] = [];
  private wss: WebSocketServer | null = null;
  private nextMsgId = 9_000_000;
  private nextFileId = 1;
  private url = '';

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss!.once('listening', resolve));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/`;
    this.wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('error', () => {});
      this.frame(socket, 1, 1, { key: crypto.randomBytes(16).toString('base64') }); // the cipher key handshake
    });
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  /** the listener's current socket */
  get socket(): WebSocket | undefined {
    const open = this.sockets.filter((s) => s.readyState === s.OPEN);
    return open.at(-1);
  }

  /** zca-js's `polyfill`: every HTTP call of zca-js lands here */
  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    this.requests.push(`${url.host}${url.pathname}`);
    const cookie = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).get('cookie') ?? '';
    return this.route(url, init, cookie);
  }) as typeof fetch;

  /** a text message from someone, in a group (idTo = group) or a direct chat */
  deliver(threadId: string, message: DoubleMessage, group = true): void {
    const msg = { actionId: '1', cliMsgId: message.msgId, msgType: 'webchat', idTo: group ? threadId : this.uid, ts: String(Date.now()), ...message };
    if (group) this.event(521, { groupMsgs: [msg] });
    else this.event(501, { msgs: [msg] });
  }

  /** the server says another connection opened: zca-js closes its socket with 3000 */
  duplicate(): void {
    this.frame(this.socket!, 1, 3000, {});
  }

  close(code: number): void {
    this.socket?.close(code);
  }

  private event(cmd: number, data: unknown): void {
    this.frame(this.socket!, 1, cmd, { data: JSON.stringify({ data }), encrypt: 0 });
  }

  private frame(socket: WebSocket, version: number, cmd: number, body: unknown, subCmd = 0): void {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt8(version, 0);
    header.writeUInt16LE(cmd, 1);
    header.writeUInt8(cmd === 1 ? 1 : subCmd, 3);
    socket.send(Buffer.concat([header, payload]));
  }

  private sek(cookie: string): string | null {
    return /(?:^|;\s*)zpw_sek=([^;]*)/.exec(cookie)?.[1] ?? null;
  }

  private encrypted(data: unknown): Response {
    return json({ error_code: 0, data: aes(Buffer.from(this.secretKey, 'base64'), JSON.stringify({ error_code: 0, data })) });
  }

  private params(init: RequestInit | undefined, url: URL): Record<string, unknown> {
    const raw = init?.body instanceof URLSearchParams ? init.body.get('params') : url.searchParams.get('params');
    return raw ? (JSON.parse(unaes(Buffer.from(this.secretKey, 'base64'), raw)) as Record<string, unknown>) : {};
  }

  private async route(url: URL, init: RequestInit | undefined, cookie: string): Promise<Response> {
    const path = url.pathname;
    // --- the QR login (id.zalo.me) ---
    if (path === '/account') return new Response(`<script src="https://stc-zlogin.zdn.vn/main-${LOGIN_VERSION}.js"></script>`, { status: 200 });
    if (path === '/account/logininfo' || path === '/account/verify-client') return json({ error_code: 0, data: {} });
    if (path === '/account/authen/qr/generate') return json({ error_code: 0, data: { code: 'qr-1', image: `data:image/png;base64,${QR_PNG}` } });
    if (path === '/account/authen/qr/waiting-scan') return json({ error_code: 0, data: { avatar: '', display_name: 'Bot Nhắc việc' } });
    if (path === '/account/authen/qr/waiting-confirm') {
      if (this.qrAnswer === 'decline') return json({ error_code: -13, error_message: 'Người dùng từ chối đăng nhập' });
      return json({ error_code: 0, data: {} }, { 'set-cookie': this.loginCookies });
    }
    if (path === '/account/checksession') return new Response('', { status: 200 });
    if (path === '/jr/userinfo') return json({ error_code: 0, data: { logged: true, info: { name: 'Bot Nhắc việc' } } });
    // --- the cookie login (wpa.chat.zalo.me) ---
    if (path === '/api/login/getLoginInfo') {
      const sek = this.sek(cookie);
      const ok = sek === this.validSek;
      this.logins.push({ sek, ok });
      const key = Buffer.from(loginKey(url.searchParams.get('zcid') ?? '', url.searchParams.get('zcid_ext') ?? ''), 'utf8');
      const body = ok
        ? { error_code: 0, data: { uid: this.uid, zpw_enk: this.secretKey, zpw_ws: [this.url], zpw_service_map_v3: serviceMap() } }
        : { error_code: 102, error_message: 'The session key was improperly submitted or has reached its timeout', data: null };
      return json({ error_code: 0, data: aes(key, JSON.stringify(body)) });
    }
    if (path === '/api/login/getServerInfo') {
      if (this.sek(cookie) !== this.validSek) return json({ error_code: 600, error_message: 'zpw_sek bị thiếu hoặc không đúng', data: null });
      return json({ data: { settings: SETTINGS, extra_ver: {} } });
    }
    // --- sending (the service map's hosts) ---
    const p = this.params(init, url);
    const isGroup = path.startsWith('/api/group/');
    const threadId = String(p.grid ?? p.toid ?? '');
    if (/^\/api\/(message\/sms|group\/(sendmsg|mention))$/.test(path)) {
      const behaviour = this.sends.shift() ?? 'ok';
      const text = String(p.message);
      this.sent.push({ path, threadId, isGroup, text });
      if (typeof behaviour === 'object') return json({ error_code: behaviour.error, error_message: behaviour.message });
      const msgId = String(this.nextMsgId++);
      if (behaviour === 'echoOnly') this.echo(threadId, isGroup, text, msgId);
      return this.encrypted({ msgId: behaviour === 'ok' ? Number(msgId) : 0 });
    }
    if (/\/asyncfile\/upload$/.test(path)) {
      const fileId = String(this.nextFileId++);
      this.sent.push({ path, threadId, isGroup, fileName: String(p.fileName) });
      if (this.fileDone) {
        setTimeout(() => this.frame(this.socket!, 1, 601, { data: JSON.stringify({ data: { controls: [{ content: { act_type: 'file_done', fileId, data: { url: `https://f.zdn.test/${fileId}` } } }] } }), encrypt: 0 }), 10);
      }
      return this.encrypted({ fileId, clientFileId: fileId, chunkId: 1, finished: 1 });
    }
    if (/\/asyncfile\/msg$/.test(path)) {
      this.sent.push({ path, threadId, isGroup, fileName: String(p.fileName) });
      return this.encrypted({ msgId: Number(this.nextMsgId++) });
    }
    return json({ error_code: 404, error_message: `double: no route ${path}` });
  }

  /** our own message coming back on the socket (uidFrom "0"), as zca-js's selfListen shows it */
  private echo(threadId: string, isGroup: boolean, text: string, msgId: string): void {
    setTimeout(() => {
      const msg = { actionId: '1', msgId, cliMsgId: msgId, msgType: 'webchat', uidFrom: '0', idTo: threadId, dName: '', content: text, ts: String(Date.now()) };
      if (isGroup) this.event(521, { groupMsgs: [msg] });
      else this.event(501, { msgs: [msg] });
    }, 5);
  }
}

const SETTINGS = {
  features: {
    socket: { rotate_error_codes: [], retries: {}, close_and_retry_codes: [], ping_interval: 60_000, reset_endpoint: 0 },
    sharefile: { max_file: 10, max_size_share_file_v3: 1024, chunk_size_file: 5 * 1024 * 1024, restricted_ext_file: ['exe', 'bat'] },
  },
};

/** every service zca-js's API constructor reads, on hosts only this double's fetch knows */
function serviceMap(): Record<string, string[]> {
  const names = ['aext', 'alias', 'auto_reply', 'catalog', 'chat', 'conversation', 'file', 'friend', 'friend_board', 'group', 'group_board', 'group_poll', 'label', 'profile', 'quick_message', 'reaction', 'sticker', 'zimsg'];
  return Object.fromEntries(names.map((n) => [n, [`https://${n.replace(/_/g, '-')}.double.zalo.test`]]));
}
