import { findTask, type TaskRef } from '../src/store/tasks.ts';
import { findUnit } from '../src/store/units.ts';
import { groupOf, isAdmin, officerUnits, type UnitRef } from '../src/store/groups.ts';
import { fold } from '../src/core/text.ts';
import { isDirect, type IncomingMessage } from '../src/transports/transport.ts';
import type { CommandContext } from './context.ts';

/** Lookups shared by the commands, each answering with a Vietnamese sentence when it cannot decide. */

export type Lookup<T> = { ok: true; value: T } | { ok: false; reply: string };

export type Who = {
  admin: boolean;
  /** the units the sender is an officer of (ids; `own` with their names) */
  units: number[];
  own: UnitRef[];
  /** the unit the chat is bound to; never for a one-to-one chat */
  groupUnit: UnitRef | null;
  direct: boolean;
};

// one lookup per message, however many commands and checks ask
const known = new WeakMap<IncomingMessage, Promise<Who>>();

export function who(ctx: Pick<CommandContext, 'prisma' | 'admins' | 'message'>): Promise<Who> {
  let found = known.get(ctx.message);
  if (!found) {
    found = lookupWho(ctx);
    known.set(ctx.message, found);
  }
  return found;
}

async function lookupWho(ctx: Pick<CommandContext, 'prisma' | 'admins' | 'message'>): Promise<Who> {
  const direct = isDirect(ctx.message);
  const [admin, own, group] = await Promise.all([
    isAdmin(ctx.prisma, ctx.admins, ctx.message.user),
    officerUnits(ctx.prisma, ctx.message.user),
    direct ? null : groupOf(ctx.prisma, ctx.message.chat),
  ]);
  return { admin, units: own.map((u) => u.id), own, groupUnit: group?.unit ? { id: group.unit.id, name: group.unit.name } : null, direct };
}

/** The units a listing is about: `null` is every unit. */
export type UnitScope = { units: UnitRef[] | null };

const EVERY_UNIT = new Set(['tat ca', 'tatca', 'tat ca don vi', 'all', 'toan bo']);

/**
 * The units a listing (/overdue, /upcoming, /list) is about: the one typed, "tất cả" for every unit, else the
 * chat's unit, else the sender's own units; an administrator of no unit sees every unit.
 */
export async function unitScope(ctx: CommandContext, typed: string): Promise<Lookup<UnitScope>> {
  const t = typed.trim();
  if (t && EVERY_UNIT.has(fold(t))) return { ok: true, value: { units: null } };
  if (t) {
    const found = await lookupUnit(ctx, t);
    return found.ok ? { ok: true, value: { units: [found.value] } } : found;
  }
  const me = await who(ctx);
  if (me.groupUnit) return { ok: true, value: { units: [me.groupUnit] } };
  return { ok: true, value: { units: me.own.length ? me.own : null } };
}

/**
 * The words that ask for the same scope again (a next page): the unit's own name when one was typed, "tất cả",
 * or nothing when the chat's default was used (the same chat gives the same default).
 */
export function scopeWords(scope: UnitScope, typed: string): string {
  if (!typed.trim()) return '';
  return scope.units?.length === 1 ? scope.units[0]!.name : 'tất cả';
}

/** "của Phòng Tư pháp", "của Phòng Tư pháp; UBND xã Long Trì", "của tất cả đơn vị" */
export function scopeLabel(scope: UnitScope): string {
  if (!scope.units) return 'của tất cả đơn vị';
  return `của ${scope.units.map((u) => u.name).join('; ')}`;
}

export async function lookupTask(ctx: CommandContext, typed: string, usage: string, me?: Who): Promise<Lookup<TaskRef>> {
  if (!typed.trim()) return { ok: false, reply: `Thiếu mã nhiệm vụ. Cách dùng: ${usage}` };
  const prefer = me ? [...(me.groupUnit ? [me.groupUnit.id] : []), ...me.units] : [];
  const found = await findTask(ctx.prisma, typed, prefer);
  if (found.kind === 'found') return { ok: true, value: found.task };
  if (found.kind === 'ambiguous') {
    const lines = found.candidates.map((t) => `• ${t.planYear}:${t.code} — ${t.content.slice(0, 80)} (${t.planName})`);
    const first = found.candidates[0]!;
    // several tasks of one plan share a running number: their own codes tell them apart
    const oneYear = found.candidates.every((t) => t.planYear === first.planYear);
    const how = oneYear ? `Gõ mã đầy đủ của nhiệm vụ, ví dụ ${usage.split(' ')[0]} ${first.code}` : `Gõ kèm năm kế hoạch, ví dụ ${usage.split(' ')[0]} ${first.planYear}:${first.code}`;
    return { ok: false, reply: `Mã "${typed}" khớp nhiều nhiệm vụ:\n${lines.join('\n')}\n${how}` };
  }
  if (found.code === null) return { ok: false, reply: `"${typed}" không phải là mã nhiệm vụ (ví dụ đúng: 3.2 hoặc III.2). Cách dùng: ${usage}` };
  return { ok: false, reply: `Không có nhiệm vụ mã ${found.code} trong kế hoạch đang theo dõi. Gõ /list để xem danh sách nhiệm vụ.` };
}

export async function lookupUnit(ctx: CommandContext, typed: string): Promise<Lookup<{ id: number; name: string }>> {
  const found = await findUnit(ctx.prisma, typed);
  if (found.kind === 'found') return { ok: true, value: { id: found.unit.id, name: found.unit.name } };
  if (found.kind === 'ambiguous') {
    const names = found.candidates.slice(0, 10).map((u) => `• ${u.name}`);
    return { ok: false, reply: `"${typed}" khớp nhiều đơn vị, xin gõ rõ hơn:\n${names.join('\n')}` };
  }
  return { ok: false, reply: `Không tìm thấy đơn vị "${typed}". Gõ tên đơn vị, tên viết tắt hoặc tên gọi khác (không cần dấu).` };
}
