/**
 * The login of the bot's personal Zalo account, kept alive: credentials, login, listener supervision, back-off.
 *
 * ONE PROCESS PER ACCOUNT (setup.ts holds a database lease on the credentials file). Zalo keeps one web
 * listener per login session. How its listener closes (zca-js dist/apis/listen.js CloseReason), and what
 * zca-js's maintainers say of each (RFS-ADRENO/zca-js issues #95, #253, #293, #315, #331):
 * - 1006 (network, also Zalo closing idle sockets every minute or so): restart the socket after a back-off.
 * - 3000 DuplicateConnection: a second listener opened on the same session. The login itself is still
 *   valid, and such closes also come and go right after a login: restart the socket after a back-off.
 *   Several in a row without a stable connection mean a second bot process really is running: the
 *   administrators are told once (the bot keeps trying, with growing delays).
 * - 3003 KickConnection: the account was opened elsewhere: Zalo Web, and also Zalo PC (the desktop app),
 *   or Zalo saw something odd. The administrators are told once; the bot logs in again with the saved
 *   login after `kickDelayMs` (growing), so as not to fight a person who opened Zalo on purpose.
 * A new QR scan is asked for only when Zalo refuses the saved login (an authentication error at login or
 * when sending); the session then waits for the credentials file to change ("nhacviec zalo login").
 *
 * Back-off: base·2^n with jitter, capped; it resets once a connection stayed up `stableMs`. After
 * `reloginAfter` failed restarts in a row the session logs in again from scratch. A login that hangs
 * counts as failed after `loginTimeoutMs`. Renewed cookies are re-saved (atomically, 0600) when they change.
 */
import { silentLogger, type Logger } from '../log.ts';
import { SendError } from './transport.ts';
import { errorText, safely, withTimeout } from './zalo-util.ts';
import { createZcaClient, isAuthError, type ZaloClient, type ZaloGroupEvent, type ZaloMessage } from './zalo-api.ts';
import { CredentialsFileError, CredentialsTracker, type ZaloCredentials } from './zalo-credentials.ts';

/** Close codes of zca-js's listener (dist/apis/listen.d.ts CloseReason). */
export const ZALO_CLOSE = { manual: 1000, abnormal: 1006, duplicateConnection: 3000, kickConnection: 3003 } as const;

export type ZaloSessionOptions = {
  credentialsFile: string;
  /** logs in; default: zca-js (createZcaClient) */
  connect?: (credentials: ZaloCredentials) => Promise<ZaloClient>;
  log?: Logger;
  /** tells the administrators (through another channel) that the Zalo login needs attention */
  onSessionProblem?: (message: string) => Promise<void>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** listener restart back-off: first delay and cap (ms); default 2000 and 5 minutes */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** first delay before logging in again after a kick (3003); default 60 s */
  kickDelayMs?: number;
  /** a connection that lasted this long resets the back-off; default 30 s */
  stableMs?: number;
  /** full re-login after this many consecutive failed restarts; default 5 */
  reloginAfter?: number;
  /** a login that has not answered after this long counts as failed; default 60 s */
  loginTimeoutMs?: number;
  /** how often to look for new credentials once the session is expired; default 60 s */
  credentialsPollMs?: number;
  /** how often to look for renewed cookies to save while connected (0: only after sends/restarts); default 10 min */
  credentialsCheckMs?: number;
};

export type ZaloSessionEvents = {
  message(message: ZaloMessage): void;
  groupEvent(event: ZaloGroupEvent): void;
};

type State = 'stopped' | 'connecting' | 'connected' | 'reconnecting' | 'expired';
type Drop =
  | { kind: 'drop'; code: number; reason: string }
  | { kind: 'kick' }
  | { kind: 'relogin' }
  | { kind: 'stop' };
/** what the administrators were told about, once until the session works again */
type Problem = 'session' | 'kick' | 'duplicate';

const DUPLICATES_BEFORE_NOTICE = 3;

const KICK_MESSAGE =
  'Tài khoản Zalo của bot vừa bị đẩy ra (mã 3003): thường do tài khoản này được mở trên Zalo Web hoặc Zalo PC (ứng dụng trên máy tính). Bot sẽ tự đăng nhập lại bằng phiên đã lưu sau ít phút; đừng mở Zalo Web hay Zalo PC bằng tài khoản của bot. Nếu Zalo không nhận phiên đã lưu nữa, bot sẽ báo cần quét lại mã QR.';
const DUPLICATE_MESSAGE =
  'Kết nối Zalo của bot bị đóng nhiều lần liên tiếp vì có một chương trình khác lắng nghe cùng phiên đăng nhập (mã 3000): có thể đang chạy hai bản bot với cùng tài khoản. Hãy tắt bản thừa; bot vẫn tự kết nối lại, thưa dần.';

