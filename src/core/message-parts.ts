import type { LocalDate } from './dates.ts';
import type { StatusCounts } from './status.ts';

/**
 * What a round's message to one chat is made of, as data: the planners (plan tasks, weekly digests, monthly
 * check-ins, dossiers) each contribute parts, and round-message.ts writes the text of all the parts a chat
 * gets in one round within one phone screen.
 */

/** One occurrence said in a round: a reminder, an overdue notice or an escalation. */
export type MessageItem = {
  kind: 'reminder' | 'overdue' | 'escalation';
  code: string;
  content: string;
  label: string;
  due: LocalDate;
  /** working days from the due day: negative before, positive late */
  offset: number;
  unitName: string;
  /** the unit has no group of its own: the message goes to the default group */
  unbound: boolean;
  late: boolean;
  /** the first overdue notice of the occurrence: the unit is asked for a written explanation */
  firstOverdue?: boolean;
};

export type DigestItem = { code: string; content: string; due: LocalDate; offset: number };
export type DigestUnit = { unitId: number; unitName: string; chats: string[]; dueThisWeek: DigestItem[]; overdue: DigestItem[] };
export type CheckinAssignment = { assignmentId: number; code: string; content: string; unitName: string; chats: string[] };
/** A unit's four-status figures, as the coordinating office's digest shows them. */
export type OfficeFigures = { unit: string } & StatusCounts;

export type MessagePart =
  | { kind: 'tasks'; today: LocalDate; items: MessageItem[] }
  | { kind: 'digest'; today: LocalDate; week: LocalDate; units: DigestUnit[] }
  | { kind: 'officeDigest'; today: LocalDate; week: LocalDate; figures: OfficeFigures[] }
  | { kind: 'checkin'; today: LocalDate; month: string; list: CheckinAssignment[] }
  /** written by a planner that keeps its own text (dossier prompts): shown whole */
  | { kind: 'text'; text: string };
