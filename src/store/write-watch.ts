import type { PrismaClient } from '../db/database.ts';

const READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', '$queryRaw', '$queryRawUnsafe']);

/**
 * A client that notes whether anything written through it was committed: a write outside a transaction once
 * it succeeds, the writes of an interactive transaction once the transaction commits (a rolled-back one
 * leaves nothing). The generic error reply of a chat command says "nothing changed" only when that is true.
 */
export function watchWrites(prisma: PrismaClient): { prisma: PrismaClient; wrote(): boolean } {
  let committed = false;
  let inTransaction = 0;
  let pending = false;
  const extended = prisma.$extends({
    query: {
      async $allOperations({ operation, args, query }) {
        const result = await query(args);
        if (!READS.has(operation)) {
          if (inTransaction > 0) pending = true;
          else committed = true;
        }
        return result;
      },
    },
  }) as unknown as PrismaClient;
  const watched = new Proxy(extended, {
    get(target, key, receiver) {
      if (key !== '$transaction') return Reflect.get(target, key, receiver);
      return async (arg: unknown, options?: unknown) => {
        const run = target.$transaction.bind(target) as (a: unknown, o?: unknown) => Promise<unknown>;
        // a batch of queries: each is counted by the extension as it succeeds together with the others
        if (typeof arg !== 'function') return run(arg, options);
        const outer = pending;
        pending = false;
        inTransaction++;
        try {
          const result = await run(arg, options);
          if (pending) committed = true;
          return result;
        } finally {
          inTransaction--;
          pending = outer;
        }
      };
    },
  });
  return { prisma: watched, wrote: () => committed };
}
