import pg from 'pg';

const NAME_OID = 19;
const TEXT_OID = 25;

/**
 * A pg.Pool that reports columns of type `name` (oid 19) as `text` (oid 25).
 * Prisma's PostgreSQL adapter cannot deserialize `name` columns, which its migration engine reads from the
 * catalog (prisma/orm#27403); as text they carry the same value.
 */
export class NameAsTextPool extends pg.Pool {
  // pg's query() has many overloads; this one wraps every form and returns what pg returned.
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((res: pg.QueryResult) => {
        for (const field of res?.fields ?? []) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
        return res;
      }) as never;
    }
    return result as never;
  }
}
