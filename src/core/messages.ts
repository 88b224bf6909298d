/** Vietnamese phrases the round's messages and the commands share. Pure: data in, text out. */

export type { MessageItem } from './message-parts.ts';

export const LATE_NOTE = '(gửi muộn do hệ thống gián đoạn)';

export function shorten(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function describeOffset(offset: number): string {
  if (offset === 0) return 'hạn là hôm nay';
  if (offset < 0) return `còn ${-offset} ngày làm việc`;
  return `trễ ${offset} ngày làm việc`;
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
