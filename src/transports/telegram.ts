import crypto from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Telegraf } from 'telegraf';
import type { CallbackQuery, ChatMember, ChatMemberUpdated, InlineKeyboardMarkup, Message, Update, User, UserFromGetMe } from 'telegraf/types';
import { splitText } from '../core/messages.ts';
import { silentLogger, type Logger } from '../log.ts';
import { RateLimiter, type RateLimits } from './rate-limit.ts';
import { downloadBounded, readFileBounded } from './download.ts';
import { SendError, type Button, type IncomingHandler, type IncomingMessage, type Outgoing, type Reply, type Transport, type TransportStatus } from './transport.ts';

/**
 * Telegram through telegraf.
 *
 * - Long polling by default. Telegram allows ONE getUpdates consumer per token: to run several instances
 *   of the bot (e.g. behind a load balancer, sharing PostgreSQL) use webhook mode, where Telegram POSTs each
 *   update to `webhook.url` and any instance may answer it. In webhook mode the bot listens on
 *   `webhook.port` (plain HTTP: put it behind the HTTPS reverse proxy that owns `webhook.url`) and checks
 *   Telegram's secret-token header, derived from the bot token so all instances agree on it.
 * - Messages are plain text (no parse_mode: plan texts contain `_`, `*`, `[` that break Markdown).
 * - Sends wait for the rate limits (1/s per chat, 20/min per group, 30/s overall) instead of failing;
 *   platform errors become SendError reasons the sender acts on.
 * - Groups with privacy mode on only show the bot `/cmd@botname`, replies to its own messages and
 *   button presses: users should address commands as `/done@<bot>` or make the bot an administrator.
 */

export type TelegramOptions = {
  token: string;
  /** Bot API base URL (default https://api.telegram.org); a local Bot API server or a test double */
  apiRoot?: string;
  /** webhook mode (needed for several instances); long polling when absent */
  webhook?: {
    /** the public HTTPS URL Telegram posts to */
    url: string;
    /** the local port the webhook server listens on */
    port: number;
    /** the local path (default: the path of `url`) */
    path?: string;
    /** the local interface (default: all; the bot gives NHACVIEC_LISTEN_HOST, loopback by default) */
    host?: string;
  };
  /** a group became a supergroup: move its binding (addresses "telegram:<id>") */
  onChatMigrated?(oldChat: string, newChat: string): Promise<void>;
  /** the bot was added to a group (present) or removed from it; a returned text is posted there */
  onMembership?(chat: string, present: boolean, title: string): Promise<string | null>;
  log?: Logger;
  /** override the Telegram rate limits (tests) */
  limits?: Partial<RateLimits>;
  /** or a limiter of one's own (shared, fake clock) */
  limiter?: RateLimiter;
  /** how long one send may take before it counts as failed (default 30 s) */
  requestTimeoutMs?: number;
};

/** the updates the bot asks for */
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
/** callback_data is at most 64 bytes */
const MAX_CALLBACK_BYTES = 64;
const MAX_BUTTONS = 8;
const MAX_CAPTION = 1024;
/** answerCallbackQuery shows at most 200 characters */
const TOAST_LENGTH = 190;

export class TelegramTransport implements Transport {
  readonly name = 'telegram' as const;
  readonly maxLength = 4096;

  private readonly bot: Telegraf;
  private readonly log: Logger;
  private readonly limiter: RateLimiter;
  private readonly timeoutMs: number;
  private handler: IncomingHandler | null = null;
  private me: UserFromGetMe | null = null;
  private connected = false;
  private detail = 'chưa khởi động';
  private stopping = false;
  private polling: Promise<void> | null = null;
  private server: http.Server | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private restarts = 0;

