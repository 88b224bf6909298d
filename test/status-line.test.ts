import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatInstantVi } from '../src/core/time.ts';
import { nextRoundAt, statusLine } from '../src/status-line.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

// The start-up status line's "next round": the next tick of NHACVIEC_ROUND_CRON that can send, whatever the
// server's time zone (CI runs TZ=UTC and TZ=America/New_York). The cron runs on the real time: here the real
// time (Date, faked) and the bot's clock say the same instant, as they do without --now.
describe('the status line', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(tempSqliteUrl());
  });
  afterAll(() => h.close());
  afterEach(() => vi.useRealTimers());
  const at = (iso: string) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(h.at(iso));
  };
  const next = () => formatInstantVi(nextRoundAt(h.app)!, 'Asia/Ho_Chi_Minh');

  it('a Friday evening: the next round is Monday at the office start', () => {
    at('2023-02-10T17:05');
    expect(next()).toBe('07:30 13/02/2023');
  });

  it('in office hours: the next quarter hour', () => {
    at('2023-02-13T09:07');
    expect(next()).toBe('09:15 13/02/2023');
  });

  it('before Tết: the first working day after the holiday', () => {
    at('2023-01-19T17:30');
    expect(next()).toBe('07:30 27/01/2023');
  });

  it('names the transports, the database and that round', () => {
    at('2023-02-10T17:05');
    const line = statusLine(h.app, [h.console]);
    expect(line).toMatch(/^Nhắc việc đang chạy — Cửa sổ dòng lệnh đã kết nối · cơ sở dữ liệu: SQLite \S+test\.db · lượt nhắc tiếp theo: 07:30 13\/02\/2023$/);
  });
});

describe('with --now', () => {
  it('the round comes on the real schedule, shown on the bot\'s clock', async () => {
    const h = await harness(tempSqliteUrl());
    try {
      // the bot's clock 1 day and 7 minutes ahead of the real time, in office hours on a working day
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2023-02-13T02:00:00Z')); // 09:00 in Vietnam
      h.at('2023-02-14T09:07');
      expect(formatInstantVi(nextRoundAt(h.app)!, 'Asia/Ho_Chi_Minh')).toBe('09:22 14/02/2023');
    } finally {
      vi.useRealTimers();
      await h.close();
    }
  });
});
