import { EventEmitter } from 'node:events';
import type { ZaloClient, ZaloCredentials, ZaloListener, ZaloListenerEvents, ZaloMessage } from '../../src/transports/zalo-api.ts';

/** What the next sendMessage does. */
export type SendBehaviour =
  | { kind: 'ok' }
  | { kind: 'noId' }
  /** no msgId returned, but the self-echo arrives (during the call, like a fast socket) */
  | { kind: 'noIdEcho'; echoId: string }
  /** no msgId returned; the echo arrives a little later (after the call returned) */
  | { kind: 'noIdLateEcho'; echoId: string; delayMs: number }
  | { kind: 'throw'; error: Error };

export type SentCall = { text: string; threadId: string; isGroup: boolean; at: number };

/** A ZaloClient that never touches the network: the test drives the listener and scripts the sends. */
export class FakeZalo implements ZaloClient {
  readonly emitter = new EventEmitter();
  readonly listener: ZaloListener = {
    on: <E extends keyof ZaloListenerEvents>(event: E, callback: (...args: ZaloListenerEvents[E]) => void) =>
      this.emitter.on(event, callback as (...args: unknown[]) => void),
  };
  starts = 0;
  stops = 0;
  running = false;
  failStart = false;
  /** emit 'connected' when started, like zca-js once the socket opens */
  emitConnected = true;
  readonly sent: SentCall[] = [];
  readonly behaviours: SendBehaviour[] = [];
  private nextId = 1000;

  constructor(
    public credentials: ZaloCredentials,
    private readonly clock: () => number = Date.now,
    readonly ownId = 'bot-1',
  ) {}

  start(): void {
    if (this.failStart) throw new Error('không mở được kết nối (giả lập)');
    if (this.running) throw new Error('Already started');
    this.starts++;
    this.running = true;
    if (this.emitConnected) this.emitter.emit('connected');
  }

  stop(): void {
    this.stops++;
    if (!this.running) return;
    this.running = false;
    this.emitter.emit('disconnected', 1000, '');
    this.emitter.emit('closed', 1000, '');
  }

  /** The socket closes the way zca-js reports it: 'disconnected' then 'closed', same code. */
  drop(code = 1006, reason = ''): void {
    this.running = false;
    this.emitter.emit('disconnected', code, reason);
    this.emitter.emit('closed', code, reason);
  }

  deliver(message: ZaloMessage): void {
    this.emitter.emit('message', message);
  }

  echo(threadId: string, text: string, msgId: string, isGroup = true): void {
    this.deliver({ type: isGroup ? 1 : 0, threadId, isSelf: true, data: { msgId, uidFrom: this.ownId, dName: 'Bot', content: text } });
  }

  async sendMessage(text: string, threadId: string, isGroup: boolean): Promise<{ msgId: string | null }> {
    this.sent.push({ text, threadId, isGroup, at: this.clock() });
    const behaviour = this.behaviours.shift() ?? { kind: 'ok' };
    switch (behaviour.kind) {
      case 'ok':
        return { msgId: String(this.nextId++) };
      case 'noId':
        return { msgId: null };
      case 'noIdEcho':
        this.echo(threadId, text, behaviour.echoId, isGroup);
        return { msgId: null };
      case 'noIdLateEcho':
        setTimeout(() => this.echo(threadId, text, behaviour.echoId, isGroup), behaviour.delayMs);
        return { msgId: null };
      case 'throw':
        throw behaviour.error;
    }
  }

  getOwnId(): string {
    return this.ownId;
  }

  getContext(): ZaloCredentials {
    return this.credentials;
  }
}

/** An error as zca-js throws it (ZaloApiError: message + Zalo's error_code). */
export function zaloApiError(message: string, code: number | null): Error {
  const error = new Error(message) as Error & { code: number | null };
  error.name = 'ZcaApiError';
  error.code = code;
  return error;
}

export function groupText(threadId: string, from: string, text: string, msgId: string, quoteGlobalMsgId?: number | string): ZaloMessage {
  return {
    type: 1,
    threadId,
    isSelf: false,
    data: {
      msgId,
      uidFrom: from,
      dName: 'Nguyễn Văn A',
      content: text,
      ...(quoteGlobalMsgId !== undefined ? { quote: { globalMsgId: quoteGlobalMsgId } } : {}),
    },
  };
}

export function sampleCredentials(cookieValue = 'abc'): ZaloCredentials {
  return {
    cookie: [{ key: 'zpw_sek', value: cookieValue, domain: 'chat.zalo.me', path: '/' }],
    imei: 'imei-123',
    userAgent: 'Mozilla/5.0 (thử nghiệm)',
  };
}

/** A clock whose sleep advances time instantly (and yields once, so other tasks run). */
export function fakeTime(start = Date.UTC(2024, 0, 2, 1, 0, 0)) {
  const state = {
    t: start,
    sleeps: [] as number[],
    now: () => state.t,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return state;
}
