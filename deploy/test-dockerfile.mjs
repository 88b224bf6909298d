#!/usr/bin/env node
/**
 * Replays deploy/Dockerfile on this machine, for hosts without a Docker engine: this machine stands in for the
 * base image (node:20 on Debian 12), each stage gets its own folder standing in for its file system, and the
 * instructions run as Docker would run them (COPY honouring Dockerfile.dockerignore, RUN in WORKDIR with ENV).
 * Then the "image" is started as its CMD, as its USER, with its VOLUME: the console chat answers and stops,
 * the database is created in the volume, the code cannot be written by the bot, the CLI runs.
 *
 * What it cannot do here, and says so: install the base image's packages (apt-get lines are checked, not run:
 * they would change this machine) and switch to the image's "node" user by name (it uses the node image's uid
 * and gid, 1000:1000, which needs root; otherwise it runs as the current user and says so).
 *
 * Usage: node deploy/test-dockerfile.mjs [--keep]   (exit 0 when every check passes; about 1–3 minutes)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
const dockerfile = path.join(repo, 'deploy', 'Dockerfile');
const keep = process.argv.includes('--keep');
const NODE_UID = 1000; // the "node" user of the official node images
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-docker-'));
// an image's files are readable by its user: so must the folders standing in for them be
fs.chmodSync(work, 0o755);
let failures = 0;

const say = (line) => process.stdout.write(`${line}\n`);
const check = (ok, what) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
};

// --- parsing --------------------------------------------------------------------------------------------

/** The Dockerfile's instructions: comments dropped, continued lines joined. */
function instructions(text) {
  const out = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = '';
    const [, op, args] = /^(\S+)\s*([\s\S]*)$/.exec(whole);
    out.push({ op: op.toUpperCase(), args });
  }
  return out;
}

