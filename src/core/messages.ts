import { formatVi, type LocalDate } from './dates.ts';

/** Vietnamese texts of the reminder messages. Pure: data in, text out. */

export type MessageItem = {
  kind: 'reminder' | 'overdue' | 'escalation';
  code: string;
  content: string;
  label: string;
  due: LocalDate;
  /** working days from the due day: negative before, positive late */
  offset: number;
  unitName: string;
  /** the unit has no group of its own: the message goes to the default group, headed with its name */
  unbound: boolean;
  late: boolean;
  /** the first overdue notice of the occurrence: the unit is asked for a written explanation */
  firstOverdue?: boolean;
};

export const LATE_NOTE = '(gửi muộn do hệ thống gián đoạn)';

const SECTIONS: { kind: MessageItem['kind']; title: string }[] = [
  { kind: 'escalation', title: '🚨 BÁO CÁO LÃNH ĐẠO: nhiệm vụ quá hạn nhiều ngày' },
  { kind: 'overdue', title: '❗ QUÁ HẠN' },
  { kind: 'reminder', title: '⏰ SẮP ĐẾN HẠN' },
];

export function shorten(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function describeOffset(offset: number): string {
  if (offset === 0) return 'hạn là hôm nay';
  if (offset < 0) return `còn ${-offset} ngày làm việc`;
  return `trễ ${offset} ngày làm việc`;
}

export function composeMessage(items: MessageItem[], opts: { today: LocalDate; late: boolean }): string {
  const lines = [`🔔 NHẮC VIỆC — ngày ${formatVi(opts.today)}`];
  if (opts.late) lines.push(`⚠️ Một số nhắc nhở ${LATE_NOTE}.`);
  for (const section of SECTIONS) {
    const list = items
      .filter((i) => i.kind === section.kind)
      .sort((a, b) => Number(b.unbound) - Number(a.unbound) || a.unitName.localeCompare(b.unitName, 'vi') || a.due.localeCompare(b.due) || compareCodes(a.code, b.code));
    if (!list.length) continue;
    lines.push('', section.title);
    let unit = '';
    let due = '';
    for (const item of list) {
      if (item.unbound && item.unitName !== unit) {
        lines.push(`📌 Đơn vị ${item.unitName} (chưa gắn nhóm chat):`);
        unit = item.unitName;
        due = '';
      }
      if (item.due !== due) {
        lines.push(`Hạn ${formatVi(item.due)} — ${describeOffset(item.offset)}:`);
        due = item.due;
      }
      lines.push(`• ${item.code} ${shorten(item.content)}`);
      lines.push(`   Chủ trì: ${item.unitName} · ${item.label}${item.late ? ` ${LATE_NOTE}` : ''}`);
      if (item.kind !== 'escalation') lines.push(`   Xong thì gõ: /done ${item.code}`);
    }
  }
  lines.push('', 'Trả lời tin này bằng "xong" nếu tin chỉ có một nhiệm vụ; /help để xem các lệnh.');
  return lines.join('\n');
}

/** Orders "1.2" before "1.10". */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** Splits a text at line breaks into parts no longer than `limit` (a platform's message limit). */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const pieces = line.length > limit ? line.match(new RegExp(`[\\s\\S]{1,${limit}}`, 'g')) ?? [] : [line];
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > limit) {
        parts.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
