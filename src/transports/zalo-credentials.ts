/**
 * The saved login of the personal Zalo account (cookies, imei, user agent): the file `zalo login` writes and
 * the running bot reads, re-saves when Zalo renews the cookies, and watches while it waits for a new login.
 * Zalo binds the cookies to the user agent and the IP address: the file is only good on the server that
 * made it.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// tough-cookie's toJSON leaves out every field equal to its default, an empty value included: what zca-js
// itself saves (ctx.cookie.toJSON()) must read back, so a missing value is the default ''.
const cookieSchema = z.looseObject({
  key: z.string().optional(),
  name: z.string().optional(),
  value: z.string().default(''),
  domain: z.string().optional(),
  path: z.string().optional(),
});

/** What the credentials file holds: the cookies of the Zalo Web session, the device imei and user agent. */
export const zaloCredentialsSchema = z.object({
  // a cookie list, or a whole jar (tough-cookie's SerializedCookieJar: {version, storeType, cookies, ...})
  cookie: z.union([z.array(cookieSchema).min(1), z.looseObject({ cookies: z.array(cookieSchema).min(1) })]),
  imei: z.string().min(1),
  userAgent: z.string().min(1),
  language: z.string().optional(),
});
export type ZaloCredentials = z.infer<typeof zaloCredentialsSchema>;

/** The credentials file is missing or does not hold valid credentials. */
export class CredentialsFileError extends Error {}

/** Reads and validates the credentials file. */
export async function readCredentials(file: string): Promise<{ credentials: ZaloCredentials; raw: string }> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CredentialsFileError(
      code === 'ENOENT'
        ? `Chưa có tệp đăng nhập Zalo ${file}: chạy "nhacviec zalo login" để quét mã QR.`
        : `Không đọc được tệp đăng nhập Zalo ${file}: ${String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CredentialsFileError(`Tệp đăng nhập Zalo ${file} không phải JSON hợp lệ: chạy lại "nhacviec zalo login".`);
  }
  const parsed = zaloCredentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CredentialsFileError(`Tệp đăng nhập Zalo ${file} thiếu cookie, imei hoặc userAgent: chạy lại "nhacviec zalo login".`);
  }
  return { credentials: parsed.data, raw };
}

/** Serialises credentials the way writeCredentials stores them. */
export function credentialsText(credentials: ZaloCredentials): string {
  return `${JSON.stringify(credentials, null, 2)}\n`;
}

/**
 * Writes the credentials atomically: a temporary file (mode 0600: it is a login) in the same directory,
 * then a rename over the old one, so a crash never leaves a half-written file. Returns the text written.
 */
export async function writeCredentials(file: string, credentials: ZaloCredentials): Promise<string> {
  const text = credentialsText(credentials);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  return text;
}

/**
 * The part of a cookie that matters for "did the login change": tough-cookie also serialises lastAccessed
 * and creation times, which change on every request and must not cause a rewrite each time.
 */
export function credentialsFingerprint(credentials: ZaloCredentials): string {
  const cookies = Array.isArray(credentials.cookie) ? credentials.cookie : credentials.cookie.cookies;
  const essential = cookies
    .map((c) => [c.key ?? c.name ?? '', c.value, c.domain ?? '', c.path ?? '', String((c as Record<string, unknown>).expires ?? (c as Record<string, unknown>).expirationDate ?? '')].join('\u0001'))
    .sort();
  return JSON.stringify([credentials.imei, credentials.userAgent, essential]);
}

/**
 * The credentials file as the running session sees it: what it last read or wrote (so that its own saves do
 * not look like a new login), one save at a time, and only when the login really changed.
 */
export class CredentialsTracker {
  private raw: string | null = null;
  private print: string | null = null;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Reads the file (CredentialsFileError when it is missing or invalid) and remembers it. */
  async read(): Promise<ZaloCredentials> {
    try {
      const { credentials, raw } = await readCredentials(this.file);
      this.raw = raw;
      this.print = credentialsFingerprint(credentials);
      return credentials;
    } catch (error) {
      this.raw = await readFile(this.file, 'utf8').catch(() => null);
      throw error;
    }
  }

  /** Saves the current login if it differs from the file's; true when written. */
  save(current: () => ZaloCredentials): Promise<boolean> {
    const run = this.saving.then(async () => {
      const credentials = current();
      const print = credentialsFingerprint(credentials);
      if (print === this.print) return false;
      this.raw = await writeCredentials(this.file, credentials);
      this.print = print;
      return true;
    });
    this.saving = run.catch(() => {});
    return run;
  }

  /** Whether someone else wrote the file since we last read or wrote it (a new `zalo login`). */
  async changed(): Promise<boolean> {
    await this.saving; // a save of ours still under way must not look like a new login
    const now = await readFile(this.file, 'utf8').catch(() => null);
    return now !== null && now !== this.raw;
  }
}