/** .dockerignore patterns as a test on paths relative to the context */
function ignored() {
  const file = `${dockerfile}.dockerignore`;
  const patterns = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
  const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(/.*)?$`));
  return (rel) => res.some((re) => re.test(rel));
}

function envPairs(args) {
  const pairs = {};
  for (const m of args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) pairs[m[1]] = m[2].replace(/^"|"$/g, '');
  return pairs;
}

// --- the stages -----------------------------------------------------------------------------------------

const stages = [];
const isIgnored = ignored();
/** a path in the stage's file system, on this machine */
const host = (stage, p) => path.join(stage.root, path.resolve(stage.workdir, p));

function copy(from, to) {
  const stat = fs.statSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from)) copy(path.join(from, entry), path.join(to, entry));
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

function copyFromContext(stage, sources, dest) {
  const toDir = dest.endsWith('/') || sources.length > 1;
  const walk = (abs, out) => {
    if (isIgnored(path.relative(repo, abs))) return;
    if (fs.statSync(abs).isDirectory()) {
      fs.mkdirSync(out, { recursive: true });
      for (const e of fs.readdirSync(abs)) walk(path.join(abs, e), path.join(out, e));
    } else {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(abs, out);
    }
  };
  for (const source of sources) {
    const from = path.join(repo, source);
    if (!check(fs.existsSync(from), `COPY ${source}: in the build context`)) continue;
    // a folder's contents go into the destination; a file into it (a folder) or onto it
    walk(from, fs.statSync(from).isDirectory() || !toDir ? host(stage, dest) : path.join(host(stage, dest), path.basename(source)));
  }
}

/** RUN on this machine: the stage's absolute paths mapped into its folder, the image's "node" user by uid */
function run(stage, command) {
  if (/^apt-get\b/.test(command)) {
    const packages = /install\s+(?:-\S+\s+)*([^&;]+)/.exec(command)?.[1].trim().split(/\s+/).filter((p) => !p.startsWith('-')) ?? [];
    const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
    return check(missing.length === 0, `RUN ${command.slice(0, 60)}… not run here (it would change this machine); its packages are present: ${missing.length ? `missing ${missing.join(' ')}` : packages.join(' ')}`);
  }
  const mapped = command.replace(/(^|[\s=])\/(app|data)(?=[\s/]|$)/g, (_, before, dir) => `${before}${path.join(stage.root, dir)}`).replace(/\bnode:node\b/g, `${NODE_UID}:${NODE_UID}`);
  say(`RUN ${mapped}`);
  const started = Date.now();
  const result = spawnSync('sh', ['-ec', mapped], { cwd: host(stage, '.'), env: { ...process.env, ...stage.env }, stdio: ['ignore', 'inherit', 'inherit'] });
  return check(result.status === 0, `RUN finished with ${result.status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const text = fs.readFileSync(dockerfile, 'utf8');
for (const { op, args } of instructions(text)) {
  const stage = stages.at(-1);
  switch (op) {
    case 'FROM': {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      const next = { name: name ?? `stage${stages.length}`, image, root: path.join(work, `stage${stages.length}`), workdir: '/', env: {}, user: 'root', volumes: [], cmd: null };
      fs.mkdirSync(next.root, { recursive: true });
      stages.push(next);
      const major = process.versions.node.split('.')[0];
      const debian = fs.existsSync('/etc/debian_version') ? fs.readFileSync('/etc/debian_version', 'utf8').trim() : '?';
      check(new RegExp(`^node:${major}-bookworm`).test(image) && debian.startsWith('12'), `FROM ${image}: this machine stands in for it (node ${process.versions.node}, Debian ${debian})`);
      break;
    }
    case 'WORKDIR':
      stage.workdir = path.resolve(stage.workdir, args.trim());
      fs.mkdirSync(host(stage, '.'), { recursive: true });
      break;
    case 'ENV':
      Object.assign(stage.env, envPairs(args));
      break;
    case 'COPY': {
      const words = args.trim().split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const [dest, ...sources] = words.filter((w) => !w.startsWith('--')).reverse();
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      if (from) {
        const source = stages.find((s) => s.name === from);
        if (!check(Boolean(source), `COPY --from=${from}: a stage of that name`)) break;
        for (const s of sources.reverse()) copy(path.join(source.root, s), host(stage, dest));
      } else copyFromContext(stage, sources.reverse(), dest);
      break;
    }
    case 'RUN':
      run(stage, args.trim());
      break;
    case 'USER':
      stage.user = args.trim();
      break;
    case 'VOLUME':
      stage.volumes.push(...(args.trim().startsWith('[') ? JSON.parse(args) : args.trim().split(/\s+/)));
      break;
    case 'CMD':
      stage.cmd = JSON.parse(args);
      break;
    case 'HEALTHCHECK':
    case 'EXPOSE':
    case 'LABEL':
      break;
    default:
      if (!op.startsWith('#')) check(false, `${op}: not understood by this replay`);
  }
}

// --- the image, started -----------------------------------------------------------------------------------

const image = stages.at(-1);
check(stages.length >= 2, `multi-stage (${stages.map((s) => s.name).join(' → ')})`);
check(image.user !== 'root' && image.user !== '0', `runs as a non-root user (${image.user})`);
check(Array.isArray(image.cmd) && image.cmd[0] === 'node', `CMD in exec form, node directly: ${JSON.stringify(image.cmd)}`);
const dbUrl = image.env.DATABASE_URL ?? '';
const volume = image.volumes[0];
check(Boolean(volume) && dbUrl.startsWith(`file:${volume}/`), `the SQLite database (${dbUrl}) is on the volume (${volume})`);
check(fs.existsSync(path.join(image.root, 'app', 'node_modules', 'tsx')) && !fs.existsSync(path.join(image.root, 'app', 'node_modules', 'vitest')), 'the dependencies are installed, without the development ones (vitest)');
check(!fs.existsSync(path.join(image.root, 'app', '.env')), 'no .env copied into the image');

const root = process.getuid?.() === 0;
const mapPath = (p) => p.replace(/^(file:)?\/(app|data)\b/, (_, file = '', dir) => `${file}${path.join(image.root, dir)}`);
const env = { PATH: process.env.PATH, HOME: os.tmpdir(), ...Object.fromEntries(Object.entries(image.env).map(([k, v]) => [k, mapPath(v)])) };
const asImageUser = (cmd, args) => (root ? ['setpriv', [`--reuid=${NODE_UID}`, `--regid=${NODE_UID}`, '--clear-groups', cmd, ...args]] : [cmd, args]);
if (!root) say('note: not root here, so the image runs as the current user, not uid 1000');
const appDir = path.join(image.root, 'app');

const [cmd, args] = asImageUser(image.cmd[0], image.cmd.slice(1));
const started = spawnSync(cmd, args, { cwd: appDir, env, input: '/help\n', encoding: 'utf8', timeout: 120_000 });
check(started.status === 0, `CMD started in console mode, answered /help and stopped at the end of input (exit ${started.status})`);
check(/Lệnh cho cán bộ đầu mối/.test(started.stdout ?? ''), 'the console chat answered /help');
if (started.status !== 0) say(`${started.stdout?.slice(-800)}\n${started.stderr?.slice(-800)}`);
const dbFile = mapPath(dbUrl).slice('file:'.length);
check(fs.existsSync(dbFile), `the database was created in the volume (${dbFile})`);
if (root && fs.existsSync(dbFile)) check(fs.statSync(dbFile).uid === NODE_UID, 'the database belongs to the image user');
if (root) {
  const write = spawnSync(...asImageUser('sh', ['-c', `touch ${path.join(appDir, 'src', 'x')}`]), { stdio: 'ignore' });
  check(write.status !== 0, 'the image user cannot change the code');
}
const [cliCmd, cliArgs] = asImageUser('node', ['--import', 'tsx', 'src/cli/main.ts', 'admin', 'list', '--json']);
const cli = spawnSync(cliCmd, cliArgs, { cwd: appDir, env, encoding: 'utf8', timeout: 60_000 });
check(cli.status === 0 && JSON.parse(cli.stdout || '{}').admins !== undefined, `the CLI runs in the image (admin list --json: ${cli.stdout.trim() || cli.stderr.trim()})`);

if (keep) say(`kept: ${work}`);
else execFileSync('rm', ['-rf', work]);
say(failures ? `${failures} check(s) failed` : 'every check passed');
process.exit(failures ? 1 : 0);
