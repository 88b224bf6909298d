import cron from 'node-cron';
import type { Logger } from './log.ts';

/**
 * Runs `tick` on a cron schedule in the plan's time zone (the server's own zone plays no part). A tick still
 * running when the next one is due is not started twice (and says so in the log: a tick that never ends would
 * otherwise stop every later round without a word); a failing tick is logged and the schedule goes on.
 */
export function startSchedule(expression: string, zone: string, tick: () => Promise<unknown>, log: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  let since = 0;
  const task = cron.schedule(
    expression,
    () => {
      if (running) {
        log.warn({ runningSince: new Date(since).toISOString() }, 'round skipped: the previous one is still running');
        return;
      }
      since = Date.now();
      running = tick()
        .catch((error) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'scheduled round failed'))
        .finally(() => {
          running = null;
        });
    },
    { timezone: zone, noOverlap: true },
  );
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
