/**
 * Sliding-window rate limits for outgoing chat messages. A send first awaits `acquire(chatId)`, which
 * resolves as soon as every window the chat falls under has room, and books the slot. Nothing fails: a
 * burst of reminders simply goes out at the pace the platform tolerates.
 *
 * Telegram (domain.md §8): about 1 message/s per chat, 20 messages/minute per group (negative chat id) and
 * 30 messages/s overall. Limits hold per process: several instances sharing a token share Telegram's budget,
 * so each should be given a share of the overall limit.
 */

export type Window = { limit: number; windowMs: number };

export type RateLimits = {
  /** every chat */
  perChat: Window;
  /** group chats only (see `isGroup`) */
  perGroup: Window;
  /** all chats together */
  overall: Window;
};

/**
 * Telegram's published limits, each window widened by 5%: Telegram counts when a request arrives, the
 * limiter when it leaves, and network jitter between the two must not push a burst over (measured with
 * npm run bench: exact windows let ~15% of a 300-message burst arrive over the overall limit).
 */
const MARGIN = 1.05;
export const TELEGRAM_LIMITS: RateLimits = {
  perChat: { limit: 1, windowMs: 1_000 * MARGIN },
  perGroup: { limit: 20, windowMs: 60_000 * MARGIN },
  overall: { limit: 30, windowMs: 1_000 * MARGIN },
};

export type RateLimiterOptions = {
  limits?: Partial<RateLimits>;
  /** milliseconds since some origin; default Date.now */
  now?: () => number;
  /** waits; default setTimeout. A fake clock's sleep advances its clock. */
  sleep?: (ms: number) => Promise<void>;
  /** which chat ids are groups; default: Telegram's, a negative id */
  isGroup?: (chatId: string) => boolean;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Send times inside one window, oldest first. */
class Track {
  private times: number[] = [];
  constructor(private readonly window: Window) {}

  /** how long until one more may go at `now` (0: now) */
  wait(now: number): number {
    this.prune(now);
    if (this.times.length < this.window.limit) return 0;
    // the slot frees when the oldest of the last `limit` sends leaves the window
    const oldest = this.times[this.times.length - this.window.limit]!;
    return Math.max(oldest + this.window.windowMs - now, 1);
  }

  book(now: number): void {
    this.times.push(now);
  }

  idle(now: number): boolean {
    this.prune(now);
    return this.times.length === 0;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= now - this.window.windowMs) drop++;
    if (drop) this.times.splice(0, drop);
  }
}

export class RateLimiter {
  readonly limits: RateLimits;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly isGroup: (chatId: string) => boolean;
  private readonly overall: Track;
  private readonly chats = new Map<string, Track>();
  private readonly groups = new Map<string, Track>();

  constructor(opts: RateLimiterOptions = {}) {
    this.limits = { ...TELEGRAM_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.isGroup = opts.isGroup ?? ((chatId) => chatId.startsWith('-'));
    this.overall = new Track(this.limits.overall);
  }

  /** How long a send to `chatId` would have to wait now (0: it may go at once). Books nothing. */
  delay(chatId: string): number {
    const now = this.now();
    return Math.max(...this.tracks(chatId).map((t) => t.wait(now)));
  }

  /** Waits until a message may go to `chatId`, then books it. */
  async acquire(chatId: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const tracks = this.tracks(chatId);
      const wait = Math.max(...tracks.map((t) => t.wait(now)));
      if (wait <= 0) {
        for (const t of tracks) t.book(now);
        this.forgetIdle(now);
        return;
      }
      // others may take the slot meanwhile: look again after waking
      await this.sleep(wait);
    }
  }

  private tracks(chatId: string): Track[] {
    const list = [this.overall, this.trackOf(this.chats, chatId, this.limits.perChat)];
    if (this.isGroup(chatId)) list.push(this.trackOf(this.groups, chatId, this.limits.perGroup));
    return list;
  }

  private trackOf(map: Map<string, Track>, chatId: string, window: Window): Track {
    let track = map.get(chatId);
    if (!track) map.set(chatId, (track = new Track(window)));
    return track;
  }

  /** keeps memory bounded: chats with nothing in their windows are dropped */
  private forgetIdle(now: number): void {
    if (this.chats.size + this.groups.size < 1_000) return;
    for (const map of [this.chats, this.groups]) for (const [id, t] of map) if (t.idle(now)) map.delete(id);
  }
}
