import { IANAZone } from 'luxon';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './db/target.ts';
import { dossierPolicySchema, type DossierPolicy } from './core/dossier.ts';
import type { LetterHeader } from './files/apology-letter.ts';

/** A chat or user address: "<transport>:<id>", e.g. "telegram:-100123", "zalo:5512", "console:main". */
export const address = z.string().regex(/^(telegram|zalo|console):[^\s,]+$/, 'dạng "<nền tảng>:<id>", ví dụ telegram:42');

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'dạng HH:MM, ví dụ 07:30');

const settingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'dạng "<số>:<chuỗi>" do BotFather cấp').optional(),
  TELEGRAM_API_ROOT: z.url('phải là một địa chỉ URL, ví dụ http://127.0.0.1:8081').optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'phải là một địa chỉ URL https://' }).optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  TELEGRAM_WEBHOOK_PATH: z.string().regex(/^\/[\w\-/]*$/, 'phải bắt đầu bằng /, ví dụ /telegram').optional(),
  ZALO_CREDENTIALS_FILE: z.string().min(1).optional(),
  NHACVIEC_TIMEZONE: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((zone) => IANAZone.isValidZone(zone), 'không phải múi giờ IANA, ví dụ Asia/Ho_Chi_Minh'),
  NHACVIEC_ADMINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(address)),
  NHACVIEC_OFFICE_START: timeOfDay.default('07:30'),
  NHACVIEC_OFFICE_END: timeOfDay.default('17:00'),
  NHACVIEC_ROUND_CRON: z.string().default('*/15 * * * *').refine((e) => cron.validate(e), 'không phải biểu thức cron hợp lệ, ví dụ */15 * * * *'),
  NHACVIEC_DEFAULT_CHAT: address.optional(),
  NHACVIEC_EXAMPLE_PLAN: z.string().optional(),
  NHACVIEC_CALENDAR_DIR: z.string().optional(),
  NHACVIEC_INSTANCE: z.string().min(1).max(200).optional(),
  NHACVIEC_DOSSIER_POLICY: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'phải là JSON, ví dụ {"before":[3,1]}' });
        return z.NEVER;
      }
    })
    .pipe(dossierPolicySchema.strict()),
  NHACVIEC_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // the apology letter's header: governing body, place name, one-stop desk (blanks to fill by hand when unset)
  NHACVIEC_LETTER_PARENT_AGENCY: z.string().trim().max(200).optional(),
  NHACVIEC_LETTER_PLACE: z.string().trim().max(100).optional(),
  NHACVIEC_LETTER_ONE_STOP_DESK: z.string().trim().max(200).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = {
  databaseUrl: string;
  telegram: { token: string; apiRoot?: string; webhookUrl?: string; webhookPort: number; webhookPath?: string } | null;
  zalo: { credentialsFile: string } | null;
  timezone: string;
  admins: string[];
  officeHours: { start: string; end: string };
  roundCron: string;
  defaultChat?: string;
  examplePlan?: string;
  calendarDir?: string;
  httpPort?: number;
  instance?: string;
  dossierPolicy: DossierPolicy;
  letter: LetterHeader;
  logLevel: z.infer<typeof settingsSchema>['LOG_LEVEL'];
};

export class SettingsError extends Error {}

/** Reads the settings from an environment (process.env after dotenv); empty strings count as unset. */
export function loadSettings(env: Record<string, string | undefined>): Settings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = settingsSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `- ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    throw new SettingsError(`Cấu hình không hợp lệ (xem .env.example):\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  if (s.NHACVIEC_OFFICE_START >= s.NHACVIEC_OFFICE_END) {
    throw new SettingsError('Cấu hình không hợp lệ: NHACVIEC_OFFICE_START phải sớm hơn NHACVIEC_OFFICE_END');
  }
  if (s.TELEGRAM_WEBHOOK_URL && !s.TELEGRAM_BOT_TOKEN) {
    throw new SettingsError('Cấu hình không hợp lệ: TELEGRAM_WEBHOOK_URL cần có TELEGRAM_BOT_TOKEN');
  }
  return {
    databaseUrl: s.DATABASE_URL,
    telegram: s.TELEGRAM_BOT_TOKEN
      ? { token: s.TELEGRAM_BOT_TOKEN, apiRoot: s.TELEGRAM_API_ROOT, webhookUrl: s.TELEGRAM_WEBHOOK_URL, webhookPort: s.TELEGRAM_WEBHOOK_PORT, webhookPath: s.TELEGRAM_WEBHOOK_PATH }
      : null,
    zalo: s.ZALO_CREDENTIALS_FILE ? { credentialsFile: s.ZALO_CREDENTIALS_FILE } : null,
    timezone: s.NHACVIEC_TIMEZONE,
    admins: s.NHACVIEC_ADMINS,
    officeHours: { start: s.NHACVIEC_OFFICE_START, end: s.NHACVIEC_OFFICE_END },
    roundCron: s.NHACVIEC_ROUND_CRON,
    defaultChat: s.NHACVIEC_DEFAULT_CHAT,
    examplePlan: s.NHACVIEC_EXAMPLE_PLAN,
    calendarDir: s.NHACVIEC_CALENDAR_DIR,
    httpPort: s.NHACVIEC_HTTP_PORT,
    instance: s.NHACVIEC_INSTANCE,
    dossierPolicy: s.NHACVIEC_DOSSIER_POLICY,
    letter: {
      ...(s.NHACVIEC_LETTER_PARENT_AGENCY ? { parentAgency: s.NHACVIEC_LETTER_PARENT_AGENCY } : {}),
      ...(s.NHACVIEC_LETTER_PLACE ? { place: s.NHACVIEC_LETTER_PLACE } : {}),
      ...(s.NHACVIEC_LETTER_ONE_STOP_DESK ? { oneStopDesk: s.NHACVIEC_LETTER_ONE_STOP_DESK } : {}),
    },
    logLevel: s.LOG_LEVEL,
  };
}
