/**
 * The Zalo Bot's own HTTP server (plain HTTP: put it behind the HTTPS reverse proxy that owns the public
 * address). Two jobs:
 * - the webhook: Zalo POSTs each update to the webhook URL's path with the secret token in header
 *   X-Bot-Api-Secret-Token; every request is checked (constant time) before its body is read, bodies are
 *   limited, the answer is 200 at once and the update handled after;
 * - the photos: the Zalo Bot sends a picture only by URL (sendPhoto fetches it), so a chart is kept here for
 *   a day under an unguessable name and served at GET /zalobot/anh/<name>.png. Kept in memory: with several
 *   instances behind one address, route /zalobot/anh/ to one of them (or run one).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { Logger } from '../log.ts';
import { ZALO_BOT_SECRET_HEADER } from './zalo-bot-api.ts';

export const PHOTO_PATH = '/zalobot/anh/';
const MAX_BODY = 1024 * 1024;
const PHOTO_TTL_MS = 24 * 3600_000;
const MAX_PHOTOS = 50;
const MAX_PHOTO_BYTES = 40 * 1024 * 1024;

export type ZaloBotServerOptions = {
  port: number;
  host: string;
  /** webhook mode: the path Zalo posts to and the secret it must send */
  webhook?: { path: string; secret: string; onUpdate(body: unknown): void };
  log: Logger;
  now?: () => number;
};

type Photo = { data: Uint8Array; mime: string; expires: number };

export class ZaloBotServer {
  private server: http.Server | null = null;
  private readonly photos = new Map<string, Photo>();
  private readonly now: () => number;

  constructor(private readonly opts: ZaloBotServerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** the port it listens on (the one asked for, or the one given for port 0) */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.opts.port;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Keeps a picture for a day; returns the path to append to the public base URL. */
  addPhoto(data: Uint8Array, mime: string): string {
    this.prune();
    const name = `${crypto.randomBytes(16).toString('hex')}.${mime === 'image/jpeg' ? 'jpg' : 'png'}`;
    this.photos.set(name, { data, mime, expires: this.now() + PHOTO_TTL_MS });
    let bytes = [...this.photos.values()].reduce((n, p) => n + p.data.byteLength, 0);
    for (const [key, photo] of this.photos) {
      if (this.photos.size <= MAX_PHOTOS && bytes <= MAX_PHOTO_BYTES) break;
      if (key === name) continue;
      this.photos.delete(key);
      bytes -= photo.data.byteLength;
    }
    return `${PHOTO_PATH}${name}`;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, photo] of this.photos) if (photo.expires <= now) this.photos.delete(key);
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const webhook = this.opts.webhook;
    if (webhook && path === webhook.path) {
      this.onWebhook(req, res, webhook);
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith(PHOTO_PATH)) {
      this.prune();
      const photo = this.photos.get(path.slice(PHOTO_PATH.length));
      if (photo) {
        res.writeHead(200, { 'content-type': photo.mime, 'content-length': photo.data.byteLength, 'cache-control': 'private, max-age=86400' });
        res.end(req.method === 'HEAD' ? undefined : photo.data);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false}');
  }

  private onWebhook(req: http.IncomingMessage, res: http.ServerResponse, webhook: NonNullable<ZaloBotServerOptions['webhook']>): void {
    const answer = (status: number) => res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ ok: status === 200 }));
    if (req.method !== 'POST') return void answer(405);
    if (!sameSecret(req.headers[ZALO_BOT_SECRET_HEADER], webhook.secret)) {
      this.opts.log.warn({ from: req.socket.remoteAddress }, 'zalo bot webhook: wrong or missing secret token; refused');
      req.resume();
      return void answer(403);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY) {
        refused = true;
        res.once('finish', () => req.destroy()); // the answer first, then no more of the body
        answer(413);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return void answer(400);
      }
      answer(200);
      webhook.onUpdate(body);
    });
  }
}

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
