/**
 * The narrow part of zca-js (unofficial Zalo Web client, node_modules/zca-js) that the bot uses, behind an
 * interface so that the transport can be tested against a fake and nothing in the tests talks to Zalo.
 *
 * zca-js facts this file relies on (zca-js 2.2.0):
 * - `new Zalo(options)` (dist/zalo.js, dist/context.d.ts `Options`): `checkUpdate` (default true: every
 *   login asks the npm registry for a newer zca-js, so we turn it off), `selfListen` (default false: our own
 *   messages are not emitted; we turn it on to confirm sends by their echo), `logging` (default true: console
 *   output; off, we log ourselves).
 * - `zalo.login({cookie, imei, userAgent})` → API; `zalo.loginQR({qrPath, userAgent}, callback)` emits
 *   QRCodeGenerated {image: base64 PNG, code}, QRCodeExpired, QRCodeScanned, QRCodeDeclined, GotLoginInfo
 *   (dist/apis/loginQR.d.ts). With a callback zca-js does NOT write the PNG itself: we do.
 * - `api.listener` (dist/apis/listen.js): EventEmitter with 'connected', 'message', 'disconnected'(code,
 *   reason), 'closed'(code, reason), 'error'. On every socket close it emits 'disconnected' and then, when it
 *   does not retry itself (we start it with `retryOnClose: false`), 'closed': one drop = up to two events.
 *   Close codes (CloseReason): 1000 manual, 1006 abnormal (network), 3000 DuplicateConnection (another
 *   listener on the same session), 3003 KickConnection (kicked from the session: logged in elsewhere).
 *   `start()` throws "Already started" while a socket exists; after a close it can be started again.
 * - Messages (dist/models/Message.d.ts): `{type: ThreadType.User=0|Group=1, threadId, isSelf, data: {msgId,
 *   uidFrom, dName, content (string for text), quote?: {globalMsgId: number, ...}}}`.
 * - `api.sendMessage(text, threadId, ThreadType)` (dist/apis/sendMessage.js) → `{message: {msgId: number} |
 *   null, attachment: [{msgId}]}`; failures throw ZaloApiError(message, code) (dist/Errors/ZaloApiError.js),
 *   `code` = Zalo's error_code when the server answered, null otherwise.
 * - `api.getContext()` → {cookie: tough-cookie CookieJar, imei, userAgent, language}; the jar is updated by
 *   every request's set-cookie, which is why the transport re-saves credentials when they change.
 * - `api.getOwnId()` → the logged-in account's uid.
 */
import path from 'node:path';
import * as zcaRuntime from 'zca-js';
// zca-js's root index.d.ts says `export * from "./dist"`, a directory import that NodeNext resolution does
// not follow: the package's types are empty from 'zca-js'. Take them from the built file instead (types
// only, erased at run time) and type the runtime namespace with them.
import type * as Zca from '../../node_modules/zca-js/dist/index.js';

import { zaloCredentialsSchema, type ZaloCredentials } from './zalo-credentials.ts';

import { writePrivateFile } from '../files/private-file.ts';
export { CredentialsFileError, credentialsText, readCredentials, writeCredentials, type ZaloCredentials } from './zalo-credentials.ts';

const { LoginQRCallbackEventType, ThreadType, Zalo } = zcaRuntime as unknown as typeof Zca;
type ZcaCredentials = Zca.Credentials;
type ZcaMessage = Zca.Message;

/** zca-js thread types (models/Enum.d.ts ThreadType). */
export const ZALO_USER_THREAD = 0;
export const ZALO_GROUP_THREAD = 1;

/** The fields of a zca-js UserMessage/GroupMessage the transport reads. */
export type ZaloMessage = {
  type: number;
  threadId: string;
  isSelf: boolean;
  data: {
    msgId: string | number;
    uidFrom: string;
    dName?: string;
    /** "webchat" for text, "share.file" for a document ({title, href, params: JSON {fileSize, fileExt}}), ... */
    msgType?: string;
    content: unknown;
    quote?: { globalMsgId?: string | number | null; ownerId?: string | number | null; fromD?: string | null } | null;
  };
};

/** zca-js's GroupEvent, the part the bot reads: who joined or left which group. */
export type ZaloGroupEvent = {
  type: string;
  threadId: string;
  data?: { groupName?: string; updateMembers?: ({ id: string } | string)[] } | null;
};

