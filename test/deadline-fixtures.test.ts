/**
 * Every deadline cell of the two fixture plans, pinned by hand: kind and due days.
 * The fixture files are read only to check that each pinned phrase really occurs there.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { interpretDeadline, ruleSchema, type RuleKind } from '../src/core/deadline/index.ts';
import { loadCalendar } from '../src/files/calendar-data.ts';

const calendar = loadCalendar();
const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();
const fixture = (name: string): string =>
  collapse(readFileSync(new URL(`../../shared/fixtures/${name}`, import.meta.url), 'utf8'));

type Expected = {
  phrase: string;
  kind: RuleKind;
  dues?: string[];
  event?: { direction: 'after' | 'before'; offset: number; unit: 'calendar_day' | 'working_day'; trigger: string; anchor?: 'dossier_due' };
  content?: string;
  note?: string;
  label?: string;
};

const BQLKKT = 'plan-bqlkkt-2024-appendix.txt';
const CHAU_THANH = 'plan-chau-thanh-2023-appendix.tsv.txt';

const bqlkkt2024: Expected[] = [
  { phrase: 'Tháng 2/2024', kind: 'once', dues: ['2024-02-29'], label: 'Hạn chót 29/02/2024 (hết tháng 02/2024)' },
  { phrase: 'Tháng 02/2024', kind: 'once', dues: ['2024-02-29'] },
  { phrase: 'Tháng 05/2024', kind: 'once', dues: ['2024-05-31'] },
  { phrase: 'Thường xuyên trong năm', kind: 'ongoing', label: 'Thường xuyên — không có hạn chót' },
  // II.1.1: the cell says "Thường xuyên", the row content carries the real rule.
  {
    phrase: 'Thường xuyên',
    kind: 'event',
    content:
      'Rà soát, trình công bố danh mục TTHC ngay sau khi Bộ ngành Trung ương công bố TTHC (chậm nhất trong 05 ngày làm việc)',
    event: { direction: 'after', offset: 5, unit: 'working_day', trigger: 'khi Bộ ngành Trung ương công bố TTHC' },
    label: '05 ngày làm việc kể từ khi Bộ ngành Trung ương công bố TTHC',
  },
  { phrase: 'Thường xuyên', kind: 'ongoing', content: 'Rà soát, trình phê duyệt danh mục TTHC cung cấp Dịch vụ công trực trên địa bàn tỉnh' }, // II.1.2
  {
    phrase:
      'Chậm nhất trước 05 ngày tính đến ngày văn bản quy phạm pháp luật có quy định về TTHC có hiệu lực thi hành',
    kind: 'event',
    event: {
      direction: 'before',
      offset: 5,
      unit: 'calendar_day',
      trigger: 'ngày văn bản quy phạm pháp luật có quy định về TTHC có hiệu lực thi hành',
    },
  },
  {
    phrase:
      'Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố TTHC hoặc Quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh',
    kind: 'event',
    event: {
      direction: 'after',
      offset: 10,
      unit: 'calendar_day',
      trigger: 'ngày ban hành Quyết định công bố TTHC hoặc Quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh',
    },
  },
  { phrase: 'Thường xuyên', kind: 'ongoing', content: 'Cập nhật, công khai dữ liệu TTHC trên Cơ sở dữ liệu quốc gia về TTHC' }, // II.1.5
  { phrase: 'Thường xuyên', kind: 'ongoing' }, // II.1.6
  { phrase: 'Thường xuyên', kind: 'ongoing' }, // II.2.1
  { phrase: 'Theo Kế hoạch', kind: 'on_demand', label: 'Theo Kế hoạch — không có hạn chót' }, // III.1
  { phrase: 'Theo Kế hoạch', kind: 'on_demand' }, // III.2
  { phrase: 'Khi có phát sinh', kind: 'on_demand', label: 'Khi có phát sinh — không có hạn chót' }, // IV.1
  { phrase: 'Khi có phát sinh', kind: 'on_demand' }, // IV.2
  { phrase: 'Thường xuyên', kind: 'ongoing' }, // V.1
  { phrase: 'Khi có vi phạm', kind: 'on_demand' }, // V.2
  { phrase: 'Thường xuyên', kind: 'ongoing' }, // VI.1
  { phrase: 'Thường xuyên', kind: 'ongoing' }, // VI.2
  {
    phrase:
      'Hàng quý, năm và đột xuất khi có yêu cầu (thời gian báo cáo theo Thông tư 01/2020/TT-VPCP của Văn phòng Chính phủ)',
    kind: 'recurring',
    dues: ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'],
    label: 'Hằng quý và năm, hạn ngày cuối quý',
  },
];

const chauThanh2023: Expected[] = [
  { phrase: '15/02/2023', kind: 'once', dues: ['2023-02-15'], label: 'Hạn chót 15/02/2023' },
  { phrase: 'Trước 28/02/2023', kind: 'once', dues: ['2023-02-27'], label: 'Hạn chót 27/02/2023 (trước ngày 28/02/2023)' },
  { phrase: 'Trước 15/02/2023', kind: 'once', dues: ['2023-02-14'] },
  { phrase: 'Quý I/2023', kind: 'once', dues: ['2023-03-31'], label: 'Hạn chót 31/03/2023 (hết Quý I/2023)' },
  { phrase: '02 lần/năm', kind: 'recurring', dues: ['2023-06-30', '2023-12-31'] },
  {
    phrase: 'Trong thời gian 10 ngày kể từ ngày tiếp nhận',
    kind: 'event',
    event: { direction: 'after', offset: 10, unit: 'calendar_day', trigger: 'ngày tiếp nhận' },
    label: '10 ngày kể từ ngày tiếp nhận',
  },
  { phrase: 'Thường xuyên', kind: 'ongoing' },
  { phrase: 'Trước ngày 05/9/2023', kind: 'once', dues: ['2023-09-04'] },
  { phrase: 'Trước ngày 15/9/2023', kind: 'once', dues: ['2023-09-14'] },
  {
    phrase: 'Ngay sau khi có quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh',
    kind: 'event',
    event: {
      direction: 'after',
      offset: 0,
      unit: 'working_day',
      trigger: 'có quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh',
    },
  },
  {
    phrase: 'Thường xuyên (Trước 01 ngày của hồ sơ đến hạn trả kết quả).',
    kind: 'event',
    event: { direction: 'before', offset: 1, unit: 'calendar_day', trigger: 'ngày hẹn trả kết quả của hồ sơ', anchor: 'dossier_due' },
  },
  { phrase: '<p>Năm 2023</p>', kind: 'once', dues: ['2023-12-31'], label: 'Hạn chót 31/12/2023 (hết năm 2023)' },
  {
    phrase: 'Hàng quý',
    kind: 'recurring',
    content: 'Báo cáo định kỳ hàng quý, năm về hoạt động kiểm soát TTHC trên Hệ thống báo cáo của Văn phòng Chính phủ',
    dues: ['2023-03-31', '2023-06-30', '2023-09-30', '2023-12-31'],
  },
  { phrase: 'Theo yêu cầu', kind: 'on_demand' },
];

function check(file: string, year: number, rows: Expected[]): void {
  const text = fixture(file);
  it.each(rows.map((r) => [r.phrase.slice(0, 60), r] as const))('%s', (_title, row) => {
    expect(text.includes(collapse(row.phrase)), `"${row.phrase}" must occur in ${file}`).toBe(true);
    if (row.content) expect(text.includes(collapse(row.content))).toBe(true);
    const opts: Parameters<typeof interpretDeadline>[2] = { calendar };
    if (row.content) opts.content = row.content;
    if (row.note) opts.note = row.note;
    const got = interpretDeadline(row.phrase, year, opts);
    expect(got.kind).toBe(row.kind);
    expect(got.dues).toEqual(row.dues ?? []);
    expect(got.event).toEqual(row.event ?? null);
    if (row.label) expect(got.label).toBe(row.label);
    expect(got.rule.text).toBe(row.phrase);
    expect(ruleSchema.parse(JSON.parse(JSON.stringify(got.rule)))).toEqual(got.rule);
  });
}

describe(`${BQLKKT} (2024)`, () => check(BQLKKT, 2024, bqlkkt2024));
describe(`${CHAU_THANH} (2023)`, () => check(CHAU_THANH, 2023, chauThanh2023));

describe('completeness', () => {
  it('pins every deadline cell of the TSV fixture, and none is unknown', () => {
    const raw = readFileSync(new URL(`../../shared/fixtures/${CHAU_THANH}`, import.meta.url), 'utf8');
    const cells = new Set<string>();
    for (const line of raw.split('\n')) {
      const cols = line.split('\t');
      if (cols.length < 5 || cols[0] === 'Stt' || /^[IVX]+$/.test(cols[0] ?? '')) continue;
      const cell = collapse(cols[4] ?? '');
      if (cell) cells.add(cell);
    }
    const pinned = new Set(chauThanh2023.map((r) => collapse(r.phrase)));
    expect([...cells].filter((c) => !pinned.has(c))).toEqual([]);
    for (const c of cells) expect(interpretDeadline(c, 2023, { calendar }).kind).not.toBe('unknown');
  });

  it('pins every distinct deadline phrase family of the PDF-text fixture', () => {
    const kinds = new Set(bqlkkt2024.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['event', 'on_demand', 'once', 'ongoing', 'recurring']);
    expect(bqlkkt2024).toHaveLength(20); // I.1-4, II.1.1-6, II.2.1, III.1-2, IV.1-2, V.1-2, VI.1-2, VII.1
  });
});
