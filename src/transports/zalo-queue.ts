/**
 * The personal Zalo account's outgoing messages: ONE queue, spaced `minGapMs`..`maxGapMs` apart with jitter
 * (Zalo's rate limits are undocumented and personal accounts get banned for bursts), every platform call
 * bounded in time, and the outcome of each send established before the next one starts.
 *
 * - A text that comes back without a msgId, or whose call failed or timed out, is not resent: the bot listens
 *   to its own messages (selfListen) and takes the id of the echo of that text in that thread. No echo within
 *   `echoWaitMs`: a timed-out call (Zalo may have delivered it) is SendError 'unknown_outcome', a call that
 *   failed on the network is 'retry', one Zalo rejected is 'retry' (nothing was delivered).
 * - A file goes through zca-js's upload, which for anything but images waits for a `file_done` event on the
 *   socket with no timeout of its own: after `uploadTimeoutMs` it is 'unknown_outcome' and the queue moves on.
 * - An unknown thread is tried as a group first; rejected by Zalo as such, once as a direct chat.
 * - Texts longer than `maxLength` go in several messages, split on line boundaries.
 */
import type { Logger } from '../log.ts';
import { plainParts } from './plain-text.ts';
import { SendError, type Outgoing } from './transport.ts';
import { isAuthError, isServerRejection, type ZaloClient } from './zalo-api.ts';
import { errorText, withTimeout } from './zalo-util.ts';

/** What the queue needs from the session. */
export type ZaloQueueSession = {
  /** the client to send with, or null (then `unavailable()` says why) */
  client(): ZaloClient | null;
  unavailable(): SendError;
  /** Zalo refused a send for the login itself */
  authRejected(reason: string): Promise<void>;
  /** a send went through */
  sent(): void;
  /** waits, or less if the transport stops */
  pause(ms: number): Promise<void>;
};

export type ZaloQueueOptions = {
  maxLength: number;
  log: Logger;
  random: () => number;
  now: () => number;
  /** spacing between two sends (ms); default 1500..3000 */
  minGapMs?: number;
  maxGapMs?: number;
  /** how long to wait for the echo of a send whose outcome is unknown; default 8000 */
  echoWaitMs?: number;
  /** how long a text send may take; default 20 s */
  sendTimeoutMs?: number;
  /** how long a file upload and send may take; default 60 s */
  uploadTimeoutMs?: number;
};

type Echo = { threadId: string; text: string; msgId: string; at: number; claimed: boolean };

const ECHO_KEEP_MS = 120_000;

export class ZaloSendQueue {
  private readonly cfg: Required<Pick<ZaloQueueOptions, 'minGapMs' | 'maxGapMs' | 'echoWaitMs' | 'sendTimeoutMs' | 'uploadTimeoutMs'>>;
  private tail: Promise<unknown> = Promise.resolve();
  private lastSendAt: number | null = null;
  private readonly threadIsGroup = new Map<string, boolean>();
  private echoes: Echo[] = [];
  private readonly echoListeners = new Set<() => void>();
  private readonly sentIds = new Set<string>();

  constructor(
    private readonly session: ZaloQueueSession,
    private readonly opts: ZaloQueueOptions,
  ) {
    this.cfg = {
      minGapMs: opts.minGapMs ?? 1_500,
      maxGapMs: opts.maxGapMs ?? 3_000,
      echoWaitMs: opts.echoWaitMs ?? 8_000,
      sendTimeoutMs: opts.sendTimeoutMs ?? 20_000,
      uploadTimeoutMs: opts.uploadTimeoutMs ?? 60_000,
    };
  }

  /**
   * Whether a thread id is a group (true) or a direct chat (false): learned from incoming messages, seeded by
   * the app from the groups it knows. An unknown thread is tried as a group first.
   */
  setThreadKind(threadId: string, isGroup: boolean): void {
    this.threadIsGroup.set(threadId, isGroup);
  }

