/**
 * The reminder round in one place: it loads (src/store/round.ts), decides (src/core/round.ts, periodic.ts,
 * dossier.ts), renders the attachments (src/files/: the office's chart, the apology letters) and records
 * (src/store/round.ts) in one transaction of the ledger. The sender (src/sender.ts) delivers what is recorded.
 */
import type { PrismaClient } from './db/database.ts';
import type { WorkingCalendar } from './core/calendar.ts';
import type { Logger } from './log.ts';
import { addDays } from './core/dates.ts';
import { mergePlans, missedMoment, RoundPlanner, roundSkipped, routingOf, stagesReached, type RoundPlan } from './core/round.ts';
import { resolveReminderPolicy } from './core/plan-policy.ts';
import type { DossierPolicy } from './core/dossier.ts';
import { instantOf, localDateOf } from './core/time.ts';
import type { LetterHeader } from './files/apology-letter.ts';
import { lastRoundAt, occurrencesBehind, openDues, planRows, recordRound, routingRows, taskAndUnitRows, type RecordedRound } from './store/round.ts';
import { releaseLease, tryLease } from './store/state.ts';
import { isUniqueViolation } from './db/errors.ts';
import { loadDossierRound } from './round/dossiers.ts';
import { occurrenceLookup } from './round/occurrences.ts';
import { loadPeriodic } from './round/periodic.ts';

export type { RecordedRound } from './store/round.ts';

export type RoundDeps = {
  prisma: PrismaClient;
  provider: 'sqlite' | 'postgres';
  calendar: WorkingCalendar;
  zone: string;
  officeHours: { start: string; end: string };
  defaultChat: string;
  dossierPolicy?: DossierPolicy;
  letter?: LetterHeader;
  /**
   * the instant a --now start set the clock to: the time before it was jumped over, not spent down, so a
   * moment before it is not "gửi muộn do hệ thống gián đoạn" (as if a round had run then)
   */
  clockSetAt?: Date;
  /** the time of the lease and of the outbox rows' creation; default the system clock */
  clock?: () => Date;
  holder: string;
  log: Logger;
};

const LEASE_MS = 10 * 60_000;
/** reminders start at most this many calendar days before a due day (policy allows up to 60 working days) */
const LOOKAHEAD_DAYS = 92;

/**
 * Runs one reminder round at `at`: plan it from the database and record it in the ledger. Only the holder
 * of the round lease runs it, so two instances never run the same round; `dryRun` plans without recording.
 */
export async function runRound(deps: RoundDeps, at: Date, opts: { dryRun?: boolean } = {}): Promise<RecordedRound | null> {
  const clock = deps.clock ?? (() => new Date());
  if (opts.dryRun) {
    const plan = await planRoundAt(deps, at);
    return { plan, notices: plan.notices.length, outboxIds: [] };
  }
  if (!(await tryLease(deps.prisma, 'round', deps.holder, clock(), LEASE_MS))) {
    deps.log.info('another instance is running the round');
    return null;
  }
  try {
    const recorded = await recordRound(deps.prisma, await planRoundAt(deps, at), deps.provider, clock());
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

/**
 * What a round at `at` says: the plan tasks' occurrences whose last stage is behind the stage their due day
 * has reached (read page by page: the round keeps what it says, not the rows it reads), the weekly digests
 * and monthly check-ins, the dossiers' prompts; one message per chat.
 */
export async function planRoundAt(deps: RoundDeps, at: Date): Promise<RoundPlan> {
  const { prisma } = deps;
  // a day off or outside office hours: nothing to read (rounds run around the clock)
  const skipped = roundSkipped({ now: at, zone: deps.zone, officeHours: deps.officeHours, calendar: deps.calendar });
  if (skipped) return { at, skipped, notices: [], messages: [], stages: [] };
  const today = localDateOf(at, deps.zone);
  const [routeRows, plans, previous, names] = await Promise.all([routingRows(prisma), planRows(prisma), lastRoundAt(prisma), taskAndUnitRows(prisma)]);
  const routing = routingOf(routeRows, deps.defaultChat);
  const policies = new Map(plans.map((p) => [p.id, resolveReminderPolicy(p.policy)]));
  const previousRoundAt = latest(previous, deps.clockSetAt ?? null);
  const lookup = occurrenceLookup(names);
  const planner = new RoundPlanner({
    now: at,
    zone: deps.zone,
    officeHours: deps.officeHours,
    calendar: deps.calendar,
    policyOf: (planId) => policies.get(planId)!,
    previousRoundAt,
    routing,
  });
  const dues = await openDues(prisma, addDays(today, LOOKAHEAD_DAYS));
  const openOn = new Map(dues.map((d) => [d.due, d.open]));
  const reached = stagesReached({ today, calendar: deps.calendar, policies: policies.values(), dues: dues.map((d) => d.due) });
  for await (const page of occurrencesBehind(prisma, reached.map((r) => ({ ...r, open: openOn.get(r.due)! })))) planner.add(lookup(page));
  const late = missedMoment({ previousRoundAt, now: at }, instantOf(today, deps.officeHours.start, deps.zone));
  const periodic = await loadPeriodic(prisma, { now: at, zone: deps.zone, today, calendar: deps.calendar, lookup, routing, planIds: plans.map((p) => p.id), late });
  const dossiers = await loadDossierRound(prisma, {
    now: at,
    zone: deps.zone,
    officeHours: deps.officeHours,
    calendar: deps.calendar,
    defaultChat: deps.defaultChat,
    previousRoundAt,
    routing,
    ...(deps.dossierPolicy ? { policy: deps.dossierPolicy } : {}),
    ...(deps.letter ? { letter: deps.letter } : {}),
  });
  return mergePlans(planner.finish(), { ...periodic, stages: [] }, dossiers);
}

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
