/**
 * Outgoing messages for platforms without buttons (Zalo personal and Zalo Bot): the text in parts that fit
 * the platform's limit, split on line boundaries, with the buttons written out as commands to type.
 */
import { splitText } from '../core/messages.ts';
import type { Button } from './transport.ts';

export function buttonsText(buttons: Button[] | undefined, note?: string): string {
  if (!buttons?.length) return '';
  return note ?? ['Gõ lệnh tương ứng:', ...buttons.map((b) => `▸ ${b.label}: ${b.data}`)].join('\n');
}

/**
 * The parts to send, in order; the commands go on the last part when they fit, else after it. Never empty.
 * `note`: the message's own words for its buttons (Outgoing.buttonsNote).
 */
export function plainParts(text: string, buttons: Button[] | undefined, maxLength: number, note?: string): string[] {
  const parts = text ? splitText(text, maxLength) : [];
  const suffix = buttonsText(buttons, note);
  if (!suffix) return parts.length ? parts : [''];
  const last = parts.at(-1);
  if (last !== undefined && last.length + suffix.length + 2 <= maxLength) parts[parts.length - 1] = `${last}\n\n${suffix}`;
  else parts.push(suffix);
  return parts;
}
