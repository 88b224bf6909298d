/**
 * The official Zalo Bot Platform API (Zalo Bot Creator), as its public documentation describes it
 * (bot.zaloplatforms.com/docs): `POST <root>/bot<TOKEN>/<method>` with a JSON body, answered
 * `{"ok":true,"result":...}` or `{"ok":false,"error_code":N,"description":"..."}`.
 *
 * - Token `{bot_id}:{access_token}`; root https://bot-api.zaloplatforms.com (ZALO_BOT_API_ROOT for a double).
 * - getMe → {id, account_name, account_type, can_join_groups}; bots cannot join groups today.
 * - getUpdates {timeout: "30"}: a long poll returning ONE update per call:
 *   {event_name: "message.text.received" | "message.image.received" | "message.sticker.received" |
 *   "message.unsupported.received", message: {message_id, from: {id, display_name}, chat: {id, chat_type:
 *   "PRIVATE" | "GROUP"}, date, text | photo (a URL) + caption | sticker}}; error_code 408 when nothing came.
 *   getUpdates answers nothing while a webhook is set (deleteWebhook first).
 * - setWebhook {url (https), secret_token (8–256 characters, sent back in header X-Bot-Api-Secret-Token)},
 *   deleteWebhook, getWebhookInfo; the webhook receives the same update, wrapped as getUpdates answers it.
 * - sendMessage {chat_id, text (1–2000 characters)} → {message_id, date}; sendPhoto {chat_id, photo (a URL
 *   Zalo fetches), caption}; sendChatAction {chat_id, action: "typing"}.
 * Ids are strings (hex).
 */
import { z } from 'zod';

export const ZALO_BOT_API_ROOT = 'https://bot-api.zaloplatforms.com';
export const ZALO_BOT_MAX_TEXT = 2000;
export const ZALO_BOT_SECRET_HEADER = 'x-bot-api-secret-token';

const id = z.union([z.string(), z.number()]).transform(String);

const messageSchema = z.looseObject({
  message_id: id,
  from: z.looseObject({ id, display_name: z.string().optional(), first_name: z.string().optional(), name: z.string().optional() }),
  chat: z.looseObject({ id, chat_type: z.string().optional() }),
  date: z.number().optional(),
  text: z.string().optional(),
  photo: z.string().optional(),
  caption: z.string().optional(),
});

// the documentation's own getUpdates sample has no event_name: an update without one is read by its fields
const updateSchema = z
  .looseObject({ event_name: z.string().optional(), message: messageSchema.optional() })
  .transform((u) => ({ ...u, event_name: u.event_name ?? eventOf(u.message) }));

function eventOf(message: z.infer<typeof messageSchema> | undefined): string {
  if (message?.text !== undefined) return 'message.text.received';
  if (message?.photo !== undefined) return 'message.image.received';
  return 'message.unsupported.received';
}

export type ZaloBotUpdate = z.infer<typeof updateSchema>;
export type ZaloBotMessage = z.infer<typeof messageSchema>;

/** An update as getUpdates answers it ({ok, result}) or bare, as some webhook payloads are. */
export function parseUpdate(body: unknown): ZaloBotUpdate | null {
  const inner = typeof body === 'object' && body !== null && 'result' in body ? (body as { result: unknown }).result : body;
  const parsed = updateSchema.safeParse(inner);
  return parsed.success ? parsed.data : null;
}

/** A failed call: Zalo's error_code (or the HTTP status), and how long to wait when it says so. */
export class ZaloBotApiError extends Error {
  constructor(
    message: string,
    /** error_code from the answer, else the HTTP status; null when no answer came (network, timeout) */
    readonly code: number | null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** the token was refused */
  get unauthorized(): boolean {
    return this.code === 401 || this.code === 403 || this.code === 404;
  }
}

export type ZaloBotApiOptions = {
  token: string;
  apiRoot?: string;
  /** per call, except getUpdates which waits its long-poll timeout plus this; default 20 s */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export class ZaloBotApi {
  private readonly root: string;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: ZaloBotApiOptions) {
    this.root = (opts.apiRoot ?? ZALO_BOT_API_ROOT).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.doFetch = opts.fetch ?? fetch;
  }

  getMe(): Promise<{ id: string; account_name?: string; can_join_groups?: boolean }> {
    return this.call('getMe', {}) as Promise<{ id: string; account_name?: string }>;
  }

  /** One update, or null when the long poll ended with nothing (error_code 408). */
  async getUpdates(timeoutSeconds: number, signal?: AbortSignal): Promise<ZaloBotUpdate | null> {
    try {
      const result = await this.call('getUpdates', { timeout: String(timeoutSeconds) }, timeoutSeconds * 1000 + this.timeoutMs, signal);
      if (result === null || result === undefined) return null;
      const update = parseUpdate(result);
      if (!update) throw new ZaloBotApiError('Zalo Bot trả về một cập nhật không đọc được', null);
      return update;
    } catch (error) {
      if (error instanceof ZaloBotApiError && error.code === 408) return null;
      throw error;
    }
  }

  setWebhook(url: string, secretToken: string): Promise<unknown> {
    return this.call('setWebhook', { url, secret_token: secretToken });
  }

  deleteWebhook(): Promise<unknown> {
    return this.call('deleteWebhook', {});
  }

  async sendMessage(chatId: string, text: string): Promise<string> {
    return messageId(await this.call('sendMessage', { chat_id: chatId, text }));
  }

  async sendPhoto(chatId: string, photo: string, caption?: string): Promise<string> {
    return messageId(await this.call('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) }));
  }

  async call(method: string, body: Record<string, unknown>, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.doFetch(`${this.root}/bot${this.opts.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      const reason = timeout.aborted ? `không trả lời sau ${Math.round(timeoutMs / 1000)} giây` : error instanceof Error ? error.message : String(error);
      throw new ZaloBotApiError(`Zalo Bot ${method}: ${reason}`, null);
    }
    type Answer = { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    const json = (await response.json().catch(() => null)) as Answer | null;
    if (response.ok && json?.ok === true) return json.result;
    const code = typeof json?.error_code === 'number' ? json.error_code : response.status;
    const description = typeof json?.description === 'string' ? json.description : response.statusText || `HTTP ${response.status}`;
    throw new ZaloBotApiError(`Zalo Bot ${method}: ${description} (mã ${code})`, code, retryAfter(response, json?.parameters?.retry_after));
  }
}

function messageId(result: unknown): string {
  const value = (result as { message_id?: unknown } | null)?.message_id;
  return value === undefined || value === null ? '' : String(value);
}

function retryAfter(response: Response, fromBody: unknown): number | undefined {
  const seconds = typeof fromBody === 'number' ? fromBody : Number(response.headers.get('retry-after') ?? NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
