import { addDays } from '../../src/core/dates.ts';
import { instantOf } from '../../src/core/time.ts';
import { ensureExamplePlan } from '../../src/example.ts';
import { runRound } from '../../src/reminders.ts';
import { bindGroup, setPaused } from '../../src/store/groups.ts';
import { markDone } from '../../src/store/occurrences.ts';
import { harness } from './app.ts';

/**
 * The example plan (src/example.ts: the console demo's setup) through a simulated year of rounds, as the
 * ledger records them, with two bound unit groups, a unit leader's chat, completions, a paused group and
 * three outages (so some notices are late). The output names occurrences by task code, unit and due day,
 * never by database id, so it survives changes in how rows are numbered.
 *
 * Rounds: on each working day the cron's instants at the office's opening (07:30, 07:45, 08:00), mid-morning,
 * noon, the last quarter hour and the closing instant, plus the first instant after an outage; one round on
 * each day off. `everyQuarterHour` runs every instant of the default cron instead (38 a working day, several
 * minutes): the ledger must come out the same, since the other quarter hours only find everything said.
 */
export type ExampleYear = {
  /** one line per notice: round instant, chat, kind, late flag of its message, the key with the subject spelled out */
  notices: string[];
  /** one block per outbox row: a header line (instant, chat, kind, late, tasks, attachments) and the text */
  messages: string[];
  /** each occurrence's last stage at the end of the year */
  stages: string[];
};

const FIRST_DAY = '2023-01-01';
const LAST_DAY = '2023-12-31';
/** the bot is down from the first instant until the second (Vietnam time): the rounds in between do not run */
const OUTAGES: [string, string][] = [
  ['2023-03-21T10:00', '2023-03-23T11:00'],
  ['2023-09-05T07:30', '2023-09-05T12:00'],
  ['2023-11-17T16:00', '2023-11-20T09:30'],
];

export async function simulateExampleYear(url: string, opts: { env?: Record<string, string>; everyQuarterHour?: boolean } = {}): Promise<ExampleYear> {
  const h = await harness(url, opts.env ? { env: opts.env } : {});
  try {
    const { app } = h;
    const prisma = app.db.prisma;
    const zone = app.settings.timezone;
    await ensureExamplePlan(app);
    const unitId = async (name: string) => (await prisma.unit.findUniqueOrThrow({ where: { name } })).id;
    await bindGroup(prisma, 'console:tu-phap', await unitId('Phòng Tư pháp'), 'Phòng Tư pháp');
    await bindGroup(prisma, 'console:long-tri', await unitId('UBND xã Long Trì'), 'UBND xã Long Trì');
    await prisma.unit.update({ where: { id: await unitId('Phòng Nội vụ') }, data: { leaderChat: 'console:lanh-dao-noi-vu' } });

    const out: ExampleYear = { notices: [], messages: [], stages: [] };
    let subjects = await subjectNames(prisma);
    let lastNotice = 0;
    let lastOutbox = 0;
    const record = async () => {
      const notices = await prisma.notice.findMany({
        where: { id: { gt: lastNotice } },
        orderBy: { id: 'asc' },
        select: { id: true, key: true, kind: true, outbox: { select: { chat: true, late: true, roundAt: true } } },
      });
      if (notices.some((n) => spellKey(n.key, subjects).includes('?'))) subjects = await subjectNames(prisma);
      for (const n of notices) {
        out.notices.push(`${local(n.outbox.roundAt)} ${n.outbox.chat} ${n.kind}${n.outbox.late ? ' late' : ''} ${spellKey(n.key, subjects)}`);
        lastNotice = n.id;
      }
      const rows = await prisma.outbox.findMany({ where: { id: { gt: lastOutbox } }, orderBy: { id: 'asc' } });
      for (const r of rows) {
        const files = (JSON.parse(r.attachments) as { fileName: string; mime: string }[]).map((f) => `${f.fileName} (${f.mime})`);
        out.messages.push(
          [`=== ${local(r.roundAt)} ${r.chat} ${r.kind}${r.late ? ' late' : ''} tasks: ${(JSON.parse(r.tasks) as string[]).join(' ')}${files.length ? ` files: ${files.join(', ')}` : ''}`, r.text].join('\n'),
        );
        lastOutbox = r.id;
      }
    };
    const local = (instant: Date) => instant.toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16).replace(' ', 'T');
    const down = (at: Date) => OUTAGES.some(([from, to]) => at >= instantOf(from.slice(0, 10), from.slice(11), zone) && at < instantOf(to.slice(0, 10), to.slice(11), zone));

    for (let day = FIRST_DAY; day <= LAST_DAY; day = addDays(day, 1)) {
      await actionsOf(day, { prisma, zone, unitId });
      const times = !app.calendar.isWorkingDay(day) ? ['09:00'] : opts.everyQuarterHour ? officeSlots(app.settings.officeHours) : roundTimes(day);
      for (const time of times) {
        const at = h.at(`${day}T${time}`);
        if (down(at)) continue;
        await runRound(app.roundDeps, at);
        await record();
      }
    }
    const occurrences = await prisma.occurrence.findMany({ orderBy: { id: 'asc' }, select: { id: true, lastStage: true, status: true } });
    for (const o of occurrences) out.stages.push(`${subjects.occurrence.get(o.id)} ${o.status} ${o.lastStage ?? '-'}`);
    out.stages.sort();
    return out;
  } finally {
    await h.close();
  }
}

