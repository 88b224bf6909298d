import type { Button } from '../src/transports/transport.ts';

/**
 * The "Đã xong" buttons under a reminder. Transports only show buttons and take away the ones a reply names
 * (`Reply.dropButtons`); what a button means is known here, on the commands' side.
 */

/** The "Đã xong" button of a task: pressing it types "/done <code>". */
export const doneButton = (code: string): Button => ({ label: `✅ Đã xong ${code}`, data: `/done ${code}` });

/**
 * What a platform without buttons writes under a reminder instead of its "Đã xong" buttons. A reply "xong" is
 * offered by the reminder's own text, and only where the chat passes replies on (`readsReplies`).
 */
export const doneButtonsNote = (codes: readonly string[]): string =>
  `Báo đã xong: gõ ${codes.map((code) => doneButton(code).data).join(' · ')}`;

/** The buttons a reply settling these tasks takes off the message it answers (the pressed or replied one). */
export const settledButtons = (codes: readonly string[]): string[] => codes.map((code) => doneButton(code).data);
