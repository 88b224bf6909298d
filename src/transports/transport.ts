/**
 * What the bot needs from a chat platform. Commands and the sender see only this; Telegram, Zalo and the
 * console implement it. Addresses are "<transport>:<id>" strings everywhere outside a transport.
 */

export type TransportName = 'telegram' | 'zalo' | 'console';

export type IncomingMessage = {
  /** "<transport>:<chat id>" */
  chat: string;
  chatTitle?: string;
  /** "<transport>:<user id>" */
  user: string;
  userName: string;
  messageId: string;
  text: string;
  /** the platform id of the message this one replies to */
  replyTo?: string;
  /** the person who wrote the message this one replies to (not the bot): "/officer add" takes them */
  replyToUser?: { user: string; name: string };
  /** a document sent in the chat (a plan file from an administrator) */
  file?: IncomingFile;
};

/** A file attached to an incoming message; `download` refuses more than maxBytes. */
export type IncomingFile = { name: string; size: number | null; mime?: string; download(maxBytes: number): Promise<Uint8Array> };

export type Button = { label: string; data: string };

/** The "Đã xong" button of a task under a reminder: pressing it types "/done <code>". */
export const doneButton = (code: string): Button => ({ label: `✅ Đã xong ${code}`, data: `/done ${code}` });
export type Attachment = { fileName: string; data: Uint8Array; mime: string };
export type Outgoing = { text: string; buttons?: Button[]; attachment?: Attachment };

export type Reply = Outgoing & {
  /** task codes this answer settled (marked done now or before): a transport may take their "done" buttons away */
  settled?: string[];
};

/** A failed send, classified so the sender knows what to do next. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly reason:
      | 'retry' // transient: try again later
      | 'rate_limited' // wait retryAfterMs
      | 'chat_gone' // the bot was removed / chat not found: stop sending there
      | 'migrated' // the group got a new id (Telegram supergroup): resend there
      | 'unknown_outcome', // the platform may have delivered it: do not resend blindly
    readonly retryAfterMs?: number,
    readonly newChat?: string,
  ) {
    super(message);
  }
}

export type TransportStatus = { name: TransportName; connected: boolean; detail?: string };

export type IncomingHandler = (message: IncomingMessage) => Promise<Reply | null>;

export interface Transport {
  readonly name: TransportName;
  /** longest text one message may carry */
  readonly maxLength: number;
  start(onMessage: IncomingHandler): Promise<void>;
  stop(): Promise<void>;
  /** sends to a chat id (without the transport prefix); returns the platform message ids, one per part */
  send(chatId: string, message: Outgoing): Promise<string[]>;
  status(): TransportStatus;
}

export function splitAddress(address: string): { transport: string; id: string } {
  const i = address.indexOf(':');
  if (i < 0) return { transport: address, id: '' };
  return { transport: address.slice(0, i), id: address.slice(i + 1) };
}
