import type { PrismaClient } from './db/database.ts';
import type { WorkingCalendar } from './core/calendar.ts';
import type { Logger } from './log.ts';
import { loadRound, recordRound, type RecordedRound } from './store/round.ts';
import { releaseLease, tryLease } from './store/state.ts';

export type RoundDeps = {
  prisma: PrismaClient;
  calendar: WorkingCalendar;
  zone: string;
  officeHours: { start: string; end: string };
  defaultChat: string;
  holder: string;
  log: Logger;
};

const LEASE_MS = 10 * 60_000;

/**
 * Runs one reminder round at `at`: plan it from the database and record it in the ledger. Only the holder
 * of the round lease runs it, so two instances never run the same round; `dryRun` plans without recording.
 */
export async function runRound(deps: RoundDeps, at: Date, opts: { dryRun?: boolean } = {}): Promise<RecordedRound | null> {
  const load = () =>
    loadRound(deps.prisma, { now: at, zone: deps.zone, officeHours: deps.officeHours, calendar: deps.calendar, defaultChat: deps.defaultChat });
  if (opts.dryRun) return { plan: await load(), outboxIds: [] };
  if (!(await tryLease(deps.prisma, 'round', deps.holder, new Date(), LEASE_MS))) {
    deps.log.info('another instance is running the round');
    return null;
  }
  try {
    const recorded = await recordRound(deps.prisma, await load());
    if (recorded.plan.messages.length) deps.log.info({ messages: recorded.plan.messages.length, at: at.toISOString() }, 'round recorded');
    return recorded;
  } finally {
    await releaseLease(deps.prisma, 'round', deps.holder);
  }
}
