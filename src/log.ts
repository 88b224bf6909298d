import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

/**
 * Structured JSON logs on stderr (stdout belongs to the console chat and to --json output).
 * Secrets never reach a log: tokens and credentials are redacted wherever they appear in a logged object.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'nhacviec' },
      redact: { paths: ['token', '*.token', 'credentials', '*.credentials', 'cookie', '*.cookie', 'password'], censor: '[ẩn]' },
    },
    pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