export type ZaloListenerEvents = {
  connected: [];
  message: [message: ZaloMessage];
  group_event: [event: ZaloGroupEvent];
  closed: [code: number, reason: string];
  disconnected: [code: number, reason: string];
  error: [error: unknown];
};

export interface ZaloListener {
  on<E extends keyof ZaloListenerEvents>(event: E, callback: (...args: ZaloListenerEvents[E]) => void): unknown;
}

export type ZaloFile = { fileName: string; data: Uint8Array };

/** The slice of a logged-in zca-js API the bot uses. */
export interface ZaloClient {
  readonly listener: ZaloListener;
  /** opens the web socket (events arrive on `listener`) */
  start(): void;
  /** closes the web socket (a 'closed' 1000 may follow) */
  stop(): void;
  /** msgId null: Zalo accepted the request but gave no id back (the outcome is unknown) */
  sendMessage(text: string, threadId: string, isGroup: boolean): Promise<{ msgId: string | null }>;
  /** a file, with an optional caption; the platform ids of what was sent */
  sendFile?(file: ZaloFile, caption: string, threadId: string, isGroup: boolean): Promise<{ msgIds: string[] }>;
  getOwnId(): string;
  /** the current login, to be saved again when Zalo renewed its cookies */
  getContext(): ZaloCredentials;
}

export type ZcaClientOptions = {
  /** needed for echo confirmation of sends that came back without a msgId */
  selfListen?: boolean;
  /** the HTTP client zca-js uses (its `polyfill` option; default the global fetch): a test double */
  fetch?: typeof fetch;
};

function zcaOptions(opts: ZcaClientOptions = {}) {
  return { checkUpdate: false, selfListen: opts.selfListen ?? true, logging: false, ...(opts.fetch ? { polyfill: opts.fetch } : {}) };
}

type ZcaApi = Zca.API;

function contextCredentials(api: ZcaApi): ZaloCredentials {
  const ctx = api.getContext();
  const cookies = (ctx.cookie.toJSON()?.cookies ?? []) as ZaloCredentials['cookie'];
  return { cookie: cookies, imei: ctx.imei, userAgent: ctx.userAgent, language: ctx.language };
}

function adapt(api: ZcaApi): ZaloClient {
  const listener: ZaloListener = {
    on(event, callback) {
      // zca-js's Message is structurally a ZaloMessage; the cast only bridges the two event maps
      return api.listener.on(event as 'message', callback as unknown as (m: ZcaMessage) => void);
    },
  };
  return {
    listener,
    start: () => api.listener.start({ retryOnClose: false }),
    stop: () => api.listener.stop(),
    async sendMessage(text, threadId, isGroup) {
      const result = await api.sendMessage(text, threadId, isGroup ? ThreadType.Group : ThreadType.User);
      const id = result.message?.msgId;
      return { msgId: id === undefined || id === null || String(id) === '' || String(id) === '0' ? null : String(id) };
    },
    async sendFile(file, caption, threadId, isGroup) {
      const name = /\.[^.]+$/.test(file.fileName) ? file.fileName : `${file.fileName}.bin`;
      const result = await api.sendMessage(
        {
          msg: caption,
          attachments: [{ data: Buffer.from(file.data), filename: name as `${string}.${string}`, metadata: { totalSize: file.data.byteLength, ...pngSize(file.data) } }],
        },
        threadId,
        isGroup ? ThreadType.Group : ThreadType.User,
      );
      const ids = [result.message, ...result.attachment].flatMap((r) => (r?.msgId ? [String(r.msgId)] : []));
      return { msgIds: ids };
    },
    getOwnId: () => api.getOwnId(),
    getContext: () => contextCredentials(api),
  };
}

/** A PNG's width and height (its IHDR chunk): zca-js sends a picture with the size it is given. */
function pngSize(data: Uint8Array): { width?: number; height?: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.byteLength < 24 || signature.some((b, i) => data[i] !== b)) return {};
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Logs in with saved credentials and adapts the zca-js API to ZaloClient (does not open the listener). */
export async function createZcaClient(credentials: ZaloCredentials, opts: ZcaClientOptions = {}): Promise<ZaloClient> {
  const zalo = new Zalo(zcaOptions(opts));
  const api = await zalo.login(credentials as unknown as ZcaCredentials);
  return adapt(api);
}

