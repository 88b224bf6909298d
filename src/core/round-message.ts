import { addDays, formatVi, type LocalDate } from './dates.ts';
import { compareCodes, describeOffset, LATE_NOTE, shorten } from './messages.ts';
import type { CheckinAssignment, DigestItem, DigestUnit, MessageItem, MessagePart, OfficeFigures } from './message-parts.ts';

/**
 * The text of a round's message to one chat, from all the parts it gets in that round, within one phone
 * screen whatever the plan's size: a summary at the top, then each part grouped by task (one line per task
 * with the units still owing it, most urgent first), cut to the lines left and ending with how to see the
 * rest (/overdue <đơn vị>, /upcoming, /list). Pure: parts in, text out.
 */

/** About one phone screen. A part written by another planner whole (a dossier's letter) may exceed it. */
export const MESSAGE_MAX_LINES = 25;

type Block = {
  /** this part's share of the summary line */
  summary: string[];
  /** the fewest lines it can be written in, and the lines it needs in full */
  min: number;
  full: number;
  lines(budget: number): string[];
};

/** `replies`: whether the chat's replies reach the bot (readsReplies); without, no line asks for one. */
export function renderMessage(parts: MessagePart[], opts: { replies?: boolean; maxLines?: number } = {}): string {
  const { replies = true, maxLines = MESSAGE_MAX_LINES } = opts;
  const blocks = parts.map((p) => blockOf(p, replies, maxLines));
  const tasks = parts.filter((p) => p.kind === 'tasks').flatMap((p) => p.items);
  const today = parts.find((p) => p.kind !== 'text')?.today;
  const headed = today !== undefined && (tasks.length > 0 || parts.length > 1);
  const late = tasks.some((i) => i.late);
  const footer = footerOf(tasks, parts.some((p) => p.kind === 'digest'), replies);
  const fixed = (summary: boolean) =>
    (headed ? 1 + Number(summary) + Number(late) + blocks.length : blocks.length - 1) + (footer ? 2 : 0);
  const full = blocks.reduce((n, b) => n + b.full, 0);
  const summary = headed && (blocks.length > 1 || fixed(false) + full > maxLines);
  const budgets = allocate(blocks, maxLines - fixed(summary));

  const lines: string[] = [];
  if (headed) {
    lines.push(`🔔 NHẮC VIỆC — ngày ${formatVi(today)}`);
    if (summary) lines.push(`Tóm tắt: ${blocks.flatMap((b) => b.summary).join(' · ')}.`);
    if (late) lines.push(`⚠️ Một số nhắc nhở ${LATE_NOTE}.`);
  }
  blocks.forEach((block, i) => {
    if (headed || i > 0) lines.push('');
    lines.push(...block.lines(budgets[i]!));
  });
  if (footer) lines.push('', footer);
  return lines.join('\n');
}

/** Each block its fewest lines, then what is left to the blocks in order (the most urgent part first). */
function allocate(blocks: Block[], budget: number): number[] {
  let left = budget - blocks.reduce((n, b) => n + b.min, 0);
  return blocks.map((b) => {
    const extra = Math.max(0, Math.min(left, b.full - b.min));
    left -= extra;
    return b.min + extra;
  });
}

function footerOf(tasks: MessageItem[], digest: boolean, replies: boolean): string | null {
  const codes = new Set(tasks.map((i) => i.code));
  const own = tasks.filter(isOwn);
  if (codes.size === 1 && own.length) return `Xong thì gõ /done ${own[0]!.code}${replies ? ' hoặc trả lời "xong" vào tin này' : ''}; /help để xem các lệnh.`;
  if (tasks.length || digest) return 'Xong việc nào thì gõ /done <mã>; /help để xem các lệnh.';
  return null;
}

/** An item of the chat's own unit, which its members can mark done from the message. */
export const isOwn = (item: MessageItem) => !item.unbound && item.kind !== 'escalation';

