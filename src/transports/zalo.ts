/**
 * The Zalo transport: a dedicated personal Zalo account driven through zca-js (see zalo-api.ts). Unofficial:
 * Zalo may lock an account that behaves like a bot; the official Zalo Bot (zalo-bot.ts) is the safe route
 * but cannot sit in groups.
 *
 * It joins two parts that can be read and tested apart:
 * - ZaloSession (zalo-session.ts): the login, its supervision, back-off and credentials;
 * - ZaloSendQueue (zalo-queue.ts): the one outgoing queue, spacing, timeouts and echo confirmation.
 * and turns what the listener hears into IncomingMessage: texts in groups and direct chats, `replyTo` being
 * the quoted message's globalMsgId (equal to the msgId returned when the bot sent it); documents (zca-js
 * delivers them as msgType "share.file" with the file's name and a download link); the bot's own joining
 * or leaving a group (zca-js group_event).
 *
 * Text length: neither Zalo nor zca-js documents a limit for personal-account text messages (zca-js does not
 * check one; the official Zalo Bot and OA APIs cap text at 2000 characters). We use 2000, a size known to go
 * through.
 */
import { silentLogger, type Logger } from '../log.ts';
import { downloadBounded, mimeOfName } from './download.ts';
import type { IncomingFile, IncomingHandler, IncomingMessage, Outgoing, Transport, TransportStatus } from './transport.ts';
import { ZALO_GROUP_THREAD, type ZaloGroupEvent, type ZaloMessage } from './zalo-api.ts';
import { ZaloSendQueue, type ZaloQueueOptions } from './zalo-queue.ts';
import { ZaloSession, type ZaloSessionOptions } from './zalo-session.ts';
import { errorText } from './zalo-util.ts';

export { ZALO_CLOSE } from './zalo-session.ts';

export const ZALO_MAX_LENGTH = 2000;

export type ZaloTransportOptions = ZaloSessionOptions &
  Pick<ZaloQueueOptions, 'minGapMs' | 'maxGapMs' | 'echoWaitMs' | 'sendTimeoutMs' | 'uploadTimeoutMs'> & {
    /** the bot was added to a group (present) or removed from it; a returned text is posted there */
    onMembership?: (chat: string, present: boolean, title: string) => Promise<string | null>;
  };

export class ZaloTransport implements Transport {
  readonly name = 'zalo' as const;
  readonly maxLength = ZALO_MAX_LENGTH;

