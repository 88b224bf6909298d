import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Zalo Bot Platform double on 127.0.0.1 (port 0), written from the platform's documentation
 * (bot.zaloplatforms.com/docs, as summed up in src/transports/zalo-bot-api.ts): POST /bot<TOKEN>/<method>
 * with JSON, {ok, result} or {ok:false, error_code, description}; getUpdates hands out one update per call
 * or error_code 408 after its long poll; setWebhook makes it POST updates to the webhook instead (here to
 * `webhookTarget`, the bot's local server standing in for the public HTTPS URL) with the secret token in
 * X-Bot-Api-Secret-Token; sendMessage takes 1–2000 characters; sendPhoto takes a URL, which it fetches.
 */

export const FAKE_ZALO_BOT_TOKEN = '1459232241454765289:fakeAccessTokenForTestsOnly';

/** a call the double received; `status`: the HTTP status it answered (undefined: still open, or dropped) */
export type Call = { method: string; body: Record<string, unknown>; at: number; status?: number };
/** a scripted answer for the next call of a method: an HTTP status with a body, or a dropped connection */
export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

export class FakeZaloBot {
  readonly botId = '1459232241454765289';
  readonly calls: Call[] = [];
  /** scripted answers, per method, used before the normal behaviour */
  readonly script = new Map<string, Scripted[]>();
  /** how long getUpdates holds a poll before its 408 (the platform waits `timeout` seconds) */
  maxPollMs = 150;
  webhook: { url: string; secret: string } | null = null;
  /** where webhook deliveries really go (the bot's server on 127.0.0.1) */
  webhookTarget: string | null = null;
  readonly fetchedPhotos: { url: string; status: number; bytes: number; type: string | null }[] = [];
  private readonly queue: unknown[] = [];
  private waiters: (() => void)[] = [];
  private server: http.Server | null = null;
  private nextId = 1;

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  scriptFor(method: string, ...answers: Scripted[]): void {
    this.script.set(method, [...(this.script.get(method) ?? []), ...answers]);
  }

  /** A person writes to the bot in a private chat (or a group, which bots cannot join today). */
  async pushText(from: { id: string; name: string }, text: string, chatType: 'PRIVATE' | 'GROUP' = 'PRIVATE', chatId = from.id): Promise<string> {
    const messageId = crypto.randomBytes(10).toString('hex');
    await this.push({
      event_name: 'message.text.received',
      message: { message_id: messageId, from: { id: from.id, display_name: from.name, is_bot: false }, chat: { id: chatId, chat_type: chatType }, date: Date.now(), text },
    });
    return messageId;
  }

  /** Any update: polled by getUpdates, or POSTed to the webhook when one is set (the delivery's status returned). */
  async push(update: unknown): Promise<number | null> {
    if (this.webhook && this.webhookTarget) return this.deliver(update);
    this.queue.push(update);
    for (const w of this.waiters.splice(0)) w();
    return null;
  }

  /** POSTs an update to the webhook as the platform does; `secret` overrides the token (an impostor; null: none). */
  async deliver(update: unknown, secret: string | null = this.webhook?.secret ?? null, raw?: string): Promise<number> {
    const response = await fetch(this.webhookTarget!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== null ? { 'X-Bot-Api-Secret-Token': secret } : {}) },
      body: raw ?? JSON.stringify({ ok: true, result: update }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  sent(method = 'sendMessage'): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** the messages the platform took (answered 200): what the person really received */
  delivered(chatId?: string): Call[] {
    return this.sent().filter((c) => c.status === 200 && (chatId === undefined || c.body.chat_id === chatId));
  }

  async waitFor(predicate: (c: Call) => boolean, ms = 10_000): Promise<Call> {
    const until = Date.now() + ms;
    for (;;) {
      const found = this.calls.find(predicate);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching call within ${ms} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let call: Call | undefined;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      if (call) call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (!match || req.method !== 'POST') return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== FAKE_ZALO_BOT_TOKEN) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    call = { method, body, at: Date.now() };
    this.calls.push(call);
    const scripted = this.script.get(method)?.shift();
    if (scripted === 'drop') return void res.socket?.destroy();
    if (scripted) return reply(scripted.status, scripted.body ?? { ok: false, error_code: scripted.status, description: 'scripted' }, scripted.headers);
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: { id: this.botId, account_name: 'bot.NhacViec', account_type: 'BASIC', can_join_groups: false } });
      case 'getUpdates': {
        const wait = Math.min(Number(body.timeout ?? 30) * 1000, this.maxPollMs);
        if (!this.queue.length || this.webhook) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.waiters.push(() => (clearTimeout(timer), resolve()));
        });
        const update = this.webhook ? undefined : this.queue.shift();
        if (update === undefined) return reply(200, { ok: false, error_code: 408, description: 'Request timeout' });
        return reply(200, { ok: true, result: update });
      }
      case 'setWebhook': {
        const url = String(body.url ?? '');
        const secret = String(body.secret_token ?? '');
        if (!/^https:\/\//.test(url) || secret.length < 8 || secret.length > 256) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: url must be https, secret_token 8-256 characters' });
        this.webhook = { url, secret };
        return reply(200, { ok: true, result: { url, updated_at: Date.now() } });
      }
      case 'deleteWebhook':
        this.webhook = null;
        return reply(200, { ok: true, result: { url: '', updated_at: Date.now() } });
      case 'getWebhookInfo':
        return reply(200, { ok: true, result: { url: this.webhook?.url ?? '', updated_at: Date.now() } });
      case 'sendMessage': {
        const text = typeof body.text === 'string' ? body.text : '';
        if (!body.chat_id || text.length < 1 || text.length > 2000) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: text must be 1-2000 characters' });
        return reply(200, { ok: true, result: { message_id: this.messageId(), date: Date.now() } });
      }
      case 'sendPhoto': {
        const photo = String(body.photo ?? '');
        try {
          const got = await fetch(photo.replace(/^https?:\/\/[^/]+/, this.photoHost ?? ''));
          this.fetchedPhotos.push({ url: photo, status: got.status, bytes: (await got.arrayBuffer()).byteLength, type: got.headers.get('content-type') });
        } catch {
          this.fetchedPhotos.push({ url: photo, status: 0, bytes: 0, type: null });
        }
        return reply(200, { ok: true, result: { message_id: this.messageId(), date: Date.now() } });
      }
      case 'sendChatAction':
        return reply(200, { ok: true });
      default:
        return reply(404, { ok: false, error_code: 404, description: `Method ${method} not found` });
    }
  }

  /** where the bot's public photo URLs really lead (its server on 127.0.0.1) */
  photoHost: string | null = null;

  private messageId(): string {
    return (this.nextId++).toString(16).padStart(20, '0');
  }
}
