#!/usr/bin/env node
// Schema chores for both databases, run offline through the Prisma CLI's WASM engine.
//   node scripts/prisma.mjs generate          generate the SQLite and the PostgreSQL clients (postinstall)
//   node scripts/prisma.mjs sync              write prisma/postgres/schema.prisma from prisma/schema.prisma
//   node scripts/prisma.mjs migration NAME    sync, then add a migration for both providers
// prisma/schema.prisma is the one to edit. Each migration folder keeps the schema it leads to
// (schema.prisma), which is what the next migration is diffed from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const providers = {
  sqlite: { schema: 'prisma/schema.prisma', migrations: 'prisma/migrations', url: 'file:./data/nhacviec.db' },
  postgres: { schema: 'prisma/postgres/schema.prisma', migrations: 'prisma/postgres/migrations', url: 'postgresql://postgres@127.0.0.1:5432/test' },
};

function prisma(provider, args, capture = false) {
  const env = { ...process.env, DATABASE_URL: providers[provider].url, PRISMA_SCHEMA: provider, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  return execFileSync(process.execPath, [prismaBin, ...args], { cwd: root, env, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
}

function postgresSchemaText() {
  const source = fs.readFileSync(path.join(root, providers.sqlite.schema), 'utf8');
  const text = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
    .replace('// nhacviec — the SQLite schema (the embedded default).', '// GENERATED from prisma/schema.prisma by `node scripts/prisma.mjs sync`: do not edit.');
  if (!text.includes('"postgresql"') || !text.includes('generated/postgres')) throw new Error('schema.prisma no longer has the expected provider/output lines');
  return text;
}

function sync() {
  const target = path.join(root, providers.postgres.schema);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, postgresSchemaText());
}

function migration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? '')) throw new Error('usage: migration <name in snake_case>');
  sync();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  for (const provider of Object.keys(providers)) {
    const { schema, migrations } = providers[provider];
    const dir = path.join(root, migrations);
    fs.mkdirSync(dir, { recursive: true });
    const previous = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'schema.prisma'))).sort().at(-1);
    const from = previous ? ['--from-schema-datamodel', path.join(migrations, previous, 'schema.prisma')] : ['--from-empty'];
    const sql = prisma(provider, ['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], true);
    const target = path.join(dir, `${stamp}_${name}`);
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'migration.sql'), sql);
    fs.copyFileSync(path.join(root, schema), path.join(target, 'schema.prisma'));
    const lock = path.join(dir, 'migration_lock.toml');
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, `provider = "${provider === 'postgres' ? 'postgresql' : 'sqlite'}"\n`);
    console.log(`${provider}: ${path.relative(root, target)}`);
  }
}

const [command, arg] = process.argv.slice(2);
if (command === 'generate') {
  sync();
  for (const provider of Object.keys(providers)) prisma(provider, ['generate']);
} else if (command === 'sync') sync();
else if (command === 'migration') migration(arg);
else {
  console.error('usage: node scripts/prisma.mjs generate | sync | migration NAME');
  process.exit(1);
}
