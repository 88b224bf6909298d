import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

/**
 * Structured JSON logs on stderr (stdout belongs to the console chat and to --json output), or appended to
 * `file` (the console chat, whose terminal is the chat itself; the file is readable by its owner only).
 * Secrets never reach a log: tokens and credentials are redacted wherever they appear in a logged object.
 */
export function createLogger(level: string, file?: string): Logger {
  let destination = 2;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    destination = fs.openSync(file, 'a', 0o600);
  }
  return pino(
    {
      level,
      base: { app: 'nhacviec' },
      redact: { paths: ['token', '*.token', 'credentials', '*.credentials', 'cookie', '*.cookie', 'password'], censor: '[ẩn]' },
    },
    pino.destination({ dest: destination, sync: true }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
