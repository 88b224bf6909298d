import type { PrismaClient } from './db/database.ts';
import type { Logger } from './log.ts';
import type { Clock } from './core/time.ts';
import { splitText } from './core/messages.ts';
import { claim, deliveredParts, markFailed, markRetry, markSent, readyRows, recordPart, type OutboxRow } from './store/outbox.ts';
import { deactivateGroup, moveChat } from './store/groups.ts';
import { doneButton, doneButtonsNote } from '../commands/done-buttons.ts';
import { SendError, splitAddress, type Outgoing, type Transport } from './transports/transport.ts';

const MAX_ATTEMPTS = 8;
const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 30 * 60_000);

export type SenderDeps = {
  prisma: PrismaClient;
  transports: Map<string, Transport>;
  clock: Clock;
  /** this process, as written into claimed rows */
  holder: string;
  log: Logger;
  /** told when a chat is gone for good (bot removed), to warn the administrators */
  onChatGone?: (chat: string, error: string) => Promise<void>;
};

const MAX_BUTTONS = 8;

/**
 * One "Đã xong" button per task the chat can mark done from a round's message about plan tasks (`tasks`:
 * its own unit's, the most urgent first; an escalation's carry its own overdue tasks, if any).
 */
function doneButtons(row: OutboxRow): Pick<Outgoing, 'buttons' | 'buttonsNote'> | undefined {
  if (!['reminder', 'overdue', 'escalation'].includes(row.kind) || !row.tasks.length) return undefined;
  const codes = row.tasks.slice(0, MAX_BUTTONS);
  return { buttons: codes.map(doneButton), buttonsNote: doneButtonsNote(codes) };
}

export type DrainResult = { sent: number; retried: number; failed: number };

/**
 * Delivers the outbox: claims each ready row, sends it through its transport, marks it sent (with the
 * platform message ids, for reply matching) or schedules a retry. A row whose process died mid-send is
 * claimed again after STALE_CLAIM_MS: that one message may arrive twice (the documented in-flight case).
 */
export class Sender {
  private running: Promise<DrainResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: SenderDeps) {}

  /** Sends everything ready now; concurrent calls share one pass. */
  drain(): Promise<DrainResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Drains every `intervalMs` until stop(); a failed pass (database down) is logged and retried. */
  start(intervalMs = 5_000): void {
    this.stopped = false;
    const tick = async () => {
      try {
        await this.drain();
      } catch (error) {
        this.deps.log.warn({ err: String(error) }, 'sender pass failed; retrying');
      }
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    void tick();
  }

  /** Stops the loop after the message in flight has been sent and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  private async pass(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
    const { prisma, clock, holder } = this.deps;
    for (;;) {
      const rows = await readyRows(prisma, clock(), 50);
      if (!rows.length) return result;
      let progressed = false;
      for (const row of rows) {
        if (this.stopped) return result;
        if (!(await claim(prisma, row, holder, clock()))) continue;
        progressed = true;
        result[await this.deliver(row)]++;
      }
      if (!progressed) return result;
    }
  }

  private async deliver(row: OutboxRow): Promise<keyof DrainResult> {
    const { prisma, clock, log } = this.deps;
    const { transport: name, id } = splitAddress(row.chat);
    const transport = this.deps.transports.get(name);
    if (!transport) {
      await markRetry(prisma, row.id, `kênh ${name} chưa được bật`, new Date(clock().getTime() + backoffMs(row.attempts + 1)));
      return 'retried';
    }
    try {
      // A long text goes out in parts, then the attachments. Each part's platform id is recorded as soon as
      // it is sent, so a retry after a failed part resumes after the parts already delivered.
      const parts: Outgoing[] = splitText(row.text, transport.maxLength).map((text) => ({ text }));
      const buttons = doneButtons(row);
      if (buttons) Object.assign(parts[parts.length - 1]!, buttons); // on the last part, where the reader ends up
      for (const file of row.attachments) {
        parts.push({ text: file.fileName, attachment: { fileName: file.fileName, mime: file.mime, data: Buffer.from(file.base64, 'base64') } });
      }
      const already = await deliveredParts(prisma, row.id);
      for (const part of parts.slice(already)) await recordPart(prisma, row.id, row.chat, await transport.send(id, part));
      await markSent(prisma, row.id, clock());
      log.info({ outbox: row.id, chat: row.chat, kind: row.kind }, 'sent');
      return 'sent';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = clock().getTime();
      if (error instanceof SendError) {
        if (error.reason === 'chat_gone') {
          await markFailed(prisma, row.id, message);
          await deactivateGroup(prisma, row.chat);
          await this.deps.onChatGone?.(row.chat, message);
          return 'failed';
        }
        if (error.reason === 'migrated' && error.newChat) {
          // back to pending first, so that the move takes this row along with the chat's other pending rows
          await markRetry(prisma, row.id, message, clock());
          await moveChat(prisma, row.chat, error.newChat);
          return 'retried';
        }
        if (error.reason === 'unknown_outcome') {
          await markFailed(prisma, row.id, `không rõ đã gửi được hay chưa, không gửi lại để tránh trùng: ${message}`);
          return 'failed';
        }
        if (error.reason === 'rate_limited') {
          await markRetry(prisma, row.id, message, new Date(now + (error.retryAfterMs ?? 1_000)));
          return 'retried';
        }
      }
      if (row.attempts + 1 >= MAX_ATTEMPTS) {
        await markFailed(prisma, row.id, message);
        log.error({ outbox: row.id, chat: row.chat, err: message }, 'send failed for good');
        return 'failed';
      }
      await markRetry(prisma, row.id, message, new Date(now + backoffMs(row.attempts + 1)));
      log.warn({ outbox: row.id, chat: row.chat, err: message }, 'send failed; will retry');
      return 'retried';
    }
  }
}
