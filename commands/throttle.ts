/**
 * Per-person rate limits on chat commands, in memory: a token bucket for every command, a slower one
 * for the heavy ones (reports and files), and a fixed one for guesses at the one-time claim code. Bounded: at most `maxPeople` people are remembered, the least
 * recently seen forgotten first, a tenth at a time (forgetting someone only gives them a fresh allowance).
 */

export type Limits = {
  /** commands per minute per person; 0 = no limit */
  perMinute: number;
  /** heavy commands (reports, files) per hour per person; 0 = no limit */
  heavyPerHour: number;
};

export type Verdict =
  | { ok: true }
  /** `quiet`: already told since their last accepted command; say nothing (a flood gets one answer) */
  | { ok: false; limit: 'commands' | 'heavy'; waitMs: number; quiet: boolean };

type Bucket = { tokens: number; at: number };
type Person = { commands: Bucket; heavy: Bucket; guesses: Bucket; told: boolean };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Claim-code guesses per person: a few at once (typos), then one per GUESS_PERIOD / GUESS_BURST. Not a setting
 * and never off: a code dies after 10 wrong tries, so one sender needs at least ~35 minutes to kill one.
 */
export const GUESS_BURST = 3;
const GUESS_PERIOD = 15 * MINUTE;

export class Throttle {
  private readonly people = new Map<string, Person>();

  constructor(
    readonly limits: Limits,
    private readonly maxPeople = 10_000,
  ) {}

  /** Takes one command (and one heavy one) from the person's allowance at `now` (ms), if there is one. */
  take(person: string, heavy: boolean, now: number): Verdict {
    const p = this.touch(person, now);
    const { perMinute, heavyPerHour } = this.limits;
    if (perMinute > 0) {
      refill(p.commands, perMinute, MINUTE, now);
      if (p.commands.tokens < 1) {
        const quiet = p.told;
        p.told = true;
        return { ok: false, limit: 'commands', waitMs: waitFor(p.commands, perMinute, MINUTE), quiet };
      }
    }
    if (heavy && heavyPerHour > 0) {
      refill(p.heavy, heavyPerHour, HOUR, now);
      if (p.heavy.tokens < 1) {
        // a refused report still counts as a command, so asking again and again ends in silence
        if (perMinute > 0) p.commands.tokens -= 1;
        return { ok: false, limit: 'heavy', waitMs: waitFor(p.heavy, heavyPerHour, HOUR), quiet: false };
      }
      p.heavy.tokens -= 1;
    }
    if (perMinute > 0) p.commands.tokens -= 1;
    p.told = false;
    return { ok: true };
  }

  /**
   * Takes one guess at the claim code from the person's allowance, before the code is tried (so a throttled
   * guess costs the code nothing); `waitMs` until the next one when there is none.
   */
  takeGuess(person: string, now: number): { ok: true } | { ok: false; waitMs: number } {
    const b = this.touch(person, now).guesses;
    refill(b, GUESS_BURST, GUESS_PERIOD, now);
    if (b.tokens < 1) return { ok: false, waitMs: waitFor(b, GUESS_BURST, GUESS_PERIOD) };
    b.tokens -= 1;
    return { ok: true };
  }

  /** how many people are remembered (for tests and /healthz-like diagnostics) */
  get size(): number {
    return this.people.size;
  }

  private touch(person: string, now: number): Person {
    let p = this.people.get(person);
    if (p) this.people.delete(person); // re-inserted last: the Map's order is the order of last use
    else p = { commands: { tokens: this.limits.perMinute, at: now }, heavy: { tokens: this.limits.heavyPerHour, at: now }, guesses: { tokens: GUESS_BURST, at: now }, told: false };
    this.people.set(person, p);
    if (this.people.size > this.maxPeople) {
      // a tenth at a time, in one walk: deleting the first key one by one re-walks the Map's holes each time
      let drop = this.people.size - Math.floor(this.maxPeople * 0.9);
      for (const key of this.people.keys()) {
        if (drop-- <= 0 || key === person) break;
        this.people.delete(key);
      }
    }
    return p;
  }
}

function refill(b: Bucket, capacity: number, period: number, now: number): void {
  if (now > b.at) b.tokens = Math.min(capacity, b.tokens + ((now - b.at) * capacity) / period);
  b.at = Math.max(b.at, now);
}

function waitFor(b: Bucket, capacity: number, period: number): number {
  return Math.round(((1 - b.tokens) * period) / capacity);
}
