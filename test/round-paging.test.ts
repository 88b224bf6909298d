import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRound, RoundPlanner, stagesReached, type RoundInput, type RoundOccurrence, type Routing } from '../src/core/round.ts';
import { defaultReminderPolicy } from '../src/core/reminder-policy.ts';
import { addDays } from '../src/core/dates.ts';
import { parseInstant } from '../src/core/time.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import { occurrencesBehind, openDues, openLeadOccurrences, type OccurrenceRow } from '../src/store/round.ts';
import { seedSqlite } from '../bench/seed.ts';
import { tempSqliteUrl } from './helpers/db.ts';

/** A round reads and plans page by page (bounded memory); the pages must add up to the one-read round. */
const zone = 'Asia/Ho_Chi_Minh';
const calendar = loadCalendar();
const officeHours = { start: '07:30', end: '17:00' };

describe('RoundPlanner', () => {
  it('plans occurrences added in pages exactly as planRound over all of them', () => {
    const today = '2023-10-16';
    const routing: Routing = {
      unitChats: (unitId) => (unitId % 3 === 0 ? [] : [`telegram:-${unitId}`]),
      isPaused: (unitId) => unitId === 7,
      escalationChats: (_plan, unitId) => ['telegram:-1', ...(unitId % 2 ? ['telegram:leader'] : [])],
      coordinatorChats: () => ['telegram:-1'],
      personalChats: (unitId) => (unitId === 4 ? ['telegram:42'] : []),
      defaultChat: 'console:main',
    };
    const occurrences: RoundOccurrence[] = Array.from({ length: 400 }, (_, i) => ({
      id: i + 1,
      due: addDays(today, (i % 40) - 25),
      lastStage: [null, -7, -3, 0, 1, 2][i % 6]!,
      planId: 1,
      code: `${1 + (i % 5)}.${1 + (i % 7)}`,
      content: `Nhiệm vụ ${i % 35}`,
      label: 'Hạn chót',
      unitId: 1 + (i % 11),
      unitName: `Đơn vị ${1 + (i % 11)}`,
    }));
    const input: RoundInput = {
      now: parseInstant(`${today}T09:00`, zone)!,
      zone,
      officeHours,
      calendar,
      policyOf: () => defaultReminderPolicy,
      previousRoundAt: parseInstant('2023-10-10T08:00', zone)!,
      occurrences,
      routing,
    };
    const whole = planRound(input);
    expect(whole.notices.some((n) => n.kind === 'escalation')).toBe(true);
    const planner = new RoundPlanner(input);
    for (let i = 0; i < occurrences.length; i += 7) planner.add(occurrences.slice(i, i + 7));
    expect(planner.finish()).toEqual(whole);
  });
});

describe('the round store reads in pages', () => {
  let db: Database;
  beforeAll(async () => {
    const url = tempSqliteUrl();
    db = await openDatabase(url);
    // 3 units × 40 tasks over 5 due days: 24 open occurrences a day, some days behind their stage
    seedSqlite(url.slice('file:'.length), { units: 3, tasks: 40, lastDue: '2024-11-05', spreadDays: 5, lastStage: (due) => (due < '2024-11-04' ? -3 : null) });
  });
  afterAll(() => db.close());

  const ids = (pages: OccurrenceRow[][]) => pages.flat().map((r) => Number(r.id));
  async function all(rows: AsyncGenerator<OccurrenceRow[]>): Promise<OccurrenceRow[][]> {
    const pages: OccurrenceRow[][] = [];
    for await (const page of rows) pages.push(page);
    return pages;
  }

  it('returns the same occurrences behind, in the same order, whatever the page (keyset within a day included)', async () => {
    const today = '2024-10-31';
    const dues = await openDues(db.prisma, addDays(today, 92));
    expect(dues.map((d) => d.open)).toEqual([24, 24, 24, 24, 24]);
    const reached = stagesReached({ today, calendar, policies: [defaultReminderPolicy], dues: dues.map((d) => d.due) }).map((r) => ({ ...r, open: 24 }));
    const one = await all(occurrencesBehind(db.prisma, reached, 10_000));
    expect(one).toHaveLength(1);
    expect(one[0]!.length).toBeGreaterThan(24);
    // page 5: every day is read five rows at a time by id; page 50: two days a statement
    for (const page of [5, 50]) {
      const paged = await all(occurrencesBehind(db.prisma, reached, page));
      expect(paged.every((p) => p.length <= Math.min(page, 48))).toBe(true);
      expect(ids(paged)).toEqual(ids(one));
    }
  });

  it('lists the open occurrences for the digests in the same order page by page', async () => {
    const whole = await all(openLeadOccurrences(db.prisma, '2024-11-10', 10_000));
    expect(ids(whole)).toHaveLength(120);
    const paged = await all(openLeadOccurrences(db.prisma, '2024-11-10', 7));
    expect(paged.length).toBe(18);
    expect(ids(paged)).toEqual(ids(whole));
  });
});
