import { describe, expect, it } from 'vitest';
import { planRound, roundSkipped, stagesReached, type RoundInput, type RoundOccurrence, type Routing } from '../src/core/round.ts';
import { defaultReminderPolicy, reminderPolicySchema, type ReminderPolicy } from '../src/core/reminder-policy.ts';
import { addDays } from '../src/core/dates.ts';
import { parseInstant } from '../src/core/time.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import { planPeriodic } from '../src/core/periodic.ts';
import { MESSAGE_MAX_LINES } from '../src/core/round-message.ts';
import { workdayOffset } from '../src/core/workdays.ts';

const zone = 'Asia/Ho_Chi_Minh';
const calendar = loadCalendar();
const officeHours = { start: '07:30', end: '17:00' };
const routing: Routing = {
  unitChats: (unitId) => (unitId % 3 === 0 ? [] : [`telegram:-${unitId}`]),
  isPaused: (unitId) => unitId === 7,
  escalationChats: () => ['telegram:-1'],
  coordinatorChats: () => ['telegram:-1'],
  defaultChat: 'console:main',
};
const policies = new Map<number, ReminderPolicy>([
  [1, defaultReminderPolicy],
  [2, reminderPolicySchema.parse({ before: [10, 5], onDueDay: false, overdueDaily: 1, overdueEvery: 2, escalateAfter: 2 })],
]);

/** A small deterministic generator: the same occurrences on every run. */
function occurrencesAround(today: string, count: number, seed: number): RoundOccurrence[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const stages = [null, -10, -7, -5, -3, -1, 0, 1, 2, 3, 5, 8, 13];
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    due: addDays(today, next(80) - 50),
    lastStage: stages[next(stages.length)]!,
    planId: 1 + next(2),
    code: `${1 + next(5)}.${1 + next(9)}`,
    content: `Nhiệm vụ ${i + 1}`,
    label: 'Hạn chót',
    unitId: 1 + next(12),
    unitName: `Đơn vị ${i}`,
  }));
}

describe('stagesReached: the stage per due day that tells a round which rows to read', () => {
  it('gives the latest stage the policies reached, in working days (the 2/9/2023 holidays skipped)', () => {
    // Tuesday 05/09/2023: 01/09 and 04/09 were days off, so 31/08 is only one working day back
    const dues = ['2023-08-31', '2023-09-05', '2023-09-06', '2023-09-14', '2023-09-15', '2023-10-30'];
    const stagesOf = (planIds: number[]) =>
      Object.fromEntries(stagesReached({ today: '2023-09-05', calendar, policies: planIds.map((id) => policies.get(id)!), dues }).map((r) => [r.due, r.stage]));
    expect(stagesOf([1])).toEqual({
      '2023-08-31': 1, // one working day late (05/09)
      '2023-09-05': 0, // the due day
      '2023-09-06': -1,
      '2023-09-14': -7, // 7 working days ahead; 15/09 is 8 ahead: no reminder yet
    });
    // plan 2 reminds 10 and 5 days ahead and says nothing on the due day
    expect(stagesOf([2])).toEqual({ '2023-08-31': 1, '2023-09-05': -5, '2023-09-06': -5, '2023-09-14': -10, '2023-09-15': -10 });
    // both plans: the later stage of the two, so no row either plan needs is left unread
    expect(stagesOf([1, 2])).toEqual({ '2023-08-31': 1, '2023-09-05': 0, '2023-09-06': -1, '2023-09-14': -7, '2023-09-15': -10 });
  });

  it.each([
    ['a working morning', '2023-09-05T08:00'],
    ['the first working day after the holiday', '2023-09-05T16:45'],
    ['a Monday', '2023-10-16T09:00'],
  ])('reading only the occurrences behind their stage plans %s exactly as reading them all', (_, iso) => {
    const now = parseInstant(iso, zone)!;
    const today = iso.slice(0, 10);
    const all = occurrencesAround(today, 600, iso.length * 7919);
    const input = (occurrences: RoundOccurrence[]): RoundInput => ({
      now,
      zone,
      officeHours,
      calendar,
      policyOf: (planId) => policies.get(planId)!,
      previousRoundAt: parseInstant('2023-08-30T08:00', zone)!,
      occurrences,
      routing,
    });
    const reached = new Map(stagesReached({ today, calendar, policies: policies.values(), dues: [...new Set(all.map((o) => o.due))] }).map((r) => [r.due, r.stage]));
    const behind = all.filter((o) => {
      const stage = reached.get(o.due);
      return stage !== undefined && (o.lastStage === null || o.lastStage < stage);
    });
    expect(behind.length).toBeLessThan(all.length);
    const full = planRound(input(all));
    expect(full.notices.length).toBeGreaterThan(0);
    expect(planRound(input(behind))).toEqual(full);
  });
});

