import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer } from '../src/health.ts';
import { chatTransports } from '../src/chats.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { FakeBotApi } from './helpers/fake-bot-api.ts';
import { freePort } from './helpers/net.ts';

const TOKEN = 'kiem-tra-suc-khoe-0123456789';

/** whether something accepts TCP connections on host:port */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('/healthz', () => {
  let h: Harness;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    h = await harness(tempSqliteUrl(), { env: { NHACVIEC_HEALTH_TOKEN: TOKEN } });
    server = await startHealthServer(h.app, new Map([['console', h.console]]), 0, h.app.settings.listenHost, h.app.settings.healthToken);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await h.close();
  });

  it('without the token: status words only, no errors, backlog, round or webhook', async () => {
    h.at('2023-02-13T08:00');
    await h.round();
    for (const headers of [{}, { authorization: 'Bearer sai-ma-thong-bao-0123456789' }] as Record<string, string>[]) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, status: 'ok', transports: [{ name: 'console', connected: true }] });
    }
    expect(await (await fetch(`${url}?token=sai`)).json()).not.toHaveProperty('lastRound');
  });

  it('with the token (header or query): the database, the transports, the last round and the backlog, without secrets', async () => {
    for (const res of [await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } }), await fetch(`${url}?token=${TOKEN}`)]) {
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        ok: true,
        status: 'ok',
        database: { provider: 'sqlite', ok: true },
        transports: [{ name: 'console', connected: true }],
        lastRound: '2023-02-13T01:00:00.000Z',
        outboxPending: 0,
      });
      expect(JSON.stringify(body)).not.toMatch(/file:|password|token/i);
    }
    expect((await fetch(url.replace('/healthz', '/khac'))).status).toBe(404);
  });

  it('listens on 127.0.0.1 by default, not on the other loopback addresses or interfaces', async () => {
    const port = (server.address() as AddressInfo).port;
    expect(h.app.settings.listenHost).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', port)).toBe(true);
    // a server on every interface would answer on 127.0.0.2 too
    expect(await accepts('127.0.0.2', port)).toBe(false);
  });

  it('NHACVIEC_LISTEN_HOST opens it wider when the operator says so', async () => {
    const wide = await harness(tempSqliteUrl(), { env: { NHACVIEC_LISTEN_HOST: '0.0.0.0' } });
    const open = await startHealthServer(wide.app, new Map(), 0, wide.app.settings.listenHost);
    try {
      expect(await accepts('127.0.0.2', (open.address() as AddressInfo).port)).toBe(true);
    } finally {
      await new Promise((r) => open.close(r));
      await wide.close();
    }
  });
});

describe('the Telegram webhook server', () => {
  it('listens on 127.0.0.1 by default (the reverse proxy forwards to it)', async () => {
    const api = new FakeBotApi();
    const { apiRoot } = await api.start();
    const port = await freePort();
    const h = await harness(tempSqliteUrl(), {
      env: { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn/tg', TELEGRAM_WEBHOOK_PORT: String(port) },
    });
    const chat = await chatTransports(h.app);
    try {
      await chat.transports.get('telegram')!.start(async () => null);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      expect(await accepts('127.0.0.2', port)).toBe(false);
    } finally {
      await chat.stop();
      await h.close();
      await api.stop();
    }
  });
});
