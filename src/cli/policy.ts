import { parseArgs } from 'node:util';
import { defaultDeadlinePolicy, resolvePolicy } from '../core/deadline/index.ts';
import { parsePlanPolicy, POLICY_KEYS, resolveReminderPolicy } from '../core/plan-policy.ts';
import { planPolicyOf, PolicyError, updatePlanPolicy } from '../store/plan-policy.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';

/**
 * nhacviec policy --plan NAME [--set JSON]: a plan's deadline conventions and reminder stages, e.g.
 * --set '{"deadline":{"quarterlyDay":19},"reminders":{"before":[5,2,1],"escalateAfter":2}}'
 */
export const policy: CliCommand = {
  usage: `policy --plan TÊN [--set '{"deadline":{...},"reminders":{...}}']`,
  summary: 'xem hoặc đổi quy ước thời hạn và các mốc nhắc việc của một kế hoạch',
  options: [
    ['--plan TÊN', 'tên kế hoạch (bắt buộc)'],
    ['--set JSON', 'các khóa cần đổi (những khóa khác giữ nguyên); khóa lạ hoặc giá trị sai thì không đổi gì'],
  ],
  notes: [
    'Các khóa:',
    ...POLICY_KEYS.map((k) => `  ${k.key.padEnd(24)} ${k.values}\n  ${''.padEnd(24)} ${k.meaning}`),
    '',
    `Ví dụ: nhacviec policy --plan "Châu Thành 2023" --set '{"deadline":{"quarterlyDay":19},"reminders":{"before":[5,2,1],"escalateAfter":2}}'`,
  ],
  async run(args, env) {
    const { values } = parseArgs({ args, options: { plan: { type: 'string' }, set: { type: 'string' } } });
    if (!values.plan) throw new UsageError('Thiếu --plan TÊN (tên kế hoạch). Xem: nhacviec policy --help');
    let patch: unknown;
    if (values.set) {
      try {
        patch = JSON.parse(values.set);
      } catch {
        throw new UsageError(`--set phải là JSON, ví dụ '{"reminders":{"before":[5,2,1]}}'. Xem các khóa: nhacviec policy --help`);
      }
    }
    return withApp(env, async (app) => {
      try {
        const stored = patch
          ? await updatePlanPolicy(app.db.prisma, values.plan!, patch, app.calendar)
          : parsePlanPolicy((await planPolicyOf(app.db.prisma, { name: values.plan! }))?.policy ?? missing(values.plan!));
        const effective = { deadline: resolvePolicy(stored.deadline), reminders: resolveReminderPolicy(JSON.stringify(stored)) };
        const r = effective.reminders;
        const d = effective.deadline;
        const text = [
          `Chính sách của kế hoạch "${values.plan}"${patch ? ' (đã cập nhật)' : ''}:`,
          `- "Trước ngày X": hạn là ${d.beforeDate === 'previous_day' ? 'ngày liền trước X' : 'chính ngày X'}`,
          `- Hằng tháng không nêu ngày: ${d.monthlyDay === 'last' ? 'ngày cuối tháng' : `ngày ${d.monthlyDay}`}; hằng quý: ${d.quarterlyDay === 'last' ? 'ngày cuối quý' : `ngày ${d.quarterlyDay} tháng cuối quý`}`,
          `- Hạn rơi vào ngày nghỉ: ${{ keep: 'giữ nguyên', previous_working_day: 'lùi về ngày làm việc trước', next_working_day: 'dời sang ngày làm việc sau' }[d.dayOff]}`,
          `- ${beforeLine(r.before, r.onDueDay)}`,
          `- Quá hạn: ${r.overdueDaily ? `nhắc mỗi ngày trong ${r.overdueDaily} ngày làm việc đầu, sau đó ` : ''}${r.overdueEvery} ngày làm việc một lần; báo lãnh đạo khi trễ ${r.escalateAfter} ngày làm việc`,
        ].join('\n');
        return { json: { plan: values.plan, stored, effective, defaults: { deadline: defaultDeadlinePolicy } }, text };
      } catch (error) {
        if (error instanceof PolicyError) throw new UsageError(error.message);
        throw error;
      }
    }, { existingOnly: true });
  },
};

function missing(name: string): never {
  throw new UsageError(`Không có kế hoạch "${name}"`);
}

/** "before": [] is a valid policy (no reminder ahead of the due day); it is said so, not as "trước hạn  ngày" */
function beforeLine(before: number[], onDueDay: boolean): string {
  if (!before.length) return onDueDay ? 'Không nhắc trước hạn; nhắc vào sáng ngày đến hạn' : 'Không nhắc trước hạn, kể cả ngày đến hạn';
  return `Nhắc trước hạn ${before.join(', ')} ngày làm việc${onDueDay ? ' và sáng ngày đến hạn' : ''}`;
}
