/**
 * The Zalo transport: a dedicated personal Zalo account driven through zca-js (see zalo-api.ts).
 *
 * ONE INSTANCE PER ACCOUNT. Zalo keeps one web listener per login session: a second listener on the same
 * cookies gets the first closed with code 3000 (DuplicateConnection), and opening Zalo Web / logging in
 * elsewhere kicks the bot with 3003 (KickConnection). So a Zalo account must be bound to exactly one running
 * bot process, and nobody may open Zalo Web with the bot's account. This transport never fights back: on
 * 3000/3003 it stops, tells the administrators once (onSessionProblem) and waits for a new login (the
 * credentials file changing). The process enforces "one instance" with a lease: before start(), take a
 * lease row in the database keyed by `leaseKey()` (the credentials file until logged in, then
 * "zalo:<accountId()>"), renew it periodically, and do not start the transport while another live
 * holder has it (the lead wires this; this class only exposes the account id).
 *
 * What it does:
 * - logs in from the credentials file; re-saves the credentials (atomically, mode 0600) whenever Zalo
 *   renewed the cookies;
 * - supervises the listener: a drop (1006 network, ...) is followed by a restart after an exponential
 *   back-off with jitter (no hot loop; the back-off resets once a connection stayed up `stableMs`); after
 *   `reloginAfter` failed restarts in a row it logs in again from scratch; an expired or kicked session
 *   (3000/3003, an auth error at login or when sending) is reported once and not retried blindly;
 * - turns incoming text messages (groups and direct chats) into IncomingMessage, `replyTo` being the
 *   quoted message's globalMsgId (equal to the msgId returned when the bot sent it);
 * - sends through ONE queue, spaced `minGapMs`..`maxGapMs` apart (Zalo's rate limits are undocumented and
 *   personal accounts get banned for bursts);
 * - a send that comes back without a msgId is not resent: the bot listens to its own messages
 *   (selfListen) and takes the id of the echo of that text in that thread; no echo within `echoWaitMs` →
 *   SendError 'unknown_outcome'.
 *
 * Text length: neither Zalo nor zca-js documents a limit for personal-account text messages (zca-js does not
 * check one; the official Zalo OA API caps text at 2000 characters). We use 2000, a size known to go through.
 */
import { readFile } from 'node:fs/promises';
import { silentLogger, type Logger } from '../log.ts';
import { SendError, type Button, type IncomingHandler, type IncomingMessage, type Outgoing, type Transport, type TransportStatus } from './transport.ts';
import {
  createZcaClient,
  credentialsFingerprint,
  CredentialsFileError,
  isAuthError,
  isServerRejection,
  readCredentials,
  writeCredentials,
  ZALO_GROUP_THREAD,
  type ZaloClient,
  type ZaloCredentials,
  type ZaloGroupEvent,
  type ZaloMessage,
} from './zalo-api.ts';

export const ZALO_MAX_LENGTH = 2000;

/** Close codes of zca-js's listener (dist/apis/listen.d.ts CloseReason). */
export const ZALO_CLOSE = { manual: 1000, abnormal: 1006, duplicateConnection: 3000, kickConnection: 3003 } as const;

export type ZaloTransportOptions = {
  credentialsFile: string;
  /** logs in; default: zca-js (createZcaClient) */
  connect?: (credentials: ZaloCredentials) => Promise<ZaloClient>;
  log?: Logger;
  /** tells the administrators (through another channel) that the Zalo login needs attention */
  onSessionProblem?: (message: string) => Promise<void>;
  /** the bot was added to a group (present) or removed from it; a returned text is posted there */
  onMembership?: (chat: string, present: boolean, title: string) => Promise<string | null>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** spacing between two sends (ms); default 1500..3000 */
  minGapMs?: number;
  maxGapMs?: number;
  /** how long to wait for the echo of a send that returned no msgId; default 8000 */
  echoWaitMs?: number;
  /** listener restart back-off: first delay and cap (ms); default 2000 and 5 minutes */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** a connection that lasted this long resets the back-off; default 30 s */
  stableMs?: number;
  /** full re-login after this many consecutive failed restarts; default 5 */
  reloginAfter?: number;
  /** how often to look for new credentials once the session is expired; default 60 s */
  credentialsPollMs?: number;
  /** how often to look for renewed cookies to save while connected (0: only after sends/restarts); default 10 min */
  credentialsCheckMs?: number;
};