  constructor(private readonly opts: TelegramOptions) {
    this.log = (opts.log ?? silentLogger).child({ transport: 'telegram' });
    this.limiter = opts.limiter ?? new RateLimiter({ limits: opts.limits });
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    // webhookReply false: otherwise a send answered inside the webhook response has no message id
    this.bot = new Telegraf(opts.token, { telegram: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), webhookReply: false } });
    this.bot.use(async (ctx) => {
      await this.onUpdate(ctx.update);
    });
    this.bot.catch((error) => {
      this.log.error({ err: describe(error) }, 'telegram update failed');
    });
  }

  /** the bot's @username once started */
  get username(): string | undefined {
    return this.me?.username;
  }

  async start(onMessage: IncomingHandler): Promise<void> {
    this.handler = onMessage;
    this.stopping = false;
    try {
      this.me = await this.bot.telegram.getMe();
    } catch (error) {
      const code = telegramCode(error);
      if (code === 401 || code === 404) {
        this.detail = 'TELEGRAM_BOT_TOKEN không hợp lệ';
        throw new Error(`Telegram từ chối TELEGRAM_BOT_TOKEN (${code}): kiểm tra lại token do @BotFather cấp.`);
      }
      // network down at start-up: keep trying in the background rather than stopping the whole bot
      this.disconnected(`không kết nối được Telegram: ${describe(error)}`);
      return;
    }
    this.bot.botInfo = this.me;
    this.log.info({ username: this.me.username, mode: this.opts.webhook ? 'webhook' : 'polling' }, 'telegram connected');
    if (this.opts.webhook) await this.startWebhook(this.opts.webhook);
    else this.startPolling();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.polling) {
      // The update being handled finishes and its offset is confirmed, so it is not delivered again.
      // launch() may still be in its prelude (deleteWebhook), where telegraf's stop() says "not running":
      // keep asking until polling has ended (at most 10 s).
      const ended = this.polling.then(
        () => true,
        () => true,
      );
      const until = Date.now() + 10_000;
      for (;;) {
        try {
          this.bot.stop('stop');
        } catch {
          // not polling yet
        }
        if (await Promise.race([ended, delay(100).then(() => false)])) break;
        if (Date.now() > until) break;
      }
      this.polling = null;
    }
    if (this.server) {
      const server = this.server;
      this.server = null;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, delay(10_000)]);
      server.closeAllConnections();
    }
    this.connected = false;
    this.detail = 'đã dừng';
  }

  status(): TransportStatus {
    return { name: 'telegram', connected: this.connected, detail: this.detail };
  }

  async send(chatId: string, message: Outgoing): Promise<string[]> {
    const chat_id = numericId(chatId);
    const reply_markup = keyboard(message.buttons);
    const ids: string[] = [];
    if (message.attachment) {
      const { fileName, data } = message.attachment;
      const captioned = message.text.length <= MAX_CAPTION;
      if (!captioned) ids.push(...(await this.sendText(chatId, message.text)));
      const sent = await this.call(chatId, () =>
        this.bot.telegram.callApi(
          'sendDocument',
          {
            chat_id,
            document: { source: Buffer.from(data), filename: fileName },
            ...(captioned && message.text ? { caption: message.text } : {}),
            ...(reply_markup ? { reply_markup } : {}),
          },
          { signal: this.timeout() },
        ),
      );
      ids.push(String(sent.message_id));
      return ids;
    }
    return this.sendText(chatId, message.text, { reply_markup });
  }

  // --- sending ----------------------------------------------------------------------------------

  /** Sends a text (split if longer than a message), the keyboard on the last part, the first part as a reply. */
  private async sendText(chatId: string, text: string, extra: { reply_markup?: InlineKeyboard; replyTo?: number } = {}): Promise<string[]> {
    const chat_id = numericId(chatId);
    const parts = splitText(text, this.maxLength);
    const ids: string[] = [];
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const sent = await this.call(chatId, () =>
        this.bot.telegram.callApi(
          'sendMessage',
          {
            chat_id,
            text: part,
            link_preview_options: { is_disabled: true },
            ...(i === 0 && extra.replyTo !== undefined ? { reply_parameters: { message_id: extra.replyTo, allow_sending_without_reply: true } } : {}),
            ...(last && extra.reply_markup ? { reply_markup: extra.reply_markup } : {}),
          },
          { signal: this.timeout() },
        ),
      );
      ids.push(String(sent.message_id));
    }
    return ids;
  }

  /** One API call that posts a message: waits for the rate limits, maps failures to SendError. */
  private async call<T>(chatId: string, run: () => Promise<T>): Promise<T> {
    await this.limiter.acquire(chatId);
    try {
      return await run();
    } catch (error) {
      const mapped = toSendError(error);
      this.log.warn({ chat: chatId, reason: mapped.reason, err: mapped.message }, 'telegram send failed');
      throw mapped;
    }
  }

  /** aborts a call that takes longer than requestTimeoutMs (telegraf types the signal after a polyfill) */
  private timeout(): ApiSignal {
    return AbortSignal.timeout(this.timeoutMs) as unknown as ApiSignal;
  }

  // --- receiving --------------------------------------------------------------------------------

  private startPolling(): void {
    this.connected = true;
    this.detail = `@${this.me?.username ?? '?'}, long polling`;
    // launch() resolves only when polling stops: not awaited
    const polling = this.bot.launch({ dropPendingUpdates: false, allowedUpdates: [...ALLOWED_UPDATES] });
    this.polling = polling;
    polling.then(
      () => {
        if (!this.stopping) this.disconnected('long polling dừng bất thường');
      },
      (error) => {
        if (this.stopping) return;
        const code = telegramCode(error);
        // 409: another consumer polls with this token (or a webhook is set elsewhere)
        const why = code === 409 ? 'một tiến trình khác đang nhận tin bằng cùng token (dùng webhook khi chạy nhiều bản)' : describe(error);
        this.disconnected(`long polling lỗi: ${why}`);
      },
    );
  }

  private async startWebhook(webhook: NonNullable<TelegramOptions['webhook']>): Promise<void> {
    const secretToken = crypto.createHash('sha256').update(`nhacviec:${this.opts.token}`).digest('hex');
    const publicPath = new URL(webhook.url).pathname;
    const path = webhook.path ?? publicPath;
    const callback = this.bot.webhookCallback(path, { secretToken });
    const server = http.createServer((req, res) => {
      void callback(req, res, () => {
        res.statusCode = req.method === 'POST' && req.url === path ? 403 : 404;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(webhook.port, webhook.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.log.error({ err: describe(error) }, 'telegram webhook server error'));
    this.server = server;
    await this.bot.telegram.setWebhook(webhook.url, { drop_pending_updates: false, allowed_updates: [...ALLOWED_UPDATES], secret_token: secretToken });
    this.connected = true;
    this.detail = `@${this.me?.username ?? '?'}, webhook ${webhook.url}`;
  }

  /** Marks the transport down and tries again later with back-off (1 s, 2 s, ... up to 5 min). */
  private disconnected(detail: string): void {
    this.connected = false;
    this.detail = detail;
    this.log.error({ detail }, 'telegram disconnected; retrying');
    if (this.stopping || this.restartTimer || !this.handler) return;
    const wait = Math.min(1_000 * 2 ** this.restarts++, 5 * 60_000);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping || !this.handler) return;
      void this.start(this.handler).then(
        () => {
          if (this.connected) this.restarts = 0;
        },
        (error) => this.disconnected(describe(error)),
      );
    }, wait);
    this.restartTimer.unref();
  }

  /** Every update, from polling or the webhook. Never throws: a failure is logged. */
  private async onUpdate(update: Update): Promise<void> {
    try {
      if ('message' in update) await this.onMessage(update.message);
      else if ('callback_query' in update) await this.onCallback(update.callback_query);
      else if ('my_chat_member' in update) await this.onMembership(update.my_chat_member);
    } catch (error) {
      this.log.error({ err: describe(error), update: update.update_id }, 'telegram update failed');
    }
  }

  private async onMessage(message: Message): Promise<void> {
    if ('migrate_to_chat_id' in message) return this.migrated(message.chat.id, message.migrate_to_chat_id);
    if ('migrate_from_chat_id' in message) return this.migrated(message.migrate_from_chat_id, message.chat.id);
    if (!this.handler || message.chat.type === 'channel' || !message.from || message.from.is_bot) return;
    // a document (a plan sent to be imported) comes with its caption as the text
    const document = 'document' in message ? message.document : undefined;
    if (!('text' in message) && !document) return;
    const text = this.addressed('text' in message ? message.text : 'caption' in message ? (message.caption ?? '') : '');
    if (text === null) return;
    const repliedTo = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const reply = await this.handler({
      ...incoming(message, message.from, text),
      ...(repliedTo ? { replyTo: String(repliedTo.message_id) } : {}),
      ...(repliedTo?.from && !repliedTo.from.is_bot ? { replyToUser: { user: `telegram:${repliedTo.from.id}`, name: nameOf(repliedTo.from) } } : {}),
      ...(document
        ? {
            file: {
              name: document.file_name ?? `tep-${document.file_unique_id}`,
              size: document.file_size ?? null,
              ...(document.mime_type ? { mime: document.mime_type } : {}),
              download: (maxBytes: number) => this.download(document.file_id, maxBytes),
            },
          }
        : {}),
    });
    if (reply) await this.answer(String(message.chat.id), reply, message.message_id);
    if (reply?.dropButtons?.length && repliedTo && repliedTo.from?.id === this.me?.id) await this.dropButtons(repliedTo, reply.dropButtons);
  }

  /**
   * A document's bytes: getFile, then the file URL under the configured API root (a local Bot API server in
   * --local mode answers with a path on its disk). Never more than `maxBytes` is read.
   */
  private async download(fileId: string, maxBytes: number): Promise<Uint8Array> {
    const link = await this.bot.telegram.getFileLink(fileId);
    if (link.protocol === 'file:') return readFileBounded(fileURLToPath(link), maxBytes);
    return downloadBounded(link.href, maxBytes, { timeoutMs: this.timeoutMs * 4 });
  }

  /** An inline button: its data is a command text, handled as if the presser had typed it. */
  private async onCallback(query: CallbackQuery): Promise<void> {
    const data = 'data' in query ? query.data : undefined;
    const message = query.message;
    const text = data ? this.addressed(data) : null;
    if (!text || !message || !this.handler) {
      await this.toast(query.id);
      return;
    }
    const reply = await this.handler(incoming(message, query.from, text));
    await this.toast(query.id, reply?.text);
    if (reply) await this.answer(String(message.chat.id), reply, message.message_id);
    if (reply?.dropButtons?.length) await this.dropButtons(message, reply.dropButtons);
  }

  /** Takes buttons (by their data) off one of the bot's messages (the pressed or replied one): Reply.dropButtons. */
  private async dropButtons(message: { chat: { id: number }; message_id: number; reply_markup?: unknown }, data: string[]): Promise<void> {
    const markup = message.reply_markup as InlineKeyboardMarkup | undefined;
    if (!markup?.inline_keyboard?.length) return;
    const drop = new Set(data);
    const rows = markup.inline_keyboard.map((row) => row.filter((b) => !('callback_data' in b && drop.has(b.callback_data)))).filter((row) => row.length);
    if (rows.length === markup.inline_keyboard.length && rows.every((row, i) => row.length === markup.inline_keyboard[i]!.length)) return;
    const chatId = String(message.chat.id);
    try {
      await this.limiter.acquire(chatId);
      await this.bot.telegram.callApi(
        'editMessageReplyMarkup',
        { chat_id: message.chat.id, message_id: message.message_id, reply_markup: { inline_keyboard: rows } },
        { signal: this.timeout() },
      );
    } catch (error) {
      // a message that can no longer be edited: its remaining buttons only answer "done already"
      this.log.debug({ chat: chatId, err: describe(error) }, 'done buttons not removed');
    }
  }

  /** The bot joined or left a group (added, removed, kicked); a change of rights alone is not news. */
  private async onMembership(update: ChatMemberUpdated): Promise<void> {
    if (update.chat.type !== 'group' && update.chat.type !== 'supergroup') return;
    const [was, is] = [isPresent(update.old_chat_member), isPresent(update.new_chat_member)];
    if (was === is || !this.opts.onMembership) return;
    const chatId = String(update.chat.id);
    this.log.info({ chat: `telegram:${chatId}`, present: is }, is ? 'bot added to a group' : 'bot removed from a group');
    const text = await this.opts.onMembership(`telegram:${chatId}`, is, update.chat.title);
    if (text && is) {
      try {
        await this.sendText(chatId, text);
      } catch (error) {
        this.log.warn({ chat: chatId, err: describe(error) }, 'telegram welcome not sent');
      }
    }
  }

  /**
   * The text as the commands see it, or null when it is not for this bot: "/cmd@otherbot" is someone
   * else's command; "/cmd@thisbot args" becomes "/cmd args".
   */
  private addressed(text: string): string | null {
    const match = /^\/(\w+)@(\w+)/.exec(text);
    if (!match) return text;
    const [whole, command, target] = match as unknown as [string, string, string];
    if (!this.me?.username || target.toLowerCase() !== this.me.username.toLowerCase()) return null;
    return `/${command}${text.slice(whole.length)}`;
  }

  /** Posts a command's answer in the chat, as a reply to the user's message (or to the pressed message). */
  private async answer(chatId: string, reply: Reply, replyTo: number): Promise<void> {
    try {
      if (reply.attachment) await this.send(chatId, reply);
      else await this.sendText(chatId, reply.text, { replyTo, reply_markup: keyboard(reply.buttons) });
    } catch (error) {
      this.log.warn({ chat: chatId, err: describe(error) }, 'telegram reply not sent');
    }
  }

  private async toast(queryId: string, text?: string): Promise<void> {
    const short = text && text.length > TOAST_LENGTH ? `${text.slice(0, TOAST_LENGTH - 1)}…` : text;
    try {
      await this.bot.telegram.callApi('answerCallbackQuery', { callback_query_id: queryId, ...(short ? { text: short } : {}) }, { signal: this.timeout() });
    } catch (error) {
      // too old a query (the bot was down) is harmless: the full answer is posted in the chat anyway
      this.log.debug({ err: describe(error) }, 'answerCallbackQuery failed');
    }
  }

  private async migrated(oldId: number, newId: number): Promise<void> {
    const oldChat = `telegram:${oldId}`;
    const newChat = `telegram:${newId}`;
    this.log.info({ oldChat, newChat }, 'telegram group migrated to a supergroup');
    try {
      await this.opts.onChatMigrated?.(oldChat, newChat);
    } catch (error) {
      this.log.error({ oldChat, newChat, err: describe(error) }, 'moving a migrated group failed');
    }
  }
}

