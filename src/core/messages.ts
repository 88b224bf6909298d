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

/**
 * Splits a text into parts of at most `limit` UTF-16 code units (a platform's message limit: Telegram 4096,
 * Zalo 2000; code units are what both count, and never fewer than characters): at line breaks where the lines
 * fit, else after a space, else between two graphemes, never inside a character or a grapheme (a Vietnamese
 * letter written with combining marks, an emoji sequence). The line breaks at a cut are dropped and no part is
 * blank (a platform refuses an empty message).
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    for (const piece of line.length > limit ? cutLine(line, limit) : [line]) {
      if (current && current.length + 1 + piece.length > limit) flush();
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  flush();
  return parts;
}

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** A line longer than `limit`, in pieces of at most `limit` code units (see splitText). */
function cutLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  /** just after the last space of the current piece, if it is far enough in to be worth cutting there */
  let afterSpace = -1;
  for (const { segment, index } of graphemes.segment(line)) {
    if (index + segment.length - start > limit) {
      const cut = afterSpace > start + limit / 2 ? afterSpace : index;
      if (cut > start) pieces.push(line.slice(start, cut));
      start = cut;
      afterSpace = -1;
      if (index + segment.length - start > limit) {
        // a long grapheme after the space: it starts the next piece
        if (index > start) pieces.push(line.slice(start, index));
        start = index;
      }
      if (segment.length > limit) {
        // a grapheme longer than a whole part (a letter under thousands of marks) goes by code points
        for (const chunk of codePointChunks(segment, limit)) pieces.push(chunk);
        start = index + segment.length;
        continue;
      }
    }
    if (/^\s+$/.test(segment)) afterSpace = index + segment.length;
  }
  if (start < line.length) pieces.push(line.slice(start));
  return pieces;
}

function codePointChunks(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (chunk.length + ch.length > limit) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}