/** The working day's round instants when not every quarter hour is run (see above). */
function roundTimes(day: string): string[] {
  const times = new Set(['07:30', '07:45', '08:00', '10:00', '12:00', '16:45', '17:00']);
  for (const [, to] of OUTAGES) if (to.startsWith(day)) times.add(to.slice(11));
  return [...times].sort();
}

/** 07:30, 07:45 … up to the last quarter hour before the office closes, and the closing instant (says nothing). */
function officeSlots(hours: { start: string; end: string }): string[] {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const slots: string[] = [];
  for (let m = minutes(hours.start); m <= minutes(hours.end); m += 15) slots.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return slots;
}

type Ctx = { prisma: Awaited<ReturnType<typeof harness>>['app']['db']['prisma']; zone: string; unitId(name: string): Promise<number> };

/** What people do on some days, before that day's first round: completions, pausing and resuming a group. */
async function actionsOf(day: string, ctx: Ctx): Promise<void> {
  const { prisma, zone } = ctx;
  const doneOldest = async (unitName: string, before: string) => {
    const unitId = await ctx.unitId(unitName);
    const open = await prisma.occurrence.findMany({
      where: { status: 'open', due: { lt: before }, assignment: { unitId, role: 'lead' } },
      orderBy: [{ due: 'asc' }, { id: 'asc' }],
      select: { assignmentId: true },
    });
    const now = instantOf(day, '07:00', zone);
    for (const assignmentId of new Set(open.map((o) => o.assignmentId))) {
      await markDone(prisma, assignmentId, { user: 'console:officer' }, now, zone, day);
    }
  };
  // Phòng Tư pháp clears its overdue work on the 10th of each month; Long Trì once a quarter
  if (day.endsWith('-10')) await doneOldest('Phòng Tư pháp', day);
  if (['2023-04-20', '2023-07-20', '2023-10-20'].includes(day)) await doneOldest('UBND xã Long Trì', day);
  if (day === '2023-06-01') await setPaused(prisma, 'console:long-tri', true, { user: 'console:officer' });
  if (day === '2023-06-15') await setPaused(prisma, 'console:long-tri', false, { user: 'console:officer' });
}

type Subjects = { occurrence: Map<number, string>; assignment: Map<number, string> };

/** "code/unit/due" for every occurrence and "code/unit" for every assignment, read once after the import. */
async function subjectNames(prisma: Ctx['prisma']): Promise<Subjects> {
  const assignments = await prisma.assignment.findMany({ select: { id: true, unit: { select: { name: true } }, task: { select: { code: true } }, occurrences: { select: { id: true, due: true } } } });
  const occurrence = new Map<number, string>();
  const assignment = new Map<number, string>();
  for (const a of assignments) {
    assignment.set(a.id, `${a.task.code}/${a.unit.name}`);
    for (const o of a.occurrences) occurrence.set(o.id, `${a.task.code}/${a.unit.name}/${o.due}`);
  }
  return { occurrence, assignment };
}

/** A notice key with its database ids replaced by what they stand for. */
function spellKey(key: string, subjects: Subjects): string {
  const [head, id, ...rest] = key.split(':');
  if (head === 'occ') return ['occ', subjects.occurrence.get(Number(id)) ?? `?${id}`, ...rest].join(':');
  if (head === 'checkin') return ['checkin', subjects.assignment.get(Number(id)) ?? `?${id}`, ...rest].join(':');
  return key;
}
