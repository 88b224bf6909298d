/**
 * What a deadline phrase means, as plain JSON (the database keeps it as text).
 * Every rule keeps `text`, the phrase as written, so nothing is lost when we misread.
 */
import { z } from 'zod';
import { isLocalDate, lastDayOfMonth, makeDate, type LocalDate } from '../dates.ts';

export type Quarter = 1 | 2 | 3 | 4;
export type Half = 1 | 2;
/** 1 = Monday .. 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * One milestone of a one-off task. `date` is the stated reference day, already resolved:
 * the day itself for 'date', the exclusive bound for 'before' (the due day depends on the policy),
 * the last day of the period for the others. The period fields keep the source form for labels.
 */
export type Milestone =
  | { on: 'date'; date: LocalDate }
  | { on: 'before'; date: LocalDate }
  | { on: 'month'; year: number; month: number; date: LocalDate }
  | { on: 'quarter'; year: number; quarters: Quarter[]; date: LocalDate }
  | { on: 'half'; year: number; half: Half; date: LocalDate }
  | { on: 'year'; year: number; date: LocalDate };

/** A day of the month stated by the plan; `before` = "trước ngày X" (exclusive bound). */
export type StatedDay = { day: number; before: boolean };

export type Recurrence =
  | { every: 'week'; weekday?: Weekday }
  /** `nextPeriod`: the stated day is in the month after the period ("ngày 05 tháng sau", "tháng đầu quý sau"). */
  | { every: 'month'; on?: StatedDay; nextPeriod?: true }
  | { every: 'quarter'; on?: StatedDay; alsoYear: boolean; nextPeriod?: true }
  | { every: 'half' }
  | { every: 'year'; on?: StatedDay & { month: number } };

export type OnceRule = { kind: 'once'; text: string; milestones: Milestone[] };
export type RecurringRule = { kind: 'recurring'; text: string } & Recurrence;
export type EventRule = {
  kind: 'event';
  text: string;
  direction: 'after' | 'before';
  /** Whole days, ≥ 0. */
  offset: number;
  unit: 'calendar_day' | 'working_day';
  /** Vietnamese, reads after "kể từ"/"trước"/"ngay sau khi": "ngày tiếp nhận". */
  trigger: string;
  /** "ngay sau khi": always after, 0 working days (same day if working, else the next one). */
  immediate?: true;
  /**
   * The event is not reported once for the task but is each citizen's dossier's appointment date ("trước 01
   * ngày của hồ sơ đến hạn trả kết quả"): the dossier rounds, which know every dossier's date, hold the clock.
   */
  anchor?: 'dossier_due';
};
export type OnDemandRule = { kind: 'on_demand'; text: string; trigger: string };
export type OngoingRule = { kind: 'ongoing'; text: string };
export type UnknownRule = { kind: 'unknown'; text: string; reason: string };

export type Rule = OnceRule | RecurringRule | EventRule | OnDemandRule | OngoingRule | UnknownRule;
export type RuleKind = Rule['kind'];

export function quarterEnd(year: number, q: Quarter): LocalDate {
  return makeDate(year, q * 3, lastDayOfMonth(year, q * 3)) as LocalDate;
}

export function halfEnd(year: number, h: Half): LocalDate {
  return h === 1 ? (makeDate(year, 6, 30) as LocalDate) : (makeDate(year, 12, 31) as LocalDate);
}

export function monthEnd(year: number, month: number): LocalDate {
  return makeDate(year, month, lastDayOfMonth(year, month)) as LocalDate;
}

export function yearEnd(year: number): LocalDate {
  return makeDate(year, 12, 31) as LocalDate;
}

// ---- schema: validates a rule read back from JSON, including the derived `date` of periods ----

const localDate = z.string().refine(isLocalDate, { message: 'ngày không hợp lệ' });
const planYear = z.number().int().min(1900).max(2200);
const quarter = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const text = z.string();

