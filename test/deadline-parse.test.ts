import { describe, it, expect } from 'vitest';
import {
  duesOf,
  eventDue,
  interpretDeadline,
  labelOf,
  parseDeadline,
  resolvePolicy,
  ruleFromJson,
  ruleSchema,
  defaultDeadlinePolicy,
  type EventRule,
  type Rule,
} from '../src/core/deadline/index.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';

const calendar = loadCalendar();
const dues = (text: string, year: number, extra: Partial<Parameters<typeof interpretDeadline>[2]> = {}) =>
  interpretDeadline(text, year, { calendar, ...extra }).dues;
const kind = (text: string, year = 2024) => parseDeadline(text, year).kind;

describe('one-off dates (domain.md §4 families)', () => {
  it.each([
    ['15/02/2023', 2023, ['2023-02-15']],
    ['Ngày 01/7/2026', 2026, ['2026-07-01']],
    ['Chậm nhất ngày 15/3/2026', 2026, ['2026-03-15']],
    ['Ngày 15 tháng 3 năm 2026', 2026, ['2026-03-15']],
    ['15/02', 2023, ['2023-02-15']],
    ['15/02/23', 2023, ['2023-02-15']],
    ['Trước 28/02/2023', 2023, ['2023-02-27']],
    ['Trước ngày 05/9/2023.', 2023, ['2023-09-04']],
    ['TRUOC NGAY 05/09/2023', 2023, ['2023-09-04']],
    ['Tháng 02/2024', 2024, ['2024-02-29']],
    ['Trong tháng 01/2024', 2024, ['2024-01-31']],
    ['Tháng 3', 2023, ['2023-03-31']],
    ['Quý I/2023', 2023, ['2023-03-31']],
    ['Quý II năm 2023', 2023, ['2023-06-30']],
    ['Quý II, III/2023', 2023, ['2023-09-30']],
    ['Quý I/II năm 2023', 2023, ['2023-06-30']],
    ['Quý I-III/2024', 2024, ['2024-09-30']],
    ['Quý 4/2024', 2024, ['2024-12-31']],
    ['trong quý II, quý III/2024', 2024, ['2024-09-30']],
    ['Quý IV', 2025, ['2025-12-31']],
    ['Năm 2023', 2023, ['2023-12-31']],
    ['Trong năm 2024.', 2024, ['2024-12-31']],
    ['Trong năm', 2024, ['2024-12-31']],
    ['6 tháng đầu năm', 2024, ['2024-06-30']],
    ['6 tháng cuối năm 2024', 2024, ['2024-12-31']],
    ['- Trong quý II, quý III/2024. - Trước ngày 01/01/2025.', 2024, ['2024-09-30', '2024-12-31']],
    ['Từ 01/3 đến 15/3/2024', 2024, ['2024-03-15']],
  ] as const)('%s (%i)', (text, year, expected) => {
    expect(kind(text, year)).toBe('once');
    expect(dues(text, year)).toEqual(expected);
  });

  it('tolerates case, missing diacritics, tags, stray punctuation and line breaks', () => {
    for (const text of ['quy ii/2024', 'QUÝ II/2024', '<i>Quý II/2024</i>', 'Quý II / 2024 .', 'Quý\nII/2024', '(Quý II/2024)', 'Quý II - 2024']) {
      expect(dues(text, 2024), text).toEqual(['2024-06-30']);
    }
    expect(dues('Hoàn thành trước ngày&nbsp;15/9/2023;', 2023)).toEqual(['2023-09-14']);
  });

  it('a milestone may fall in the next year under the same-day policy', () => {
    expect(dues('- Trong quý II, quý III/2024. - Trước ngày 01/01/2025.', 2024, { policy: { beforeDate: 'same_day' } })).toEqual([
      '2024-09-30',
      '2025-01-01',
    ]);
  });

  it('labels say what the plan said and the policy for "trước"', () => {
    expect(interpretDeadline('Quý II/2024', 2024, { calendar }).label).toBe('Hạn chót 30/06/2024 (hết Quý II/2024)');
    expect(interpretDeadline('Trước 28/02/2023', 2023, { calendar }).label).toBe('Hạn chót 27/02/2023 (trước ngày 28/02/2023)');
    expect(interpretDeadline('Trước 28/02/2023', 2023, { calendar, policy: { beforeDate: 'same_day' } }).label).toBe(
      'Hạn chót 28/02/2023 (trước ngày 28/02/2023; tính cả ngày này)',
    );
  });

  it('applies the day-off policy last', () => {
    // 31/03/2024 is a Sunday.
    expect(dues('Quý I/2024', 2024)).toEqual(['2024-03-31']);
    expect(dues('Quý I/2024', 2024, { policy: { dayOff: 'previous_working_day' } })).toEqual(['2024-03-29']);
    expect(dues('Quý I/2024', 2024, { policy: { dayOff: 'next_working_day' } })).toEqual(['2024-04-01']);
    // "Trước 01/05/2024" → 30/04 (holiday) → back to Fri 26/04 (29/04 is a swapped day off).
    expect(dues('Trước 01/05/2024', 2024, { policy: { dayOff: 'previous_working_day' } })).toEqual(['2024-04-26']);
    expect(interpretDeadline('Quý I/2024', 2024, { calendar, policy: { dayOff: 'previous_working_day' } }).label).toBe(
      'Hạn chót 29/03/2024 (hết Quý I/2024; 31/03/2024 là ngày nghỉ, chuyển sang ngày làm việc liền trước)',
    );
  });
});

