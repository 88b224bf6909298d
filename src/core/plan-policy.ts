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
