import { addDays, type LocalDate } from './dates.ts';
import { workdayOffset, type WorkdayCalendar } from './workdays.ts';
import type { MessageItem, MessagePart } from './message-parts.ts';
import { readsReplies } from './messages.ts';
import { ownTasks, renderMessage } from './round-message.ts';
import { crossesEscalation, isOverdueStage, stageAt, type ReminderPolicy } from './reminder-policy.ts';
import { instantOf, localDateOf, localTimeOf } from './time.ts';

/**
 * One reminder round as a pure function: (clock, the open occurrences, policy) → what must be said.
 * The database adapter loads the input and records the output in one transaction (the ledger), and the
 * sender delivers it; running the same round twice finds every stage already said.
 */

export type MessageKind = 'reminder' | 'overdue' | 'escalation' | 'digest' | 'checkin' | 'apology';

export type RoundOccurrence = {
  id: number;
  due: LocalDate;
  lastStage: number | null;
  planId: number;
  code: string;
  content: string;
  label: string;
  unitId: number;
  unitName: string;
};

/** Where a unit's messages go; an empty list means: to the default chat, headed with the unit's name. */
export type Routing = {
  unitChats(unitId: number): string[];
  /** a unit whose every group is paused gets nothing until resumed */
  isPaused(unitId: number): boolean;
  /** the coordinating office's group and the unit leader's chat */
  escalationChats(planId: number, unitId: number): string[];
  /** the coordinating office's group of a plan (the default chat when it has none) */
  coordinatorChats(planId: number): string[];
  /** the direct chats of the unit's officers who asked for personal reminders (/nhacrieng bat) */
  personalChats?(unitId: number): string[];
  defaultChat: string;
};

/** The rows routing is made of (see routingOf). */
export type RoutingRows = {
  /** active groups bound to a unit */
  groups: { chat: string; unitId: number; paused: boolean }[];
  plans: { id: number; coordinatorUnitId: number | null }[];
  leaders: { id: number; leaderChat: string }[];
  /** per unit, the direct chats of the officers who turned personal reminders on */
  personal: Map<number, string[]>;
};

/** Where each unit's and each plan's messages go, from the groups, the plans' offices and the leaders. */
export function routingOf(rows: RoutingRows, defaultChat: string): Routing {
  const active = new Map<number, string[]>();
  const paused = new Set<number>();
  for (const g of rows.groups) {
    if (g.paused) paused.add(g.unitId);
    else active.set(g.unitId, [...(active.get(g.unitId) ?? []), g.chat]);
  }
  const leaderChat = new Map(rows.leaders.map((u) => [u.id, u.leaderChat]));
  const coordinator = new Map(rows.plans.map((p) => [p.id, p.coordinatorUnitId]));
  const chatsOf = (unitId: number) => active.get(unitId) ?? [];
  const officeChats = (planId: number) => {
    const office = coordinator.get(planId);
    const chats = office ? chatsOf(office) : [];
    return chats.length ? chats : [defaultChat];
  };
  return {
    unitChats: chatsOf,
    coordinatorChats: officeChats,
    personalChats: (unitId) => rows.personal.get(unitId) ?? [],
    isPaused: (unitId) => paused.has(unitId) && !active.has(unitId),
    escalationChats(planId, unitId) {
      const chats = new Set(officeChats(planId));
      const leader = leaderChat.get(unitId);
      if (leader) chats.add(leader);
      return [...chats];
    },
    defaultChat,
  };
}

export type RoundInput = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkdayCalendar;
  policyOf(planId: number): ReminderPolicy;
  /** when the previous round ran: a stage reached after it and long before now was missed (bot down) */
  previousRoundAt: Date | null;
  occurrences: RoundOccurrence[];
  routing: Routing;
  /** how long after its moment a stage still counts as on time; default two 15-minute rounds */
  graceMinutes?: number;
};