describe('roundSkipped', () => {
  it.each([
    ['2023-09-04T09:00', 'not_working_day'], // Quốc khánh, observed
    ['2023-09-09T09:00', 'not_working_day'], // a Saturday
    ['2023-09-05T07:00', 'outside_office_hours'],
    ['2023-09-05T17:00', 'outside_office_hours'],
    ['2023-09-05T07:30', null],
  ])('%s → %s', (iso, expected) => {
    expect(roundSkipped({ now: parseInstant(iso, zone)!, zone, officeHours, calendar })).toBe(expected);
  });
});

describe('weekly digest of a unit with many items', () => {
  it('fits one screen: lists the oldest of each list and says how many more and where to see them', () => {
    const item = (i: number, due: string, offset: number) => ({ code: `1.${i}`, content: `Nhiệm vụ ${i}`, due, offset });
    const overdue = Array.from({ length: 45 }, (_, i) => item(i + 1, addDays('2023-09-01', -i), i + 2));
    const dueThisWeek = [item(90, '2023-10-18', -2)];
    const plan = planPeriodic({
      today: '2023-10-16',
      calendar,
      units: [{ unitId: 2, unitName: 'Sở Tư pháp', chats: ['telegram:-2'], overdue, dueThisWeek }],
      coordinator: null,
      ongoing: [],
      said: new Set(),
      late: false,
    });
    const text = plan.messages[0]!.text;
    expect(text.split('\n').length).toBeLessThanOrEqual(MESSAGE_MAX_LINES);
    expect(text).toContain('❗ Quá hạn: 45 nhiệm vụ');
    const listed = text.match(/^• 1\.\d+ /gm)!;
    expect(text).toContain('• 1.45 '); // the oldest is listed
    expect(text).not.toContain('• 1.1 '); // the most recent of the overdue is counted, not listed
    expect(text).toContain(`… và ${45 - (listed.length - 1)} nhiệm vụ quá hạn khác: gõ /overdue để xem đủ.`);
    expect(text).toContain('• 1.90 '); // this week's task is not crowded out
    expect(plan.messages[0]!.tasks).toEqual([]); // an overview: no "Đã xong" buttons
  });
});

describe('workdayOffset', () => {
  it('counts working days from today to the due day, as a day-by-day walk does, on working days and days off', () => {
    const walk = (today: string, due: string) => {
      let offset = 0;
      if (due < today) for (let d = addDays(due, 1); d <= today; d = addDays(d, 1)) offset += calendar.isWorkingDay(d) ? 1 : 0;
      else for (let d = today; d < due; d = addDays(d, 1)) offset -= calendar.isWorkingDay(d) ? 1 : 0;
      return offset;
    };
    let seed = 11;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 48271) % 2147483647;
      const today = addDays('2022-06-01', seed % 1700);
      const due = addDays(today, (seed % 1201) - 600);
      expect(workdayOffset(calendar, today, due), `${today} → ${due}`).toBe(walk(today, due));
    }
    expect(workdayOffset(calendar, '2023-09-05', '2023-08-31')).toBe(1);
    expect(workdayOffset(calendar, '2023-09-02', '2023-09-05')).toBe(0); // a Saturday before the holiday Monday: nothing worked until the due day
    expect(workdayOffset(calendar, '2023-09-05', '2023-09-14')).toBe(-7);
  });
});
