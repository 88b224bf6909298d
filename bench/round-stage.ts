// One round stage of the bench in a process of its own (bench/main.ts starts it): its peak resident memory is
// the round's (node with tsx, the settings, the database client, the calendar and the round), not the
// seeding's, an earlier stage's, or the chat platforms' and importers' code, which a bot process also loads.
// argv[2]: JSON { url, monday }; prints one JSON line of figures.
import { loadSettings } from '../src/config.ts';
import { parseInstant } from '../src/core/time.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';
import { silentLogger } from '../src/log.ts';
import { runRound, type RoundDeps } from '../src/reminders.ts';

const { url, monday, warm } = JSON.parse(process.argv[2]!) as { url: string; monday: boolean; warm?: boolean };

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** The floor: the same rows read by the simplest query through the same client. */
async function plainScan(db: Database, lastDay: string): Promise<number> {
  // the open occurrences the round reads, and nothing else
  const rows = await db.prisma.$queryRaw<unknown[]>`
    SELECT "id", "due", "lastStage", "assignmentId" FROM "Occurrence" WHERE "status" = 'open' AND "due" <= ${lastDay}`;
  return rows.length;
}

const settings = loadSettings({ DATABASE_URL: url });
const at = (iso: string) => parseInstant(iso, settings.timezone)!;
const db = await openDatabase(settings.databaseUrl);
const deps: RoundDeps = {
  prisma: db.prisma,
  provider: db.target.provider,
  calendar: loadCalendar(settings.calendarDir),
  zone: settings.timezone,
  officeHours: settings.officeHours,
  defaultChat: 'console:main',
  dossierPolicy: settings.dossierPolicy,
  letter: settings.letter,
  holder: 'bench',
  log: silentLogger,
};
// the client's first query sets it up (connection, query compiler): not the round's cost, and the scans come after
await db.prisma.$queryRaw`SELECT 1`;
// `warm`: a dry run first, as a long-running bot's pool has its connections open and the server its plans
// (PostgreSQL; the plain scans are measured warm too)
if (warm) await runRound(deps, at('2024-10-29T08:00'), { dryRun: true });
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const [round, roundMs] = await timed(() => runRound(deps, at('2024-10-29T08:00')));
// the process's peak resident memory so far: the round's (before the scans, which hold every row at once)
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const scans: number[] = [];
let scanned = 0;
for (let i = 0; i < 3; i++) {
  const [n, ms] = await timed(() => plainScan(db, '2025-01-29'));
  scans.push(ms);
  scanned = n;
}
let mondayFigures: { ms: number; messages: number } | null = null;
if (monday) {
  // the rest of the week, then Monday 04/11: the weekly digests list every unit's items due this week or late
  for (const day of ['2024-10-30', '2024-10-31', '2024-11-01']) await runRound(deps, at(`${day}T08:00`));
  const [r, ms] = await timed(() => runRound(deps, at('2024-11-04T08:00')));
  mondayFigures = { ms, messages: r?.plan.messages.length ?? 0 };
}
await db.close();
process.stdout.write(
  `${JSON.stringify({ size: scanned, roundMs, scanMs: Math.min(...scans), notices: round?.notices ?? 0, messages: round?.plan.messages.length ?? 0, rssBeforeMb: rssBefore, peakRssMb, monday: mondayFigures })}\n`,
);
