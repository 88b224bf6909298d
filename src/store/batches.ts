/**
 * Lists of values bound into one statement (`IN (...)`, `VALUES ...`) are cut into batches. Prisma refuses a
 * statement over 999 bound values on SQLite unless it can split the statement itself (it splits only a lone
 * `in` of a findMany), SQLite itself stops at 32,766 and PostgreSQL's protocol at 65,535; a province's
 * 100k tasks passed all three. 500 leaves room for a statement's other parameters.
 */
export const BATCH = 500;

/** `run` on each batch of `items`, results in order. */
export async function inBatches<T, R>(items: readonly T[], run: (batch: T[]) => Promise<R[]>, size = BATCH): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) for (const r of await run(items.slice(i, i + size))) out.push(r);
  return out;
}

/** The sum of `run` over the batches of `items`: a count, or the rows an update or a delete changed. */
export async function sumInBatches<T>(items: readonly T[], run: (batch: T[]) => Promise<number | { count: number }>, size = BATCH): Promise<number> {
  let total = 0;
  for (let i = 0; i < items.length; i += size) {
    const n = await run(items.slice(i, i + size));
    total += typeof n === 'number' ? n : n.count;
  }
  return total;
}

/**
 * Every row of a query, read in pages by ascending id: a relation read with its parents (`occurrences` of
 * each assignment, ordered) is one more statement binding every parent's id, which Prisma does not split.
 */
export async function allPages<R extends { id: number }>(read: (afterId: number, take: number) => Promise<R[]>, size = 10_000): Promise<R[]> {
  const out: R[] = [];
  for (let after = 0; ; ) {
    const page = await read(after, size);
    for (const r of page) out.push(r);
    if (page.length < size) return out;
    after = page[page.length - 1]!.id;
  }
}