/**
 * The codes the chat's members can mark done from the message ("Đã xong" buttons), in the message's order:
 * the tasks its own unit leads among those said, never another unit's or an escalation's.
 */
export function ownTasks(items: MessageItem[]): string[] {
  const codes = SECTIONS.flatMap((s) => taskGroups(items, s.kind)).filter((g) => g.items.some(isOwn)).map((g) => g.code);
  return [...new Set(codes)];
}

function blockOf(part: MessagePart, replies: boolean, maxLines: number): Block {
  switch (part.kind) {
    case 'tasks':
      return tasksBlock(part.items);
    case 'digest':
      return digestBlock(part.units, part.week, maxLines);
    case 'officeDigest':
      return officeDigestBlock(part.figures, part.week);
    case 'checkin':
      return checkinBlock(part.list, part.month, replies);
    case 'text': {
      const lines = part.text.split('\n');
      return { summary: [], min: lines.length, full: lines.length, lines: () => lines };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reminders, overdue notices and escalations: one line per task

const SECTIONS: { kind: MessageItem['kind']; icon: string; title: string; summary: string }[] = [
  { kind: 'escalation', icon: '🚨', title: 'BÁO CÁO LÃNH ĐẠO: nhiệm vụ quá hạn nhiều ngày', summary: 'báo cáo lãnh đạo' },
  { kind: 'overdue', icon: '❗', title: 'QUÁ HẠN', summary: 'quá hạn' },
  { kind: 'reminder', icon: '⏰', title: 'SẮP ĐẾN HẠN', summary: 'sắp đến hạn' },
];

type TaskGroup = { kind: MessageItem['kind']; code: string; content: string; items: MessageItem[]; latest: number };

/** The items of one task (code and content: two plans may share a code) of one kind, most urgent first. */
function taskGroups(items: MessageItem[], kind: MessageItem['kind']): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const item of items) {
    if (item.kind !== kind) continue;
    const key = `${item.code}\u0000${item.content}`;
    const group = groups.get(key);
    if (group) {
      group.items.push(item);
      group.latest = Math.max(group.latest, item.offset);
    } else groups.set(key, { kind, code: item.code, content: item.content, items: [item], latest: item.offset });
  }
  return [...groups.values()].sort((a, b) => b.latest - a.latest || compareCodes(a.code, b.code) || a.content.localeCompare(b.content, 'vi'));
}

/** an occurrence said in one message: the same task of the same unit */
const sameShare = (i: MessageItem) => `${i.code}\u0000${i.content}\u0000${i.unitName}`;
const sameTask = (i: MessageItem) => `${i.code}\u0000${i.content}`;

function tasksBlock(all: MessageItem[]): Block {
  // the office's own overdue task is also escalated to the office: said once, in the escalation, with its /done
  const escalated = new Set(all.filter((i) => i.kind === 'escalation').map(sameShare));
  const repeated = (i: MessageItem) => i.kind === 'overdue' && escalated.has(sameShare(i));
  const items = all.filter((i) => !repeated(i));
  const doneable = new Set(all.filter((i) => repeated(i) && isOwn(i)).map(sameTask));
  const units = new Set(all.map((i) => i.unitName));
  const sections = SECTIONS.map((s) => ({ ...s, groups: taskGroups(items, s.kind) })).filter((s) => s.groups.length);
  const explanation = explanationLine(taskGroups(all, 'overdue'));
  const extra = explanation ? 1 : 0;
  const full = sections.reduce((n, s) => n + 1 + s.groups.length, 0) + extra;
  const unbound = new Set(all.filter((i) => i.unbound).map((i) => i.unitName));
  const counts = sections.map((s) => `${s.groups.length} nhiệm vụ ${s.summary}`).join(', ');
  const summary = [`${sections[0]?.icon ?? ''} ${counts}${units.size > 1 ? ` của ${units.size} đơn vị` : ''}`];
  if (unbound.size) summary.push(`📌 ${unbound.size} đơn vị chưa gắn nhóm chat được nhắc qua nhóm này`);
  const line = (g: TaskGroup) => taskLine(g, units.size > 1, g.kind === 'escalation' && g.items.some((i) => doneable.has(sameTask(i))));
  return {
    summary,
    min: Math.min(full, 3 + extra),
    full,
    lines(budget) {
      const lines: string[] = [];
      if (budget >= full) {
        for (const s of sections) lines.push(`${s.icon} ${s.title}`, ...s.groups.map(line));
      } else {
        // the sections in order of urgency, as many tasks as fit, then one line for the rest
        let left = budget - extra - 1;
        const rest = new Map<string, number>();
        for (const s of sections) {
          const shown = left >= 2 ? Math.min(s.groups.length, left - 1) : 0;
          if (shown) lines.push(`${s.icon} ${s.title}`, ...s.groups.slice(0, shown).map(line));
          left -= shown ? shown + 1 : 0;
          if (s.groups.length > shown) rest.set(s.kind, s.groups.length - shown);
        }
        lines.push(restLine(rest));
      }
      if (explanation) lines.push(explanation);
      return lines;
    },
  };
}

function taskLine(g: TaskGroup, severalUnits: boolean, doneable = false): string {
  const offsets = g.items.map((i) => i.offset);
  const dues = [...new Set(g.items.map((i) => i.due))].sort();
  const when = dues.length === 1 ? `hạn ${formatVi(dues[0]!)}` : `hạn ${formatVi(dues[0]!)}–${formatVi(dues.at(-1)!)}`;
  let line = `• ${g.code} ${shorten(g.content, 50)} — ${when} (${describeRange(Math.min(...offsets), Math.max(...offsets))})`;
  const own = g.items.every(isOwn);
  if (!own || severalUnits || g.kind === 'escalation') {
    // the units still owing it, the latest first
    const lateness = new Map<string, number>();
    for (const i of g.items) lateness.set(i.unitName, Math.max(lateness.get(i.unitName) ?? -Infinity, i.offset));
    const names = [...lateness.keys()].sort((a, b) => lateness.get(b)! - lateness.get(a)! || a.localeCompare(b, 'vi'));
    line += names.length === 1 ? ` · ${names[0]}` : ` · ${names.length} đơn vị chưa xong: ${nameList(names, 60)}`;
  }
  if (own || doneable) line += ` · /done ${g.code}`;
  if (g.items.some((i) => i.late)) line += ' (gửi muộn)';
  return line;
}

function describeRange(low: number, high: number): string {
  if (low === high) return describeOffset(low);
  if (low > 0) return `trễ ${low}–${high} ngày làm việc`;
  if (high < 0) return `còn ${-high}–${-low} ngày làm việc`;
  return `${describeOffset(low)} đến ${describeOffset(high)}`;
}

/** Names up to about `chars` characters, then how many more. */
function nameList(names: string[], chars: number): string {
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    if (shown.length && length + name.length + 2 > chars) break;
    shown.push(name);
    length += name.length + 2;
  }
  const more = names.length - shown.length;
  return more ? `${shown.join(', ')} và ${more} đơn vị khác` : shown.join(', ');
}

