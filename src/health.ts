import http from 'node:http';
import type { App } from './app.ts';
import { readState } from './store/state.ts';
import type { Transport } from './transports/transport.ts';

/**
 * GET /healthz: the database, each transport and the last round, as JSON; 200 when the database answers,
 * 503 otherwise (for a load balancer or a supervisor). No secrets in it.
 */
export async function health(app: App, transports: Map<string, Transport>) {
  let database: { ok: boolean; error?: string } = { ok: true };
  let lastRound: string | null = null;
  let pending: number | null = null;
  try {
    lastRound = await readState(app.db.prisma, 'round:last');
    pending = await app.db.prisma.outbox.count({ where: { status: { in: ['pending', 'sending'] } } });
  } catch (error) {
    database = { ok: false, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  return {
    ok: database.ok,
    database: { provider: app.db.target.provider, ...database },
    transports: [...transports.values()].map((t) => t.status()),
    lastRound,
    outboxPending: pending,
  };
}

export function startHealthServer(app: App, transports: Map<string, Transport>, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    void health(app, transports).then((body) => {
      res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
