/** Deadline phrases: parse, due days, labels; and the `deadline --json` view of one phrase. */
import type { LocalDate } from '../dates.ts';
import type { WorkingCalendar } from '../calendar.ts';
import { parseDeadline } from './parse.ts';
import { duesOf } from './dues.ts';
import { labelOf } from './label.ts';
import { resolvePolicy, type DeadlinePolicy } from './policy.ts';
import type { EventRule, Rule, RuleKind } from './rule.ts';

export * from './rule.ts';
export * from './policy.ts';
export { parseDeadline, type ParseContext } from './parse.ts';
export { duesOf, eventDue, beforeDue, applyDayOff, milestoneDue } from './dues.ts';
export { labelOf, eventLabel, milestoneSource, KIND_LABELS } from './label.ts';

/** The contracts.md `event` object; `anchor` (extension) when the event is each dossier's appointment date. */
export type EventView = Pick<EventRule, 'direction' | 'offset' | 'unit' | 'trigger' | 'anchor'>;

export type DeadlineInterpretation = {
  kind: RuleKind;
  dues: LocalDate[];
  event: EventView | null;
  label: string;
  rule: Rule;
};

export function interpretDeadline(
  text: string,
  year: number,
  opts: { calendar: WorkingCalendar; policy?: Partial<DeadlinePolicy>; content?: string; note?: string },
): DeadlineInterpretation {
  const policy = resolvePolicy(opts.policy);
  const context: { content?: string; note?: string } = {};
  if (opts.content !== undefined) context.content = opts.content;
  if (opts.note !== undefined) context.note = opts.note;
  const rule = parseDeadline(text, year, context);
  const event: EventView | null =
    rule.kind === 'event' ? { direction: rule.direction, offset: rule.offset, unit: rule.unit, trigger: rule.trigger, ...(rule.anchor ? { anchor: rule.anchor } : {}) } : null;
  return { kind: rule.kind, dues: duesOf(rule, year, opts.calendar, policy), event, label: labelOf(rule, year, opts.calendar, policy), rule };
}
