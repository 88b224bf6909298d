import cron from 'node-cron';
import type { App } from './app.ts';
import { roundSkipped } from './core/round.ts';
import { formatInstantVi } from './core/time.ts';
import { redact } from './db/target.ts';
import type { Transport } from './transports/transport.ts';

const NAMES: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', zalobot: 'Zalo Bot', console: 'Cửa sổ dòng lệnh' };

/**
 * The one plain Vietnamese line `npm start` prints on stdout once the transports have started, for the person
 * at the terminal (the JSON logs on stderr are for machines): who the bot is on each platform, the database,
 * and when the next round that can send anything runs.
 */
export function statusLine(app: App, transports: Iterable<Transport>): string {
  const chats = [...transports].map((t) => {
    const s = t.status();
    const name = NAMES[s.name] ?? s.name;
    return s.connected ? `${name} ${s.detail ?? 'đã kết nối'}` : `${name} chưa kết nối (${s.detail ?? 'không rõ lý do'}; đang thử lại)`;
  });
  const target = app.db.target;
  const database = target.provider === 'sqlite' ? `SQLite ${target.file}` : `PostgreSQL ${redact(target.url)} (schema ${target.schema})`;
  const next = nextRoundAt(app);
  const round = next ? formatInstantVi(next, app.settings.timezone) : 'không tìm thấy trong 60 ngày tới (xem NHACVIEC_ROUND_CRON)';
  return `Nhắc việc đang chạy — ${chats.join('; ') || 'không có kênh chat nào'} · cơ sở dữ liệu: ${database} · lượt nhắc tiếp theo: ${round}`;
}

/**
 * The next tick of the round schedule (NHACVIEC_ROUND_CRON) that falls on a working day in office hours, by
 * the bot's clock (which --now may have moved), or null when none comes within 60 days.
 */
export function nextRoundAt(app: Pick<App, 'settings' | 'calendar' | 'clock'>): Date | null {
  const { roundCron, timezone: zone, officeHours } = app.settings;
  const offset = app.clock().getTime() - Date.now();
  const task = cron.createTask(roundCron, () => {}, { timezone: zone });
  try {
    const horizon = app.clock().getTime() + 60 * 24 * 60 * 60_000;
    // node-cron counts from the real time; the ticks are read on the bot's clock
    for (let count = 256; ; count *= 4) {
      const runs = task.getNextRuns(count).map((d) => new Date(d.getTime() + offset));
      const hit = runs.find((now) => now.getTime() <= horizon && roundSkipped({ now, zone, officeHours, calendar: app.calendar }) === null);
      if (hit) return hit;
      if (runs.length < count || runs.at(-1)!.getTime() > horizon) return null;
    }
  } finally {
    void task.destroy();
  }
}