  private readonly log: Logger;
  private readonly session: ZaloSession;
  private readonly queue: ZaloSendQueue;
  private handler: IncomingHandler | null = null;
  private incoming: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ZaloTransportOptions) {
    this.log = (opts.log ?? silentLogger).child({ transport: 'zalo' });
    this.session = new ZaloSession(opts, {
      message: (message) => this.onZaloMessage(message),
      groupEvent: (event) => void this.onGroupEvent(event),
    });
    this.queue = new ZaloSendQueue(this.session, {
      maxLength: ZALO_MAX_LENGTH,
      log: this.log,
      random: opts.random ?? Math.random,
      now: this.session.now,
      minGapMs: opts.minGapMs,
      maxGapMs: opts.maxGapMs,
      echoWaitMs: opts.echoWaitMs,
      sendTimeoutMs: opts.sendTimeoutMs,
      uploadTimeoutMs: opts.uploadTimeoutMs,
    });
  }

  /** The logged-in account's Zalo id (null until the first login). */
  accountId(): string | null {
    return this.session.accountId();
  }

  /** A key for "one process per Zalo account": the account once known, the credentials file before. */
  leaseKey(): string {
    const id = this.session.accountId();
    return id ? `zalo:${id}` : `zalo-file:${this.opts.credentialsFile}`;
  }

  /** Whether a thread id is a group (true) or a direct chat (false); see ZaloSendQueue.setThreadKind. */
  setThreadKind(threadId: string, isGroup: boolean): void {
    this.queue.setThreadKind(threadId, isGroup);
  }

  async start(onMessage: IncomingHandler): Promise<void> {
    this.handler = onMessage;
    await this.session.start();
  }

  async stop(): Promise<void> {
    await this.session.stop();
    await this.queue.drain();
    this.session.close();
  }

  status(): TransportStatus {
    return { name: 'zalo', ...this.session.status() };
  }

  send(chatId: string, message: Outgoing): Promise<string[]> {
    return this.queue.send(chatId, message);
  }

  private onZaloMessage(message: ZaloMessage): void {
    const isGroup = message.type === ZALO_GROUP_THREAD;
    const threadId = String(message.threadId);
    const data = message.data;
    if (message.isSelf) {
      if (typeof data.content === 'string' && data.msgId !== undefined && data.msgId !== null) this.queue.recordEcho(threadId, data.content, String(data.msgId));
      return;
    }
    this.queue.setThreadKind(threadId, isGroup);
    const file = sharedFile(data);
    const text = typeof data.content === 'string' ? data.content : '';
    if (!file && !text.trim()) return; // stickers, photos...
    const ownId = this.session.accountId();
    const quoted = data.quote?.globalMsgId;
    const quotedAuthor = data.quote?.ownerId ? String(data.quote.ownerId) : '';
    const incoming: IncomingMessage = {
      chat: `zalo:${threadId}`,
      user: `zalo:${String(data.uidFrom)}`,
      userName: data.dName?.trim() || String(data.uidFrom),
      messageId: String(data.msgId),
      text,
      ...(file ? { file } : {}),
      ...(quoted !== undefined && quoted !== null && String(quoted) !== '0' && String(quoted) !== '' ? { replyTo: String(quoted) } : {}),
      ...(quotedAuthor && quotedAuthor !== '0' && quotedAuthor !== ownId
        ? { replyToUser: { user: `zalo:${quotedAuthor}`, name: data.quote?.fromD?.trim() || quotedAuthor } }
        : {}),
    };
    // one at a time, in arrival order ("xong" must be handled after the message it answers)
    this.incoming = this.incoming.then(() => this.handle(incoming, threadId));
  }

  private async handle(message: IncomingMessage, threadId: string): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    try {
      const reply = await handler(message);
      // not awaited: the next incoming message need not wait for the send queue
      if (reply && !this.session.isStopped()) {
        this.send(threadId, reply).catch((error: unknown) => this.log.warn({ chat: message.chat, err: errorText(error) }, 'zalo reply not sent'));
      }
    } catch (error) {
      this.log.warn({ chat: message.chat, err: errorText(error) }, 'zalo message handling failed');
    }
  }

  /** The bot itself joined a group (added by someone) or left it (removed, blocked); other members' moves are not news. */
  private async onGroupEvent(event: ZaloGroupEvent): Promise<void> {
    const ownId = this.session.accountId();
    const members = (event.data?.updateMembers ?? []).map((m) => (typeof m === 'string' ? m : m.id));
    if (!ownId || !members.includes(ownId)) return;
    const present = event.type === 'join' ? true : ['leave', 'remove_member', 'block_member'].includes(event.type) ? false : null;
    if (present === null || !this.opts.onMembership) return;
    this.log.info({ chat: `zalo:${event.threadId}`, present }, present ? 'bot added to a group' : 'bot removed from a group');
    try {
      if (present) this.queue.setThreadKind(event.threadId, true);
      const text = await this.opts.onMembership(`zalo:${event.threadId}`, present, event.data?.groupName ?? '');
      if (text && present) await this.send(event.threadId, { text });
    } catch (error) {
      this.log.warn({ chat: `zalo:${event.threadId}`, err: errorText(error) }, 'zalo membership change not handled');
    }
  }
}

/** A document shared in the chat: content {title, href, params: '{"fileSize":"7295","fileExt":"docx",...}'}. */
function sharedFile(data: ZaloMessage['data']): IncomingFile | null {
  if (data.msgType !== 'share.file' || typeof data.content !== 'object' || data.content === null) return null;
  const content = data.content as { title?: unknown; href?: unknown; params?: unknown };
  const href = content.href;
  if (typeof href !== 'string' || !/^https?:\/\//.test(href)) return null;
  let params: { fileSize?: unknown; fileExt?: unknown } = {};
  try {
    if (typeof content.params === 'string') params = JSON.parse(content.params) as typeof params;
  } catch {
    // no size, no extension
  }
  const ext = typeof params.fileExt === 'string' ? params.fileExt.trim() : '';
  let name = typeof content.title === 'string' && content.title.trim() ? content.title.trim() : 'tep-dinh-kem';
  if (ext && !name.toLowerCase().endsWith(`.${ext.toLowerCase()}`)) name = `${name}.${ext}`;
  const size = params.fileSize === undefined || params.fileSize === '' ? NaN : Number(params.fileSize);
  const mime = mimeOfName(name);
  return {
    name,
    size: Number.isFinite(size) && size >= 0 ? size : null,
    ...(mime ? { mime } : {}),
    download: (maxBytes) => downloadBounded(href, maxBytes),
  };
}