/** What a notice is about: one occurrence of a plan task, or one citizen's dossier. */
export type NoticeSubject =
  | { occurrenceId: number; dossierId?: undefined }
  | { dossierId: number; occurrenceId?: undefined }
  /** digests and check-ins: what they are about is in the key */
  | { occurrenceId?: undefined; dossierId?: undefined };
export type PlannedNotice = { key: string; kind: MessageKind; chat: string; late: boolean } & NoticeSubject;
export type PlannedAttachment = { fileName: string; mime: string; base64: string };
export type PlannedMessage = {
  chat: string;
  kind: MessageKind;
  /** the task codes the chat can mark done from this message (its "Đã xong" buttons), most urgent first */
  tasks: string[];
  text: string;
  /** what the text is written from, so the parts a chat gets from several planners share one screen */
  parts?: MessagePart[];
  late: boolean;
  noticeKeys: string[];
  attachments?: PlannedAttachment[];
};
/** The last stage said, per subject: what the next round compares with. */
export type StageUpdate = { stage: number } & ({ occurrenceId: number; dossierId?: undefined } | { dossierId: number; occurrenceId?: undefined });
export type RoundPlan = {
  at: Date;
  skipped: null | 'not_working_day' | 'outside_office_hours';
  notices: PlannedNotice[];
  messages: PlannedMessage[];
  stages: StageUpdate[];
};

const KIND_PRIORITY: MessageKind[] = ['escalation', 'overdue', 'reminder'];

/** Why no round runs at `now` (a day off, outside office hours), or null when it runs. */
export function roundSkipped(input: Pick<RoundInput, 'now' | 'zone' | 'officeHours' | 'calendar'>): RoundPlan['skipped'] {
  if (!input.calendar.isWorkingDay(localDateOf(input.now, input.zone))) return 'not_working_day';
  const time = localTimeOf(input.now, input.zone);
  if (time < input.officeHours.start || time >= input.officeHours.end) return 'outside_office_hours';
  return null;
}

export type DueStage = { due: LocalDate; stage: number };

/**
 * The latest stage any plan's policy has reached today for each due day (those that reached one). The stage
 * depends only on (policy, due day), so a round can ask the database for just the occurrences whose last
 * stage is behind it (on an ordinary day a small part of the open ones); planRound then applies each
 * occurrence's own plan policy, so plans with different policies read a few rows more, never fewer.
 */
export function stagesReached(input: {
  today: LocalDate;
  calendar: WorkdayCalendar;
  policies: Iterable<ReminderPolicy>;
  dues: readonly LocalDate[];
}): DueStage[] {
  const offsets = new WorkdayOffsets(input.calendar, input.today);
  const policies = [...input.policies];
  const reached: DueStage[] = [];
  for (const due of input.dues) {
    const offset = offsets.of(due);
    let latest: number | null = null;
    for (const policy of policies) {
      const stage = stageAt(offset, policy);
      if (stage !== null && (latest === null || stage > latest)) latest = stage;
    }
    if (latest !== null) reached.push({ due, stage: latest });
  }
  return reached;
}

export function planRound(input: RoundInput): RoundPlan {
  const planner = new RoundPlanner(input);
  planner.add(input.occurrences);
  return planner.finish();
}

/**
 * planRound over occurrences that come in pages (a round over a million rows never holds them all): `add`
 * each page in the order read, then `finish`. What is kept between pages is what the round says (notices,
 * stages, each chat's items), not the rows read.
 */
export class RoundPlanner {
  private readonly today: LocalDate;
  private readonly skipped: RoundPlan['skipped'];
  private readonly offsets: WorkdayOffsets;
  private readonly lateByAge = new Map<number, boolean>();
  // the stage depends only on (plan, due day): computed once per pair, however many units share it
  private readonly stageCache = new Map<string, { offset: number; stage: number | null }>();
  private readonly notices: PlannedNotice[] = [];
  private readonly stages: StageUpdate[] = [];
  private readonly items = new Map<string, MessageItem[]>();
  private readonly keysByChat = new Map<string, string[]>();