type ApiSignal = NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>['signal'];

type InlineKeyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

/** One button per row, at most 8; a button whose data Telegram would refuse (> 64 bytes) is left out. */
function keyboard(buttons: Button[] | undefined): InlineKeyboard | undefined {
  const rows = (buttons ?? [])
    .filter((b) => Buffer.byteLength(b.data, 'utf8') <= MAX_CALLBACK_BYTES)
    .slice(0, MAX_BUTTONS)
    .map((b) => [{ text: b.label, callback_data: b.data }]);
  return rows.length ? { inline_keyboard: rows } : undefined;
}

function isPresent(member: ChatMember): boolean {
  return member.status === 'creator' || member.status === 'administrator' || member.status === 'member' || (member.status === 'restricted' && member.is_member);
}

/** What the commands see of a text typed (or a button pressed) by `from` in the chat of `message`. */
function incoming(message: { chat: { id: number; type: string; title?: string }; message_id: number }, from: User, text: string): IncomingMessage {
  const userName = nameOf(from);
  return {
    chat: `telegram:${message.chat.id}`,
    direct: message.chat.type === 'private',
    chatTitle: message.chat.title ?? userName,
    user: `telegram:${from.id}`,
    userName,
    messageId: String(message.message_id),
    text,
  };
}

function numericId(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

function nameOf(user: User): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || String(user.id);
}

