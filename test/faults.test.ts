import { afterAll, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import { harness } from './helpers/app.ts';
import { dropTestSchemas, postgresAvailable, tempPostgresUrl } from './helpers/db.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';

const pgUp = await postgresAvailable();
afterAll(dropTestSchemas);

describe.skipIf(!pgUp)('database unavailable for a while (PostgreSQL behind a proxy on 127.0.0.1)', () => {
  it('rounds and sends fail while it is down, the bot keeps running, and everything goes out once when it is back', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5432 });
    await proxy.start();
    const schema = tempPostgresUrl();
    const url = schema.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
    const h = await harness(url);
    try {
      await ensureExamplePlan(h.app);
      h.at('2023-02-13T08:00');
      proxy.down();
      await expect(h.round()).rejects.toThrow();
      // the sender's loop survives the outage (it logs and tries again)
      h.sender.start(20);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.takeOutput()).toBe('');
      proxy.up();
      h.at('2023-02-13T08:15'); // the next scheduled round
      const messages = await h.round();
      expect(messages).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 200));
      await h.sender.stop();
      expect(h.takeOutput().match(/NHẮC VIỆC/g)).toHaveLength(1);
      expect(await h.app.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(1);
      h.at('2023-02-13T08:30');
      expect(await h.round()).toEqual([]);
    } finally {
      await h.sender.stop();
      await h.close();
      await proxy.stop();
      await schema.drop();
    }
  }, 60_000);
});
