// Prisma CLI configuration: the JS schema engine (WASM) with a driver adapter, so generate / migrate diff /
// migrate deploy run offline. PRISMA_SCHEMA=postgres switches to the PostgreSQL schema.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { NameAsTextPool } from './src/db/pg-pool.ts';

const postgres = process.env.PRISMA_SCHEMA === 'postgres';
// The schema's datasource reads DATABASE_URL: without it the CLI cannot read the schema and falls back to
// downloading a native engine, which fails offline.
process.env.DATABASE_URL ??= postgres ? 'postgresql://postgres@127.0.0.1:5432/test' : 'file:./data/nhacviec.db';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: postgres ? path.join('prisma', 'postgres', 'schema.prisma') : path.join('prisma', 'schema.prisma'),
  migrations: { path: postgres ? path.join('prisma', 'postgres', 'migrations') : path.join('prisma', 'migrations') },
  async adapter() {
    if (postgres) {
      return new PrismaPg(new NameAsTextPool({ connectionString: process.env.DATABASE_URL }));
    }
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! });
  },
});
