/**
 * Deadline phrases tied to an event (domain.md §4): "N ngày [làm việc] kể từ / sau khi X", "ngay sau khi X
 * (chậm nhất sau N ngày)", "sau khi <cơ quan> ban hành <văn bản>", "N ngày trước X", "trước X ít nhất N ngày",
 * "trước khi X"; and the ones whose event is each dossier's appointment date ("trước 01 ngày của hồ sơ đến hạn
 * trả kết quả"), anchored so the dossier rounds hold their clock. Works on the folded text (normalize.ts).
 */
import { fold } from '../text.ts';
import { originalSlice, type Folded } from './normalize.ts';
import type { EventRule } from './rule.ts';

export type EventPart = Omit<EventRule, 'kind' | 'text'>;

const MAX_TRIGGER_LENGTH = 200;

export function shorten(x: string, n: number): string {
  const one = x.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function tidyTrigger(x: string): string {
  return shorten(x.replace(/\s+/g, ' ').trim().replace(/^[\s,:;.-]+|[\s,:;.(-]+$/g, ''), MAX_TRIGGER_LENGTH);
}

/**
 * The trigger is the rest of the phrase after the match, cut at a bracket, ';', a sentence end or the clause
 * that gives the time limit (", chậm nhất 02 ngày làm việc").
 */
function triggerAfter(f: Folded, end: number, stopAt: RegExp = /[();]|\. |\.$|,? (?:cham nhat|khong qua|toi da|trong vong|trong thoi han) /): string {
  const rest = f.s.slice(end);
  const stop = rest.search(stopAt);
  const cut = stop < 0 ? rest.length : stop;
  return tidyTrigger(originalSlice(f, end, end + cut));
}

function offsetOf(digits: string | undefined): number | null {
  const n = Number(digits);
  return Number.isInteger(n) && n >= 0 && n <= 3660 ? n : null;
}

const unitOf = (workingDays: string | undefined): EventRule['unit'] => (workingDays ? 'working_day' : 'calendar_day');

/** "N ngày [làm việc] tính đến / so với / của / trước / đến X". */
const EVENT_BEFORE =
  /(?<![a-z0-9])(?:cham nhat )?(?:truoc )?(\d{1,4}) ngay( lam viec)?,? (tinh den|so voi|cua|truoc|den) (?=[a-z])/;
/** "trước <ngày X> [ít nhất] N ngày [làm việc]": the amount after the event. */
const EVENT_BEFORE_TRAILING = /(?<![a-z])truoc ((?:ngay|thoi han|thoi diem|han) [a-z ,]+?),?(?: it nhat| toi thieu| la)? (\d{1,4}) ngay( lam viec)?(?![a-z/])/;
const EVENT_BEFORE_LEADING = /(?<![a-z0-9])truoc (\d{1,4}) ngay( lam viec)?(?![a-z])/;
/** "trước khi X", "trước ngày hẹn trả" with no amount: the working day before. "Trước ngày thứ Sáu" is a weekday. */
const BEFORE_WHEN = /(?<![a-z0-9])truoc (khi|ngay|thoi han|han) (?=[a-z])(?!(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)(?![a-z]))/;
const EVENT_AFTER = /(?<![a-z0-9])(\d{1,4}) ngay( lam viec)?,? (ke tu khi|ke tu|tinh tu|sau khi|sau) (?=[a-z])/;
/** The time limit of an immediate or a "sau khi" event: "(chậm nhất sau 03 ngày)", ", không quá 05 ngày làm việc". */
const EVENT_WITHIN =
  /(?<![a-z0-9])(?:cham nhat|trong|trong vong|trong thoi han|trong thoi gian|khong qua|toi da)(?: la)?(?: trong| sau)? (\d{1,4}) ngay( lam viec)?(?![a-z/])/;
const IMMEDIATE = /(?<![0-9] )(?<![a-z0-9])ngay sau khi (?=[a-z])/;
/** A cell that opens with "Ngay khi X" (as soon as X): the same as "ngay sau khi". In the middle of a cell
 * ("thường xuyên, cập nhật ngay khi có thay đổi") it describes the work, not its deadline. */
const IMMEDIATE_WHEN = /^(?:[-+(]\s?)?(?:(?:thuc hien|trien khai|hoan thanh|cap nhat|bao cao|gui|to chuc)(?: [a-z]+){0,3} )?ngay khi (?=[a-z])/;
/** A cell that opens with "Sau khi X" (an authority issuing a text, a plan approved): after X, no amount stated. */
const AFTER_WHEN = /^(?:[-+(]\s?)?sau khi (?=[a-z])/;

/** "Trong ngày [làm việc] kể từ khi X": within the day of the event (the next working day when it is not one). */
const SAME_DAY = /(?<![a-z])trong (?:cung )?ngay(?: lam viec)?,? (ke tu khi|ke tu|sau khi) (?=[a-z])/;

/** The event is a citizen's dossier's appointment date ("ngày hẹn trả", "hồ sơ đến hạn", "hạn giải quyết"). */
const DOSSIER_DUE = /(?<![a-z])(?:hen tra|han (?:tra ket qua|giai quyet)|ho so(?: [a-z]+){0,3} (?:den|het|qua|sap den) han)(?![a-z])/;
export const DOSSIER_DUE_TRIGGER = 'ngày hẹn trả kết quả của hồ sơ';

function anchored(part: EventPart): EventPart {
  if (part.direction !== 'before' || !DOSSIER_DUE.test(fold(part.trigger))) return part;
  return { ...part, trigger: DOSSIER_DUE_TRIGGER, anchor: 'dossier_due' };
}

/**
 * `fromContext`: reading the row content rather than the deadline cell; only the explicit
 * "(chậm nhất trong N ngày [làm việc])" form counts there, anchored to a "ngay sau khi"/"kể từ" trigger.
 */
export function parseEvent(f: Folded, fromContext = false): EventPart | null {
  const part = readEvent(f, fromContext);
  return part ? anchored(part) : null;
}

function readEvent(f: Folded, fromContext: boolean): EventPart | null {
  const s = f.s;
  const within = EVENT_WITHIN.exec(s);
  const immediate = IMMEDIATE.exec(s) ?? (fromContext ? null : IMMEDIATE_WHEN.exec(s));
  if (fromContext) {
    if (!within || !immediate) return null;
  }

  if (!fromContext) {
    const before = EVENT_BEFORE.exec(s);
    if (before && (before[3] !== 'den' || /truoc/.test(before[0]))) {
      const offset = offsetOf(before[1]);
      if (offset !== null) {
        let trigger = triggerAfter(f, before.index + before[0].length);
        if (!/^ngày/i.test(trigger) && before[3] !== 'truoc') trigger = `ngày ${trigger}`;
        if (before[3] === 'truoc' && !/^(ngày|khi)/i.test(trigger)) trigger = `ngày ${trigger}`;
        if (trigger.length > 5) return { direction: 'before', offset, unit: unitOf(before[2]), trigger };
      }
    }
    const trailing = EVENT_BEFORE_TRAILING.exec(s);
    if (trailing) {
      const offset = offsetOf(trailing[2]);
      const start = trailing.index + trailing[0].indexOf(trailing[1] as string);
      const trigger = tidyTrigger(originalSlice(f, start, start + (trailing[1] as string).length));
      if (offset !== null && trigger.length > 5) return { direction: 'before', offset, unit: unitOf(trailing[3]), trigger };
    }
    const after = EVENT_AFTER.exec(s);
    if (after) {
      const offset = offsetOf(after[1]);
      if (offset !== null) {
        let trigger = triggerAfter(f, after.index + after[0].length);
        if (after[3] === 'sau khi' || after[3] === 'ke tu khi') trigger = `khi ${trigger}`;
        else if (after[3] === 'sau' && !/^(ngày|khi)/i.test(trigger)) trigger = `khi ${trigger}`;
        if (trigger.length > 4) return { direction: 'after', offset, unit: unitOf(after[2]), trigger };
      }
    }
    const leadingBefore = EVENT_BEFORE_LEADING.exec(s);
    if (leadingBefore && !within) {
      const offset = offsetOf(leadingBefore[1]);
      // "trước 01 ngày hồ sơ đến hạn": what follows is the event; alone, the task's own due day
      const rest = triggerAfter(f, leadingBefore.index + leadingBefore[0].length);
      if (offset !== null) return { direction: 'before', offset, unit: unitOf(leadingBefore[2]), trigger: /^\p{L}/u.test(rest) ? rest : 'ngày đến hạn' };
    }
    const beforeWhen = BEFORE_WHEN.exec(s);
    if (beforeWhen) {
      const trigger = triggerAfter(f, beforeWhen.index + beforeWhen[0].length);
      const word = beforeWhen[1] === 'khi' ? 'khi' : originalSlice(f, beforeWhen.index + 6, beforeWhen.index + 6 + (beforeWhen[1] as string).length).toLowerCase();
      if (trigger.length > 3) return { direction: 'before', offset: 1, unit: 'working_day', trigger: `${word} ${trigger}` };
    }
  }

  if (immediate) {
    const trigger = triggerAfter(f, immediate.index + immediate[0].length);
    if (trigger.length > 0) {
      if (within) {
        const offset = offsetOf(within[1]);
        if (offset !== null) return { direction: 'after', offset, unit: unitOf(within[2]), trigger: `khi ${trigger}` };
      }
      return { direction: 'after', offset: 0, unit: 'working_day', trigger, immediate: true };
    }
  }
  const sameDay = fromContext ? null : SAME_DAY.exec(s);
  if (sameDay) {
    const trigger = triggerAfter(f, sameDay.index + sameDay[0].length);
    if (trigger.length > 3) return { direction: 'after', offset: 0, unit: 'working_day', trigger: `${sameDay[1] === 'ke tu' ? '' : 'khi '}${trigger}` };
  }
  const afterWhen = fromContext ? null : AFTER_WHEN.exec(s);
  if (afterWhen) {
    const trigger = triggerAfter(f, afterWhen[0].length);
    const offset = within ? offsetOf(within[1]) : 0;
    if (trigger.length > 3 && offset !== null) return { direction: 'after', offset, unit: within ? unitOf(within[2]) : 'working_day', trigger: `khi ${trigger}` };
  }
  if (within && !fromContext) {
    const offset = offsetOf(within[1]);
    if (offset !== null) {
      return { direction: 'after', offset, unit: unitOf(within[2]), trigger: 'khi phát sinh công việc' };
    }
  }
  return null;
}