type State = 'stopped' | 'connecting' | 'connected' | 'reconnecting' | 'expired';
type Drop = { kind: 'drop'; code: number; reason: string } | { kind: 'session'; message: string } | { kind: 'relogin' } | { kind: 'stop' };
type Echo = { threadId: string; text: string; msgId: string; at: number; claimed: boolean };

const ECHO_KEEP_MS = 120_000;

export class ZaloTransport implements Transport {
  readonly name = 'zalo' as const;
  readonly maxLength = ZALO_MAX_LENGTH;

  private readonly connect: (credentials: ZaloCredentials) => Promise<ZaloClient>;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly cfg: Required<Pick<ZaloTransportOptions, 'minGapMs' | 'maxGapMs' | 'echoWaitMs' | 'backoffBaseMs' | 'backoffMaxMs' | 'stableMs' | 'reloginAfter' | 'credentialsPollMs' | 'credentialsCheckMs'>>;

  private handler: IncomingHandler | null = null;
  private client: ZaloClient | null = null;
  /** bumped for every client: events of a discarded client are ignored */
  private generation = 0;
  private state: State = 'stopped';
  private detail: string | undefined;
  private ownId: string | null = null;
  private stopped = true;
  private stopSignal: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => {};
  private supervisor: Promise<void> | null = null;
  private dropWaiter: ((drop: Drop) => void) | null = null;
  private pendingDrop: Drop | null = null;
  private connectedAt: number | null = null;
  private sessionReported = false;
  /** the credentials file's text as last read or written by us */
  private credentialsRaw: string | null = null;
  private credentialsPrint: string | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  private sendQueue: Promise<unknown> = Promise.resolve();
  private lastSendAt: number | null = null;
  private readonly threadIsGroup = new Map<string, boolean>();
  private echoes: Echo[] = [];
  private echoListeners = new Set<() => void>();
  private readonly sentIds = new Set<string>();
  private incoming: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ZaloTransportOptions) {
    this.connect = opts.connect ?? ((credentials) => createZcaClient(credentials, { selfListen: true }));
    this.log = (opts.log ?? silentLogger).child({ transport: 'zalo' });
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()));
    this.now = opts.now ?? Date.now;
    this.cfg = {
      minGapMs: opts.minGapMs ?? 1_500,
      maxGapMs: opts.maxGapMs ?? 3_000,
      echoWaitMs: opts.echoWaitMs ?? 8_000,
      backoffBaseMs: opts.backoffBaseMs ?? 2_000,
      backoffMaxMs: opts.backoffMaxMs ?? 5 * 60_000,
      stableMs: opts.stableMs ?? 30_000,
      reloginAfter: opts.reloginAfter ?? 5,
      credentialsPollMs: opts.credentialsPollMs ?? 60_000,
      credentialsCheckMs: opts.credentialsCheckMs ?? 10 * 60_000,
    };
  }

  /** The logged-in account's Zalo id (null until the first login): the key of the one-instance lease. */
  accountId(): string | null {
    return this.ownId;
  }

  /** The lease key for "one process per Zalo account" (see the comment at the top). */
  leaseKey(): string {
    return this.ownId ? `zalo:${this.ownId}` : `zalo-file:${this.opts.credentialsFile}`;
  }

  /**
   * Tells the transport whether a thread id is a group (true) or a direct chat (false). Learned from incoming
   * messages; the app may seed it from the groups it knows. An unknown thread is tried as a group first.
   */
  setThreadKind(threadId: string, isGroup: boolean): void {
    this.threadIsGroup.set(threadId, isGroup);
  }

  /**
   * Logs in and opens the listener. Never throws for Zalo trouble: a missing/expired login is reported through
   * onSessionProblem and status(), a network failure is retried in the background.
   */
  async start(onMessage: IncomingHandler): Promise<void> {
    if (!this.stopped) return;
    this.handler = onMessage;
    this.stopped = false;
    this.stopSignal = new Promise((resolve) => (this.signalStop = resolve));
    let firstRound!: () => void;
    const firstDone = new Promise<void>((resolve) => (firstRound = resolve));
    this.supervisor = this.supervise(firstRound).catch((error) => {
      this.log.error({ err: String(error) }, 'zalo supervisor stopped unexpectedly');
      this.setState('reconnecting', `Lỗi không mong đợi: ${String(error)}`);
    });
    // a login that hangs (no answer from Zalo) must not hold up the bot's start: it goes on in the background
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)));
    await Promise.race([firstDone, this.supervisor, giveUp]);
    clearTimeout(timer);
    if (this.cfg.credentialsCheckMs > 0) {
      this.checkTimer = setInterval(() => void this.saveCredentialsIfChanged(), this.cfg.credentialsCheckMs);
      this.checkTimer.unref?.();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.signalStop();
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    this.resolveDrop({ kind: 'stop' });
    await this.supervisor;
    await this.sendQueue.catch(() => {});
    this.discardClient();
    this.setState('stopped');
  }

  status(): TransportStatus {
    const connected = this.state === 'connected';
    const label: Record<State, string> = {
      stopped: 'đã dừng',
      connecting: 'đang đăng nhập',
      connected: 'đã kết nối',
      reconnecting: 'đang kết nối lại',
      expired: 'phiên đăng nhập hết hạn hoặc bị đẩy ra',
    };
    const detail = this.detail ? `${label[this.state]}: ${this.detail}` : label[this.state];
    return { name: 'zalo', connected, detail };
  }

  async send(chatId: string, message: Outgoing): Promise<string[]> {
    return this.enqueue(() => this.sendNow(chatId, message));
  }

  // ---------------------------------------------------------------------------------------------------------
  // supervision

  private async supervise(firstRound: () => void): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (!this.client) {
        this.setState(failures ? 'reconnecting' : 'connecting');
        const login = await this.login();
        if (login === 'stopped') break;
        if (login === 'session') {
          firstRound();
          await this.waitForNewCredentials();
          failures = 0;
          continue;
        }
        if (login === 'failed') {
          firstRound();
          await this.pause(this.backoff(failures++));
          continue;
        }
      }
      const client = this.client;
      if (!client) continue;
      this.pendingDrop = null;
      this.connectedAt = null;
      this.setState(failures ? 'reconnecting' : 'connecting', this.detail);
      try {
        // 'connected' (socket open) sets connectedAt and the state; it may fire during start() itself
        client.start();
      } catch (error) {
        this.log.warn({ err: String(error) }, 'zalo listener did not start');
        firstRound();
        failures++;
        if (failures >= this.cfg.reloginAfter) this.discardClient();
        await this.pause(this.backoff(failures - 1));
        continue;
      }
      firstRound();
      void this.saveCredentialsIfChanged();
      const drop = await this.nextDrop();
      if (this.stopped || drop.kind === 'stop') break;
      if (drop.kind === 'session') {
        // a session that worked for a while is a new problem, worth a new message to the administrators
        if (this.connectedAt !== null && this.now() - this.connectedAt >= this.cfg.stableMs) this.sessionReported = false;
        await this.sessionProblem(drop.message);
        this.discardClient();
        await this.waitForNewCredentials();
        failures = 0;
        continue;
      }
      if (drop.kind === 'relogin') {
        this.discardClient();
        continue;
      }
      const lasted = this.connectedAt === null ? 0 : this.now() - this.connectedAt;
      this.connectedAt = null;
      if (lasted >= this.cfg.stableMs) failures = 0;
      const delay = this.backoff(failures++);
      this.setState('reconnecting', `mất kết nối (mã ${drop.code}${drop.reason ? `: ${drop.reason}` : ''}), thử lại sau ${Math.round(delay / 1000)} giây`);
      this.log.warn({ code: drop.code, reason: drop.reason, delayMs: delay, failures }, 'zalo listener dropped; restarting');
      if (failures >= this.cfg.reloginAfter) this.discardClient();
      await this.pause(delay);
    }
  }

  /** Reads the credentials and logs in: 'ok', 'session' (needs a new login), 'failed' (retry), 'stopped'. */
  private async login(): Promise<'ok' | 'session' | 'failed' | 'stopped'> {
    let credentials: ZaloCredentials;
    try {
      const read = await readCredentials(this.opts.credentialsFile);
      credentials = read.credentials;
      this.credentialsRaw = read.raw;
      this.credentialsPrint = credentialsFingerprint(credentials);
    } catch (error) {
      if (error instanceof CredentialsFileError) {
        this.credentialsRaw = await readFile(this.opts.credentialsFile, 'utf8').catch(() => null);
        await this.sessionProblem(error.message);
        return 'session';
      }
      throw error;
    }
    let client: ZaloClient;
    try {
      client = await this.connect(credentials);
    } catch (error) {
      if (this.stopped) return 'stopped';
      if (isAuthError(error)) {
        await this.sessionProblem(`Đăng nhập Zalo bằng thông tin đã lưu không được (${errorText(error)}). Cần quét lại mã QR: chạy "nhacviec zalo login".`);
        return 'session';
      }
      this.log.warn({ err: errorText(error) }, 'zalo login failed; will retry');
      this.setState('reconnecting', `đăng nhập lỗi: ${errorText(error)}`);
      return 'failed';
    }
    if (this.stopped) {
      safely(() => client.stop());
      return 'stopped';
    }
    this.attach(client);
    try {
      this.ownId = client.getOwnId();
    } catch {
      // keep the previous id
    }
    this.log.info({ account: this.ownId }, 'zalo logged in');
    return 'ok';
  }

  private attach(client: ZaloClient): void {
    const generation = ++this.generation;
    this.client = client;
    const current = () => generation === this.generation && !this.stopped;
    client.listener.on('connected', () => {
      if (!current()) return;
      this.connectedAt = this.now();
      this.setState('connected');
    });
    client.listener.on('message', (message) => {
      if (current()) this.onZaloMessage(message);
    });
    client.listener.on('group_event', (event) => {
      if (current()) void this.onGroupEvent(event);
    });
    const onClose = (code: number, reason: string) => {
      if (!current()) return;
      if (code === ZALO_CLOSE.duplicateConnection) {
        this.resolveDrop({
          kind: 'session',
          message: 'Tài khoản Zalo của bot đang được một chương trình khác lắng nghe cùng phiên đăng nhập (mã 3000): có thể đang chạy hai bản bot. Bot đã ngừng nhận tin Zalo; hãy tắt bản thừa rồi đăng nhập lại ("nhacviec zalo login").',
        });
      } else if (code === ZALO_CLOSE.kickConnection) {
        this.resolveDrop({
          kind: 'session',
          message: 'Tài khoản Zalo của bot đã bị đẩy ra (mã 3003): thường do ai đó mở Zalo Web bằng tài khoản này. Bot đã ngừng nhận tin Zalo; hãy đăng nhập lại bằng "nhacviec zalo login" và đừng mở Zalo Web bằng tài khoản của bot.',
        });
      } else {
        this.resolveDrop({ kind: 'drop', code, reason });
      }
    };
    client.listener.on('disconnected', onClose);
    client.listener.on('closed', onClose);
    client.listener.on('error', (error) => {
      if (current()) this.log.warn({ err: errorText(error) }, 'zalo listener error');
    });
  }

  /** The bot itself joined a group (added by someone) or left it (removed, blocked); other members' moves are not news. */
  private async onGroupEvent(event: ZaloGroupEvent): Promise<void> {
    const members = (event.data?.updateMembers ?? []).map((m) => (typeof m === 'string' ? m : m.id));
    if (!this.ownId || !members.includes(this.ownId)) return;
    const present = event.type === 'join' ? true : ['leave', 'remove_member', 'block_member'].includes(event.type) ? false : null;
    if (present === null || !this.opts.onMembership) return;
    this.log.info({ chat: `zalo:${event.threadId}`, present }, present ? 'bot added to a group' : 'bot removed from a group');
    try {
      if (present) this.threadIsGroup.set(event.threadId, true);
      const text = await this.opts.onMembership(`zalo:${event.threadId}`, present, event.data?.groupName ?? '');
      if (text && present) await this.send(event.threadId, { text });
    } catch (error) {
      this.log.warn({ chat: `zalo:${event.threadId}`, err: errorText(error) }, 'zalo membership change not handled');
    }
  }

  private discardClient(): void {
    const client = this.client;
    this.client = null;
    this.generation++;
    this.connectedAt = null;
    if (client) safely(() => client.stop());
  }

  private nextDrop(): Promise<Drop> {
    if (this.pendingDrop) {
      const drop = this.pendingDrop;
      this.pendingDrop = null;
      return Promise.resolve(drop);
    }
    return new Promise((resolve) => (this.dropWaiter = resolve));
  }

  /** One drop per connection: zca-js emits 'disconnected' then 'closed' for the same close. */
  private resolveDrop(drop: Drop): void {
    if (this.dropWaiter) {
      const waiter = this.dropWaiter;
      this.dropWaiter = null;
      this.pendingDrop = null;
      waiter(drop);
    } else if (!this.pendingDrop || drop.kind === 'stop' || (drop.kind === 'session' && this.pendingDrop.kind === 'drop')) {
      // a close that arrives before the supervisor waits (e.g. during start()) is kept for it
      this.pendingDrop = drop;
    }
  }

  /** Exponential back-off with jitter: base·2^n, capped, times a random factor in [0.5, 1). */
  private backoff(failures: number): number {
    const exp = Math.min(this.cfg.backoffBaseMs * 2 ** Math.min(failures, 20), this.cfg.backoffMaxMs);
    return Math.round(exp * (0.5 + this.random() * 0.5));
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([this.sleep(ms), this.stopSignal]);
  }

  private async sessionProblem(message: string): Promise<void> {
    this.setState('expired', message);
    if (this.sessionReported) return;
    this.sessionReported = true;
    this.log.error({ problem: message }, 'zalo session problem');
    try {
      await this.opts.onSessionProblem?.(message);
    } catch (error) {
      this.log.warn({ err: errorText(error) }, 'could not report the zalo session problem');
    }
  }

  /** Expired / kicked / no login: wait (without hammering Zalo) until someone writes new credentials. */
  private async waitForNewCredentials(): Promise<void> {
    await this.saving; // a save of ours still under way must not look like a new login
    const before = this.credentialsRaw;
    while (!this.stopped) {
      await this.pause(this.cfg.credentialsPollMs);
      if (this.stopped) return;
      const now = await readFile(this.opts.credentialsFile, 'utf8').catch(() => null);
      if (now !== null && now !== before) {
        this.log.info('new zalo credentials found; logging in again');
        this.sessionReported = false;
        return;
      }
    }
  }

  /** One save at a time (several triggers may fire together). */
  private saveCredentialsIfChanged(): Promise<void> {
    this.saving = this.saving.then(() => this.saveNow());
    return this.saving;
  }

  private async saveNow(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    try {
      const credentials = client.getContext();
      const print = credentialsFingerprint(credentials);
      if (print === this.credentialsPrint) return;
      this.credentialsRaw = await writeCredentials(this.opts.credentialsFile, credentials);
      this.credentialsPrint = print;
      this.log.info('zalo credentials renewed and saved');
    } catch (error) {
      this.log.warn({ err: errorText(error) }, 'could not save the renewed zalo credentials');
    }
  }

  private setState(state: State, detail?: string): void {
    this.state = state;
    this.detail = detail;
  }

  // ---------------------------------------------------------------------------------------------------------
  // incoming

  private onZaloMessage(message: ZaloMessage): void {
    const isGroup = message.type === ZALO_GROUP_THREAD;
    const threadId = String(message.threadId);
    const data = message.data;
    if (message.isSelf) {
      if (typeof data.content === 'string' && data.msgId !== undefined && data.msgId !== null) {
        this.recordEcho({ threadId, text: data.content, msgId: String(data.msgId), at: this.now(), claimed: false });
      }
      return;
    }
    this.threadIsGroup.set(threadId, isGroup);
    if (typeof data.content !== 'string' || !data.content.trim()) return; // stickers, photos, files...
    const quoted = data.quote?.globalMsgId;
    const quotedAuthor = data.quote?.ownerId ? String(data.quote.ownerId) : '';
    const incoming: IncomingMessage = {
      chat: `zalo:${threadId}`,
      user: `zalo:${String(data.uidFrom)}`,
      userName: data.dName?.trim() || String(data.uidFrom),
      messageId: String(data.msgId),
      text: data.content,
      ...(quoted !== undefined && quoted !== null && String(quoted) !== '0' && String(quoted) !== '' ? { replyTo: String(quoted) } : {}),
      ...(quotedAuthor && quotedAuthor !== '0' && quotedAuthor !== this.ownId
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
      if (reply && !this.stopped) {
        this.send(threadId, reply).catch((error: unknown) => this.log.warn({ chat: message.chat, err: errorText(error) }, 'zalo reply not sent'));
      }
    } catch (error) {
      this.log.warn({ chat: message.chat, err: errorText(error) }, 'zalo message handling failed');
    }
  }

  private recordEcho(echo: Echo): void {
    const cutoff = this.now() - ECHO_KEEP_MS;
    this.echoes = this.echoes.filter((e) => e.at >= cutoff).slice(-200);
    this.echoes.push(echo);
    for (const listener of [...this.echoListeners]) listener();
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
      await Promise.race([arrived, this.pause(this.cfg.echoWaitMs)]);
    } finally {
      this.echoListeners.delete(listener);
    }
    return this.takeEcho(threadId, text, since);
  }

  // ---------------------------------------------------------------------------------------------------------
  // outgoing

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.sendQueue.then(job, job);
    this.sendQueue = run.catch(() => {});
    return run;
  }

  /** Waits so that two sends are minGap..maxGap apart (random), counted from the previous send. */
  private async spaceOut(): Promise<void> {
    if (this.lastSendAt === null) return;
    const gap = this.cfg.minGapMs + this.random() * Math.max(this.cfg.maxGapMs - this.cfg.minGapMs, 0);
    const wait = this.lastSendAt + gap - this.now();
    if (wait > 0) await this.pause(wait);
  }

  private async sendNow(chatId: string, message: Outgoing): Promise<string[]> {
    const client = this.client;
    if (this.stopped) throw new SendError('Zalo: kênh đã dừng', 'retry');
    if (!client || this.state === 'expired') {
      throw new SendError(this.state === 'expired' ? `Zalo: ${this.detail ?? 'phiên đăng nhập hết hạn'}` : 'Zalo chưa kết nối', 'retry');
    }
    const ids: string[] = [];
    const texts = this.texts(message);
    if (message.attachment) {
      const caption = texts.shift() ?? '';
      ids.push(...(await this.sendAttachment(client, chatId, message.attachment, caption)));
    }
    for (const text of texts) ids.push(await this.sendText(client, chatId, text));
    return ids;
  }

  /** The text, with buttons (Zalo personal chats have none) written out as commands to type. */
  private texts(message: Outgoing): string[] {
    const suffix = buttonsText(message.buttons);
    if (!suffix) return [message.text];
    if (message.text.length + suffix.length + 2 <= this.maxLength) return [`${message.text}\n\n${suffix}`];
    return [message.text, suffix];
  }

  private async sendText(client: ZaloClient, threadId: string, text: string): Promise<string> {
    await this.spaceOut();
    const known = this.threadIsGroup.get(threadId);
    const since = this.now();
    this.lastSendAt = since;
    let result: { msgId: string | null } | null = null;
    let failure: unknown = null;
    try {
      result = await client.sendMessage(text, threadId, known ?? true);
    } catch (error) {
      if (known === undefined && isServerRejection(error) && !isAuthError(error)) {
        // an unknown thread, tried as a group and rejected by Zalo (so nothing was delivered): a direct chat?
        try {
          result = await client.sendMessage(text, threadId, false);
          this.threadIsGroup.set(threadId, false);
        } catch (second) {
          failure = second;
        }
      } else {
        failure = error;
      }
    }
    if (failure !== null) {
      // no answer from Zalo (network): it may have been delivered all the same; its echo tells
      const echoed = !isAuthError(failure) && !isServerRejection(failure) ? await this.waitForEcho(threadId, text, since) : null;
      if (!echoed) throw await this.sendFailure(failure);
      this.log.info({ thread: threadId, msgId: echoed }, 'zalo send failed locally but its echo came back');
      result = { msgId: echoed };
    }
    if (known === undefined && !this.threadIsGroup.has(threadId)) this.threadIsGroup.set(threadId, true);
    let id = result?.msgId ?? null;
    if (!id) {
      id = await this.waitForEcho(threadId, text, since);
      if (!id) {
        this.log.warn({ thread: threadId }, 'zalo send returned no id and no echo came back');
        throw new SendError('Zalo không trả về mã tin nhắn và không thấy tin vọng lại: không rõ đã gửi được chưa', 'unknown_outcome');
      }
      this.log.info({ thread: threadId, msgId: id }, 'zalo send confirmed by its echo');
    }
    this.sentIds.add(id);
    if (this.sentIds.size > 1000) this.sentIds.delete(this.sentIds.values().next().value!);
    this.sessionReported = false;
    void this.saveCredentialsIfChanged();
    return id;
  }

  private async sendAttachment(client: ZaloClient, threadId: string, attachment: NonNullable<Outgoing['attachment']>, caption: string): Promise<string[]> {
    await this.spaceOut();
    this.lastSendAt = this.now();
    if (!client.sendFile) {
      const note = `${caption}\n\n(Không gửi được tệp “${attachment.fileName}” qua Zalo; xem tệp ở kênh khác hoặc hỏi văn phòng.)`.trim();
      return [await this.sendText(client, threadId, note)];
    }
    let result: { msgIds: string[] };
    try {
      result = await client.sendFile({ fileName: attachment.fileName, data: attachment.data }, caption, threadId, this.threadIsGroup.get(threadId) ?? true);
    } catch (error) {
      throw await this.sendFailure(error);
    }
    if (!result.msgIds.length) throw new SendError('Zalo không trả về mã tin nhắn cho tệp đính kèm: không rõ đã gửi được chưa', 'unknown_outcome');
    return result.msgIds;
  }

  /** Classifies a failed send; an auth failure is reported once and triggers a fresh login. */
  private async sendFailure(error: unknown): Promise<SendError> {
    const message = errorText(error);
    if (isAuthError(error)) {
      await this.sessionProblem(`Gửi tin Zalo bị từ chối vì phiên đăng nhập không còn hợp lệ (${message}). Bot sẽ thử đăng nhập lại; nếu không được, cần quét lại mã QR ("nhacviec zalo login").`);
      this.resolveDrop({ kind: 'relogin' });
      return new SendError(`Zalo: phiên đăng nhập không hợp lệ: ${message}`, 'retry');
    }
    return new SendError(`Zalo: ${message}`, 'retry');
  }
}

function buttonsText(buttons: Button[] | undefined): string {
  if (!buttons?.length) return '';
  const done = buttons.filter((b) => /^\/done\s/.test(b.data));
  if (done.length === buttons.length) {
    return `Báo đã xong: trả lời tin này bằng chữ “xong”, hoặc gõ ${done.map((b) => b.data).join(' · ')}`;
  }
  return ['Gõ lệnh tương ứng:', ...buttons.map((b) => `▸ ${b.label}: ${b.data}`)].join('\n');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // closing a dead socket may throw; nothing to do
  }
}
