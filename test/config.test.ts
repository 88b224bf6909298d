import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../src/config.ts';

describe('settings from the environment', () => {
  it('has working defaults: embedded SQLite, Vietnam time, console mode, 2 and 1 working days for dossiers', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ databaseUrl: 'file:./data/nhacviec.db', timezone: 'Asia/Ho_Chi_Minh', telegram: null, zalo: null, admins: [], officeHours: { start: '07:30', end: '17:00' } });
    expect(s.dossierPolicy.before).toEqual([2, 1]);
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
});
