import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { App } from '../src/app.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { importPlan } from '../src/store/plan-store.ts';
import { benchImportFile } from './plan-file.ts';

/**
 * How long an import locks everyone else out, as another writer sees it: a worker thread with its own
 * connection to the SQLite file takes and releases the write lock (BEGIN IMMEDIATE; COMMIT) every
 * millisecond; its longest wait is the longest stretch the import held the lock.
 */
function lockProbe(file: string): { ready: Promise<void>; stop(): Promise<number> } {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file, { timeout: 600000 });
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let longest = 0;
    let stop = false;
    parentPort.on('message', () => { stop = true; });
    parentPort.postMessage({ ready: true });
    (function loop() {
      for (let i = 0; i < 50 && !stop; i++) {
        const t0 = performance.now();
        db.exec('BEGIN IMMEDIATE');
        db.exec('COMMIT');
        longest = Math.max(longest, performance.now() - t0);
        Atomics.wait(pause, 0, 0, 1);
      }
      if (stop) { db.close(); parentPort.postMessage({ longest }); return; }
      setImmediate(loop);
    })();
    `,
    { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
  );
  const ready = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  return {
    ready,
    async stop() {
      const done = new Promise<number>((resolve) => worker.on('message', (m: { longest?: number }) => m.longest !== undefined && resolve(m.longest)));
      worker.postMessage('stop');
      const longest = await done;
      await worker.terminate();
      return longest;
    },
  };
}

/** An import of an XLSX plan of `rows` tasks into a fresh database: the whole time and the longest lock. */
export async function importBench(app: App, file: string, rows: number): Promise<{ ms: number; lockMs: number }> {
  const plan = await benchImportFile(rows);
  const probe = lockProbe(file);
  await probe.ready;
  const t0 = performance.now();
  const summary = await importPlan(app.db.prisma, await readPlanFile(plan), { name: `Kế hoạch ${rows} dòng`, year: 2024, calendar: app.calendar, now: new Date() });
  const ms = performance.now() - t0;
  const lockMs = await probe.stop();
  if (summary.tasks.length !== rows) throw new Error(`imported ${summary.tasks.length} tasks, expected ${rows}`);
  return { ms, lockMs };
}