  constructor(private readonly input: Omit<RoundInput, 'occurrences'>) {
    this.today = localDateOf(input.now, input.zone);
    this.skipped = roundSkipped(input);
    this.offsets = new WorkdayOffsets(input.calendar, this.today);
  }

  // a stage's moment is the office start of the day it was reached: (offset - stage) working days ago
  private isLate(stage: number, offset: number): boolean {
    const age = offset - stage;
    let late = this.lateByAge.get(age);
    if (late === undefined) {
      late = missedMoment(this.input, instantOf(this.offsets.workingDaysBefore(age), this.input.officeHours.start, this.input.zone));
      this.lateByAge.set(age, late);
    }
    return late;
  }

  private say(notice: PlannedNotice, item: MessageItem): void {
    this.notices.push(notice);
    const keys = this.keysByChat.get(notice.chat);
    if (keys) keys.push(notice.key);
    else this.keysByChat.set(notice.chat, [notice.key]);
    const list = this.items.get(notice.chat);
    if (list) list.push(item);
    else this.items.set(notice.chat, [item]);
  }

  add(occurrences: Iterable<RoundOccurrence>): void {
    if (this.skipped) return;
    const { routing } = this.input;
    for (const occ of occurrences) {
      const policy = this.input.policyOf(occ.planId);
      const cacheKey = `${occ.planId}|${occ.due}`;
      let cached = this.stageCache.get(cacheKey);
      if (!cached) {
        const offset = this.offsets.of(occ.due);
        cached = { offset, stage: stageAt(offset, policy) };
        this.stageCache.set(cacheKey, cached);
      }
      const { offset, stage } = cached;
      if (stage === null || (occ.lastStage !== null && stage <= occ.lastStage)) continue;
      if (routing.isPaused(occ.unitId)) continue;
      const late = this.isLate(stage, offset);
      const kind: MessageKind = isOverdueStage(stage) ? 'overdue' : 'reminder';
      const chats = routing.unitChats(occ.unitId);
      const targets = chats.length ? chats : [routing.defaultChat];
      // only what the message is written from: a round over a million rows keeps ~140k of these
      const item: MessageItem = {
        kind,
        code: occ.code,
        content: occ.content,
        label: occ.label,
        due: occ.due,
        offset,
        unitName: occ.unitName,
        unbound: chats.length === 0,
        late,
        firstOverdue: kind === 'overdue' && (occ.lastStage === null || occ.lastStage <= 0),
      };
      for (const chat of targets) this.say({ key: `occ:${occ.id}:stage:${stage}:${chat}`, kind, occurrenceId: occ.id, chat, late }, item);
      // an officer's direct chat: the same stage, its own notice key, the officer's own unit's item
      for (const chat of routing.personalChats?.(occ.unitId) ?? []) {
        if (targets.includes(chat)) continue;
        this.say({ key: `occ:${occ.id}:stage:${stage}:${chat}`, kind, occurrenceId: occ.id, chat, late }, { ...item, unbound: false });
      }
      if (crossesEscalation(occ.lastStage, stage, policy)) {
        for (const chat of routing.escalationChats(occ.planId, occ.unitId)) {
          this.say({ key: `occ:${occ.id}:escalation:${chat}`, kind: 'escalation', occurrenceId: occ.id, chat, late }, { ...item, kind: 'escalation', unbound: false });
        }
      }
      this.stages.push({ occurrenceId: occ.id, stage });
    }
  }

  finish(): RoundPlan {
    const { now } = this.input;
    if (this.skipped) return { at: now, skipped: this.skipped, notices: [], messages: [], stages: [] };
    const messages: PlannedMessage[] = [];
    for (const [chat, list] of this.items) {
      const kind = KIND_PRIORITY.find((k) => list.some((i) => i.kind === k)) ?? 'reminder';
      const parts: MessagePart[] = [{ kind: 'tasks', today: this.today, items: list }];
      messages.push({
        chat,
        kind,
        late: list.some((i) => i.late),
        tasks: ownTasks(list),
        text: renderMessage(parts, { replies: readsReplies(chat) }),
        parts,
        noticeKeys: this.keysByChat.get(chat) ?? [],
      });
    }
    return { at: now, skipped: null, notices: this.notices, messages, stages: this.stages };
  }
}

