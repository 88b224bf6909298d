import type { Tx } from '../db/database.ts';

export type Actor = { user: string; chat?: string; messageId?: string };

export async function audit(
  tx: Tx,
  actor: Actor,
  entry: { action: string; taskId?: number; occurrenceId?: number; fromStatus?: string; toStatus?: string; detail?: string },
): Promise<void> {
  await tx.auditLog.create({ data: { actor: actor.user, chat: actor.chat, messageId: actor.messageId, ...entry } });
}
