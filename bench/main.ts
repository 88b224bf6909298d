// npm run bench [-- --json] [-- --quick]: the performance figures (README "Performance").
// Every figure is measured in this run on this machine; ratios compare two measurements of the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../src/app.ts';
import { loadSettings } from '../src/config.ts';
import { parseInstant } from '../src/core/time.ts';
import { silentLogger } from '../src/log.ts';
import pg from 'pg';
import { seedSqlite } from './seed.ts';
import { seedPostgres } from './seed-postgres.ts';
import { defaultReminderPolicy, stageAt } from '../src/core/reminder-policy.ts';
import { workdayOffset } from '../src/core/workdays.ts';
import { importBench } from './import.ts';
import { sendBench } from './send.ts';
import { reportBench } from './report.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
const results: Record<string, number | string> = {};
const log = (line: string) => {
  if (!values.json) process.stdout.write(`${line}\n`);
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function freshApp(tag: string): Promise<{ app: App; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nhacviec-bench-${tag}-`));
  const file = path.join(dir, 'bench.db');
  const app = await createApp(loadSettings({ DATABASE_URL: `file:${file}` }), { log: silentLogger });
  return { app, file };
}

/** The floor: the same rows read by the simplest query through the same client. */
async function plainScan(app: App, lastDay: string): Promise<number> {
  // the open occurrences the round reads, and nothing else
  const rows = await app.db.prisma.$queryRaw<unknown[]>`
    SELECT "id", "due", "lastStage", "assignmentId" FROM "Occurrence" WHERE "status" = 'open' AND "due" <= ${lastDay}`;
  return rows.length;
}

type StageFigures = {
  size: number;
  roundMs: number;
  scanMs: number;
  notices: number;
  messages: number;
  rssBeforeMb: number;
  peakRssMb: number;
  monday: { ms: number; messages: number } | null;
};

/**
 * Runs bench/round-stage.ts in a child process (same node, same tsx loader): the round's peak RSS is then
 * its own, not this process's, which has seeded the database and run the smaller sizes before.
 */
function roundStage(url: string, monday: boolean, warm = false): Promise<StageFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(import.meta.dirname, 'round-stage.ts'), JSON.stringify({ url, monday, warm })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as StageFigures) : reject(new Error(`round stage exited with ${code}`))));
  });
}

/**
 * spreadDays 120: due days within 60 days of the measured day, every occurrence in the round's window and
 * ~14% reaching a new stage that day (a heavy day); 365: a plan year, as a province's plan spreads them.
 * `withMonday` also times the next Monday's round, which adds the weekly digests.
 */
async function roundBench(size: number, units: number, spreadDays = 120, withMonday = false): Promise<StageFigures> {
  const { app, file } = await freshApp(`${size}-${spreadDays}`);
  // every stage reached by the day before is already said, as if the bot had run then
  const lastStage = (due: string) => stageAt(workdayOffset(app.calendar, '2024-10-28', due), defaultReminderPolicy);
  await app.close();
  seedSqlite(file, { units, tasks: Math.ceil(size / units), lastDue: spreadDays === 120 ? '2024-12-27' : '2025-04-30', spreadDays, lastStage });
  try {
    return await roundStage(`file:${file}`, withMonday);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The heavy-day round on PostgreSQL (a schema of its own, dropped after); null when no server answers. */
async function roundBenchPostgres(size: number, units: number) {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await probe.connect();
  } catch {
    return null;
  }
  const schema = `bench_${process.pid}_${Date.now()}`;
  try {
    const url = `${POSTGRES_URL}?schema=${schema}`;
    // the app migrates the schema
    const app = await createApp(loadSettings({ DATABASE_URL: url }), { log: silentLogger });
    const lastStage = (due: string) => stageAt(workdayOffset(app.calendar, '2024-10-28', due), defaultReminderPolicy);
    await app.close();
    await seedPostgres(POSTGRES_URL, schema, { units, tasks: Math.ceil(size / units), lastDue: '2024-12-27', spreadDays: 120, lastStage });
    return await roundStage(url, false, true);
  } finally {
    await probe.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await probe.end();
  }
}

async function latencyBench() {
  const { app, file } = await freshApp('latency');
  seedSqlite(file, { units: 100, tasks: 1000, lastDue: '2024-12-27', spreadDays: 120 });
  await app.db.prisma.officer.create({ data: { user: 'console:bench', unitId: 7 } });
  const clock = parseInstant('2024-10-29T08:00', app.settings.timezone)!;
  // no per-person command limit: 120 commands in a row are the measurement, not abuse
  const bench = await createApp({ ...app.settings, rateLimits: { perMinute: 0, heavyPerHour: 0 } }, { log: silentLogger, clock: () => clock });
  const say = (text: string, i: number) =>
    bench.handle({ chat: 'telegram:-1007', user: 'console:bench', userName: 'Cán bộ', messageId: String(i), text });
  const overdue: number[] = [];
  const done: number[] = [];
  for (let i = 0; i < 60; i++) {
    const [reply, ms] = await timed(() => say('/overdue', i));
    if (!reply?.text.includes('quá hạn')) throw new Error(`unexpected /overdue reply: ${reply?.text.slice(0, 80)}`);
    if (i >= 10) overdue.push(ms);
  }
  for (let i = 0; i < 60; i++) {
    const code = `${Math.floor(i / 20) + 1}.${(i % 20) + 1}`;
    const [reply, ms] = await timed(() => say(`/done ${code}`, 100 + i));
    if (!reply?.text.includes('Đã ghi nhận')) throw new Error(`unexpected /done reply: ${reply?.text.slice(0, 120)}`);
    if (i >= 10) done.push(ms);
  }
  await bench.close();
  await app.close();
  return { overdueP50: percentile(overdue, 50), overdueP95: percentile(overdue, 95), doneP50: percentile(done, 50), doneP95: percentile(done, 95) };
}

// the whole run takes about a minute on the 2-core machine; --quick leaves out the million
const sizes = values.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
log('Nhắc việc — đo hiệu năng (SQLite, máy này, cùng một lần chạy)');
for (const size of sizes) {
  const r = await roundBench(size, size >= 100_000 ? 200 : 100, 120, size === 100_000);
  const tag = size >= 1_000_000 ? '1m' : `${size / 1000}k`;
  results[`round_${tag}_ms`] = Math.round(r.roundMs);
  results[`round_${tag}_scan_ms`] = Math.round(r.scanMs);
  results[`round_${tag}_round_to_scan`] = Number((r.roundMs / r.scanMs).toFixed(2));
  results[`round_${tag}_peak_rss_mb`] = Math.round(r.peakRssMb);
  results[`round_${tag}_start_rss_mb`] = Math.round(r.rssBeforeMb);
  log(`round ${r.size} open occurrences: ${r.roundMs.toFixed(0)} ms (${r.notices} notices, ${r.messages} messages); plain scan ${r.scanMs.toFixed(0)} ms; round/scan ${(r.roundMs / r.scanMs).toFixed(2)}×; peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB before the round)`);
  if (r.monday) {
    results[`round_${tag}_monday_ms`] = Math.round(r.monday.ms);
    results[`round_${tag}_monday_to_round`] = Number((r.monday.ms / r.roundMs).toFixed(2));
    log(`  the next Monday's round, weekly digests included (${r.monday.messages} messages): ${r.monday.ms.toFixed(0)} ms, ${(r.monday.ms / r.roundMs).toFixed(2)}× the heavy day's round`);
  }
}
{
  const r = await roundBench(100_000, 200, 365);
  results.round_100k_year_ms = Math.round(r.roundMs);
  results.round_100k_year_scan_ms = Math.round(r.scanMs);
  log(`round over 100000 open occurrences spread over a year (${r.size} in the round's window): ${r.roundMs.toFixed(0)} ms (${r.notices} notices); plain scan of the window ${r.scanMs.toFixed(0)} ms`);
}
{
  const r = await roundBenchPostgres(100_000, 200);
  if (r) {
    results.round_100k_postgres_ms = Math.round(r.roundMs);
    results.round_100k_postgres_scan_ms = Math.round(r.scanMs);
    results.round_100k_postgres_round_to_scan = Number((r.roundMs / r.scanMs).toFixed(2));
    log(`round over 100000 open occurrences on PostgreSQL (heavy day): ${r.roundMs.toFixed(0)} ms (${r.notices} notices); plain scan ${r.scanMs.toFixed(0)} ms; round/scan ${(r.roundMs / r.scanMs).toFixed(2)}×`);
  } else log(`PostgreSQL does not answer at ${POSTGRES_URL}: its round is not measured`);
}
const lat = await latencyBench();
results.overdue_p50_ms = Number(lat.overdueP50.toFixed(1));
results.overdue_p95_ms = Number(lat.overdueP95.toFixed(1));
results.done_p50_ms = Number(lat.doneP50.toFixed(1));
results.done_p95_ms = Number(lat.doneP95.toFixed(1));
log(`/overdue p50 ${lat.overdueP50.toFixed(1)} ms, p95 ${lat.overdueP95.toFixed(1)} ms; /done p50 ${lat.doneP50.toFixed(1)} ms, p95 ${lat.doneP95.toFixed(1)} ms (100k occurrences)`);
for (const rows of [1000, 5000]) {
  const { app, file } = await freshApp(`import-${rows}`);
  const r = await importBench(app, file, rows);
  await app.close();
  results[`import_${rows}_rows_ms`] = Math.round(r.ms);
  results[`import_${rows}_lock_ms`] = Math.round(r.lockMs);
  log(`import of a ${rows.toLocaleString('en')}-row plan (XLSX, read + store): ${r.ms.toFixed(0)} ms; longest wait of another writer for the lock: ${r.lockMs.toFixed(0)} ms`);
}
{
  const { app, file } = await freshApp('report');
  const r = await reportBench(app, file, 100_000, 200);
  await app.close();
  results.report_100k_load_ms = Math.round(r.loadMs);
  results.report_100k_build_ms = Math.round(r.buildMs);
  results.report_100k_build_cpu_ms = Math.round(r.buildCpuMs);
  log(`report over ${r.rows.toLocaleString('en')} items (200 units): load ${r.loadMs.toFixed(0)} ms, build ${r.buildMs.toFixed(0)} ms (${r.buildCpuMs.toFixed(0)} ms of CPU)`);
}
{
  const { app } = await freshApp('send');
  const r = await sendBench(app, 300, 100);
  await app.close();
  results.send_per_s = Number(r.perSecond.toFixed(1));
  results.send_limit_per_s = 30;
  results.send_limit_violations = r.violations;
  log(`sender: ${r.sent} messages to 100 groups in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s against Telegram's 30/s (local Bot API double), ${r.violations} sends over a limit (would be 429s)`);
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else console.table(results);
