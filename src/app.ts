import os from 'node:os';
import type { Settings } from './config.ts';
import type { WorkingCalendar } from './core/calendar.ts';
import type { Clock } from './core/time.ts';
import { openDatabase, type Database } from './db/database.ts';
import { loadCalendar } from './files/calendar-data.ts';
import { coordinatorChat } from './store/groups.ts';
import type { Logger } from './log.ts';
import type { RoundDeps } from './reminders.ts';
import { CONSOLE_CHAT } from './transports/console.ts';
import { handleMessage, type Services } from '../commands/index.ts';
import { Throttle } from '../commands/throttle.ts';
import type { IncomingMessage } from './transports/transport.ts';

/** Everything a running bot or a CLI command shares, built once from the settings. */
export type App = {
  settings: Settings;
  db: Database;
  calendar: WorkingCalendar;
  clock: Clock;
  log: Logger;
  /**
   * this instance, for leases (the round, a Zalo account): NHACVIEC_INSTANCE, by default host and folder, so a
   * restarted bot takes its own leases back at once instead of waiting for them to expire
   */
  holder: string;
  defaultChat: string;
  roundDeps: RoundDeps;
  handle(message: IncomingMessage): ReturnType<typeof handleMessage>;
  close(): Promise<void>;
};

/** `clockSetAt`: the instant a --now start set the clock to (no downtime before it: see RoundOptions). */
export async function createApp(settings: Settings, opts: { log: Logger; clock?: Clock; consoleMode?: boolean; clockSetAt?: Date }): Promise<App> {
  const db = await openDatabase(settings.databaseUrl);
  const calendar = loadCalendar(settings.calendarDir);
  const clock = opts.clock ?? (() => new Date());
  const holder = settings.instance ?? `${os.hostname()}:${process.cwd()}`;
  const defaultChat = settings.defaultChat ?? (await coordinatorChat(db.prisma)) ?? CONSOLE_CHAT;
  const admins = opts.consoleMode ? [...settings.admins, 'console:officer'] : settings.admins;
  const services: Services = {
    prisma: db.prisma,
    zone: settings.timezone,
    calendar,
    admins,
    letter: settings.letter,
    clock,
    log: opts.log,
    throttle: new Throttle(settings.rateLimits),
  };
  const roundDeps: RoundDeps = {
    prisma: db.prisma,
    provider: db.target.provider,
    calendar,
    zone: settings.timezone,
    officeHours: settings.officeHours,
    defaultChat,
    dossierPolicy: settings.dossierPolicy,
    letter: settings.letter,
    ...(opts.clockSetAt ? { clockSetAt: opts.clockSetAt } : {}),
    clock,
    holder,
    log: opts.log,
  };
  return {
    settings,
    db,
    calendar,
    clock,
    log: opts.log,
    holder,
    defaultChat,
    roundDeps,
    handle: (message) => handleMessage(services, message),
    close: () => db.close(),
  };
}
