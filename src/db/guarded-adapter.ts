import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import { notWritable, type NotWritable } from './errors.ts';

type SqlDriverAdapter = Awaited<ReturnType<SqlDriverAdapterFactory['connect']>>;
type Transaction = Awaited<ReturnType<SqlDriverAdapter['startTransaction']>>;
type SqlQuery = Parameters<SqlDriverAdapter['executeRaw']>[0];

export type WriteState = { ok: true } | { ok: false; reason: NotWritable; since: Date; error: string };

/** Whether the database took the last write: set by every write the client runs, read by /healthz. */
export class WriteHealth {
  #state: WriteState = { ok: true };

  current(): WriteState {
    return this.#state;
  }

  failed(error: unknown): void {
    const reason = notWritable(error);
    if (reason && (this.#state.ok || this.#state.reason !== reason)) {
      this.#state = { ok: false, reason, since: new Date(), error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
  }

  succeeded(): void {
    this.#state = { ok: true };
  }
}

/** a statement that changes data outside a transaction: its success means the database takes writes */
const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
const COMMIT = /^\s*COMMIT\s*$/i;
const END = /^\s*(COMMIT|ROLLBACK)\s*$/i;
const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };

/**
 * Wraps a Prisma driver adapter factory so that a transaction whose COMMIT (or ROLLBACK) fails still ends and
 * gives back what it holds. Prisma's client sends COMMIT as a statement and only then calls the transaction's
 * commit(), which is where both adapters let go: the better-sqlite3 adapter's transaction mutex (every later
 * transaction waited on it forever after a COMMIT failed with SQLITE_FULL), the pg adapter's pooled connection
 * (ten failed commits emptied the pool). Here a failed end rolls back what may still be open and lets go.
 * It also records in `health` whether writes pass (disk full, read-only).
 */
export function guardAdapter(factory: SqlDriverAdapterFactory, health: WriteHealth): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => guardConnection(await factory.connect(), health),
  };
}

async function watched<T>(health: WriteHealth, run: () => Promise<T>, wrote: boolean): Promise<T> {
  try {
    const result = await run();
    if (wrote) health.succeeded();
    return result;
  } catch (error) {
    health.failed(error);
    throw error;
  }
}

function guardConnection(adapter: SqlDriverAdapter, health: WriteHealth): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => watched(health, () => adapter.queryRaw(query), WRITE.test(query.sql)),
    executeRaw: (query) => watched(health, () => adapter.executeRaw(query), WRITE.test(query.sql)),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: async (isolationLevel) => guardTransaction(await adapter.startTransaction(isolationLevel), health),
    // PostgreSQL's adapter tells the client its schema here
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

function guardTransaction(tx: Transaction, health: WriteHealth): Transaction {
  let held = true;
  /** commit() and rollback() only let go (the statements were sent before): at most once, or a later transaction's lock would go */
  const letGo = async (end: () => Promise<void>) => {
    if (!held) return;
    held = false;
    await end();
  };
  const run = async <T>(query: SqlQuery, io: () => Promise<T>): Promise<T> => {
    try {
      return await watched(health, io, COMMIT.test(query.sql));
    } catch (error) {
      if (END.test(query.sql)) {
        // SQLite ends a transaction whose COMMIT failed with SQLITE_FULL itself but keeps one open after
        // SQLITE_BUSY; PostgreSQL ends it; a lost connection has none: roll back whatever is left, quietly
        await tx.executeRaw(ROLLBACK).catch(() => {});
        await letGo(() => tx.rollback()).catch(() => {});
      }
      throw error;
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => run(query, () => tx.queryRaw(query)),
    executeRaw: (query) => run(query, () => tx.executeRaw(query)),
    commit: () => letGo(() => tx.commit()),
    rollback: () => letGo(() => tx.rollback()),
  };
}