/**
 * A moment was missed (the bot was down) when the previous round ran before it and this one runs more than
 * the grace period after it; a first round ever, or a moment the previous round already passed, is not late.
 */
export function missedMoment(input: Pick<RoundInput, 'previousRoundAt' | 'now' | 'graceMinutes'>, moment: Date): boolean {
  if (!input.previousRoundAt) return false;
  return input.previousRoundAt < moment && input.now.getTime() - moment.getTime() > (input.graceMinutes ?? 30) * 60_000;
}

const COMBINED_KIND_PRIORITY: MessageKind[] = ['escalation', 'overdue', 'apology', 'reminder', 'digest', 'checkin'];
/** the kinds whose `tasks` are plan task codes (a dossier message's are dossier codes) */
const TASK_KINDS = new Set<MessageKind>(['reminder', 'overdue', 'escalation']);

/**
 * One round's plan from several planners (plan tasks, periodic messages, dossiers), with one combined
 * message per chat: a group never gets two messages from one round.
 */
export function mergePlans(first: RoundPlan, ...rest: Pick<RoundPlan, 'notices' | 'messages' | 'stages'>[]): RoundPlan {
  const byChat = new Map<string, PlannedMessage[]>();
  for (const m of [...first.messages, ...rest.flatMap((p) => p.messages)]) byChat.set(m.chat, [...(byChat.get(m.chat) ?? []), m]);
  const messages = [...byChat.values()].map((list): PlannedMessage => {
    if (list.length === 1) return list[0]!;
    const ordered = [...list].sort((a, b) => COMBINED_KIND_PRIORITY.indexOf(a.kind) - COMBINED_KIND_PRIORITY.indexOf(b.kind));
    const attachments = ordered.flatMap((m) => m.attachments ?? []);
    // a planner that keeps its own text (dossiers) contributes it whole
    const parts = ordered.flatMap((m): MessagePart[] => m.parts ?? [{ kind: 'text', text: m.text }]);
    return {
      chat: ordered[0]!.chat,
      kind: ordered[0]!.kind,
      late: ordered.some((m) => m.late),
      tasks: [...new Set(ordered.filter((m) => TASK_KINDS.has(m.kind)).flatMap((m) => m.tasks))],
      noticeKeys: ordered.flatMap((m) => m.noticeKeys),
      text: renderMessage(parts, { replies: readsReplies(ordered[0]!.chat) }),
      parts,
      ...(attachments.length ? { attachments } : {}),
    };
  });
  return {
    ...first,
    notices: [...first.notices, ...rest.flatMap((p) => p.notices)],
    messages,
    stages: [...first.stages, ...rest.flatMap((p) => p.stages)],
  };
}

/**
 * Working-day offsets from `today`, cached per due day (a round has few distinct due days however many
 * occurrences it scans): 0 on the due day, −n when n working days remain, +n when n working days late.
 */
class WorkdayOffsets {
  private readonly cache = new Map<LocalDate, number>();
  constructor(
    private readonly calendar: WorkdayCalendar,
    private readonly today: LocalDate,
  ) {}

  of(due: LocalDate): number {
    let offset = this.cache.get(due);
    if (offset === undefined) {
      offset = workdayOffset(this.calendar, this.today, due);
      this.cache.set(due, offset);
    }
    return offset;
  }

  /** The working day `n` working days before today (today itself for n = 0). */
  workingDaysBefore(n: number): LocalDate {
    let day = this.today;
    for (let left = n; left > 0; ) {
      day = addDays(day, -1);
      if (this.calendar.isWorkingDay(day)) left--;
    }
    return day;
  }
}
