import type { PrismaClient } from './db/database.ts';
import type { WorkingCalendar } from './core/calendar.ts';
import type { Logger } from './log.ts';
import { loadRound, recordRound, type RecordedRound } from './store/round.ts';
import type { DossierPolicy } from './core/dossier.ts';
import type { LetterHeader } from './files/apology-letter.ts';
import { releaseLease, tryLease } from './store/state.ts';
import { isUniqueViolation } from './db/errors.ts';

export type RoundDeps = {
  prisma: PrismaClient;
  provider: 'sqlite' | 'postgres';
  calendar: WorkingCalendar;
  zone: string;
  officeHours: { start: string; end: string };
  defaultChat: string;
  dossierPolicy?: DossierPolicy;
  letter?: LetterHeader;
  /** a --now start's instant (see RoundOptions.clockSetAt) */
  clockSetAt?: Date;
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
    loadRound(deps.prisma, {
      now: at,
      zone: deps.zone,
      officeHours: deps.officeHours,
      calendar: deps.calendar,
      defaultChat: deps.defaultChat,
      ...(deps.dossierPolicy ? { dossierPolicy: deps.dossierPolicy } : {}),
      ...(deps.letter ? { letter: deps.letter } : {}),
      ...(deps.clockSetAt ? { clockSetAt: deps.clockSetAt } : {}),
    });
  if (opts.dryRun) return { plan: await load(), outboxIds: [] };
  if (!(await tryLease(deps.prisma, 'round', deps.holder, new Date(), LEASE_MS))) {
    deps.log.info('another instance is running the round');
    return null;
  }
  try {
    const recorded = await recordRound(deps.prisma, await load(), deps.provider);
    if (recorded.plan.messages.length) deps.log.info({ messages: recorded.plan.messages.length, at: at.toISOString() }, 'round recorded');
    return recorded;
  } catch (error) {
    // another process recorded the same notices first (the ledger's unique keys): its round stands, nothing is lost
    if (isUniqueViolation(error)) {
      deps.log.info('another process recorded this round first');
      return null;
    }
    throw error;
  } finally {
    await releaseLease(deps.prisma, 'round', deps.holder);
  }
}