export class ZaloSession {
  private readonly connect: (credentials: ZaloCredentials) => Promise<ZaloClient>;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  private readonly cfg: Required<
    Pick<ZaloSessionOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'kickDelayMs' | 'stableMs' | 'reloginAfter' | 'loginTimeoutMs' | 'credentialsPollMs' | 'credentialsCheckMs'>
  >;

  private current: ZaloClient | null = null;
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
  private readonly told = new Set<Problem>();
  private readonly credentials: CredentialsTracker;
  private checkTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: ZaloSessionOptions,
    private readonly events: ZaloSessionEvents,
  ) {
    this.credentials = new CredentialsTracker(opts.credentialsFile);
    this.connect = opts.connect ?? ((credentials) => createZcaClient(credentials, { selfListen: true }));
    this.log = (opts.log ?? silentLogger).child({ transport: 'zalo' });
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()));
    this.now = opts.now ?? Date.now;
    this.cfg = {
      backoffBaseMs: opts.backoffBaseMs ?? 2_000,
      backoffMaxMs: opts.backoffMaxMs ?? 5 * 60_000,
      kickDelayMs: opts.kickDelayMs ?? 60_000,
      stableMs: opts.stableMs ?? 30_000,
      reloginAfter: opts.reloginAfter ?? 5,
      loginTimeoutMs: opts.loginTimeoutMs ?? 60_000,
      credentialsPollMs: opts.credentialsPollMs ?? 60_000,
      credentialsCheckMs: opts.credentialsCheckMs ?? 10 * 60_000,
    };
  }

  /** The logged-in account's Zalo id (null until the first login). */
  accountId(): string | null {
    return this.ownId;
  }

  /** The client to send with, or null while logging in, reconnecting the login or expired. */
  client(): ZaloClient | null {
    return this.stopped || this.state === 'expired' ? null : this.current;
  }

  /** Why client() is null, as the SendError the sender retries later. */
  unavailable(): SendError {
    if (this.stopped) return new SendError('Zalo: kênh đã dừng', 'retry');
    if (this.state === 'expired') return new SendError(`Zalo: ${this.detail ?? 'phiên đăng nhập hết hạn'}`, 'retry');
    return new SendError('Zalo chưa kết nối', 'retry');
  }

  isStopped(): boolean {
    return this.stopped;
  }

  /** Waits ms, or less if the session stops meanwhile. */
  async pause(ms: number): Promise<void> {
    await Promise.race([this.sleep(ms), this.stopSignal]);
  }

  /**
   * Logs in and opens the listener. Never throws for Zalo trouble: a missing/expired login is reported through
   * onSessionProblem and status(), a network failure is retried in the background.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
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
  }

  /** After the send queue has drained: closes the socket. */
  close(): void {
    this.discardClient();
    this.setState('stopped');
  }

  status(): { connected: boolean; detail: string } {
    const label: Record<State, string> = {
      stopped: 'đã dừng',
      connecting: 'đang đăng nhập',
      connected: 'đã kết nối',
      reconnecting: 'đang kết nối lại',
      expired: 'phiên đăng nhập hết hạn hoặc không còn hợp lệ',
    };
    return { connected: this.state === 'connected', detail: this.detail ? `${label[this.state]}: ${this.detail}` : label[this.state] };
  }

  /** Zalo refused a send for the login itself: tell the administrators once and log in again. */
  async authRejected(reason: string): Promise<void> {
    await this.tell(
      'session',
      `Gửi tin Zalo bị từ chối vì phiên đăng nhập không còn hợp lệ (${reason}). Bot sẽ thử đăng nhập lại; nếu không được, cần quét lại mã QR ("nhacviec zalo login").`,
      'expired',
    );
    this.resolveDrop({ kind: 'relogin' });
  }

  /** A send went through: the login works (worth telling again next time) and its cookies may have been renewed. */
  sent(): void {
    this.told.delete('session');
    void this.saveCredentialsIfChanged();
  }

  // ---------------------------------------------------------------------------------------------------------

  private async supervise(firstRound: () => void): Promise<void> {
    let failures = 0;
    let duplicates = 0;
    while (!this.stopped) {
      if (!this.current) {
        this.setState(failures ? 'reconnecting' : 'connecting', this.detail);
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
      const client = this.current;
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
      const lasted = this.connectedAt === null ? 0 : this.now() - this.connectedAt;
      this.connectedAt = null;
      if (lasted >= this.cfg.stableMs) {
        // a connection that held: the back-off starts over, and a new trouble is worth a new message
        failures = 0;
        duplicates = 0;
        this.told.clear();
      }
      if (drop.kind === 'relogin') {
        this.discardClient();
        continue;
      }
      if (drop.kind === 'kick') {
        this.discardClient();
        const delay = this.backoff(failures++, this.cfg.kickDelayMs);
        this.log.warn({ delayMs: delay }, 'zalo session kicked (3003); logging in again later');
        await this.tell('kick', KICK_MESSAGE, 'reconnecting');
        this.setState('reconnecting', `bị đẩy ra (mã 3003), đăng nhập lại sau ${Math.round(delay / 1000)} giây`);
        await this.pause(delay);
        continue;
      }
      if (drop.code === ZALO_CLOSE.duplicateConnection && ++duplicates >= DUPLICATES_BEFORE_NOTICE) {
        await this.tell('duplicate', DUPLICATE_MESSAGE, 'reconnecting');
      }
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
      credentials = await this.credentials.read();
    } catch (error) {
      if (error instanceof CredentialsFileError) {
        await this.tell('session', error.message, 'expired');
        return 'session';
      }
      throw error;
    }
    const connecting = this.connect(credentials);
    let client: ZaloClient;
    try {
      const answer = await withTimeout(connecting, this.cfg.loginTimeoutMs);
      if (answer.timedOut) {
        // a login that answers later is closed at once: a second socket would kick the next one
        connecting.then((late) => safely(() => late.stop()), () => {});
        this.log.warn({ timeoutMs: this.cfg.loginTimeoutMs }, 'zalo login did not answer; will retry');
        this.setState('reconnecting', `Zalo không trả lời khi đăng nhập sau ${Math.round(this.cfg.loginTimeoutMs / 1000)} giây`);
        return 'failed';
      }
      client = answer.value;
    } catch (error) {
      if (this.stopped) return 'stopped';
      if (isAuthError(error)) {
        await this.tell('session', `Zalo không nhận phiên đăng nhập đã lưu (${errorText(error)}). Cần quét lại mã QR: chạy "nhacviec zalo login" trên máy chủ chạy bot.`, 'expired');
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
    this.current = client;
    const live = () => generation === this.generation && !this.stopped;
    client.listener.on('connected', () => {
      if (!live()) return;
      this.connectedAt = this.now();
      this.setState('connected');
    });
    client.listener.on('message', (message) => {
      if (live()) this.events.message(message);
    });
    client.listener.on('group_event', (event) => {
      if (live()) this.events.groupEvent(event);
    });
    const onClose = (code: number, reason: string) => {
      if (!live()) return;
      this.resolveDrop(code === ZALO_CLOSE.kickConnection ? { kind: 'kick' } : { kind: 'drop', code, reason });
    };
    client.listener.on('disconnected', onClose);
    client.listener.on('closed', onClose);
    client.listener.on('error', (error) => {
      if (live()) this.log.warn({ err: errorText(error) }, 'zalo listener error');
    });
  }

  private discardClient(): void {
    const client = this.current;
    this.current = null;
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
    } else if (!this.pendingDrop || drop.kind === 'stop' || (drop.kind === 'relogin' && this.pendingDrop.kind === 'drop')) {
      // a close that arrives before the supervisor waits (e.g. during start()) is kept for it
      this.pendingDrop = drop;
    }
  }

  /** Exponential back-off with jitter: base·2^n, capped, times a random factor in [0.5, 1). */
  private backoff(failures: number, base = this.cfg.backoffBaseMs): number {
    const exp = Math.min(base * 2 ** Math.min(failures, 20), Math.max(this.cfg.backoffMaxMs, base));
    return Math.round(exp * (0.5 + this.random() * 0.5));
  }

  /** Sets the state and tells the administrators, once per kind of problem until the session works again. */
  private async tell(problem: Problem, message: string, state: State): Promise<void> {
    this.setState(state, message);
    if (this.told.has(problem)) return;
    this.told.add(problem);
    this.log.error({ problem: message }, 'zalo session problem');
    try {
      await this.opts.onSessionProblem?.(message);
    } catch (error) {
      this.log.warn({ err: errorText(error) }, 'could not report the zalo session problem');
    }
  }

  /** No valid login: wait (without touching Zalo) until someone writes new credentials. */
  private async waitForNewCredentials(): Promise<void> {
    while (!this.stopped) {
      await this.pause(this.cfg.credentialsPollMs);
      if (this.stopped) return;
      if (await this.credentials.changed()) {
        this.log.info('new zalo credentials found; logging in again');
        this.told.delete('session');
        return;
      }
    }
  }

  /** Zalo renews the cookies on its answers: save them when they changed. */
  private async saveCredentialsIfChanged(): Promise<void> {
    const client = this.current;
    if (!client || this.stopped) return;
    try {
      if (await this.credentials.save(() => client.getContext())) this.log.info('zalo credentials renewed and saved');
    } catch (error) {
      this.log.warn({ err: errorText(error) }, 'could not save the renewed zalo credentials');
    }
  }

  private setState(state: State, detail?: string): void {
    this.state = state;
    this.detail = detail;
  }
}
