import { splitAddress } from '../src/transports/transport.ts';
import { addOfficer, removeOfficer } from '../src/store/groups.ts';
import { actorOf, text, type Command } from './context.ts';
import { lookupUnit, who } from './lookup.ts';

const usage = '/officer add|remove <mã người dùng> <đơn vị>, hoặc trả lời tin nhắn của người đó: /officer add|remove [đơn vị]';
const example = 'Ví dụ: /officer add 123456789 Phòng Tư pháp; hoặc trả lời (reply) một tin nhắn của cán bộ trong nhóm của đơn vị bằng /officer add';

export const officer: Command = {
  name: 'officer',
  aliases: ['canbo'],
  usage,
  summary: 'thêm/bớt cán bộ đầu mối của đơn vị (mã người dùng: số id mà người đó xem bằng /id, hoặc trả lời tin nhắn của người đó)',
  adminOnly: true,
  async run(ctx) {
    const m = /^(add|remove|them|xoa)(?:\s+([\s\S]*))?$/i.exec(ctx.args.trim());
    if (!m) return text(`Cách dùng: ${usage}\n${example}`);
    const [, verb, rest = ''] = m as unknown as [string, string, string | undefined];
    const [first = '', ...others] = rest.trim().split(/\s+/);

    // whom: an id typed first, else the author of the message this one replies to
    let user: string;
    let name = '';
    let unitText: string;
    if (/^@\w+$/.test(first)) {
      return text(`Bot không tra được mã người dùng từ tên "${first}". Hãy trả lời (reply) một tin nhắn của người đó bằng /officer ${verb.toLowerCase()} [đơn vị], hoặc nhờ họ gõ /id để biết mã.`);
    }
    const typed = first ? normalizeUser(first, splitAddress(ctx.message.chat).transport) : null;
    if (typed) {
      user = typed;
      unitText = others.join(' ');
      if (!unitText) return text(`Cách dùng: ${usage}\n${example}`);
    } else if (ctx.message.replyToUser) {
      ({ user, name } = ctx.message.replyToUser);
      unitText = rest.trim();
    } else if (first && others.length) {
      return text(`"${first}" không phải mã người dùng hợp lệ; gõ số id (ví dụ 123456789) mà người đó xem bằng /id, hoặc dạng telegram:123456789`);
    } else {
      return text(`Cách dùng: ${usage}\n${example}`);
    }

    // which unit: the one named, else (replying in a unit's group) the group's unit
    let unit: { id: number; name: string };
    if (unitText) {
      const found = await lookupUnit(ctx, unitText);
      if (!found.ok) return text(found.reply);
      unit = found.value;
    } else {
      const groupUnit = (await who(ctx)).groupUnit;
      if (!groupUnit) return text(`Nhóm này chưa gắn với đơn vị nào: gõ thêm tên đơn vị, ví dụ /officer ${verb.toLowerCase()} Phòng Tư pháp.`);
      unit = groupUnit;
    }
    const label = name ? `${name} (${user})` : user;
    if (/^(add|them)$/i.test(verb)) {
      const added = await addOfficer(ctx.prisma, user, unit, name, actorOf(ctx));
      return text(added ? `👤 Đã thêm ${label} làm cán bộ đầu mối của ${unit.name}.` : `${label} đã là cán bộ đầu mối của ${unit.name} từ trước.`);
    }
    const removed = await removeOfficer(ctx.prisma, user, unit, actorOf(ctx));
    return text(removed ? `Đã bỏ ${label} khỏi danh sách cán bộ đầu mối của ${unit.name}.` : `${label} không phải cán bộ đầu mối của ${unit.name}.`);
  },
};

/** "123", "telegram:123" (ids are numbers on Telegram and Zalo); the console's users have names. */
function normalizeUser(raw: string, transport: string): string | null {
  if (/^(telegram|zalo):\d+$/.test(raw) || /^console:[\w.-]+$/.test(raw)) return raw;
  if (/^\d+$/.test(raw)) return `${transport}:${raw}`;
  if (transport === 'console' && /^[\w.-]+$/.test(raw)) return `console:${raw}`;
  return null;
}
