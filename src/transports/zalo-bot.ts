/**
 * The official Zalo Bot (Zalo Bot Platform, zalo-bot-api.ts): direct messages between people and the bot.
 * Safe and supported, unlike the personal account (zalo.ts), but a bot cannot sit in groups today: units'
 * groups stay on Telegram or the personal Zalo account, officers get their reminders here in private.
 *
 * Addresses: "zalobot:<chat id>" (the Zalo Bot's ids are hex strings, not the personal account's numbers).
 *
 * - Polling (default): deleteWebhook, then getUpdates in a loop. Each call returns ONE update or, after its
 *   long-poll timeout, error_code 408 (nothing came: poll again at once). 429, 5xx and network failures are
 *   waited out with a growing back-off (jitter, capped; Retry-After honoured) and polling goes on.
 * - Webhook (`webhook`): setWebhook(url, secret) at start (retried in the background until it holds); the
 *   bot's HTTP server (zalo-bot-server.ts) takes the updates and checks the secret on every request.
 * - Incoming: texts; a photo becomes the message's file (its caption the text); anything else Zalo cannot
 *   pass on (a document is "unsupported") gets a short explanation in a private chat. Updates are handled
 *   one at a time in arrival order, each message id once (a webhook may be retried).
 * - Outgoing: one queue; texts split on line boundaries into messages of at most 2000 characters, buttons
 *   written out as commands; a picture goes by URL (sendPhoto) only when `publicUrl` says where the bot's
 *   HTTP server can be reached, else as text (the attachment's altText: a chart's figures); other files
 *   cannot be sent and are named in a note.
 */
import { silentLogger, type Logger } from '../log.ts';
import { downloadBounded, mimeOfName } from './download.ts';
import { plainParts } from './plain-text.ts';
import { SendError, type Attachment, type IncomingFile, type IncomingHandler, type IncomingMessage, type Outgoing, type Transport, type TransportStatus } from './transport.ts';
import { ZALO_BOT_MAX_TEXT, ZaloBotApi, ZaloBotApiError, parseUpdate, type ZaloBotUpdate } from './zalo-bot-api.ts';
import { ZaloBotServer } from './zalo-bot-server.ts';
import { errorText } from './zalo-util.ts';

export type ZaloBotOptions = {
  token: string;
  /** default https://bot-api.zaloplatforms.com */
  apiRoot?: string;
  /** webhook mode: the public HTTPS URL Zalo posts to, and the secret token it must send back */
  webhook?: { url: string; secret: string };
  /** the bot's HTTP server (webhook, photos): started when `webhook` or `publicUrl` is set */
  listen?: { port: number; host?: string };
  /** the public base URL at which the bot's HTTP server is reachable: pictures are sent as links under it */
  publicUrl?: string;
  log?: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** getUpdates long-poll timeout (seconds); default 30 */
  pollTimeoutSeconds?: number;
  /** polling back-off: first delay and cap (ms); default 1 s and 60 s */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** per API call (ms); default 20 s */
  requestTimeoutMs?: number;
};

const SEEN_KEEP = 1000;
/**
 * A direct answer to a person (not an outbox row, which the sender retries) is tried again after a 429 (its
 * Retry-After, capped) or a 5xx/network failure: an answer lost is worse than one seen twice.
 */
const REPLY_RETRIES = 3;
const REPLY_MAX_WAIT_MS = 30_000;

const UNSUPPORTED_NOTE =
  'Zalo Bot chưa chuyển được loại tin này (tệp tài liệu, âm thanh, vị trí...) cho Nhắc việc. Hãy gõ lệnh bằng chữ, ví dụ /help; tệp kế hoạch xin gửi qua kênh khác hoặc nhờ văn phòng nhập.';

export class ZaloBotTransport implements Transport {
  readonly name = 'zalobot' as const;
  readonly maxLength = ZALO_BOT_MAX_TEXT;