function restLine(rest: Map<string, number>): string {
  const counts = SECTIONS.filter((s) => rest.has(s.kind)).map((s) => `${rest.get(s.kind)} nhiệm vụ ${s.summary}`);
  const how = rest.has('reminder') ? (rest.size > 1 ? '/overdue <đơn vị> và /upcoming' : '/upcoming') : '/overdue <đơn vị>';
  return `… và ${counts.join(', ')} khác: gõ ${how} để xem đủ danh sách.`;
}

/** Tasks that have just gone overdue: their lead units are asked for a written explanation (văn bản giải trình). */
function explanationLine(overdue: TaskGroup[]): string | null {
  const codes = overdue.filter((g) => g.items.some((i) => i.firstOverdue)).map((g) => g.code);
  if (!codes.length) return null;
  const listed = codes.length > 6 ? `${codes.slice(0, 6).join(', ')}, …` : codes.join(', ');
  return `📝 VĂN BẢN GIẢI TRÌNH: đơn vị chủ trì nhiệm vụ vừa quá hạn (${listed}) gửi văn bản giải trình về cơ quan điều phối kế hoạch, nêu lý do chậm, khó khăn, đề xuất và thời gian dự kiến hoàn thành.`;
}

// ---------------------------------------------------------------------------------------------------------
// Weekly digests and monthly check-ins