  send(threadId: string, message: Outgoing): Promise<string[]> {
    const job = () => this.sendNow(threadId, message);
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => {});
    return run;
  }

  /** Resolves once every queued send has ended (each is bounded in time). */
  async drain(): Promise<void> {
    await this.tail;
  }

  /** Our own message, seen on the socket. */
  recordEcho(threadId: string, text: string, msgId: string): void {
    const cutoff = this.opts.now() - ECHO_KEEP_MS;
    this.echoes = this.echoes.filter((e) => e.at >= cutoff).slice(-200);
    this.echoes.push({ threadId, text, msgId, at: this.opts.now(), claimed: false });
    for (const listener of [...this.echoListeners]) listener();
  }

  private async sendNow(threadId: string, message: Outgoing): Promise<string[]> {
    const ids: string[] = [];
    const texts = plainParts(message.text, message.buttons, this.opts.maxLength, message.buttonsNote);
    if (message.attachment) {
      const caption = texts.shift() ?? '';
      ids.push(...(await this.sendAttachment(threadId, message.attachment, caption)));
    }
    for (const text of texts) ids.push(await this.sendText(threadId, text));
    return ids;
  }

  private client(): ZaloClient {
    const client = this.session.client();
    if (!client) throw this.session.unavailable();
    return client;
  }

  /** Waits so that two sends are minGap..maxGap apart (random), counted from the previous send. */
  private async spaceOut(): Promise<void> {
    if (this.lastSendAt === null) return;
    const gap = this.cfg.minGapMs + this.opts.random() * Math.max(this.cfg.maxGapMs - this.cfg.minGapMs, 0);
    const wait = this.lastSendAt + gap - this.opts.now();
    if (wait > 0) await this.session.pause(wait);
  }

  private async sendText(threadId: string, text: string): Promise<string> {
    await this.spaceOut();
    const client = this.client();
    const known = this.threadIsGroup.get(threadId);
    const since = this.opts.now();
    this.lastSendAt = since;
    let result: { msgId: string | null } | null = null;
    let failure: unknown = null;
    let timedOut = false;
    const attempt = async (isGroup: boolean) => {
      const answer = await withTimeout(client.sendMessage(text, threadId, isGroup), this.cfg.sendTimeoutMs);
      if (answer.timedOut) {
        timedOut = true;
        return null;
      }
      return answer.value;
    };
    try {
      result = await attempt(known ?? true);
    } catch (error) {
      if (known === undefined && isServerRejection(error) && !isAuthError(error)) {
        // an unknown thread, tried as a group and rejected by Zalo (so nothing was delivered): a direct chat?
        try {
          result = await attempt(false);
          if (result) this.threadIsGroup.set(threadId, false);
        } catch (second) {
          failure = second;
        }
      } else {
        failure = error;
      }
    }
    if (failure !== null || timedOut) {
      // no answer from Zalo (network, timeout): it may have been delivered all the same; its echo tells
      const echoed = timedOut || (!isAuthError(failure) && !isServerRejection(failure)) ? await this.waitForEcho(threadId, text, since) : null;
      if (!echoed) {
        if (timedOut) {
          this.opts.log.warn({ thread: threadId, timeoutMs: this.cfg.sendTimeoutMs }, 'zalo send did not answer and no echo came back');
          throw new SendError(`Zalo không trả lời trong ${Math.round(this.cfg.sendTimeoutMs / 1000)} giây và không thấy tin vọng lại: không rõ đã gửi được chưa`, 'unknown_outcome');
        }
        throw await this.failure(failure);
      }
      this.opts.log.info({ thread: threadId, msgId: echoed }, 'zalo send failed locally but its echo came back');
      result = { msgId: echoed };
    }
    if (known === undefined && !this.threadIsGroup.has(threadId)) this.threadIsGroup.set(threadId, true);
    let id = result?.msgId ?? null;
    if (!id) {
      id = await this.waitForEcho(threadId, text, since);
      if (!id) {
        this.opts.log.warn({ thread: threadId }, 'zalo send returned no id and no echo came back');
        throw new SendError('Zalo không trả về mã tin nhắn và không thấy tin vọng lại: không rõ đã gửi được chưa', 'unknown_outcome');
      }
      this.opts.log.info({ thread: threadId, msgId: id }, 'zalo send confirmed by its echo');
    }
    this.sentIds.add(id);
    if (this.sentIds.size > 1000) this.sentIds.delete(this.sentIds.values().next().value!);
    this.session.sent();
    return id;
  }

  private async sendAttachment(threadId: string, attachment: NonNullable<Outgoing['attachment']>, caption: string): Promise<string[]> {
    await this.spaceOut();
    const client = this.client();
    this.lastSendAt = this.opts.now();
    if (!client.sendFile) {
      const note = `${caption}\n\n(Không gửi được tệp “${attachment.fileName}” qua Zalo; xem tệp ở kênh khác hoặc hỏi văn phòng.)`.trim();
      return [await this.sendText(threadId, note)];
    }
    let answer: Awaited<ReturnType<typeof withTimeout<{ msgIds: string[] }>>>;
    try {
      const file = { fileName: attachment.fileName, data: attachment.data };
      answer = await withTimeout(client.sendFile(file, caption, threadId, this.threadIsGroup.get(threadId) ?? true), this.cfg.uploadTimeoutMs);
    } catch (error) {
      throw await this.failure(error);
    }
    if (answer.timedOut) {
      this.opts.log.warn({ thread: threadId, file: attachment.fileName, timeoutMs: this.cfg.uploadTimeoutMs }, 'zalo upload did not complete');
      throw new SendError(
        `Zalo chưa xác nhận tệp “${attachment.fileName}” sau ${Math.round(this.cfg.uploadTimeoutMs / 1000)} giây: không rõ đã gửi được chưa, không gửi lại để tránh trùng`,
        'unknown_outcome',
      );
    }
    if (!answer.value.msgIds.length) throw new SendError('Zalo không trả về mã tin nhắn cho tệp đính kèm: không rõ đã gửi được chưa', 'unknown_outcome');
    this.session.sent();
    return answer.value.msgIds;
  }

  /** Classifies a failed send; an auth failure is reported once and triggers a fresh login. */
  private async failure(error: unknown): Promise<SendError> {
    const message = errorText(error);
    if (isAuthError(error)) {
      await this.session.authRejected(message);
      return new SendError(`Zalo: phiên đăng nhập không hợp lệ: ${message}`, 'retry');
    }
    return new SendError(`Zalo: ${message}`, 'retry');
  }

  private takeEcho(threadId: string, text: string, since: number): string | null {
    const wanted = text.trim();
    const echo = this.echoes.find((e) => !e.claimed && e.threadId === threadId && e.at >= since && !this.sentIds.has(e.msgId) && e.text.trim() === wanted);
    if (!echo) return null;
    echo.claimed = true;
    return echo.msgId;
  }

  /** The echo of what we just sent, or null after echoWaitMs. */
  private async waitForEcho(threadId: string, text: string, since: number): Promise<string | null> {
    const found = this.takeEcho(threadId, text, since);
    if (found) return found;
    let wake!: () => void;
    const arrived = new Promise<void>((resolve) => (wake = resolve));
    const listener = () => {
      if (this.echoes.some((e) => !e.claimed && e.threadId === threadId && e.text.trim() === text.trim())) wake();
    };
    this.echoListeners.add(listener);
    try {
      await Promise.race([arrived, this.session.pause(this.cfg.echoWaitMs)]);
    } finally {
      this.echoListeners.delete(listener);
    }
    return this.takeEcho(threadId, text, since);
  }
}