/**
 * Zalo's answers that mean the login itself is no longer valid (re-login with a QR code needed):
 * error_code 102 "session key ... timeout", error_code 600 "zpw_sek bị thiếu hoặc không đúng", and
 * zca-js's own "Đăng nhập thất bại" / "Failed to fetch server info: zpw_sek ..." at login.
 */
export function isAuthError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 102 || code === 600) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /zpw_sek|session key|Đăng nhập thất bại|Cookie is not available|Missing required params/i.test(message);
}

/** Zalo answered the request with an error: it was rejected, so nothing was delivered. */
export function isServerRejection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code !== 0;
}

export type QrEvent =
  | { kind: 'generated'; path: string; code: string }
  | { kind: 'expired'; retrying: boolean }
  | { kind: 'scanned'; name: string }
  | { kind: 'declined' };

/** The QR login ended without a login: declined on the phone, or every code expired unscanned. */
export class QrLoginEnded extends Error {
  constructor(readonly reason: 'declined' | 'expired') {
    super(reason === 'declined' ? 'QR login declined on the phone' : 'QR codes expired unscanned');
  }
}

/**
 * QR login (the CLI's `zalo login`): writes each QR code to `qrPath` as PNG and reports progress through
 * `onQr`; an expired code is renewed up to `maxQr` times. Returns the credentials to save and the account id.
 * zca-js calls the callback for a decline and then returns without settling its promise
 * (dist/apis/loginQR.js): the decline must abort it, or the login waits forever.
 */
export async function loginWithQr(
  qrPath: string,
  onQr: (event: QrEvent) => void | Promise<void>,
  opts: { maxQr?: number; userAgent?: string; fetch?: typeof fetch } = {},
): Promise<{ credentials: ZaloCredentials; accountId: string }> {
  const zalo = new Zalo(zcaOptions({ fetch: opts.fetch }));
  let shown = 0;
  const maxQr = opts.maxQr ?? 3;
  let ended: QrLoginEnded | null = null;
  let fromCallback: ZaloCredentials | null = null;
  const loggingIn = zalo.loginQR({ qrPath, ...(opts.userAgent ? { userAgent: opts.userAgent } : {}) }, (event) => {
    switch (event.type) {
      case LoginQRCallbackEventType.QRCodeGenerated: {
        shown++;
        const png = event.data.image.replace(/^data:image\/png;base64,/, '');
        // whoever scans the QR first owns the bot's account: owner-only (0600), and written before zca-js goes
        // on, so that the file is there when the login ends and the CLI removes it
        writePrivateFile(path.resolve(qrPath), Buffer.from(png, 'base64'));
        void onQr({ kind: 'generated', path: qrPath, code: event.data.code });
        return;
      }
      case LoginQRCallbackEventType.QRCodeExpired: {
        const retrying = shown < maxQr;
        void onQr({ kind: 'expired', retrying });
        if (retrying) event.actions.retry();
        else {
          ended = new QrLoginEnded('expired');
          event.actions.abort();
        }
        return;
      }
      case LoginQRCallbackEventType.QRCodeScanned:
        void onQr({ kind: 'scanned', name: event.data.display_name });
        return;
      case LoginQRCallbackEventType.QRCodeDeclined:
        void onQr({ kind: 'declined' });
        ended = new QrLoginEnded('declined');
        event.actions.abort();
        return;
      case LoginQRCallbackEventType.GotLoginInfo:
        fromCallback = { cookie: event.data.cookie as ZaloCredentials['cookie'], imei: event.data.imei, userAgent: event.data.userAgent };
        return;
    }
  });
  let api: Awaited<typeof loggingIn>;
  try {
    api = await loggingIn;
  } catch (error) {
    throw ended ?? error;
  }
  let credentials: ZaloCredentials | null = null;
  try {
    const parsed = zaloCredentialsSchema.safeParse(contextCredentials(api));
    credentials = parsed.success ? parsed.data : null;
  } catch {
    credentials = null;
  }
  credentials ??= fromCallback;
  if (!credentials) throw new Error('Đăng nhập Zalo xong nhưng không lấy được cookie để lưu lại.');
  return { credentials, accountId: api.getOwnId() };
}