describe('impossible or unreadable phrases become unknown, never a guess', () => {
  it.each([
    ['31/02/2024', /31\/02\/2024 không tồn tại/],
    ['Tháng 13/2024', /Tháng 13 không tồn tại/],
    ['Quý 5/2024', /Quý 5 không tồn tại/],
    ['Quý V/2024', /Quý V không tồn tại/],
    ['abc xyz', /Không nhận ra/],
    ['', /trống/],
    ['   \n ', /trống/],
    ['3 lần/năm', /3 lần\/năm/],
    ['Định kỳ 5 tháng/01 lần', /5 tháng/],
    ['Ngày 32 hàng tháng', /Ngày 32/],
    ['Quý II/2024 và 17 việc khác', /17/],
    ['Năm 1800', /ngoài phạm vi/],
  ])('%s', (text, reason) => {
    const rule = parseDeadline(text, 2024);
    expect(rule.kind).toBe('unknown');
    if (rule.kind === 'unknown') expect(rule.reason).toMatch(reason);
    expect(interpretDeadline(text, 2024, { calendar }).label).toMatch(/^Chưa hiểu thời hạn: .+ — quản trị viên cần đặt thời hạn$/);
    expect(interpretDeadline(text, 2024, { calendar }).dues).toEqual([]);
  });

  it('refuses a bad plan year', () => {
    expect(parseDeadline('Quý I', 0).kind).toBe('unknown');
    expect(parseDeadline('Quý I', 2024.5).kind).toBe('unknown');
  });
});

