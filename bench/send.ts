import type { App } from '../src/app.ts';
import { silentLogger } from '../src/log.ts';
import { Sender } from '../src/sender.ts';
import { TelegramTransport } from '../src/transports/telegram.ts';
import { FAKE_TOKEN, FakeBotApi } from '../test/helpers/fake-bot-api.ts';

/**
 * Sender throughput against a local Bot API server (the project's test double on 127.0.0.1) with Telegram's
 * limits enforced by the transport: `messages` reminders to `groups` groups. Reports the rate achieved and
 * how many sends would have broken a limit (each would be a 429 from Telegram).
 */
export async function sendBench(app: App, messages: number, groups: number) {
  const api = new FakeBotApi();
  await api.start();
  const transport = new TelegramTransport({ token: FAKE_TOKEN, apiRoot: api.apiRoot, log: silentLogger });
  await transport.start(async () => null);
  const now = new Date();
  await app.db.prisma.outbox.createMany({
    data: Array.from({ length: messages }, (_, i) => ({
      chat: `telegram:-100${(i % groups) + 1}`,
      kind: 'reminder',
      text: `🔔 NHẮC VIỆC — tin thử số ${i + 1}\n• 1.${i % 20} Nhiệm vụ thử\n   Xong thì gõ: /done 1.${i % 20}`,
      tasks: JSON.stringify([`1.${i % 20}`]),
      roundAt: now,
      nextAttemptAt: now,
    })),
  });
  const sender = new Sender({ prisma: app.db.prisma, transports: new Map([['telegram', transport]]), clock: () => new Date(), holder: 'bench', log: silentLogger });
  const start = performance.now();
  await sender.drain();
  const seconds = (performance.now() - start) / 1000;
  const sent = api.requests.filter((r) => r.method === 'sendMessage').map((r) => ({ chat: String(r.body.chat_id), at: r.at }));
  await transport.stop();
  await api.stop();
  return { sent: sent.length, seconds, perSecond: sent.length / seconds, violations: limitViolations(sent) };
}

/** Sends that exceeded a Telegram limit in a sliding window. */
function limitViolations(sends: { chat: string; at: number }[]): number {
  let violations = 0;
  const windows = [
    // Telegram's own figures, not the limiter's (which keeps a margin)
    { limit: 30, windowMs: 1_000, key: () => 'all' },
    { limit: 1, windowMs: 1_000, key: (s: { chat: string }) => s.chat },
    { limit: 20, windowMs: 60_000, key: (s: { chat: string }) => (s.chat.startsWith('-') ? s.chat : '') },
  ];
  for (const w of windows) {
    const seen = new Map<string, number[]>();
    for (const s of [...sends].sort((a, b) => a.at - b.at)) {
      const key = w.key(s);
      if (!key) continue;
      const times = (seen.get(key) ?? []).filter((t) => s.at - t < w.windowMs);
      if (times.length >= w.limit) violations++;
      times.push(s.at);
      seen.set(key, times);
    }
  }
  return violations;
}
