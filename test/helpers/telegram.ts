import { telegramTransport } from '../../src/chats.ts';
import type { TelegramTransport } from '../../src/transports/telegram.ts';
import { harness, type Harness } from './app.ts';
import { tempSqliteUrl } from './db.ts';
import { FakeBotApi } from './fake-bot-api.ts';

/** fast limits for the tests: the real ones (1/s per chat) would make them slow */
export const FAST_LIMITS = { perChat: { limit: 1, windowMs: 5 }, perGroup: { limit: 1_000, windowMs: 60_000 }, overall: { limit: 1_000, windowMs: 1_000 } };

export type TelegramBot = { fake: FakeBotApi; tg: TelegramTransport; h: Harness; close(): Promise<void> };

/**
 * A Bot API double on 127.0.0.1 and the bot polling it: a real TelegramTransport wired to the app as
 * `npm start` wires it, on a fresh SQLite file. `prepare` runs before polling starts (seeding).
 */
export async function telegramBot(opts: { env?: Record<string, string>; prepare?: (h: Harness) => Promise<void> } = {}): Promise<TelegramBot> {
  const fake = new FakeBotApi();
  const { apiRoot } = await fake.start();
  let tg: TelegramTransport | undefined;
  const h = await harness(tempSqliteUrl(), {
    ...(opts.env ? { env: opts.env } : {}),
    transports: (app) => [(tg = telegramTransport(app, { token: fake.token, apiRoot, limits: FAST_LIMITS }))],
  });
  const transport = tg!;
  await opts.prepare?.(h);
  await transport.start((m) => h.app.handle(m));
  return {
    fake,
    tg: transport,
    h,
    async close() {
      await transport.stop();
      await fake.stop();
      await h.close();
    },
  };
}
