import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// deploy/: what this machine can check without a Docker engine. The Dockerfile itself is replayed by
// `node deploy/test-dockerfile.mjs` (minutes: it installs the dependencies and builds better-sqlite3).
const root = path.resolve(import.meta.dirname, '..');
const deploy = (file: string) => path.join(root, 'deploy', file);
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('deploy/', () => {
  it.skipIf(!has('systemd-analyze'))('the systemd unit passes systemd-analyze verify; a broken copy does not', () => {
    const ok = spawnSync('systemd-analyze', ['verify', deploy('nhacviec.service')], { encoding: 'utf8' });
    expect(ok.stderr.trim()).toBe('');
    expect(ok.status).toBe(0);
    // the check is real: the same unit with a typo and a missing program fails it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-unit-'));
    const broken = path.join(dir, 'nhacviec.service');
    fs.writeFileSync(broken, fs.readFileSync(deploy('nhacviec.service'), 'utf8').replace('Restart=on-failure', 'Restart=sometimes').replace('/usr/bin/node', '/usr/bin/khong-co-node'));
    const bad = spawnSync('systemd-analyze', ['verify', broken], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('khong-co-node');
  });

  it('the unit runs what npm start runs, as the Dockerfile does, and lets a wrong setting stop for good', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe('tsx src/main.ts');
    const unit = fs.readFileSync(deploy('nhacviec.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node --import tsx src\/main\.ts$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=1$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/opt\/nhacviec\/data$/m);
    expect(fs.readFileSync(deploy('Dockerfile'), 'utf8')).toContain('CMD ["node", "--import", "tsx", "src/main.ts"]');
  });

  it.skipIf(spawnSync('python3', ['-c', 'import yaml']).status !== 0)('the compose file: the bot waits for a healthy PostgreSQL and reaches it by its service name', () => {
    const parsed = spawnSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', deploy('compose.yaml')], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    const compose = JSON.parse(parsed.stdout) as { services: Record<string, any>; volumes: Record<string, unknown> };
    const { bot, db } = compose.services;
    expect(bot.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(fs.existsSync(path.join(root, 'deploy', bot.build.context, bot.build.dockerfile))).toBe(true);
    expect(bot.environment.DATABASE_URL).toMatch(/^postgresql:\/\/nhacviec:\$\{POSTGRES_PASSWORD\}@db:5432\/nhacviec/);
    expect(bot.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    for (const service of [bot, db]) for (const v of service.volumes as string[]) expect(Object.keys(compose.volumes)).toContain(v.split(':')[0]);
  });
});
