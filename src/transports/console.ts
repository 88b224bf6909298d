import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Attachment, IncomingHandler, Outgoing, Transport, TransportStatus } from './transport.ts';

export const CONSOLE_CHAT = 'console:main';
export const CONSOLE_USER = 'console:officer';

export type ConsoleOptions = {
  /** the simulated officer */
  user?: { id: string; name: string };
  /** where files the bot sends (a report, a chart, a letter) are saved, their path printed (default data/files) */
  filesDir?: string;
};

/**
 * A terminal chat: one simulated group (console:main) and one simulated officer. Bot messages are printed
 * with their id (#12); typing "#12 xong" replies to message 12, like a reply in a real group. Files the bot
 * attaches are saved under `filesDir`; buttons are printed with the command they type.
 */
export class ConsoleTransport implements Transport {
  readonly name = 'console' as const;
  readonly maxLength = 100_000;
  private nextId = 1;
  private handler: IncomingHandler | null = null;
  private rl: readline.Interface | null = null;
  private readonly user: { id: string; name: string };
  private readonly filesDir: string;

  constructor(
    private readonly output: Writable,
    private readonly input?: Readable,
    opts: ConsoleOptions = {},
  ) {
    this.user = opts.user ?? { id: CONSOLE_USER, name: 'Cán bộ đầu mối (thử nghiệm)' };
    this.filesDir = opts.filesDir ?? path.resolve('data', 'files');
  }

  async start(onMessage: IncomingHandler): Promise<void> {
    this.handler = onMessage;
    if (!this.input) return;
    this.rl = readline.createInterface({ input: this.input, output: this.output, prompt: 'bạn> ' });
    // Ctrl-C in the terminal reaches readline first: hand it to the process's shutdown.
    this.rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    this.rl.on('line', (line) => {
      void this.submit(line).then((answer) => {
        if (answer === null) this.rl?.prompt();
      });
    });
    this.rl.prompt();
  }

  async stop(): Promise<void> {
    this.rl?.close();
    this.rl = null;
  }

  /** What the simulated officer types; returns the bot's answer (also printed). */
  async submit(line: string): Promise<string | null> {
    const text = line.trim();
    if (!text || !this.handler) return null;
    const reply = /^#(\d+)\s+([\s\S]+)$/.exec(text);
    const messageId = `u${this.nextId++}`;
    const answer = await this.handler({
      chat: CONSOLE_CHAT,
      chatTitle: 'Nhóm thử nghiệm',
      user: this.user.id,
      userName: this.user.name,
      messageId,
      text: reply ? reply[2]! : text,
      replyTo: reply?.[1],
    });
    if (!answer) return null;
    this.print(String(this.nextId++), answer);
    return answer.text;
  }

  async send(_chatId: string, message: Outgoing): Promise<string[]> {
    const id = String(this.nextId++);
    this.print(id, message);
    return [id];
  }

  status(): TransportStatus {
    return { name: 'console', connected: true };
  }

  /** Prints a message above the prompt (a round's message may arrive while the officer types). */
  private print(id: string, message: Outgoing): void {
    const tty = (this.output as { isTTY?: boolean }).isTTY && this.rl;
    if (tty) {
      readline.clearLine(this.output, 0);
      readline.cursorTo(this.output, 0);
    }
    const lines = [message.text];
    if (message.attachment) lines.push(`📎 Tệp đính kèm đã lưu: ${this.save(message.attachment)}`);
    for (const b of message.buttons ?? []) lines.push(`[${b.label}] → gõ ${b.data}`);
    this.output.write(`\n🤖 #${id}\n${lines.filter(Boolean).join('\n')}\n`);
    this.rl?.prompt(true);
  }

  /** Saves an attachment under filesDir without overwriting an earlier one; returns the path to show. */
  private save(attachment: Attachment): string {
    fs.mkdirSync(this.filesDir, { recursive: true });
    const base = path.basename(attachment.fileName).replace(/[\\/:*?"<>|\0]/g, '_') || 'tep';
    const ext = path.extname(base);
    const stem = base.slice(0, base.length - ext.length);
    for (let n = 1; ; n++) {
      const file = path.join(this.filesDir, n === 1 ? base : `${stem}-${n}${ext}`);
      try {
        fs.writeFileSync(file, attachment.data, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        return `(không lưu được ${base}: ${(error as Error).message})`;
      }
      const relative = path.relative(process.cwd(), file);
      return relative.startsWith('..') ? file : relative;
    }
  }
}
