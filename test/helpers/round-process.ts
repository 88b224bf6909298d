// A separate bot process for the multi-process and crash tests:
//   tsx test/helpers/round-process.ts <database url> <ISO instant> <mode> <delivery log file>
// mode: round (record only) | send (record, then send) | kill-after-record | kill-mid-send | drain (send only)
// Delivered messages are appended to the log file, one JSON line each, as a chat platform would show them.
import fs from 'node:fs';
import { createApp } from '../../src/app.ts';
import { loadSettings } from '../../src/config.ts';
import { parseInstant } from '../../src/core/time.ts';
import { silentLogger } from '../../src/log.ts';
import { runRound } from '../../src/reminders.ts';
import { Sender } from '../../src/sender.ts';
import type { Outgoing, Transport } from '../../src/transports/transport.ts';

const [url, iso, mode, logFile] = process.argv.slice(2) as [string, string, string, string];
const settings = loadSettings({ DATABASE_URL: url, NHACVIEC_INSTANCE: process.env.NHACVIEC_INSTANCE });
const at = parseInstant(iso, settings.timezone)!;
const app = await createApp(settings, { log: silentLogger, clock: () => at });

let sent = 0;
const transport: Transport = {
  name: 'console',
  maxLength: 100_000,
  async start() {},
  async stop() {},
  status: () => ({ name: 'console', connected: true }),
  async send(chatId: string, message: Outgoing) {
    fs.appendFileSync(logFile, `${JSON.stringify({ chat: chatId, text: message.text, file: message.attachment?.fileName ?? null, pid: process.pid })}\n`);
    if (mode === 'kill-mid-send' && ++sent === 1) process.kill(process.pid, 'SIGKILL');
    return [`${process.pid}-${Date.now()}-${sent}`];
  },
};

if (mode !== 'drain') {
  const recorded = await runRound(app.roundDeps, at);
  process.stdout.write(`${JSON.stringify({ ran: recorded !== null, messages: recorded?.plan.messages.length ?? 0 })}\n`);
  if (mode === 'kill-after-record') process.kill(process.pid, 'SIGKILL');
}
if (mode !== 'round') {
  await new Sender({ prisma: app.db.prisma, transports: new Map([['console', transport]]), clock: () => at, holder: app.holder, log: silentLogger }).drain();
}
await app.close();
