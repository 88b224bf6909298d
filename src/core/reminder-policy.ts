import { z } from 'zod';

/**
 * When a unit hears about an occurrence, in working days relative to its due day: reminders before
 * (7, 3, 1 and the morning of the due day), overdue notices after (daily at first, then less often), and
 * one escalation to the coordinating office and the unit leader after a few days late.
 */
export const reminderPolicySchema = z.object({
  before: z.array(z.number().int().min(1).max(60)).default([7, 3, 1]),
  onDueDay: z.boolean().default(true),
  /** overdue notices on each of the first N working days after the due day */
  overdueDaily: z.number().int().min(0).max(30).default(3),
  /** then one every N working days */
  overdueEvery: z.number().int().min(1).max(60).default(5),
  /** escalate when this many working days late */
  escalateAfter: z.number().int().min(1).max(60).default(3),
});
export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;
export const defaultReminderPolicy: ReminderPolicy = reminderPolicySchema.parse({});

/**
 * The latest stage reached at working-day offset `offset` (negative before the due day, 0 on it,
 * positive late), or null when no stage has been reached yet.
 */
export function stageAt(offset: number, policy: ReminderPolicy): number | null {
  if (offset > 0) {
    if (offset <= policy.overdueDaily) return offset;
    const first = Math.max(policy.overdueDaily, 1);
    return first + Math.floor((offset - first) / policy.overdueEvery) * policy.overdueEvery;
  }
  const reached = [...policy.before.map((b) => -b), ...(policy.onDueDay ? [0] : [])].filter((s) => s <= offset);
  return reached.length ? Math.max(...reached) : null;
}

export function isOverdueStage(stage: number): boolean {
  return stage > 0;
}

/** True when moving from `previous` to `stage` crosses the escalation point. */
export function crossesEscalation(previous: number | null, stage: number, policy: ReminderPolicy): boolean {
  return stage >= policy.escalateAfter && (previous === null || previous < policy.escalateAfter);
}
