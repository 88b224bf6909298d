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
