/**
 * Task codes of an understood plan: the open path of each task row and the item number printed in the
 * number column that restarts in every group; the other number column (a running number) gives aliases.
 * Pure.
 */
import { relativeTo } from './plan-outline.ts';
import type { Draft, Marker, ParsedTask, Warn } from './plan-types.ts';
import { splitUnits } from './units.ts';

/** A single Arabic number: what an item column holds. */
function single(m: Marker | null | undefined): number | null {
  return m?.kind === 'arabic' && m.path.length === 1 ? (m.path[0] as number) : null;
}

/**
 * Which number column gives the items: the one whose numbers restart at 1 in the most sections (a running
 * number restarts only with each part); on a tie the rightmost. -1 when no column holds numbers.
 */
export function itemColumn(drafts: Draft[]): number {
  const width = Math.max(0, ...drafts.map((d) => d.markers.length));
  let best = -1;
  let bestScore = -1;
  for (let k = 0; k < width; k++) {
    const first = new Map<string, number>();
    let used = 0;
    for (const d of drafts) {
      const m = d.markers[k];
      if (m === null || m === undefined || m.kind === 'bullet') continue;
      used++;
      const n = single(m) ?? (m.kind === 'letter' ? m.n : m.kind === 'arabic' ? (m.path[m.path.length - 1] as number) : null);
      const key = d.path.join('.');
      if (n !== null && !first.has(key)) first.set(key, n);
    }
    if (used === 0) continue;
    const score = [...first.values()].filter((n) => n === 1).length;
    if (score >= bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

export function assignCodes(drafts: Draft[], warn: Warn): ParsedTask[] {
  const k = itemColumn(drafts);
  // "a)", "b)" after task 2 of a group are its sub-tasks 2.1, 2.2; with no numbered task before, items 1, 2
  let numbered: { section: string; n: number } | undefined;
  const items = drafts.map((d) => {
    const m = k >= 0 ? d.markers[k] : null;
    const section = d.path.join('.');
    if (numbered?.section !== section) numbered = undefined;
    if (m?.kind === 'letter') return numbered ? [numbered.n, m.n] : [m.n];
    if (m?.kind === 'arabic') {
      if (m.path.length === 1) numbered = { section, n: m.path[0] as number };
      return relativeTo(d.path, m.path);
    }
    return null;
  });
  const sectionOf = (d: Draft, item: number[] | null): string => [...d.path, ...(item ?? [0]).slice(0, -1)].join('.');
  const lastOf = (item: number[]): number => item[item.length - 1] as number;
  const numberLabel = (d: Draft): string | undefined => d.labels.numbers[Math.max(0, k)] ?? d.labels.numbers[0];

  const usedBySection = new Map<string, Set<number>>();
  const usedIn = (section: string): Set<number> => {
    let used = usedBySection.get(section);
    if (!used) usedBySection.set(section, (used = new Set<number>()));
    return used;
  };
  drafts.forEach((d, i) => {
    const item = items[i];
    if (item) usedIn(sectionOf(d, item)).add(lastOf(item));
  });
  const nextFree = (section: string, preferred: number | null): number => {
    const used = usedIn(section);
    let n = preferred !== null && !used.has(preferred) ? preferred : Math.max(0, ...used) + 1;
    while (used.has(n)) n++;
    used.add(n);
    return n;
  };

  const byCode = new Map<string, Draft>();
  const tasks: ParsedTask[] = [];
  const unitsOf = new Map<string, string[]>();
  const split = (text: string): string[] => {
    let units = unitsOf.get(text);
    if (!units) unitsOf.set(text, (units = splitUnits(text)));
    return [...units];
  };
  let previous: { section: string; item: number } | undefined;
  drafts.forEach((d, i) => {
    const item = items[i] ?? null;
    const section = sectionOf(d, item);
    const join = (n: number): string => (section === '' ? String(n) : `${section}.${n}`);
    let n: number;
    let code: string;
    if (item !== null && !byCode.has(join(lastOf(item)))) {
      n = lastOf(item);
      code = join(n);
    } else if (item !== null) {
      const first = byCode.get(join(lastOf(item))) as Draft;
      n = nextFree(section, null);
      code = join(n);
      warn(d.row, `hai nhiệm vụ cùng mã ${join(lastOf(item))} (dòng ${first.row} và dòng ${d.row}); nhiệm vụ ở dòng ${d.row} được đặt mã ${code} (số tiếp theo còn trống trong nhóm)`, numberLabel(d));
      d.needsReview = true;
    } else {
      n = nextFree(section, previous && previous.section === section ? previous.item + 1 : 1);
      code = join(n);
      warn(d.row, `nhiệm vụ không có số thứ tự; đặt mã ${code} (số tiếp theo còn trống trong nhóm)`, numberLabel(d));
      d.needsReview = true;
    }
    previous = { section, item: n };
    byCode.set(code, d);
    if (d.leadText === '') {
      warn(d.row, 'không có đơn vị chủ trì', d.labels.lead);
      d.needsReview = true;
    }
    if (d.deadlineText === '') warn(d.row, 'không có thời hạn', d.labels.deadline);
    const aliases = d.markers.flatMap((m, j) => {
      const running = j === k ? null : single(m);
      if (running === null) return [];
      return d.part !== undefined ? [String(running), `${d.part}.${running}`] : [String(running)];
    });
    tasks.push({
      code,
      sectionPath: d.path.join('.'),
      number: k >= 0 ? (d.numbers[k] ?? '') : '',
      ...(aliases.length ? { aliases: aliases.filter((a) => a !== code) } : {}),
      content: d.content,
      leadText: d.leadText,
      coordText: d.coordText,
      lead: split(d.leadText),
      coord: split(d.coordText),
      deadlineText: d.deadlineText,
      result: d.result,
      note: d.note,
      row: d.row,
      needsReview: d.needsReview,
    });
  });
  return tasks;
}