const milestoneSchema = z
  .discriminatedUnion('on', [
    z.object({ on: z.literal('date'), date: localDate }).strict(),
    z.object({ on: z.literal('before'), date: localDate }).strict(),
    z.object({ on: z.literal('month'), year: planYear, month: z.number().int().min(1).max(12), date: localDate }).strict(),
    z.object({ on: z.literal('quarter'), year: planYear, quarters: z.array(quarter).min(1).max(4), date: localDate }).strict(),
    z.object({ on: z.literal('half'), year: planYear, half: z.union([z.literal(1), z.literal(2)]), date: localDate }).strict(),
    z.object({ on: z.literal('year'), year: planYear, date: localDate }).strict(),
  ])
  .superRefine((m, ctx) => {
    let expected: LocalDate | null = null;
    if (m.on === 'month') expected = monthEnd(m.year, m.month);
    if (m.on === 'quarter') {
      const sorted = [...new Set(m.quarters)].sort();
      if (sorted.length !== m.quarters.length || sorted.some((q, i) => q !== m.quarters[i])) {
        ctx.addIssue({ code: 'custom', path: ['quarters'], message: 'danh sách quý phải tăng dần, không lặp' });
        return;
      }
      expected = quarterEnd(m.year, sorted[sorted.length - 1] as Quarter);
    }
    if (m.on === 'half') expected = halfEnd(m.year, m.half);
    if (m.on === 'year') expected = yearEnd(m.year);
    if (expected !== null && m.date !== expected) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: `ngày cuối kỳ phải là ${expected}` });
    }
  });

const weekdaySchema = z.union([1, 2, 3, 4, 5, 6, 7].map((n) => z.literal(n as Weekday)) as [z.ZodLiteral<Weekday>, ...z.ZodLiteral<Weekday>[]]);

const statedDay = z.object({ day: z.number().int().min(1).max(31), before: z.boolean() }).strict();

const recurringSchema = z.discriminatedUnion('every', [
  z.object({ kind: z.literal('recurring'), text, every: z.literal('week'), weekday: weekdaySchema.optional() }).strict(),
  z.object({ kind: z.literal('recurring'), text, every: z.literal('month'), on: statedDay.optional(), nextPeriod: z.literal(true).optional() }).strict(),
  z.object({ kind: z.literal('recurring'), text, every: z.literal('quarter'), on: statedDay.optional(), alsoYear: z.boolean(), nextPeriod: z.literal(true).optional() }).strict(),
  z.object({ kind: z.literal('recurring'), text, every: z.literal('half') }).strict(),
  z
    .object({
      kind: z.literal('recurring'),
      text,
      every: z.literal('year'),
      on: statedDay
        .extend({ month: z.number().int().min(1).max(12) })
        .strict()
        .refine((o) => o.day <= lastDayOfMonth(2024, o.month), { message: 'ngày không có trong tháng' })
        .optional(),
    })
    .strict(),
]);

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), text, milestones: z.array(milestoneSchema).min(1) }).strict(),
  recurringSchema,
  z
    .object({
      kind: z.literal('event'),
      text,
      direction: z.enum(['after', 'before']),
      offset: z.number().int().min(0).max(3660),
      unit: z.enum(['calendar_day', 'working_day']),
      trigger: z.string().min(1),
      immediate: z.literal(true).optional(),
      anchor: z.literal('dossier_due').optional(),
    })
    .strict()
    .refine((e) => !e.immediate || (e.direction === 'after' && e.offset === 0 && e.unit === 'working_day'), {
      message: '"ngay sau khi" nghĩa là sau 0 ngày làm việc',
    }),
  z.object({ kind: z.literal('on_demand'), text, trigger: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('ongoing'), text }).strict(),
  z.object({ kind: z.literal('unknown'), text, reason: z.string().min(1) }).strict(),
]);

// Compile-time guard: whatever the schema accepts is a Rule.
type SchemaRule = z.infer<typeof ruleSchema>;
const schemaOutputIsRule: (r: SchemaRule) => Rule = (r) => r;
void schemaOutputIsRule;

/** Parse a rule stored as JSON text; throws on anything that is not a valid rule. */
export function ruleFromJson(json: string): Rule {
  return ruleSchema.parse(JSON.parse(json));
}
