import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHealthServer } from '../src/health.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

describe('/healthz', () => {
  let h: Harness;
  let server: Server;
  beforeAll(async () => {
    h = await harness(tempSqliteUrl());
    server = await startHealthServer(h.app, new Map([['console', h.console]]), 0);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await h.close();
  });

  it('reports the database, the transports and the last round, without secrets', async () => {
    h.at('2023-02-13T08:00');
    await h.round();
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; database: { provider: string; ok: boolean }; transports: { name: string; connected: boolean }[]; lastRound: string };
    expect(body).toMatchObject({ ok: true, database: { provider: 'sqlite', ok: true }, transports: [{ name: 'console', connected: true }], lastRound: '2023-02-13T01:00:00.000Z' });
    expect(JSON.stringify(body)).not.toMatch(/file:|password|token/i);
    expect((await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/khac`)).status).toBe(404);
  });
});