describe('recurring', () => {
  it('"Định kỳ hằng tháng (trước ngày 22 hằng tháng)" in 2024: the 21st of every month', () => {
    const got = interpretDeadline('Định kỳ hằng tháng (trước ngày 22 hằng tháng)', 2024, { calendar });
    expect(got.kind).toBe('recurring');
    expect(got.dues).toEqual(Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-21`));
    expect(got.label).toBe('Hằng tháng, trước ngày 22 (hạn ngày 21)');
  });

  it('monthly, stated or by policy', () => {
    expect(dues('Ngày 05 hàng tháng', 2024)).toHaveLength(12);
    expect(dues('Ngày 05 hàng tháng', 2024)[1]).toBe('2024-02-05');
    expect(dues('Hàng tháng', 2024)).toContain('2024-02-29');
    expect(dues('Hằng tháng', 2023)).toContain('2023-02-28');
    expect(dues('Hàng tháng', 2024, { policy: { monthlyDay: 25 } })[0]).toBe('2024-01-25');
    expect(dues('Ngày 31 hằng tháng', 2024)[1]).toBe('2024-02-29');
    expect(dues('Định kỳ hằng tháng', 2024, { content: 'Báo cáo gửi trước ngày 22 hằng tháng' })[0]).toBe('2024-01-21');
    expect(interpretDeadline('Ngày 05 hàng tháng', 2024, { calendar }).label).toBe('Ngày 05 hằng tháng');
  });

  it('quarterly, with a day from the note or the plan policy', () => {
    expect(dues('Hàng quý', 2024)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    const noted = interpretDeadline('Hàng quý', 2024, { calendar, note: 'chậm nhất là ngày 19 của tháng cuối quý' });
    expect(noted.dues).toEqual(['2024-03-19', '2024-06-19', '2024-09-19', '2024-12-19']);
    expect(noted.label).toBe('Hằng quý, hạn ngày 19 tháng cuối quý');
    expect(dues('Hằng quý', 2024, { policy: { quarterlyDay: 17 } })).toEqual(['2024-03-17', '2024-06-17', '2024-09-17', '2024-12-17']);
    expect(dues('Báo cáo định kỳ hằng quý và năm', 2024)).toHaveLength(4);
    const rule = parseDeadline('Hàng quý, năm và đột xuất khi có yêu cầu', 2024);
    expect(rule).toMatchObject({ kind: 'recurring', every: 'quarter', alsoYear: true });
  });

  it('half-yearly and yearly', () => {
    for (const text of ['02 lần/năm', 'Định kỳ 06 tháng/01 lần', 'Hằng 6 tháng', '2 lần/năm']) {
      expect(dues(text, 2023), text).toEqual(['2023-06-30', '2023-12-31']);
    }
    expect(dues('Hàng năm', 2024)).toEqual(['2024-12-31']);
    expect(dues('01 lần/năm', 2024)).toEqual(['2024-12-31']);
    expect(dues('Hằng năm trước ngày 15/12', 2024)).toEqual(['2024-12-14']);
    expect(dues('4 lần/năm', 2024)).toHaveLength(4);
  });

  it('weekly', () => {
    const fridays = dues('Thứ Sáu hằng tuần', 2024);
    expect(fridays).toHaveLength(52);
    expect(fridays[0]).toBe('2024-01-05');
    expect(dues('Thứ 2 hằng tuần', 2024)).toHaveLength(53); // 2024 starts on a Monday
    expect(dues('Hằng tuần', 2024)).toEqual(fridays);
    expect(interpretDeadline('Thứ Sáu hằng tuần', 2024, { calendar }).label).toBe('Thứ Sáu hằng tuần');
    // Friday 08/02/2024 is Tết: under 'previous_working_day' it moves to Wed 07/02, still one due.
    expect(dues('Thứ Sáu hằng tuần', 2024, { policy: { dayOff: 'previous_working_day' } })).toContain('2024-02-07');
  });
});

describe('events', () => {
  it.each([
    ['Trong thời gian 10 ngày kể từ ngày tiếp nhận', { direction: 'after', offset: 10, unit: 'calendar_day', trigger: 'ngày tiếp nhận' }],
    ['Trong thời hạn 10 ngày làm việc kể từ ngày tiếp nhận', { direction: 'after', offset: 10, unit: 'working_day', trigger: 'ngày tiếp nhận' }],
    ['(chậm nhất trong 05 ngày làm việc)', { direction: 'after', offset: 5, unit: 'working_day', trigger: 'khi phát sinh công việc' }],
    ['Trước 01 ngày của hồ sơ đến hạn trả kết quả', { direction: 'before', offset: 1, unit: 'calendar_day', trigger: 'ngày hẹn trả kết quả của hồ sơ', anchor: 'dossier_due' }],
    ['03 ngày làm việc trước ngày họp', { direction: 'before', offset: 3, unit: 'working_day', trigger: 'ngày họp' }],
  ] as const)('%s', (text, event) => {
    const got = interpretDeadline(text, 2024, { calendar });
    expect(got.kind).toBe('event');
    expect(got.event).toEqual(event);
    expect(got.dues).toEqual([]);
  });

  it('labels events', () => {
    expect(interpretDeadline('Trong thời hạn 10 ngày làm việc kể từ ngày tiếp nhận', 2024, { calendar }).label).toBe(
      '10 ngày làm việc kể từ ngày tiếp nhận',
    );
    expect(interpretDeadline('Ngay sau khi có quyết định công bố', 2024, { calendar }).label).toBe(
      'Ngay sau khi có quyết định công bố (trong ngày, hoặc ngày làm việc kế tiếp)',
    );
  });

  const rule = (partial: Omit<EventRule, 'kind' | 'text'>): EventRule => ({ kind: 'event', text: 'x', ...partial });

  it('computes due days from the event date', () => {
    const immediate = rule({ direction: 'after', offset: 0, unit: 'working_day', trigger: 'x', immediate: true });
    expect(eventDue(immediate, '2024-02-07', calendar)).toBe('2024-02-07');
    expect(eventDue(immediate, '2024-02-10', calendar)).toBe('2024-02-15');
    const tenWorking = rule({ direction: 'after', offset: 10, unit: 'working_day', trigger: 'x' });
    expect(eventDue(tenWorking, '2024-02-01', calendar)).toBe('2024-02-22');
    const tenCalendar = rule({ direction: 'after', offset: 10, unit: 'calendar_day', trigger: 'x' });
    expect(eventDue(tenCalendar, '2024-03-01', calendar)).toBe('2024-03-11');
    expect(eventDue(tenCalendar, '2024-03-06', calendar)).toBe('2024-03-18'); // 16/03 is a Saturday
    const fiveBefore = rule({ direction: 'before', offset: 5, unit: 'calendar_day', trigger: 'x' });
    expect(eventDue(fiveBefore, '2024-07-01', calendar)).toBe('2024-06-26');
    expect(eventDue(fiveBefore, '2024-07-12', calendar)).toBe('2024-07-05'); // 07/07 is a Sunday: earlier, never later
    const oneWorkingBefore = rule({ direction: 'before', offset: 1, unit: 'working_day', trigger: 'x' });
    expect(eventDue(oneWorkingBefore, '2024-02-15', calendar)).toBe('2024-02-07');
  });
});

describe('on demand and ongoing', () => {
  it.each(['Khi có phát sinh', 'Khi có vi phạm', 'Theo yêu cầu', 'Theo Kế hoạch', 'Theo Thư mời của UBND tỉnh', 'Theo Kế hoạch số 37/KH-UBND ngày 10/02/2023', 'Đột xuất'])(
    '%s is on demand',
    (text) => {
      const got = interpretDeadline(text, 2024, { calendar });
      expect(got.kind).toBe('on_demand');
      expect(got.label).toMatch(/ — không có hạn chót$/);
      expect(got.event).toBeNull();
    },
  );

  it.each(['Thường xuyên', 'Thường xuyên trong năm', 'thuong xuyen', 'Liên tục'])('%s is ongoing', (text) => {
    expect(interpretDeadline(text, 2024, { calendar })).toMatchObject({ kind: 'ongoing', dues: [], event: null, label: 'Thường xuyên — không có hạn chót' });
  });

  it('legal references are not dates', () => {
    expect(dues('Hằng quý (theo Thông tư 01/2020/TT-VPCP)', 2024)).toHaveLength(4);
    expect(dues('Quý II/2024 (theo Quyết định số 766/QĐ-TTg ngày 24/6/2022)', 2024)).toEqual(['2024-06-30']);
  });
});

describe('rule JSON', () => {
  it('round-trips through the schema', () => {
    for (const text of ['Quý II, III/2023', 'Hàng quý', 'Ngày 05 hàng tháng', 'Thứ Sáu hằng tuần', 'Hằng năm trước ngày 15/12', '02 lần/năm', 'Ngay sau khi có quyết định', 'Theo yêu cầu', 'Thường xuyên', '31/02/2024']) {
      const rule = parseDeadline(text, 2023);
      expect(ruleFromJson(JSON.stringify(rule))).toEqual(rule);
    }
  });

  it('rejects wrong states', () => {
    const bad: unknown[] = [
      { kind: 'once', text: 'x', milestones: [] },
      { kind: 'once', text: 'x', milestones: [{ on: 'quarter', year: 2024, quarters: [2], date: '2024-03-31' }] },
      { kind: 'once', text: 'x', milestones: [{ on: 'quarter', year: 2024, quarters: [3, 2], date: '2024-09-30' }] },
      { kind: 'once', text: 'x', milestones: [{ on: 'date', date: '2024-02-30' }] },
      { kind: 'recurring', text: 'x', every: 'month', on: { day: 40, before: false } },
      { kind: 'recurring', text: 'x', every: 'half', on: { day: 1, before: false } },
      { kind: 'recurring', text: 'x', every: 'quarter' },
      { kind: 'recurring', text: 'x', every: 'week', weekday: 8 },
      { kind: 'event', text: 'x', direction: 'after', offset: 3, unit: 'working_day', trigger: 'x', immediate: true },
      { kind: 'event', text: 'x', direction: 'after', offset: -1, unit: 'working_day', trigger: 'x' },
      { kind: 'unknown', text: 'x' },
      { kind: 'later', text: 'x' },
    ];
    for (const b of bad) expect(ruleSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });
});

describe('policy', () => {
  it('merges overrides over the defaults and validates them', () => {
    expect(resolvePolicy()).toEqual(defaultDeadlinePolicy);
    expect(resolvePolicy({ quarterlyDay: 19 })).toEqual({ ...defaultDeadlinePolicy, quarterlyDay: 19 });
    expect(() => resolvePolicy({ quarterlyDay: 0 })).toThrow();
    expect(() => resolvePolicy({ dayOff: 'never' } as never)).toThrow();
  });

  it('labelOf works without a calendar', () => {
    const rule: Rule = parseDeadline('Quý I/2024', 2024);
    expect(labelOf(rule, 2024)).toBe('Hạn chót 31/03/2024 (hết Quý I/2024)');
    expect(duesOf(rule, 2024, calendar, resolvePolicy())).toEqual(['2024-03-31']);
  });
});
