import { buildReport } from '../src/core/report.ts';
import type { App } from '../src/app.ts';
import { parseInstant } from '../src/core/time.ts';
import { loadDossierFacts, loadReportInput } from '../src/store/report.ts';
import { seedSqlite } from './seed.ts';

/**
 * The report of a plan of `size` task-unit items (`units` units, every task led by each), every one open and
 * most overdue at the judging day: loading the rows, then building the figures, the rows and the late list
 * Returns the best of three builds.
 */
export async function reportBench(app: App, file: string, size: number, units: number) {
  seedSqlite(file, { units, tasks: Math.ceil(size / units), lastDue: '2024-12-27', spreadDays: 365 });
  const at = parseInstant('2025-01-29T08:00', app.settings.timezone)!;
  const loadStart = performance.now();
  const input = await loadReportInput(app.db.prisma);
  input.dossiers = await loadDossierFacts(app.db.prisma);
  const loadMs = performance.now() - loadStart;
  const builds: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const report = buildReport(input, { at, zone: app.settings.timezone, period: null }, app.calendar);
    const used = process.cpuUsage(cpuStart);
    builds.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
    rows = report.rows.length;
  }
  // CPU time as well: on a shared machine the wall clock also counts other processes' turns
  return { rows, loadMs, buildMs: Math.min(...builds), buildCpuMs: Math.min(...cpu) };
}