type ApiFailure = { error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/** telegraf's TelegramError (duck-typed: `response.error_code`) */
function apiFailure(error: unknown): ApiFailure | null {
  const response = (error as { response?: unknown } | null)?.response as Partial<ApiFailure> | undefined;
  return response && typeof response.error_code === 'number' ? { description: '', ...response, error_code: response.error_code } : null;
}

function telegramCode(error: unknown): number | undefined {
  return apiFailure(error)?.error_code;
}

const CHAT_GONE = /chat not found|bot was kicked|bot is not a member|bot was blocked|user is deactivated|group chat was deleted|chat was deleted|peer_id_invalid|have no rights to send/i;

/**
 * Classifies a failed send for the sender: 429 → rate_limited (retry_after); a group upgraded to a
 * supergroup → migrated (its new id); 403 or a chat that no longer exists → chat_gone; anything else
 * (5xx, network errors, timeouts, other 400s) → retry: the sender backs off and gives up after a few tries.
 */
export function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const failure = apiFailure(error);
  if (failure) {
    const { error_code: code, description, parameters } = failure;
    const text = `Telegram ${code}: ${description}`;
    if (code === 429) return new SendError(text, 'rate_limited', Math.max(parameters?.retry_after ?? 1, 1) * 1000);
    if (parameters?.migrate_to_chat_id) return new SendError(text, 'migrated', undefined, `telegram:${parameters.migrate_to_chat_id}`);
    if (code === 403 || (code === 400 && CHAT_GONE.test(description))) return new SendError(text, 'chat_gone');
    return new SendError(text, 'retry');
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return new SendError('Telegram không trả lời kịp (hết thời gian chờ)', 'retry');
  return new SendError(`lỗi mạng khi gọi Telegram: ${describe(error)}`, 'retry');
}

function describe(error: unknown): string {
  const failure = apiFailure(error);
  if (failure) return `${failure.error_code} ${failure.description}`;
  // telegraf already strips the token from fetch errors' URLs; be sure
  return (error instanceof Error ? error.message : String(error)).replace(/\/bot\d+:[^/\s]+/g, '/bot[ẩn]');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
