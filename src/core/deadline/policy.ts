/**
 * How a plan turns stated periods into due days. Per plan, because provinces differ: under
 * Nghị định 09/2019/NĐ-CP a quarterly report's data ends on the 14th of the quarter's last month
 * and units submit around the 16th-19th, so "Hàng quý" need not mean the end of the quarter.
 */
import { z } from 'zod';

export type DeadlinePolicy = {
  /** "Trước ngày X": due the day before X ('previous_day') or on X itself ('same_day'). */
  beforeDate: 'previous_day' | 'same_day';
  /** Due day of "Hàng tháng" without a stated day; clamped to the month's length. */
  monthlyDay: number | 'last';
  /** Due day, in the quarter's last month, of "Hàng quý" without a stated day. */
  quarterlyDay: number | 'last';
  /** What to do when a computed due day is not a working day. */
  dayOff: 'keep' | 'previous_working_day' | 'next_working_day';
};

export const defaultDeadlinePolicy: Readonly<DeadlinePolicy> = Object.freeze({
  beforeDate: 'previous_day',
  monthlyDay: 'last',
  quarterlyDay: 'last',
  dayOff: 'keep',
});

const dayOfMonth = z.union([z.number().int().min(1).max(31), z.literal('last')]);

export const deadlinePolicySchema = z
  .object({
    beforeDate: z.enum(['previous_day', 'same_day']),
    monthlyDay: dayOfMonth,
    quarterlyDay: dayOfMonth,
    dayOff: z.enum(['keep', 'previous_working_day', 'next_working_day']),
  })
  .strict();

/** Overrides a plan may store; missing keys take the defaults. */
export const deadlinePolicyOverridesSchema = deadlinePolicySchema.partial();

/** Validated overrides merged over the defaults; throws (zod error) on a wrong value. */
export function resolvePolicy(partial?: Partial<DeadlinePolicy> | null): DeadlinePolicy {
  const overrides = deadlinePolicyOverridesSchema.parse(partial ?? {});
  const merged: DeadlinePolicy = { ...defaultDeadlinePolicy };
  if (overrides.beforeDate !== undefined) merged.beforeDate = overrides.beforeDate;
  if (overrides.monthlyDay !== undefined) merged.monthlyDay = overrides.monthlyDay;
  if (overrides.quarterlyDay !== undefined) merged.quarterlyDay = overrides.quarterlyDay;
  if (overrides.dayOff !== undefined) merged.dayOff = overrides.dayOff;
  return merged;
}
