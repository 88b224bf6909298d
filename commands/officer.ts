import { splitAddress } from '../src/transports/transport.ts';
import { text, type Command } from './context.ts';
import { lookupUnit } from './lookup.ts';

const usage = '/officer add|remove <mã người dùng> <đơn vị>';

export const officer: Command = {
  name: 'officer',
  aliases: ['canbo'],
  usage,
  summary: 'thêm/bớt cán bộ đầu mối của đơn vị (mã người dùng: số id hoặc telegram:42)',
  adminOnly: true,
  async run(ctx) {
    const m = /^(add|remove|them|xoa)\s+(\S+)\s+([\s\S]+)$/i.exec(ctx.args.trim());
    if (!m) return text(`Cách dùng: ${usage}\nVí dụ: /officer add 123456789 Phòng Tư pháp`);
    const [, verb, rawUser, unitName] = m as unknown as [string, string, string, string];
    const user = normalizeUser(rawUser, splitAddress(ctx.message.chat).transport);
    if (!user) return text(`"${rawUser}" không phải mã người dùng hợp lệ; gõ số id (ví dụ 123456789) hoặc dạng telegram:123456789`);
    const unit = await lookupUnit(ctx, unitName);
    if (!unit.ok) return text(unit.reply);
    if (/^(add|them)$/i.test(verb)) {
      await ctx.prisma.officer.upsert({ where: { user_unitId: { user, unitId: unit.value.id } }, create: { user, unitId: unit.value.id }, update: {} });
      return text(`👤 Đã thêm ${user} làm cán bộ đầu mối của ${unit.value.name}.`);
    }
    const { count } = await ctx.prisma.officer.deleteMany({ where: { user, unitId: unit.value.id } });
    return text(count ? `Đã bỏ ${user} khỏi danh sách cán bộ đầu mối của ${unit.value.name}.` : `${user} không phải cán bộ đầu mối của ${unit.value.name}.`);
  },
};

function normalizeUser(raw: string, transport: string): string | null {
  const t = raw.replace(/^@/, '');
  if (/^(telegram|zalo|console):[\w.-]+$/.test(t)) return t;
  if (/^[\w.-]+$/.test(t)) return `${transport}:${t}`;
  return null;
}
