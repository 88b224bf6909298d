import { createHash } from 'node:crypto';
import { IANAZone } from 'luxon';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './db/target.ts';
import { dossierPolicySchema, type DossierPolicy } from './core/dossier.ts';
import { issueLines } from './core/zod-vi.ts';
import { APOLOGY_FORMS, LetterTemplateError, type DeskLevel } from './core/apology-letter.ts';
import { readLetterTemplate, templateFileOf, type LetterHeader } from './files/apology-letter.ts';

/** A chat or user address: "<transport>:<id>", e.g. "telegram:-100123", "zalo:5512", "console:main". */
export const address = z.string().regex(/^(telegram|zalo|zalobot|console):[^\s,]+$/, 'dạng "<nền tảng>:<id>", ví dụ telegram:42');

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'dạng HH:MM, ví dụ 07:30');

const perPerson = (fallback: number) => {
  const error = 'phải là số nguyên từ 0 (không giới hạn) đến 10000, ví dụ 20';
  return z.coerce.number({ error }).int({ error }).min(0, { error }).max(10_000, { error }).default(fallback);
};

/** A setting written as JSON: parsed, or an issue that shows an example. */
function jsonText(example: string) {
  return (text: string, ctx: z.RefinementCtx): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `phải là JSON, ví dụ ${example}` });
      return z.NEVER;
    }
  };
}

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
  ZALO_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'dạng "<bot_id>:<access_token>" do Zalo Bot Creator cấp').optional(),
  ZALO_BOT_API_ROOT: z.url('phải là một địa chỉ URL, ví dụ https://bot-api.zaloplatforms.com').optional(),
  ZALO_BOT_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'phải là một địa chỉ URL https://' }).optional(),
  ZALO_BOT_WEBHOOK_SECRET: z.string().min(8, 'cần từ 8 đến 256 ký tự').max(256, 'cần từ 8 đến 256 ký tự').regex(/^[\w-]+$/, 'chỉ gồm chữ không dấu, số, _ và -').optional(),
  ZALO_BOT_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'phải là một địa chỉ URL, ví dụ https://nhacviec.tinh.gov.vn' }).optional(),
  ZALO_BOT_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
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
    .transform(jsonText('{"before":[3,1]}'))
    .pipe(dossierPolicySchema.strict()),
  NHACVIEC_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // per-person limits on chat commands (0 = none): every command, and reports and files
  NHACVIEC_COMMANDS_PER_MINUTE: perPerson(20),
  NHACVIEC_REPORTS_PER_HOUR: perPerson(20),
  // the interface of the bot's HTTP servers (/healthz, the Telegram webhook): loopback unless said otherwise
  NHACVIEC_LISTEN_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], 'phải là một địa chỉ IP, ví dụ 127.0.0.1 hoặc 0.0.0.0').default('127.0.0.1'),
  NHACVIEC_HEALTH_TOKEN: z.string().min(16, 'cần ít nhất 16 ký tự').optional(),
  // the apology letter's header: governing body, place name, one-stop desk (blanks to fill by hand when unset)
  NHACVIEC_LETTER_PARENT_AGENCY: z.string().trim().max(200).optional(),
  NHACVIEC_LETTER_PLACE: z.string().trim().max(100).optional(),
  NHACVIEC_LETTER_ONE_STOP_DESK: z.string().trim().max(200).optional(),
  // the apology letter's form (2025: Thông tư 03/2025/TT-VPCP; 2018: Thông tư 01/2018/TT-VPCP), or a template file
  NHACVIEC_APOLOGY_FORM: z.enum(APOLOGY_FORMS, { error: 'phải là 2025 (mẫu theo Thông tư 03/2025/TT-VPCP) hoặc 2018 (Thông tư 01/2018/TT-VPCP)' }).default('2025'),
  NHACVIEC_APOLOGY_TEMPLATE: z.string().trim().min(1).optional(),
  NHACVIEC_LETTER_DESKS: z
    .string()
    .transform(jsonText('{"tinh":"Trung tâm Phục vụ hành chính công tỉnh Tây Ninh"}'))
    .pipe(
      z.partialRecord(z.enum(['tinh', 'xa', 'huyen'] satisfies DeskLevel[]), z.string().trim().min(1).max(200), {
        error: 'chỉ nhận các khóa "tinh", "xa", "huyen", mỗi khóa là tên nơi tiếp nhận hồ sơ',
      }),
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = {
  databaseUrl: string;
  telegram: { token: string; apiRoot?: string; webhookUrl?: string; webhookPort: number; webhookPath?: string } | null;
  zalo: { credentialsFile: string } | null;
  /** the official Zalo Bot (direct messages) */
  zaloBot: {
    token: string;
    apiRoot?: string;
    webhook?: { url: string; secret: string };
    listen: { port: number; host: string };
    publicUrl?: string;
  } | null;
  timezone: string;
  admins: string[];
  officeHours: { start: string; end: string };
  roundCron: string;
  defaultChat?: string;
  examplePlan?: string;
  calendarDir?: string;
  httpPort?: number;
  listenHost: string;
  /** shows /healthz's detail (errors, backlog, webhook) to whoever gives it */
  healthToken?: string;
  instance?: string;
  dossierPolicy: DossierPolicy;
  letter: LetterHeader;
  rateLimits: { perMinute: number; heavyPerHour: number };
  logLevel: z.infer<typeof settingsSchema>['LOG_LEVEL'];
};

export class SettingsError extends Error {}

/**
 * The one raw value of a setting in this process's environment (trimmed; undefined when unset or empty), for
 * the few places that must not fail on the other settings: the CLI logs only when LOG_LEVEL is set, `deadline`
 * and `calendar` read NHACVIEC_CALENDAR_DIR, `zalo login` ZALO_CREDENTIALS_FILE.
 */
export function rawSetting(name: keyof typeof settingsSchema.shape): string | undefined {
  return process.env[name]?.trim() || undefined;
}

/** The settings of this process's environment (process.env after dotenv), with values given on the command line (--db). */
export function processSettings(overrides: Record<string, string> = {}): Settings {
  return loadSettings({ ...process.env, ...overrides });
}

/** Reads the settings from an environment (process.env after dotenv); empty strings count as unset. */
export function loadSettings(env: Record<string, string | undefined>): Settings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = settingsSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = issueLines(parsed.error.issues);
    throw new SettingsError(`Cấu hình không hợp lệ (xem .env.example):\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  if (s.NHACVIEC_OFFICE_START >= s.NHACVIEC_OFFICE_END) {
    throw new SettingsError('Cấu hình không hợp lệ: NHACVIEC_OFFICE_START phải sớm hơn NHACVIEC_OFFICE_END');
  }
  if (s.TELEGRAM_WEBHOOK_URL && !s.TELEGRAM_BOT_TOKEN) {
    throw new SettingsError('Cấu hình không hợp lệ: TELEGRAM_WEBHOOK_URL cần có TELEGRAM_BOT_TOKEN');
  }
  const zaloBotExtra = (['ZALO_BOT_WEBHOOK_URL', 'ZALO_BOT_WEBHOOK_SECRET', 'ZALO_BOT_PUBLIC_URL'] as const).find((k) => s[k]);
  if (zaloBotExtra && !s.ZALO_BOT_TOKEN) {
    throw new SettingsError(`Cấu hình không hợp lệ: ${zaloBotExtra} cần có ZALO_BOT_TOKEN`);
  }
  const letterForm = { form: s.NHACVIEC_APOLOGY_FORM, ...(s.NHACVIEC_APOLOGY_TEMPLATE ? { templateFile: s.NHACVIEC_APOLOGY_TEMPLATE } : {}) };
  try {
    readLetterTemplate(templateFileOf(letterForm));
  } catch (error) {
    if (!(error instanceof LetterTemplateError)) throw error;
    const name = s.NHACVIEC_APOLOGY_TEMPLATE ? 'NHACVIEC_APOLOGY_TEMPLATE' : 'NHACVIEC_APOLOGY_FORM';
    throw new SettingsError(`Cấu hình không hợp lệ:\n- ${name}: ${error.message}`);
  }
  return {
    databaseUrl: s.DATABASE_URL,
    telegram: s.TELEGRAM_BOT_TOKEN
      ? { token: s.TELEGRAM_BOT_TOKEN, apiRoot: s.TELEGRAM_API_ROOT, webhookUrl: s.TELEGRAM_WEBHOOK_URL, webhookPort: s.TELEGRAM_WEBHOOK_PORT, webhookPath: s.TELEGRAM_WEBHOOK_PATH }
      : null,
    zalo: s.ZALO_CREDENTIALS_FILE ? { credentialsFile: s.ZALO_CREDENTIALS_FILE } : null,
    zaloBot: s.ZALO_BOT_TOKEN
      ? {
          token: s.ZALO_BOT_TOKEN,
          ...(s.ZALO_BOT_API_ROOT ? { apiRoot: s.ZALO_BOT_API_ROOT } : {}),
          ...(s.ZALO_BOT_WEBHOOK_URL ? { webhook: { url: s.ZALO_BOT_WEBHOOK_URL, secret: s.ZALO_BOT_WEBHOOK_SECRET ?? zaloBotSecret(s.ZALO_BOT_TOKEN) } } : {}),
          listen: { port: s.ZALO_BOT_PORT, host: s.NHACVIEC_LISTEN_HOST },
          ...(s.ZALO_BOT_PUBLIC_URL ? { publicUrl: s.ZALO_BOT_PUBLIC_URL } : {}),
        }
      : null,
    timezone: s.NHACVIEC_TIMEZONE,
    admins: s.NHACVIEC_ADMINS,
    officeHours: { start: s.NHACVIEC_OFFICE_START, end: s.NHACVIEC_OFFICE_END },
    roundCron: s.NHACVIEC_ROUND_CRON,
    defaultChat: s.NHACVIEC_DEFAULT_CHAT,
    examplePlan: s.NHACVIEC_EXAMPLE_PLAN,
    calendarDir: s.NHACVIEC_CALENDAR_DIR,
    httpPort: s.NHACVIEC_HTTP_PORT,
    listenHost: s.NHACVIEC_LISTEN_HOST,
    healthToken: s.NHACVIEC_HEALTH_TOKEN,
    instance: s.NHACVIEC_INSTANCE,
    dossierPolicy: s.NHACVIEC_DOSSIER_POLICY,
    letter: {
      ...(s.NHACVIEC_LETTER_PARENT_AGENCY ? { parentAgency: s.NHACVIEC_LETTER_PARENT_AGENCY } : {}),
      ...(s.NHACVIEC_LETTER_PLACE ? { place: s.NHACVIEC_LETTER_PLACE } : {}),
      ...(s.NHACVIEC_LETTER_ONE_STOP_DESK ? { oneStopDesk: s.NHACVIEC_LETTER_ONE_STOP_DESK } : {}),
      ...(s.NHACVIEC_LETTER_DESKS ? { desks: s.NHACVIEC_LETTER_DESKS } : {}),
      ...letterForm,
    },
    rateLimits: { perMinute: s.NHACVIEC_COMMANDS_PER_MINUTE, heavyPerHour: s.NHACVIEC_REPORTS_PER_HOUR },
    logLevel: s.LOG_LEVEL,
  };
}

/** The webhook secret when none is set: derived from the token, so that every instance agrees on it. */
function zaloBotSecret(token: string): string {
  return createHash('sha256').update(`nhacviec-zalobot:${token}`).digest('hex').slice(0, 48);
}
