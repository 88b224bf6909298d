import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { IncomingHandler, Outgoing, Transport, TransportStatus } from './transport.ts';

export const CONSOLE_CHAT = 'console:main';
export const CONSOLE_USER = 'console:officer';

/**
 * A terminal chat: one simulated group (console:main) and one simulated officer. Bot messages are printed
 * with their id (#12); typing "#12 xong" replies to message 12, like a reply in a real group.
 */
export class ConsoleTransport implements Transport {
  readonly name = 'console' as const;
  readonly maxLength = 100_000;
  private nextId = 1;
  private handler: IncomingHandler | null = null;
  private rl: readline.Interface | null = null;

  constructor(
    private readonly output: Writable,
    private readonly input?: Readable,
    private readonly user = { id: CONSOLE_USER, name: 'Cán bộ đầu mối (thử nghiệm)' },
  ) {}

  async start(onMessage: IncomingHandler): Promise<void> {
    this.handler = onMessage;
    if (!this.input) return;
    this.rl = readline.createInterface({ input: this.input, output: this.output, prompt: 'bạn> ' });
    // Ctrl-C in the terminal reaches readline first: hand it to the process's shutdown.
    this.rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    this.rl.on('line', (line) => {
      void this.submit(line).then(() => this.rl?.prompt());
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
      direct: false,
      user: this.user.id,
      userName: this.user.name,
      messageId,
      text: reply ? reply[2]! : text,
      replyTo: reply?.[1],
    });
    if (!answer) return null;
    this.print(String(this.nextId++), answer.text);
    return answer.text;
  }

  async send(_chatId: string, message: Outgoing): Promise<string[]> {
    const id = String(this.nextId++);
    this.print(id, message.text);
    return [id];
  }

  status(): TransportStatus {
    return { name: 'console', connected: true };
  }

  private print(id: string, text: string): void {
    this.output.write(`\n🤖 #${id}\n${text}\n`);
  }
}