  private readonly api: ZaloBotApi;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly server: ZaloBotServer | null;
  private handler: IncomingHandler | null = null;
  private stopping = false;
  private stopSignal = new AbortController();
  private loop: Promise<void> | null = null;
  private incoming: Promise<void> = Promise.resolve();
  private sending: Promise<unknown> = Promise.resolve();
  private readonly seen = new Set<string>();
  private connected = false;
  private detail = 'chưa khởi động';
  private account = '?';

  constructor(private readonly opts: ZaloBotOptions) {
    this.api = new ZaloBotApi({ token: opts.token, apiRoot: opts.apiRoot, fetch: opts.fetch, timeoutMs: opts.requestTimeoutMs });
    this.log = (opts.log ?? silentLogger).child({ transport: 'zalobot' });
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()));
    const needsServer = Boolean(opts.webhook || opts.publicUrl);
    this.server = needsServer
      ? new ZaloBotServer({
          port: opts.listen?.port ?? 8081,
          host: opts.listen?.host ?? '127.0.0.1',
          log: this.log,
          ...(opts.webhook
            ? { webhook: { path: new URL(opts.webhook.url).pathname, secret: opts.webhook.secret, onUpdate: (body: unknown) => this.onWebhook(body) } }
            : {}),
        })
      : null;
  }

  /** the port of the bot's HTTP server (null without one) */
  get port(): number | null {
    return this.server ? this.server.port : null;
  }

  async start(onMessage: IncomingHandler): Promise<void> {
    this.handler = onMessage;
    this.stopping = false;
    this.stopSignal = new AbortController();
    try {
      const me = await this.api.getMe();
      this.account = me.account_name ?? me.id;
      this.connected = !this.opts.webhook; // a webhook counts once Zalo took it
      this.log.info({ bot: me.id, name: me.account_name, mode: this.opts.webhook ? 'webhook' : 'polling' }, 'zalo bot connected');
    } catch (error) {
      if (error instanceof ZaloBotApiError && error.unauthorized) {
        this.detail = 'ZALO_BOT_TOKEN không hợp lệ';
        throw new Error(`Zalo Bot từ chối ZALO_BOT_TOKEN (mã ${error.code}): kiểm tra lại token do Zalo Bot Creator cấp (dạng <bot_id>:<access_token>).`);
      }
      // network down at start-up: the loop below keeps trying instead of stopping the whole bot
      this.disconnected(`không kết nối được Zalo Bot: ${errorText(error)}`);
    }
    if (this.server) {
      try {
        await this.server.start();
      } catch (error) {
        throw new Error(`Zalo Bot không mở được cổng ${this.opts.listen?.port ?? 8081} cho webhook và ảnh: ${errorText(error)} (đặt ZALO_BOT_PORT khác).`);
      }
    }
    this.loop = (this.opts.webhook ? this.holdWebhook(this.opts.webhook) : this.poll()).catch((error) => {
      this.log.error({ err: errorText(error) }, 'zalo bot loop stopped unexpectedly');
      this.disconnected(`lỗi không mong đợi: ${errorText(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    await this.loop;
    await this.server?.stop();
    await this.incoming;
    await this.sending.catch(() => {});
    this.connected = false;
    this.detail = 'đã dừng';
  }

  status(): TransportStatus {
    const mode = this.opts.webhook ? `webhook ${this.opts.webhook.url}` : 'long polling';
    return { name: 'zalobot', connected: this.connected, detail: this.connected ? `${this.account}, ${mode}` : this.detail };
  }

  send(chatId: string, message: Outgoing): Promise<string[]> {
    return this.queued(() => this.sendNow(chatId, message, 0));
  }

  /** one send at a time, in order */
  private queued(job: () => Promise<string[]>): Promise<string[]> {
    const run = this.sending.then(job, job);
    this.sending = run.catch(() => {});
    return run;
  }

  // ---------------------------------------------------------------------------------------------------------
  // receiving

  private async poll(): Promise<void> {
    let failures = 0;
    let webhookRemoved = false;
    while (!this.stopping) {
      try {
        if (!webhookRemoved) {
          await this.api.deleteWebhook(); // getUpdates answers nothing while a webhook is set
          webhookRemoved = true;
        }
        const update = await this.api.getUpdates(this.opts.pollTimeoutSeconds ?? 30, this.stopSignal.signal);
        failures = 0;
        this.connected = true;
        if (update) this.enqueue(update);
      } catch (error) {
        if (this.stopping) return;
        const delay = this.delayAfter(error, failures++);
        this.disconnected(`${errorText(error)}; thử lại sau ${Math.max(1, Math.round(delay / 1000))} giây`);
        this.log.warn({ err: errorText(error), delayMs: delay, failures }, 'zalo bot polling failed; retrying');
        await this.pause(delay);
      }
    }
  }

  /** Sets the webhook, retrying until Zalo takes it. */
  private async holdWebhook(webhook: { url: string; secret: string }): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.api.setWebhook(webhook.url, webhook.secret);
        this.connected = true;
        this.log.info({ url: webhook.url }, 'zalo bot webhook set');
        return;
      } catch (error) {
        if (this.stopping) return;
        const delay = this.delayAfter(error, failures++);
        this.disconnected(`chưa đặt được webhook: ${errorText(error)}; thử lại sau ${Math.max(1, Math.round(delay / 1000))} giây`);
        await this.pause(delay);
      }
    }
  }

  private onWebhook(body: unknown): void {
    const update = parseUpdate(body);
    if (!update) {
      this.log.warn('zalo bot webhook: an update that could not be read; ignored');
      return;
    }
    this.connected = true;
    this.enqueue(update);
  }

  /** One at a time, in arrival order ("xong" must be handled after the message it answers). */
  private enqueue(update: ZaloBotUpdate): void {
    this.incoming = this.incoming.then(() => this.handle(update));
  }

  private async handle(update: ZaloBotUpdate): Promise<void> {
    const m = update.message;
    if (!m || !this.handler) return;
    if (this.seen.has(m.message_id)) return;
    this.seen.add(m.message_id);
    if (this.seen.size > SEEN_KEEP) this.seen.delete(this.seen.values().next().value!);
    const isPrivate = m.chat.chat_type !== 'GROUP';
    let text: string;
    let file: IncomingFile | undefined;
    if (update.event_name === 'message.text.received') text = m.text ?? '';
    else if (update.event_name === 'message.image.received' && m.photo) {
      text = m.caption ?? '';
      file = photoFile(m.photo);
    } else {
      if (update.event_name === 'message.unsupported.received' && isPrivate) this.reply(m.chat.id, { text: UNSUPPORTED_NOTE });
      return;
    }
    if (!text.trim() && !file) return;
    const message: IncomingMessage = {
      chat: `zalobot:${m.chat.id}`,
      user: `zalobot:${m.from.id}`,
      userName: (m.from.display_name ?? m.from.first_name ?? m.from.name ?? '').trim() || m.from.id,
      messageId: m.message_id,
      direct: isPrivate,
      text,
      ...(file ? { file } : {}),
    };
    try {
      const reply = await this.handler(message);
      if (reply) this.reply(m.chat.id, reply);
    } catch (error) {
      this.log.warn({ chat: message.chat, err: errorText(error) }, 'zalo bot message handling failed');
    }
  }

  /** not awaited: the next update need not wait for the send queue */
  private reply(chatId: string, message: Outgoing): void {
    if (this.stopping) return;
    this.queued(() => this.sendNow(chatId, message, REPLY_RETRIES)).catch((error: unknown) => this.log.warn({ chat: `zalobot:${chatId}`, err: errorText(error) }, 'zalo bot reply not sent'));
  }

  // ---------------------------------------------------------------------------------------------------------
  // sending

  /** `retries`: how often one API call is tried again (the parts already sent are not sent again) */
  private async sendNow(chatId: string, message: Outgoing, retries: number): Promise<string[]> {
    const ids: string[] = [];
    let text = message.text;
    const attachment = message.attachment;
    if (attachment) {
      const url = this.photoUrl(attachment);
      if (url) {
        const [caption = '', ...rest] = plainParts(text, undefined, ZALO_BOT_MAX_TEXT);
        ids.push(await this.call(() => this.api.sendPhoto(chatId, url, caption || undefined), retries));
        text = rest.join('\n');
      } else {
        text = [text, attachment.altText ?? unsentNote(attachment)].filter(Boolean).join('\n\n');
      }
    }
    for (const part of plainParts(text, message.buttons, ZALO_BOT_MAX_TEXT, message.buttonsNote)) {
      if (part.trim()) ids.push(await this.call(() => this.api.sendMessage(chatId, part), retries));
    }
    return ids;
  }

  /** The picture's public link, when there is a public address to serve it from. */
  private photoUrl(attachment: Attachment): string | null {
    if (!this.server || !this.opts.publicUrl || !/^image\/(png|jpeg)$/.test(attachment.mime)) return null;
    return `${this.opts.publicUrl.replace(/\/+$/, '')}${this.server.addPhoto(attachment.data, attachment.mime)}`;
  }

  private async call(send: () => Promise<string>, retries: number): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const failure = sendError(error);
        if (attempt >= retries || this.stopping) throw failure;
        const wait = failure.reason === 'rate_limited' ? Math.min(failure.retryAfterMs ?? 5_000, REPLY_MAX_WAIT_MS) : this.delayAfter(error, attempt);
        this.log.warn({ err: failure.message, delayMs: wait }, 'zalo bot answer not sent; trying again');
        await this.pause(wait);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  /** A growing back-off with jitter; a Retry-After longer than it is honoured (a shorter one cannot make it loop hot). */
  private delayAfter(error: unknown, failures: number): number {
    const base = this.opts.backoffBaseMs ?? 1_000;
    const exp = Math.min(base * 2 ** Math.min(failures, 20), this.opts.backoffMaxMs ?? 60_000);
    const backoff = Math.round(exp * (0.5 + this.random() * 0.5));
    return error instanceof ZaloBotApiError && error.retryAfterMs !== undefined ? Math.max(error.retryAfterMs, backoff) : backoff;
  }

  private async pause(ms: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.stopSignal.signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.sleep(ms), stopped]);
  }

  private disconnected(detail: string): void {
    this.connected = false;
    this.detail = detail;
  }
}

/**
 * A failed send, classified like Telegram's: 429 → rate_limited (its Retry-After, else 5 s); everything else
 * (network, timeouts, 5xx, other refusals) → retry: the sender backs off and gives up after a few tries.
 */
function sendError(error: unknown): SendError {
  if (error instanceof ZaloBotApiError && error.code === 429) return new SendError(error.message, 'rate_limited', error.retryAfterMs ?? 5_000);
  return new SendError(errorText(error), 'retry');
}

function unsentNote(attachment: Attachment): string {
  return /^image\//.test(attachment.mime)
    ? `(Không gửi được ảnh “${attachment.fileName}”: Zalo Bot chỉ gửi ảnh qua một địa chỉ công khai của máy chủ, chưa được cấu hình.)`
    : `(Không gửi được tệp “${attachment.fileName}” qua Zalo Bot; nhận tệp qua kênh khác hoặc hỏi văn phòng.)`;
}

function photoFile(url: string): IncomingFile {
  let name = 'anh.jpg';
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    if (/\.(jpe?g|png|webp|gif)$/i.test(last)) name = last;
  } catch {
    // keep the default name
  }
  return { name, size: null, mime: mimeOfName(name) ?? 'image/jpeg', download: (maxBytes) => downloadBounded(url, maxBytes) };
}
