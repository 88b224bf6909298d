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
 *
 * `reopenable`, when given, says whether a connection refused as read-only may be opened again: SQLite opens a
 * file it cannot write read-only, silently and for good, so once the file is writable again (an operator fixed
 * the mount or the mode) the connection is replaced, between transactions, instead of waiting for a restart.
 */
export function guardAdapter(factory: SqlDriverAdapterFactory, health: WriteHealth, reopenable?: () => Promise<boolean>): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => guardConnection(factory, await factory.connect(), health, reopenable),
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

function guardConnection(factory: SqlDriverAdapterFactory, first: SqlDriverAdapter, health: WriteHealth, reopenable?: () => Promise<boolean>): SqlDriverAdapter {
  let adapter = first;
  /** a write was refused as read-only on this connection */
  let readOnly = false;
  /** transactions started and not yet ended: the connection is not swapped under them */
  let open = 0;
  const noteReadOnly = (error: unknown) => {
    if (reopenable && notWritable(error) === 'readonly') readOnly = true;
  };
  const current = async (): Promise<SqlDriverAdapter> => {
    if (readOnly && open === 0 && (await reopenable!())) {
      // checked again: another caller may have reopened it while this one waited on the check
      if (readOnly && open === 0) {
        readOnly = false;
        const old = adapter;
        adapter = await factory.connect();
        await old.dispose().catch(() => {});
      }
    }
    return adapter;
  };
  const guarded = <T>(run: (a: SqlDriverAdapter) => Promise<T>, wrote: boolean) => async () => {
    const a = await current();
    try {
      return await watched(health, () => run(a), wrote);
    } catch (error) {
      noteReadOnly(error);
      throw error;
    }
  };
  return {
    provider: first.provider,
    adapterName: first.adapterName,
    queryRaw: (query) => guarded((a) => a.queryRaw(query), WRITE.test(query.sql))(),
    executeRaw: (query) => guarded((a) => a.executeRaw(query), WRITE.test(query.sql))(),
    executeScript: async (script) => (await current()).executeScript(script),
    startTransaction: async (isolationLevel) => {
      const a = await current();
      open++;
      let ended = false;
      const end = () => {
        if (!ended) open--;
        ended = true;
      };
      try {
        return guardTransaction(await a.startTransaction(isolationLevel), health, noteReadOnly, end);
      } catch (error) {
        end();
        throw error;
      }
    },
    // PostgreSQL's adapter tells the client its schema here
    ...(first.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

function guardTransaction(tx: Transaction, health: WriteHealth, noteReadOnly: (error: unknown) => void, ended: () => void): Transaction {
  let held = true;
  /** commit() and rollback() only let go (the statements were sent before): at most once, or a later transaction's lock would go */
  const letGo = async (end: () => Promise<void>) => {
    if (!held) return;
    held = false;
    ended();
    await end();
  };
  const run = async <T>(query: SqlQuery, io: () => Promise<T>): Promise<T> => {
    try {
      return await watched(health, io, COMMIT.test(query.sql));
    } catch (error) {
      noteReadOnly(error);
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
