import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createApp, type App } from '../../src/app.ts';
import { loadSettings } from '../../src/config.ts';
import { parseInstant } from '../../src/core/time.ts';
import { silentLogger } from '../../src/log.ts';
import { runRound } from '../../src/reminders.ts';
import { Sender } from '../../src/sender.ts';
import { ConsoleTransport } from '../../src/transports/console.ts';
import type { Transport } from '../../src/transports/transport.ts';

/** A bot on a given database with the console transport, a settable clock and captured output. */
export type Harness = {
  app: App;
  console: ConsoleTransport;
  sender: Sender;
  /** sets the clock; ISO without offset is Vietnam time */
  at(iso: string): Date;
  /** the officer types a line in the console group; returns the bot's answer */
  say(line: string): Promise<string | null>;
  /** runs a round at the current clock and sends what it recorded; returns the messages' texts */
  round(): Promise<{ chat: string; kind: string; text: string; tasks: string[] }[]>;
  /** everything the console printed so far, and clears it */
  takeOutput(): string;
  close(): Promise<void>;
};

export async function harness(
  databaseUrl: string,
  /** transports: besides the console's; a function builds them once the app exists (to wire them to it) */
  opts: { env?: Record<string, string>; consoleUser?: string; transports?: Transport[] | ((app: App) => Transport[]) } = {},
): Promise<Harness> {
  const settings = loadSettings({ DATABASE_URL: databaseUrl, ...opts.env });
  let now = new Date('2023-02-13T01:00:00Z');
  const clock = () => new Date(now.getTime());
  const app = await createApp(settings, { log: silentLogger, clock, consoleMode: true });
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk) => (printed += chunk.toString()));
  const consoleTransport = new ConsoleTransport(out, undefined, { ...(opts.consoleUser ? { user: { id: opts.consoleUser, name: 'Người thử' } } : {}), filesDir: path.join(os.tmpdir(), `nhacviec-files-${process.pid}-${Date.now()}`) });
  await consoleTransport.start((m) => app.handle(m));
  const transports = new Map<string, Transport>([['console', consoleTransport]]);
  for (const t of typeof opts.transports === 'function' ? opts.transports(app) : (opts.transports ?? [])) transports.set(t.name, t);
  const sender = new Sender({ prisma: app.db.prisma, transports, clock, holder: app.holder, log: silentLogger });
  return {
    app,
    console: consoleTransport,
    sender,
    at(iso) {
      const instant = parseInstant(iso, settings.timezone);
      if (!instant) throw new Error(`bad instant ${iso}`);
      now = instant;
      return instant;
    },
    say: (line) => consoleTransport.submit(line),
    async round() {
      const recorded = await runRound(app.roundDeps, clock());
      await sender.drain();
      return (recorded?.plan.messages ?? []).map((m) => ({ chat: m.chat, kind: m.kind, text: m.text, tasks: m.tasks }));
    },
    takeOutput() {
      const text = printed;
      printed = '';
      return text;
    },
    close: () => app.close(),
  };
}
