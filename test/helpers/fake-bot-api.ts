import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Telegram Bot API test double: an HTTP server on 127.0.0.1 speaking just enough of the Bot API for the
 * Telegram transport and telegraf (getMe, getUpdates long polling, deleteWebhook, setWebhook,
 * getWebhookInfo, sendMessage, sendDocument, answerCallbackQuery, editMessageReplyMarkup, getFile and the
 * file download URL /file/bot<token>/<file_path>). Updates are queued by the test (pushMessage,
 * pushDocument, pushCallback, pushMigration) and handed out by getUpdates, or POSTed to
 * the webhook once one is set (as Telegram does; getUpdates then answers 409). Errors are injected with
 * failNext. Nothing leaves 127.0.0.1.
 */

export type ApiError = { error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/** One request as the server saw it (every method, failed or not). */
export type ApiRequest = { method: string; body: Record<string, unknown>; at: number };

/** One successful outgoing call of the bot (sendMessage, sendDocument, answerCallbackQuery, edits). */
export type SentCall = {
  method: string;
  chat_id?: string;
  text?: string;
  caption?: string;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
  reply_to_message_id?: number;
  /** the id the server gave the message it "sent" */
  message_id?: number;
  document?: { filename: string; size: number };
  callback_query_id?: string;
  body: Record<string, unknown>;
};

type Update = { update_id: number } & Record<string, unknown>;
type Waiter = { offset: number; limit: number; finish: (updates: Update[]) => void };

export const FAKE_TOKEN = '123456:TEST-fake-token';

export class FakeBotApi {
  readonly botInfo = {
    id: 777_000,
    is_bot: true,
    first_name: 'Nhắc việc',
    username: 'nhacviec_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  /** successful outgoing calls, in order */
  readonly sent: SentCall[] = [];
  /** every request, in order */
  readonly requests: ApiRequest[] = [];
  /** delay before answering any method but getUpdates */
  delayMs = 0;
  webhook: { url: string; secret_token?: string } | null = null;

  private server: http.Server | null = null;
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private nextCallbackId = 1;
  private waiters = new Set<Waiter>();
  private failures = new Map<string, ApiError[]>();
  private listeners = new Set<() => void>();
  private editedMarkup = new Map<number, unknown>();
  /** files users sent, by file_id */
  private files = new Map<string, { path: string; data: Uint8Array }>();
  /** file downloads served (GET /file/bot<token>/...) */
  downloads = 0;

  constructor(readonly token = FAKE_TOKEN) {}

  /** the base URL once started (as start() returned it) */
  get apiRoot(): string {
    if (!this.server) throw new Error('FakeBotApi not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get requestCount(): number {
    return this.requests.length;
  }

  async start(): Promise<{ apiRoot: string }> {
    const server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return { apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  /** Closes the server, releasing pending long polls and dropping kept-alive connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const w of [...this.waiters]) w.finish([]);
    this.waiters.clear();
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The next `times` calls of `method` fail with this error (HTTP status = error_code, as Telegram does). */
  failNext(method: string, error: ApiError, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<ApiError>(times).fill(error)]);
  }

  /** A user writes in a chat; returns the message id the server gave it. */
  pushMessage(m: { chatId: number; fromId: number; text: string; replyTo?: number; replyToFrom?: number; chatType?: 'group' | 'supergroup' | 'private'; chatTitle?: string; firstName?: string; lastName?: string; username?: string }): number {
    const messageId = this.nextMessageId++;
    const chatType = m.chatType ?? (m.chatId < 0 ? (String(m.chatId).startsWith('-100') ? 'supergroup' : 'group') : 'private');
    const from = { id: m.fromId, is_bot: false, first_name: m.firstName ?? `Người dùng ${m.fromId}`, ...(m.lastName ? { last_name: m.lastName } : {}), ...(m.username ? { username: m.username } : {}) };
    const chat = chatType === 'private' ? { id: m.chatId, type: 'private', first_name: from.first_name } : { id: m.chatId, type: chatType, title: m.chatTitle ?? `Nhóm ${m.chatId}` };
    const message: Record<string, unknown> = { message_id: messageId, date: this.date(), chat, from, text: m.text };
    if (m.text.startsWith('/')) {
      const length = /^\/\S+/.exec(m.text)![0].length;
      message.entities = [{ type: 'bot_command', offset: 0, length }];
    }
    if (m.replyTo !== undefined) {
      // a reply to the bot's message (the default) or to a person's
      const author = m.replyToFrom === undefined ? this.botInfo : { id: m.replyToFrom, is_bot: false, first_name: `Người dùng ${m.replyToFrom}` };
      message.reply_to_message = { message_id: m.replyTo, date: this.date(), chat, from: author, text: '…', ...(m.replyToFrom === undefined ? this.markupOf(m.replyTo) : {}) };
    }
    this.push({ message });
    return messageId;
  }

  /**
   * A user sends a file (a Telegram document), with an optional caption; returns the message id. `size`
   * overrides the file_size the update announces (a client may not say it, or say more than it is).
   */
  pushDocument(d: { chatId: number; fromId: number; fileName: string; data: Uint8Array; mime?: string; caption?: string; size?: number | null; chatType?: 'group' | 'supergroup' | 'private' }): number {
    const messageId = this.nextMessageId++;
    const chatType = d.chatType ?? (d.chatId < 0 ? (String(d.chatId).startsWith('-100') ? 'supergroup' : 'group') : 'private');
    const from = { id: d.fromId, is_bot: false, first_name: `Người dùng ${d.fromId}` };
    const chat = chatType === 'private' ? { id: d.chatId, type: 'private', first_name: from.first_name } : { id: d.chatId, type: chatType, title: `Nhóm ${d.chatId}` };
    const fileId = `doc${messageId}`;
    this.files.set(fileId, { path: `documents/file_${messageId}${/\.\w+$/.exec(d.fileName)?.[0] ?? ''}`, data: d.data });
    const size = d.size === undefined ? d.data.length : d.size;
    const document = { file_id: fileId, file_unique_id: `u${fileId}`, file_name: d.fileName, ...(d.mime ? { mime_type: d.mime } : {}), ...(size !== null ? { file_size: size } : {}) };
    const message: Record<string, unknown> = { message_id: messageId, date: this.date(), chat, from, document };
    if (d.caption !== undefined) {
      message.caption = d.caption;
      if (d.caption.startsWith('/')) message.caption_entities = [{ type: 'bot_command', offset: 0, length: /^\/\S+/.exec(d.caption)![0].length }];
    }
    this.push({ message });
    return messageId;
  }

  /** A user presses an inline button under message `messageId`; returns the callback query id. */
  pushCallback(c: { chatId: number; fromId: number; messageId: number; data: string }): string {
    const id = `cb${this.nextCallbackId++}`;
    const chat = { id: c.chatId, type: c.chatId < 0 ? 'supergroup' : 'private', ...(c.chatId < 0 ? { title: `Nhóm ${c.chatId}` } : { first_name: 'Bạn' }) };
    this.push({
      callback_query: {
        id,
        from: { id: c.fromId, is_bot: false, first_name: `Người dùng ${c.fromId}` },
        chat_instance: `ci${c.chatId}`,
        message: { message_id: c.messageId, date: this.date(), chat, from: this.botInfo, text: '…', ...this.markupOf(c.messageId) },
        data: c.data,
      },
    });
    return id;
  }

  /** A group becomes a supergroup: the service messages Telegram sends in the old and in the new chat. */
  pushMigration(oldId: number, newId: number): void {
    const from = { id: 1, is_bot: false, first_name: 'Quản trị nhóm' };
    this.push({ message: { message_id: this.nextMessageId++, date: this.date(), chat: { id: oldId, type: 'group', title: 'Nhóm' }, from, migrate_to_chat_id: newId } });
    this.push({ message: { message_id: 1, date: this.date(), chat: { id: newId, type: 'supergroup', title: 'Nhóm' }, from, migrate_from_chat_id: oldId } });
  }

  /** The bot's own membership in a group changes (added: left → member, removed: member → kicked...). */
  pushMembership(m: { chatId: number; from: 'left' | 'kicked' | 'member' | 'administrator'; to: 'left' | 'kicked' | 'member' | 'administrator'; title?: string }): void {
    const chat = { id: m.chatId, type: String(m.chatId).startsWith('-100') ? 'supergroup' : 'group', title: m.title ?? `Nhóm ${m.chatId}` };
    const member = (status: string) => ({ user: this.botInfo, status, ...(status === 'administrator' ? { can_be_edited: false, can_manage_chat: true } : {}), ...(status === 'kicked' ? { until_date: 0 } : {}) });
    this.push({ my_chat_member: { chat, from: { id: 1, is_bot: false, first_name: 'Quản trị nhóm' }, date: this.date(), old_chat_member: member(m.from), new_chat_member: member(m.to) } });
  }

  /** The keyboard the bot's message carries now (as sent, or as last edited), as Telegram includes it in updates. */
  private markupOf(messageId: number): { reply_markup?: unknown } {
    const edited = this.editedMarkup.get(messageId);
    if (edited) return { reply_markup: edited };
    const sent = this.sent.find((c) => c.method !== 'editMessageReplyMarkup' && c.message_id === messageId);
    return sent?.reply_markup ? { reply_markup: sent.reply_markup } : {};
  }

  /** Updates not yet confirmed by the bot (getUpdates with a higher offset). */
  pending(): number {
    return this.updates.length;
  }

  /** Resolves with the first successful outgoing call matching `match` (already made or coming). */
  waitFor(match: (call: SentCall) => boolean, timeoutMs = 5_000): Promise<SentCall> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.sent.find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.listeners.delete(check as () => void);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check as () => void);
        reject(new Error(`FakeBotApi: no matching call within ${timeoutMs} ms; sent: ${JSON.stringify(this.sent.map((s) => [s.method, s.chat_id, s.text?.slice(0, 60)]))}`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check as () => void);
    });
  }

  /** Resolves once every queued update has been confirmed by the bot's next getUpdates. */
  async drained(timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.updates.length) {
      if (Date.now() > until) throw new Error(`FakeBotApi: ${this.updates.length} updates not confirmed`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // --- the server ---------------------------------------------------------------------------------

  private date(): number {
    return Math.floor(Date.now() / 1000);
  }

  private push(body: Record<string, unknown>): void {
    const update: Update = { update_id: this.nextUpdateId++, ...body };
    if (this.webhook) {
      void this.deliverToWebhook(update);
      return;
    }
    this.updates.push(update);
    for (const w of [...this.waiters]) {
      const ready = this.take(w.offset, w.limit);
      if (ready.length) w.finish(ready);
    }
  }

  private async deliverToWebhook(update: Update): Promise<void> {
    const hook = this.webhook!;
    try {
      await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(hook.secret_token ? { 'x-telegram-bot-api-secret-token': hook.secret_token } : {}) },
        body: JSON.stringify(update),
      });
    } catch {
      // Telegram would retry; the tests do not need it
    }
  }

  private take(offset: number, limit: number): Update[] {
    return this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (download) {
      this.requests.push({ method: 'file', body: { path: download[2] }, at: Date.now() });
      const file = [...this.files.values()].find((f) => f.path === download[2]);
      if (download[1] !== this.token || !file) return this.answer(res, { error_code: 404, description: 'Not Found' });
      this.downloads++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.data.length) });
      res.end(Buffer.from(file.data));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    const method = match?.[2] ?? '';
    let body: Record<string, unknown> = {};
    let files: Record<string, { filename: string; size: number }> = {};
    const type = req.headers['content-type'] ?? '';
    try {
      if (type.startsWith('multipart/form-data')) ({ fields: body, files } = parseMultipart(raw, type));
      else if (raw.length) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.answer(res, { error_code: 400, description: 'Bad Request: cannot parse the request body' });
    }
    for (const key of ['reply_markup', 'reply_parameters']) {
      if (typeof body[key] === 'string') body[key] = JSON.parse(body[key] as string);
    }
    this.requests.push({ method, body, at: Date.now() });

    if (!match || match[1] !== this.token) return this.answer(res, { error_code: 401, description: 'Unauthorized' });
    if (method !== 'getUpdates' && this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const failure = this.failures.get(method)?.shift();
    if (failure) return this.answer(res, failure);

    switch (method) {
      case 'getMe':
        return this.ok(res, this.botInfo);
      case 'deleteWebhook':
        if (body.drop_pending_updates) this.updates = [];
        this.webhook = null;
        return this.ok(res, true);
      case 'setWebhook':
        this.webhook = { url: String(body.url), ...(body.secret_token ? { secret_token: String(body.secret_token) } : {}) };
        if (body.drop_pending_updates) this.updates = [];
        for (const u of this.updates.splice(0)) void this.deliverToWebhook(u);
        return this.ok(res, true);
      case 'getWebhookInfo':
        return this.ok(res, { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.updates.length });
      case 'getUpdates':
        return this.getUpdates(res, body);
      case 'sendMessage':
      case 'sendDocument': {
        const messageId = this.nextMessageId++;
        const replyParams = body.reply_parameters as { message_id?: number } | undefined;
        const replyTo = (body.reply_to_message_id as number | undefined) ?? replyParams?.message_id;
        const call: SentCall = {
          method,
          chat_id: String(body.chat_id),
          ...(typeof body.text === 'string' ? { text: body.text } : {}),
          ...(typeof body.caption === 'string' ? { caption: body.caption } : {}),
          ...(body.reply_markup ? { reply_markup: body.reply_markup as SentCall['reply_markup'] } : {}),
          ...(replyTo !== undefined ? { reply_to_message_id: Number(replyTo) } : {}),
          message_id: messageId,
          ...(files.document ? { document: files.document } : {}),
          body,
        };
        this.record(call);
        const chatId = Number(body.chat_id);
        return this.ok(res, {
          message_id: messageId,
          date: this.date(),
          chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' },
          from: this.botInfo,
          ...(call.text !== undefined ? { text: call.text } : {}),
          ...(call.document ? { document: { file_id: `f${messageId}`, file_unique_id: `u${messageId}`, file_name: call.document.filename } } : {}),
        });
      }
      case 'getFile': {
        const file = this.files.get(String(body.file_id));
        if (!file) return this.answer(res, { error_code: 400, description: 'Bad Request: invalid file_id' });
        return this.ok(res, { file_id: String(body.file_id), file_unique_id: `u${String(body.file_id)}`, file_size: file.data.length, file_path: file.path });
      }
      case 'answerCallbackQuery':
        this.record({ method, callback_query_id: String(body.callback_query_id), ...(typeof body.text === 'string' ? { text: body.text } : {}), body });
        return this.ok(res, true);
      case 'editMessageReplyMarkup':
        this.editedMarkup.set(Number(body.message_id), body.reply_markup);
        this.record({ method, chat_id: String(body.chat_id), message_id: Number(body.message_id), body });
        return this.ok(res, true);
      default:
        return this.answer(res, { error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private getUpdates(res: http.ServerResponse, body: Record<string, unknown>): void {
    if (this.webhook) return this.answer(res, { error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    const offset = Number(body.offset ?? 0);
    const limit = Math.min(Number(body.limit ?? 100) || 100, 100);
    const timeout = Number(body.timeout ?? 0);
    // an offset confirms every update before it
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const ready = this.take(offset, limit);
    if (ready.length || timeout <= 0 || !this.server) return this.ok(res, ready);
    let done = false;
    const waiter: Waiter = {
      offset,
      limit,
      finish: (updates) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (!res.writableEnded && !res.destroyed) this.ok(res, updates);
      },
    };
    const timer = setTimeout(() => waiter.finish([]), timeout * 1000);
    // the client gave up (telegraf's polling aborted on stop)
    res.on('close', () => {
      done = true;
      clearTimeout(timer);
      this.waiters.delete(waiter);
    });
    this.waiters.add(waiter);
  }

  private record(call: SentCall): void {
    this.sent.push(call);
    for (const l of [...this.listeners]) l();
  }

  private ok(res: http.ServerResponse, result: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result }));
  }

  private answer(res: http.ServerResponse, error: ApiError): void {
    res.writeHead(error.error_code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, ...error }));
  }
}

/** Just enough multipart/form-data: text fields as strings, files as name + size. */
function parseMultipart(raw: Buffer, contentType: string): { fields: Record<string, unknown>; files: Record<string, { filename: string; size: number }> } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error('no boundary');
  const fields: Record<string, unknown> = {};
  const files: Record<string, { filename: string; size: number }> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/.exec(headers)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) files[name] = { filename, size: content.length };
        else fields[name] = content.toString('utf8');
      }
    }
    start = next;
  }
  return { fields, files };
}
