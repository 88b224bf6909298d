/**
 * What the bot needs from a chat platform. Commands and the sender see only this; Telegram, Zalo and the
 * console implement it. Addresses are "<transport>:<id>" strings everywhere outside a transport.
 */

export type TransportName = 'telegram' | 'zalo' | 'zalobot' | 'console';

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
  /** a file sent with the message (a Telegram document, a Zalo attachment, the console's /nhap <path>); `text` is its caption */
  file?: IncomingFile;
  /**
   * a one-to-one chat of the person with the bot (Telegram "private", a Zalo user thread); a transport that
   * leaves it out has its chats read as direct when the chat id is the user's id (see isDirect)
   */
  direct?: boolean;
};

/** Whether a message came in a one-to-one chat with the bot rather than a group. */
export function isDirect(message: Pick<IncomingMessage, 'chat' | 'user' | 'direct'>): boolean {
  return message.direct ?? message.chat === message.user;
}

/**
 * A file someone sent, not yet downloaded: commands look at its name and size first and download it only when
 * they want it. `download` fetches at most `maxBytes` and rejects with FileTooLargeError (download.ts) beyond that.
 */
export type IncomingFile = { name: string; size: number | null; mime?: string; download(maxBytes: number): Promise<Uint8Array> };

/** A button under a message: pressing it sends `data` as if the presser had typed it. */
export type Button = { label: string; data: string };
export type Attachment = {
  fileName: string;
  data: Uint8Array;
  mime: string;
  /** what a platform that cannot carry the file sends instead (a chart's figures as text) */
  altText?: string;
};
export type Outgoing = {
  text: string;
  buttons?: Button[];
  /** what a platform without buttons writes instead of them (default: each label with the text it types) */
  buttonsNote?: string;
  attachment?: Attachment;
};

export type Reply = Outgoing & {
  /** buttons (their `data`) to take off the bot's message this answers, the pressed or replied one, where a platform can */
  dropButtons?: string[];
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
