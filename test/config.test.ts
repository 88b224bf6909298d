import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../src/config.ts';

describe('settings from the environment', () => {
  it('has working defaults: embedded SQLite, Vietnam time, console mode, 2 and 1 working days for dossiers', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ databaseUrl: 'file:./data/nhacviec.db', timezone: 'Asia/Ho_Chi_Minh', telegram: null, zalo: null, admins: [], officeHours: { start: '07:30', end: '17:00' } });
    expect(s.dossierPolicy.before).toEqual([2, 1]);
    expect(s.rateLimits).toEqual({ perMinute: 20, heavyPerHour: 20 });
    // the bot's HTTP servers listen on loopback only; /healthz shows its detail to nobody
    expect(s).toMatchObject({ listenHost: '127.0.0.1', healthToken: undefined });
  });

  it('reads every variable; empty values count as unset', () => {
    const s = loadSettings({
      DATABASE_URL: 'postgresql://u:p@db:5432/nv?schema=tinh',
      TELEGRAM_BOT_TOKEN: '123:abc-DEF',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn/tg',
      ZALO_CREDENTIALS_FILE: '',
      NHACVIEC_ADMINS: 'telegram:42, zalo:7311',
      NHACVIEC_DOSSIER_POLICY: '{"before":[3,1]}',
    });
    expect(s.telegram).toMatchObject({ token: '123:abc-DEF', webhookUrl: 'https://bot.example.vn/tg', webhookPort: 8080 });
    expect(s.zalo).toBeNull();
    expect(s.admins).toEqual(['telegram:42', 'zalo:7311']);
    expect(s.dossierPolicy.before).toEqual([3, 1]);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x', 'phải bắt đầu bằng'],
    ['NHACVIEC_TIMEZONE', 'Asia/Hanoi_Sai', 'múi giờ'],
    ['NHACVIEC_ADMINS', 'telegram 42', 'dạng "<nền tảng>:<id>"'],
    ['TELEGRAM_BOT_TOKEN', 'abc', 'BotFather'],
    ['NHACVIEC_OFFICE_START', '7h30', 'HH:MM'],
    ['NHACVIEC_ROUND_CRON', 'mỗi 15 phút', 'cron'],
    ['NHACVIEC_DOSSIER_POLICY', '{before:[3]}', 'JSON'],
    ['NHACVIEC_HTTP_PORT', '99999', ''],
    ['NHACVIEC_COMMANDS_PER_MINUTE', 'nhiều', 'phải là số nguyên từ 0 (không giới hạn) đến 10000'],
    ['NHACVIEC_REPORTS_PER_HOUR', '-1', 'phải là số nguyên từ 0'],
    ['NHACVIEC_LISTEN_HOST', 'mọi nơi', 'địa chỉ IP'],
    ['NHACVIEC_HEALTH_TOKEN', 'ngan', '16 ký tự'],
  ])('a wrong %s stops start-up with a Vietnamese message naming it', (name, value, phrase) => {
    const run = () => loadSettings({ [name]: value });
    expect(run).toThrow(SettingsError);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain('Cấu hình không hợp lệ');
      expect((error as Error).message).toContain(phrase);
    }
  });

  it('checks combinations: office hours in order, a webhook needs a token and https', () => {
    expect(() => loadSettings({ NHACVIEC_OFFICE_START: '17:00', NHACVIEC_OFFICE_END: '07:30' })).toThrow(/NHACVIEC_OFFICE_START/);
    expect(() => loadSettings({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn' })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadSettings({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'http://bot.example.vn' })).toThrow(/TELEGRAM_WEBHOOK_URL/);
  });

  it('the official Zalo Bot: token, API root, webhook with its secret (derived from the token when unset), public address', () => {
    expect(loadSettings({}).zaloBot).toBeNull();
    const polling = loadSettings({ ZALO_BOT_TOKEN: '1459232241454765289:AbC-d_e', NHACVIEC_ADMINS: 'zalobot:e4ea2cd5189df1c3a88c' });
    expect(polling.zaloBot).toEqual({ token: '1459232241454765289:AbC-d_e', listen: { port: 8081, host: '127.0.0.1' } });
    expect(polling.admins).toEqual(['zalobot:e4ea2cd5189df1c3a88c']);
    const webhook = loadSettings({
      ZALO_BOT_TOKEN: '1:a',
      ZALO_BOT_API_ROOT: 'http://127.0.0.1:9000',
      ZALO_BOT_WEBHOOK_URL: 'https://nhacviec.tinh.gov.vn/zalo-bot',
      ZALO_BOT_PUBLIC_URL: 'https://nhacviec.tinh.gov.vn',
      ZALO_BOT_PORT: '9090',
    }).zaloBot!;
    expect(webhook).toMatchObject({ apiRoot: 'http://127.0.0.1:9000', publicUrl: 'https://nhacviec.tinh.gov.vn', listen: { port: 9090 } });
    expect(webhook.webhook!.url).toBe('https://nhacviec.tinh.gov.vn/zalo-bot');
    expect(webhook.webhook!.secret).toMatch(/^[0-9a-f]{48}$/); // 8–256 characters, the same for every instance
    expect(loadSettings({ ZALO_BOT_TOKEN: '1:a', ZALO_BOT_WEBHOOK_URL: 'https://x.vn/z' }).zaloBot!.webhook!.secret).toBe(webhook.webhook!.secret);
    expect(loadSettings({ ZALO_BOT_TOKEN: '1:a', ZALO_BOT_WEBHOOK_URL: 'https://x.vn/z', ZALO_BOT_WEBHOOK_SECRET: 'bi-mat-123' }).zaloBot!.webhook!.secret).toBe('bi-mat-123');
    expect(() => loadSettings({ ZALO_BOT_TOKEN: 'abc' })).toThrow(/ZALO_BOT_TOKEN.*Zalo Bot Creator/);
    expect(() => loadSettings({ ZALO_BOT_WEBHOOK_URL: 'https://x.vn/z' })).toThrow(/ZALO_BOT_WEBHOOK_URL cần có ZALO_BOT_TOKEN/);
    expect(() => loadSettings({ ZALO_BOT_TOKEN: '1:a', ZALO_BOT_WEBHOOK_URL: 'http://x.vn/z' })).toThrow(/ZALO_BOT_WEBHOOK_URL: phải là một địa chỉ URL https/);
    expect(() => loadSettings({ ZALO_BOT_TOKEN: '1:a', ZALO_BOT_WEBHOOK_SECRET: 'ngắn' })).toThrow(/ZALO_BOT_WEBHOOK_SECRET/);
  });
});
