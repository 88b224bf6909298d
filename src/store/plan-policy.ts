import type { PrismaClient } from '../db/database.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { duesOf, resolvePolicy, ruleSchema } from '../core/deadline/index.ts';
import { planPolicyPatchSchema, planPolicySchema, type PlanPolicy } from '../core/plan-policy.ts';
import { issueLines } from '../core/zod-vi.ts';
import { syncAssignments } from './plan-store.ts';

export class PolicyError extends Error {}

/** A plan's year and stored policy (JSON), by id or name; null when there is no such plan. */
export async function planPolicyOf(prisma: PrismaClient, plan: { id: number } | { name: string }): Promise<{ year: number; policy: string } | null> {
  return prisma.plan.findUnique({ where: 'id' in plan ? { id: plan.id } : { name: plan.name }, select: { year: true, policy: true } });
}

/**
 * Changes a plan's policy (deadline conventions, reminder stages): the overrides are merged into the stored
 * ones and validated; the due days of every task then follow the new deadline conventions (completed
 * occurrences are kept).
 */
export async function updatePlanPolicy(prisma: PrismaClient, planName: string, patch: unknown, calendar: WorkingCalendar): Promise<PlanPolicy> {
  const plan = await prisma.plan.findUnique({ where: { name: planName } });
  if (!plan) {
    const names = (await prisma.plan.findMany({ select: { name: true } })).map((p) => `"${p.name}"`).join(', ');
    throw new PolicyError(`Không có kế hoạch "${planName}". Các kế hoạch: ${names || '(chưa có)'}`);
  }
  const current = planPolicySchema.parse(JSON.parse(plan.policy));
  // the patch itself first: an unknown or misspelt key anywhere is refused, never dropped
  const checked = planPolicyPatchSchema.safeParse(patch ?? {});
  // merged as given: the parsed patch would carry every default and reset what the plan had set
  const p = (checked.success ? (patch ?? {}) : {}) as Partial<PlanPolicy>;
  const parsed = checked.success
    ? planPolicySchema.safeParse({ deadline: { ...current.deadline, ...p.deadline }, reminders: { ...current.reminders, ...p.reminders } })
    : checked;
  if (!parsed.success) {
    throw new PolicyError(`Chính sách không hợp lệ, chưa thay đổi gì:\n${issueLines(parsed.error.issues).join('\n')}\nXem các khóa: nhacviec policy --help`);
  }
  const policy = parsed.data;
  await prisma.$transaction(
    async (tx) => {
      await tx.plan.update({ where: { id: plan.id }, data: { policy: JSON.stringify(policy) } });
      const deadline = resolvePolicy(policy.deadline);
      const tasks = await tx.task.findMany({ where: { planId: plan.id, archivedAt: null }, include: { assignments: { where: { archivedAt: null } } } });
      for (const task of tasks) {
        const rule = ruleSchema.safeParse(JSON.parse(task.rule));
        if (!rule.success) continue;
        const wanted = task.assignments.map((a) => ({ id: a.unitId, role: a.role as 'lead' | 'coord', via: a.viaClass }));
        await syncAssignments(tx, task.id, wanted, duesOf(rule.data, plan.year, calendar, deadline));
      }
    },
    { timeout: 300_000 },
  );
  return policy;
}
