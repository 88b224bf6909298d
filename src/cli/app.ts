import type { App } from '../app.ts';
import { createApp } from '../app.ts';
import { loadSettings } from '../config.ts';
import { silentLogger, createLogger } from '../log.ts';
import type { CliEnv } from './io.ts';

/** Opens the app on the database of --db or DATABASE_URL for one CLI command, and closes it after. */
export async function withApp<T>(env: CliEnv, fn: (app: App) => Promise<T>): Promise<T> {
  const settings = loadSettings({ ...process.env, ...(env.db ? { DATABASE_URL: env.db } : {}) });
  const log = process.env.LOG_LEVEL ? createLogger(settings.logLevel) : silentLogger;
  const app = await createApp(settings, { log });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
