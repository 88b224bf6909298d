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
 * over what earlier tiers left: same code and content; same content, lead and deadline; same content;
 * same code. Within a tier the live task wins over an archived one, then the earlier one, so tasks with
 * the same text (a "Báo cáo" in every group) pair up in plan order.
 */
export function matchTasks(stored: StoredTask[], incoming: IncomingTask[]): (number | null)[] {
  const result: (number | null)[] = incoming.map(() => null);
  const taken = new Set<number>();
  const ordered = [...stored].sort((a, b) => Number(a.archived) - Number(b.archived));
  // the folded texts once per task: the tiers below compare them again and again
  const folded = (t: IncomingTask) => ({ code: t.code, content: foldWords(t.content), rest: `${foldWords(t.leadText)}\u0000${foldWords(t.deadlineText)}` });
  const storedKeys = ordered.map(folded);
  const incomingKeys = incoming.map(folded);
  const tiers: ((t: ReturnType<typeof folded>) => string)[] = [
    (t) => (t.content === '' ? '' : `${t.code}\u0000${t.content}`),
    (t) => (t.content === '' ? '' : `${t.content}\u0000${t.rest}`),
    (t) => t.content,
    (t) => t.code,
  ];
  for (const key of tiers) {
    const free = new Map<string, StoredTask[]>();
    ordered.forEach((s, i) => {
      if (taken.has(s.id)) return;
      const k = key(storedKeys[i]!);
      if (k === '') return;
      const list = free.get(k);
      if (list) list.push(s);
      else free.set(k, [s]);
    });
    incomingKeys.forEach((t, i) => {
      if (result[i] !== null) return;
      const k = key(t);
      const candidate = k === '' ? undefined : free.get(k)?.shift();
      if (!candidate) return;
      result[i] = candidate.id;
      taken.add(candidate.id);
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
