import crypto from 'node:crypto';
import http from 'node:http';
import type { App } from './app.ts';
import { backlog } from './store/outbox.ts';
import { lastRoundAt } from './store/round.ts';
import type { Transport } from './transports/transport.ts';

export type HealthStatus = 'ok' | 'database unavailable' | 'database not writable';

/**
 * The bot's health: 200 when the database answers and takes writes, 503 otherwise (for a load balancer or a
 * supervisor). `detail` adds what an operator needs (errors, transports' details, the last round, the
 * backlog); no secrets in either.
 */
export async function health(app: App, transports: Map<string, Transport>) {
  let database: { ok: boolean; error?: string } = { ok: true };
  let lastRound: string | null = null;
  let pending: number | null = null;
  try {
    lastRound = (await lastRoundAt(app.db.prisma))?.toISOString() ?? null;
    pending = await backlog(app.db.prisma);
  } catch (error) {
    database = { ok: false, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  const writable = database.ok ? await app.db.writable() : null;
  const status: HealthStatus = !database.ok ? 'database unavailable' : writable?.ok ? 'ok' : 'database not writable';
  const statuses = [...transports.values()].map((t) => t.status());
  return {
    words: { ok: status === 'ok', status, transports: statuses.map((t) => ({ name: t.name, connected: t.connected })) },
    detail: {
      ok: status === 'ok',
      status,
      database: { provider: app.db.target.provider, ...database, ...(writable && !writable.ok ? { notWritable: writable } : {}) },
      transports: statuses,
      lastRound,
      outboxPending: pending,
    },
  };
}

/** The token given as "Authorization: Bearer <token>" or "?token=<token>", compared in constant time. */
function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return false;
  const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (!given) return false;
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(token));
}

/**
 * GET /healthz on `host:port`: status words for anyone who can reach it (the host is loopback unless the
 * settings say otherwise); the detail only with the health token.
 */
export function startHealthServer(app: App, transports: Map<string, Transport>, port: number, host: string, token?: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    void health(app, transports).then((report) => {
      const body = authorized(req, token) ? report.detail : report.words;
      res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    }, () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"ok":false,"status":"database unavailable"}'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
