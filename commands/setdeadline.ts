import { interpretDeadline } from '../src/core/deadline/index.ts';
import { parsePlanPolicy } from '../src/core/plan-policy.ts';
import { planPolicyOf } from '../src/store/plan-policy.ts';
import { setTaskRule } from '../src/store/task-changes.ts';
import { actorOf, MAX_NOTE, text, type Command } from './context.ts';
import { lookupTask } from './lookup.ts';

const usage = '/setdeadline <mã nhiệm vụ> <thời hạn>';

export const setdeadline: Command = {
  name: 'setdeadline',
  aliases: ['datthoihan'],
  usage,
  summary: 'đặt lại thời hạn của nhiệm vụ (khi bot chưa hiểu cụm từ thời hạn trong kế hoạch)',
  access: 'admin',
  async run(ctx) {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(ctx.args.trim());
    if (!m) return text(`Cách dùng: ${usage}, ví dụ /setdeadline 1.3.2 Trước ngày 15/9/2023`);
    if (Array.from(m[2]!).length > MAX_NOTE) return text(`Thời hạn dài hơn ${MAX_NOTE.toLocaleString('vi-VN')} ký tự; gõ ngắn gọn, ví dụ /setdeadline 1.3.2 Trước ngày 15/9/2023`);
    const found = await lookupTask(ctx, m[1]!, usage);
    if (!found.ok) return text(found.reply);
    const plan = await planPolicyOf(ctx.prisma, { id: found.value.planId });
    if (!plan) throw new Error(`plan ${found.value.planId} of task ${found.value.code} not found`);
    const d = interpretDeadline(m[2]!, plan.year, { calendar: ctx.calendar, policy: parsePlanPolicy(plan.policy).deadline });
    if (d.kind === 'unknown') return text(`Chưa hiểu thời hạn "${m[2]}": ${d.label}. Thử cách viết khác, ví dụ "15/09/2023", "Quý III/2023", "Ngày 05 hằng tháng".`);
    await setTaskRule(ctx.prisma, found.value.id, m[2]!, d.rule, d.label, d.dues, actorOf(ctx));
    return text(`🗓️ Đã đặt thời hạn nhiệm vụ ${found.value.code}: ${d.label}.`);
  },
};