/** At most `budget` lines of `lines`; when they do not fit, the last one says how many more and where. */
function fit(lines: string[], budget: number, more: (count: number, alone: boolean) => string): string[] {
  if (lines.length <= budget) return lines;
  if (budget <= 0) return [];
  // `alone`: no line of the list is shown, so the last one must not say "… và N … khác"
  return [...lines.slice(0, budget - 1), more(lines.length - budget + 1, budget === 1)];
}

const weekRange = (week: LocalDate) => `${formatVi(week)} – ${formatVi(addDays(week, 6))}`;

type DigestGroup = { code: string; content: string; due: LocalDate; offset: number; units: string[] };

/** A digest list grouped by task: the earliest due day of each, the oldest task first. */
function digestGroups(units: DigestUnit[], list: 'overdue' | 'dueThisWeek'): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const u of units) {
    for (const item of u[list] as DigestItem[]) {
      const key = `${item.code}\u0000${item.content}`;
      const g = groups.get(key) ?? { code: item.code, content: item.content, due: item.due, offset: item.offset, units: [] };
      if (item.due < g.due) Object.assign(g, { due: item.due, offset: item.offset });
      if (!g.units.includes(u.unitName)) g.units.push(u.unitName);
      groups.set(key, g);
    }
  }
  // ISO days compare as strings (localeCompare costs a collation per pair, and a digest sorts thousands)
  return [...groups.values()].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : compareCodes(a.code, b.code)));
}

function digestBlock(units: DigestUnit[], week: LocalDate, maxLines: number): Block {
  const several = units.length > 1;
  const lists = [
    { name: 'overdue' as const, icon: '❗', label: 'quá hạn', how: `gõ /overdue${several ? ' <đơn vị>' : ''} để xem đủ` },
    { name: 'dueThisWeek' as const, icon: '⏰', label: 'đến hạn trong tuần', how: `gõ /upcoming${several ? ' <đơn vị>' : ''} để xem đủ` },
  ].flatMap((l) => {
    const groups = digestGroups(units, l.name);
    if (!groups.length) return [];
    const owing = units.filter((u) => u[l.name].length).length;
    // a message shows at most maxLines of a list: only those are written (a digest may list thousands); the
    // rest are holes that count in the list's length
    const shown = groups.slice(0, maxLines).map((g) => `• ${g.code} ${shorten(g.content, 50)} — hạn ${formatVi(g.due)} (${describeOffset(g.offset)})${several ? ` · ${g.units.length === 1 ? g.units[0] : `${g.units.length} đơn vị`}` : ''}`);
    const lines = Object.assign(new Array<string>(groups.length), shown) as string[];
    const header = `${l.icon} ${l.label[0]!.toUpperCase()}${l.label.slice(1)}: ${groups.length} nhiệm vụ${several ? ` của ${owing} đơn vị` : ''}`;
    return [{ ...l, count: groups.length, lines, header }];
  });
  const title = `📅 TỔNG HỢP TUẦN ${weekRange(week)}${several ? '' : ` — ${units[0]?.unitName ?? ''}`}`;
  const min = 1 + lists.length;
  const full = min + lists.reduce((n, l) => n + l.lines.length, 0);
  return {
    summary: [`📅 tổng hợp tuần (${lists.map((l) => `${l.count} nhiệm vụ ${l.label}`).join(', ')})`],
    min,
    full,
    lines(budget) {
      // one line for each list first (this week's tasks are not crowded out by a long overdue list), then in order
      let left = budget - min;
      const room = lists.map((l) => {
        const n = Math.min(1, l.lines.length, left);
        left -= n;
        return n;
      });
      const lines = [title];
      for (const [i, l] of lists.entries()) {
        const more = Math.min(left, l.lines.length - room[i]!);
        left -= more;
        const budget = room[i]! + more;
        // room for one line of a longer list: its first task, and the header says where the rest is
        if (budget === 1 && l.lines.length > 1) {
          lines.push(`${l.header} (${l.how})`, l.lines[0]!);
          continue;
        }
        const shown = fit(l.lines, budget, (n) => `… và ${n} nhiệm vụ ${l.label} khác: ${l.how}.`);
        // no room for a single task: the header says where the list is
        lines.push(shown.length ? l.header : `${l.header} (${l.how})`, ...shown);
      }
      return lines;
    },
  };
}

