import { z } from 'zod';
import { deadlinePolicyOverridesSchema } from './deadline/policy.ts';
import { reminderPolicySchema, type ReminderPolicy } from './reminder-policy.ts';

/**
 * A plan's own choices, stored as JSON on the plan: deadline conventions (src/core/deadline/policy.ts)
 * and reminder stages. Anything left out takes the defaults.
 */
export const planPolicySchema = z
  .object({
    deadline: deadlinePolicyOverridesSchema.default({}),
    reminders: reminderPolicySchema.partial().strict().default({}),
  })
  .strict();
export type PlanPolicy = z.infer<typeof planPolicySchema>;

/**
 * What an administrator may change (`policy --set`): every key at every level is checked, an unknown one is
 * refused (never dropped), and each value's type and range.
 */
export const planPolicyPatchSchema = z
  .object({
    deadline: deadlinePolicyOverridesSchema.strict().optional(),
    reminders: z.object(reminderPolicySchema.shape).partial().strict().optional(),
  })
  .strict();

/** The keys of a plan's policy, documented for `policy --help` (a test keeps it in step with the schema). */
export const POLICY_KEYS: { key: string; values: string; meaning: string }[] = [
  { key: 'deadline.beforeDate', values: '"previous_day" | "same_day"', meaning: '"Trước ngày X": hạn là ngày liền trước X (mặc định) hay chính ngày X' },
  { key: 'deadline.monthlyDay', values: '1..31 | "last"', meaning: 'hạn của "Hằng tháng" không nêu ngày (mặc định "last": ngày cuối tháng)' },
  { key: 'deadline.quarterlyDay', values: '1..31 | "last"', meaning: 'ngày hạn, trong tháng cuối quý, của "Hằng quý" không nêu ngày (mặc định "last")' },
  { key: 'deadline.dayOff', values: '"keep" | "previous_working_day" | "next_working_day"', meaning: 'hạn rơi vào ngày nghỉ: giữ nguyên (mặc định), lùi về hay dời sang ngày làm việc' },
  { key: 'reminders.before', values: '[7, 3, 1] (mỗi số 1..60)', meaning: 'nhắc trước hạn bao nhiêu ngày làm việc' },
  { key: 'reminders.onDueDay', values: 'true | false', meaning: 'nhắc vào sáng ngày đến hạn (mặc định true)' },
  { key: 'reminders.overdueDaily', values: '0..30', meaning: 'quá hạn: nhắc mỗi ngày trong N ngày làm việc đầu (mặc định 3)' },
  { key: 'reminders.overdueEvery', values: '1..60', meaning: 'sau đó cứ N ngày làm việc nhắc một lần (mặc định 5)' },
  { key: 'reminders.escalateAfter', values: '1..60', meaning: 'báo văn phòng điều phối và lãnh đạo đơn vị khi trễ N ngày làm việc (mặc định 3)' },
];

export function parsePlanPolicy(json: string): PlanPolicy {
  try {
    const parsed = planPolicySchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: a broken policy must not stop reminders; the defaults apply
  }
  return planPolicySchema.parse({});
}

export function resolveReminderPolicy(json: string): ReminderPolicy {
  return reminderPolicySchema.parse(parsePlanPolicy(json).reminders);
}
