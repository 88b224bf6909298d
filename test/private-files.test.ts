import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { report } from '../src/cli/report.ts';
import { openDatabase } from '../src/db/database.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { harness } from './helpers/app.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

// Test files run in forked processes (vitest pool "forks"): the umask can be set here.
describe('files holding people\'s data are private (0600) whatever the umask', () => {
  let umask: number;
  let dir: string;
  beforeEach(() => {
    umask = process.umask(0o000); // the widest: every file would be world-readable
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-private-'));
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the SQLite database, its WAL and its shared-memory file, and the folder made for them', async () => {
    const file = path.join(dir, 'data', 'nhacviec.db');
    const db = await openDatabase(`file:${file}`);
    try {
      await db.prisma.state.create({ data: { key: 'k', value: 'v' } });
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect({ f, mode: mode(f) }).toEqual({ f, mode: 0o600 });
      expect(mode(path.dirname(file))).toBe(0o700);
    } finally {
      await db.close();
    }
  });

  it('an existing database keeps the mode its operator gave it', async () => {
    const file = path.join(dir, 'shared.db');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o640);
    const db = await openDatabase(`file:${file}`);
    await db.close();
    expect(mode(file)).toBe(0o640);
  });

  it('reports exported by the CLI (XLSX, CSV, chart), also over an existing world-readable file', async () => {
    const url = `file:${path.join(dir, 'r.db')}`;
    const h = await harness(url);
    await ensureExamplePlan(h.app);
    await h.close();
    const files = { xlsx: path.join(dir, 'out', 'bc.xlsx'), csv: path.join(dir, 'bc.csv'), chart: path.join(dir, 'bc.png') };
    fs.writeFileSync(files.csv, 'old');
    fs.chmodSync(files.csv, 0o644);
    await report.run(['--at', '2023-04-05', '--xlsx', files.xlsx, '--csv', files.csv, '--chart', files.chart], { db: url, json: true });
    for (const f of Object.values(files)) expect({ f, mode: mode(f) }).toEqual({ f, mode: 0o600 });
    expect(fs.readFileSync(files.csv, 'utf8')).not.toBe('old');
  });
});
