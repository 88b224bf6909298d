/**
 * Which stored task each task of a re-imported plan is: by content first, so that a plan read again with
 * other codes (a layout now understood, a row inserted, groups renumbered) keeps each task's statuses and
 * history under its new code; by code for a task whose text was edited. Pure.
 */
import { foldWords } from './text.ts';

type Fields = { code: string; content: string; leadText: string; coordText: string; deadlineText: string; result: string; note: string };
export type StoredTask = Fields & { id: number; archived: boolean };
export type IncomingTask = Fields;

/**
 * For each incoming task (in order), the id of the stored task it is, or null for a new one. Tiers, each
 * over what earlier tiers left: a content found once on each side; same code and content; same content,
 * lead and deadline; same content; same code. Tasks with the same text (a "Báo cáo" closing every group)
 * pair up within the stretch between their matched neighbours, so a group removed or inserted does not
 * shift them onto each other; the live task wins over an archived one.
 */
export function matchTasks(stored: StoredTask[], incoming: IncomingTask[]): (number | null)[] {
  // stored tasks in plan order (the caller's order), live ones first among equals
  const ordered = stored.map((s, position) => ({ s, position })).sort((a, b) => Number(a.s.archived) - Number(b.s.archived));
  // the folded texts once per task: the tiers below compare them again and again
  const folded = (t: IncomingTask) => ({ code: t.code, content: foldWords(t.content), rest: `${foldWords(t.leadText)}\u0000${foldWords(t.deadlineText)}` });
  const storedKeys = ordered.map((o) => folded(o.s));
  const incomingKeys = incoming.map(folded);
  /** per incoming task, the position of its stored task (-1: none yet) */
  const matched: number[] = incoming.map(() => -1);
  const result: (number | null)[] = incoming.map(() => null);
  const taken = new Set<number>();

  const content = (t: ReturnType<typeof folded>): string => t.content;
  // unique: only a key found once on each side; within: only a candidate between the matched neighbours
  const tiers: { key: (t: ReturnType<typeof folded>) => string; unique?: boolean; within?: boolean }[] = [
    { key: content, unique: true },
    { key: (t) => (t.content === '' ? '' : `${t.code}\u0000${t.content}`), within: true },
    { key: (t) => (t.content === '' ? '' : `${t.content}\u0000${t.rest}`) },
    { key: content },
    { key: (t) => t.code },
  ];
  for (const { key, unique, within } of tiers) {
    const free = new Map<string, { s: StoredTask; position: number }[]>();
    ordered.forEach((o, i) => {
      if (taken.has(o.s.id)) return;
      const k = key(storedKeys[i]!);
      if (k === '') return;
      const list = free.get(k);
      if (list) list.push(o);
      else free.set(k, [o]);
    });
    const wanted = new Map<string, number>();
    if (unique) incomingKeys.forEach((t, i) => result[i] === null && wanted.set(key(t), (wanted.get(key(t)) ?? 0) + 1));
    // the stored position of the next matched incoming task, from the end
    const next: number[] = new Array<number>(incoming.length);
    for (let i = incoming.length - 1, after = Infinity; i >= 0; i--) {
      next[i] = after;
      if (matched[i]! >= 0) after = matched[i]!;
    }
    let before = -1;
    incomingKeys.forEach((t, i) => {
      if (matched[i]! >= 0) {
        before = matched[i]!;
        return;
      }
      const k = key(t);
      const list = k === '' ? undefined : free.get(k);
      if (!list?.length || (unique && (list.length !== 1 || wanted.get(k) !== 1))) return;
      const inStretch = list.findIndex((o) => o.position > before && o.position < next[i]!);
      if (inStretch < 0 && within) return;
      const [candidate] = list.splice(inStretch >= 0 ? inStretch : 0, 1);
      result[i] = candidate!.s.id;
      matched[i] = candidate!.position;
      before = candidate!.position;
      taken.add(candidate!.s.id);
    });
  }
  return result;
}

export type PlanDiff<S extends StoredTask = StoredTask> = {
  /** For each incoming task, the stored task it is (null: a new task). */
  matchOf: (S | null)[];
  added: string[];
  /** codes (new ones) of tasks whose text changed, or archived tasks the plan brings back */
  changed: string[];
  renamed: { from: string; to: string }[];
  /** live stored tasks the plan no longer has */
  archived: S[];
  unchanged: number;
};

function sameText(a: Fields, b: Fields): boolean {
  return a.content === b.content && a.leadText === b.leadText && a.coordText === b.coordText && a.deadlineText === b.deadlineText && a.result === b.result && a.note === b.note;
}

/** What importing `incoming` over `stored` does, task by task. */
export function planDiff<S extends StoredTask>(stored: S[], incoming: IncomingTask[]): PlanDiff<S> {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const matchOf = matchTasks(stored, incoming).map((id) => (id === null ? null : (byId.get(id) as S)));
  const diff: PlanDiff<S> = { matchOf, added: [], changed: [], renamed: [], archived: [], unchanged: 0 };
  incoming.forEach((t, i) => {
    const old = matchOf[i];
    if (!old) return void diff.added.push(t.code);
    if (old.code !== t.code) diff.renamed.push({ from: old.code, to: t.code });
    if (old.archived || !sameText(old, t)) diff.changed.push(t.code);
    else if (old.code === t.code) diff.unchanged++;
  });
  const kept = new Set(matchOf.flatMap((s) => (s ? [s.id] : [])));
  diff.archived = stored.filter((s) => !s.archived && !kept.has(s.id));
  return diff;
}