function officeDigestBlock(figures: OfficeFigures[], week: LocalDate): Block {
  const late = figures.filter((f) => f.open_overdue > 0).sort((a, b) => b.open_overdue - a.open_overdue || a.unit.localeCompare(b.unit, 'vi'));
  const lines = late.map((f) => `❗ ${f.unit}: ${f.open_overdue} quá hạn, ${f.open_in_time} đang trong hạn, ${f.done_on_time + f.done_late} đã xong`);
  return {
    summary: [`📊 tổng hợp tuần: ${late.length} đơn vị có nhiệm vụ quá hạn`],
    min: 3,
    full: 3 + lines.length,
    lines: (budget) => [
      `📊 TỔNG HỢP TUẦN ${weekRange(week)} CHO CƠ QUAN ĐIỀU PHỐI`,
      late.length ? `${late.length} đơn vị có nhiệm vụ chưa hoàn thành quá hạn:` : 'Không đơn vị nào có nhiệm vụ quá hạn. 👍',
      ...fit(lines, budget - 3, (n, alone) => (alone ? `(${n} đơn vị: xem bằng /report.)` : `… và ${n} đơn vị khác.`)),
      'Chi tiết từng đơn vị: /report; danh sách quá hạn của một đơn vị: /overdue <đơn vị>.',
    ],
  };
}

function checkinBlock(list: CheckinAssignment[], month: string, replies: boolean): Block {
  const [y, m] = month.split('-');
  const byTask = new Map<string, { code: string; content: string; units: string[] }>();
  for (const a of list) {
    const key = `${a.code}\u0000${a.content}`;
    const task = byTask.get(key) ?? { code: a.code, content: a.content, units: [] };
    if (!task.units.includes(a.unitName)) task.units.push(a.unitName);
    byTask.set(key, task);
  }
  const tasks = [...byTask.values()].sort((a, b) => compareCodes(a.code, b.code));
  const lines = tasks.map((t) => `• ${t.code} ${shorten(t.content, 60)} (${t.units.length === 1 ? t.units[0] : `${t.units.length} đơn vị`})`);
  return {
    summary: [`📝 hỏi thăm tiến độ ${tasks.length} nhiệm vụ thường xuyên`],
    min: Math.min(3, 2 + lines.length),
    full: 2 + lines.length,
    lines: (budget) => [
      `📝 HỎI THĂM TIẾN ĐỘ THÁNG ${m}/${y} — nhiệm vụ thường xuyên, không có hạn chót:`,
      ...fit(lines, budget - 2, (n, alone) => `${alone ? `${n} nhiệm vụ thường xuyên` : `… và ${n} nhiệm vụ thường xuyên khác`} (xem bằng /list <đơn vị>).`),
      replies
        ? 'Trong tháng qua đơn vị đã có kết quả gì? Trả lời tin này (trả lời trực tiếp vào tin nhắn) để ghi nhận.'
        : 'Trong tháng qua đơn vị đã có kết quả gì? Kênh chat này không chuyển tin trả lời cho bot: xin báo kết quả trong nhóm của đơn vị hoặc cho văn phòng.',
    ],
  };
}
