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

/**
 * Whether the bot learns which of its messages a person answers in a chat, so that a message may ask for a
 * reply ("xong", a check-in's answer). The official Zalo Bot passes no quote on (its updates carry none), so
 * its chats ("zalobot:…") are offered commands only; Telegram, the personal Zalo account and the console pass
 * replies on.
 */
export function readsReplies(chat: string): boolean {
  return !chat.startsWith('zalobot:');
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
    const pieces = line.length > limit ? cutLine(line, limit) : [line];
    pieces.forEach((piece, i) => {
      // the pieces of one cut line never share a part: joined, they would gain a line break the text lacks
      if (current && (i > 0 || current.length + 1 + piece.length > limit)) flush();
      current = current ? `${current}\n${piece}` : piece;
    });
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
