/**
 * Many rows in one statement on both databases: the rows travel as one JSON parameter, read as a table by
 * json_each (SQLite) or json_to_recordset (PostgreSQL). Prisma's createMany/updateMany cost ~0.1 ms a row
 * and a per-row update much more; a plan of thousands of tasks must not hold the write lock for that long.
 */
import type { PrismaClient, Tx } from '../db/database.ts';
import { Prisma } from '../generated/sqlite/client.ts';

export type Provider = 'sqlite' | 'postgres';
export type ColumnType = 'int' | 'text' | 'timestamp';

/** The database a client (or a transaction client) talks to. */
export function providerOf(client: PrismaClient | Tx): Provider {
  // Prisma keeps the schema's provider on every client it hands out (no query needed)
  const provider = (client as unknown as { _activeProvider?: string })._activeProvider;
  return provider === 'postgresql' ? 'postgres' : 'sqlite';
}

/** A timestamp as a JSON value: the text each database's DateTime columns take. */
export function stamp(date: Date, provider: Provider): string {
  // SQLite's DateTime columns hold the adapter's ISO text with an explicit offset
  return provider === 'sqlite' ? date.toISOString().replace('Z', '+00:00') : date.toISOString();
}

/** Rows per statement: bounds the JSON text held at once. */
const CHUNK = 20_000;

/**
 * The rows as a FROM-able table named `j` with the given columns (identifiers from code, never from input).
 * Callers pass at most CHUNK rows (see chunks).
 */
export function jsonTable(rows: object[], columns: Record<string, ColumnType>, provider: Provider): Prisma.Sql {
  const json = JSON.stringify(rows);
  const names = Object.keys(columns);
  if (provider === 'sqlite') {
    const select = names.map((n) => `e.value->>'${n}' AS "${n}"`).join(', ');
    return Prisma.sql`(SELECT ${Prisma.raw(select)} FROM json_each(${json}) e) AS j`;
  }
  const types: Record<ColumnType, string> = { int: 'int', text: 'text', timestamp: 'timestamp(3)' };
  const defs = names.map((n) => `"${n}" ${types[columns[n] as ColumnType]}`).join(', ');
  return Prisma.sql`json_to_recordset(${json}::json) AS j(${Prisma.raw(defs)})`;
}

export function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

/** Ids as a table `j` with one column "id". */
export function idTable(ids: number[], provider: Provider): Prisma.Sql {
  return jsonTable(
    ids.map((id) => ({ id })),
    { id: 'int' },
    provider,
  );
}
