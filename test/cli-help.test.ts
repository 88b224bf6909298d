/**
 * The CLI speaks Vietnamese everywhere and helps (#16 item 5, CLI and settings): help for the CLI and every
 * command (exit 0), parseArgs and zod errors translated, deadline kinds and report files named in Vietnamese,
 * policy keys checked at every level and documented, read-only commands never creating a database.
 * Most cases run the CLI in process (runCli, the same code main.ts runs); a few spawn it as a user would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlinePolicySchema } from '../src/core/deadline/policy.ts';
import { POLICY_KEYS } from '../src/core/plan-policy.ts';
import { reminderPolicySchema } from '../src/core/reminder-policy.ts';
import { EXAMPLE } from '../src/example.ts';
import { commands, runCli } from '../src/cli/run.ts';
import { cli } from './helpers/cli.ts';
import { POSTGRES_URL, postgresAvailable, tempPostgresUrl, tempSqliteUrl } from './helpers/db.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-help-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Words of zod's, parseArgs's or a usage line's English that must never reach a person. */
const ENGLISH = /\b(Unknown|Unexpected|Invalid|Unrecognized|expected|option|argument|positional|To specify|Too big|Too small|Usage|Options|FILE|NAME|YYYY|ISO_DATETIME|CHART|XLSX:|once|recurring|on_demand|ongoing)\b/;

describe('help for the CLI and every command (table-driven from the commands table)', () => {
  it('help, --help and -h list every command with its summary', async () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['help', '--help'], ['help', 'help'], ['help', '-h']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      for (const name of Object.keys(commands)) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(r.stdout).toContain('nhacviec help <lệnh>');
      expect(r.stdout).not.toMatch(ENGLISH);
    }
  });

  it.each(Object.keys(commands))('%s: help %s, %s --help and %s -h give its Vietnamese usage, exit 0', async (name) => {
    const c = commands[name]!;
    const byHelp = await runCli(['help', name]);
    expect(byHelp.code).toBe(0);
    expect(byHelp.stdout).toContain(`Cách dùng:\n  nhacviec ${c.usage}`);
    expect(byHelp.stdout).toContain(c.summary!);
    for (const [flag] of c.options ?? []) expect(byHelp.stdout).toContain(flag);
    expect(byHelp.stdout).not.toMatch(ENGLISH);
    expect(await runCli([name, '--help'])).toEqual(byHelp);
    expect(await runCli([name, '-h'])).toEqual(byHelp);
    // the help is asked for before anything runs: no database, no file, no bench
    expect(await runCli([name, 'khong-co.csv', '--year', '2024', '--help'])).toEqual(byHelp);
  });

  it('help of a command that does not exist is a Vietnamese refusal; --json gives the help as JSON', async () => {
    expect(await runCli(['help', 'nope'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Không có lệnh "nope"') });
    const json = JSON.parse((await runCli(['help', 'import', '--json'])).stdout!) as { name: string; usage: string; options: { flag: string }[] };
    expect(json).toMatchObject({ name: 'import', usage: `nhacviec ${commands.import!.usage}` });
    expect(json.options.map((o) => o.flag)).toContain('--dry-run');
  });

  it('as a user runs it: --help exits 0; bench --help is its help, not a stack trace nor a bench run', async () => {
    const [top, bench] = await Promise.all([cli(['--help']), cli(['bench', '--help'])]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Các lệnh:');
    expect(bench.code).toBe(0);
    expect(bench.stdout).toContain('nhacviec bench [--quick]');
    expect(`${bench.stdout}${bench.stderr}`).not.toMatch(/\bat \S+:\d+|Error/);
  }, 120_000);
});

describe('option errors in Vietnamese, with the usage', () => {
  it.each([
    [['import', 'a.csv', '--year', '2024', '--foo'], /^Không có tùy chọn --foo cho lệnh import\. Nếu đó là nội dung bắt đầu bằng dấu "-".*đặt nó sau "--"/],
    [['calendar', '--year'], /^Tùy chọn --year cần một giá trị/],
    [['remind', '--at', '2023-02-13T08:00', '--dry-run=có'], /^Tùy chọn --dry-run không nhận giá trị/],
    [['calendar', '--year', '2024', 'thua'], /^Lệnh calendar không nhận tham số "thua"/],
    [['--db'], /^--db cần một địa chỉ/],
  ] as const)('%j', async (argv, message) => {
    const r = await runCli([...argv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(ENGLISH);
    if (argv[0] !== '--db') expect(r.stderr).toContain(`Cách dùng: nhacviec ${commands[argv[0]]!.usage}`);
  });
});

describe('deadline', () => {
  it('a phrase that starts with "- " works after "--" and without it, and the usage says so', async () => {
    const phrase = '- Trong quý II, quý III/2024. - Trước ngày 01/01/2025.';
    const after = await runCli(['deadline', '--year', '2024', '--json', '--', phrase]);
    const bare = await runCli(['deadline', phrase, '--year', '2024', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout!)).toMatchObject({ kind: 'once', dues: ['2024-09-30', '2024-12-31'] });
    expect(bare).toEqual(after);
    expect(commands.deadline!.notes!.join('\n')).toContain('-- "- ');
    // "--json" after "--" is part of the phrase, not the global option
    expect(JSON.parse((await runCli(['deadline', '--year', '2024', '--json', '--', 'Quý I'])).stdout!).dues).toEqual(['2024-03-31']);
  });

  it.each([
    ['Quý I/2023', 'có hạn chót'],
    ['Hàng quý', 'định kỳ'],
    ['Trong thời gian 10 ngày kể từ ngày tiếp nhận', 'theo sự kiện'],
    ['Khi có phát sinh', 'khi phát sinh'],
    ['Thường xuyên', 'thường xuyên'],
    ['ngày 31/02/2023', 'chưa hiểu'],
  ])('"%s" is of kind "%s" in words', async (phrase, kind) => {
    const r = await runCli(['deadline', phrase, '--year', '2023']);
    expect(r.stdout).toMatch(new RegExp(`^Loại: ${kind}`));
    expect(r.stdout).not.toMatch(ENGLISH);
  });
});

describe('settings errors in Vietnamese', () => {
  it('a wrong port, log level and dossier policy key print only Vietnamese (exit 1)', async () => {
    const r = await cli(['report'], { TELEGRAM_WEBHOOK_PORT: '70000', LOG_LEVEL: 'loud', NHACVIEC_DOSSIER_POLICY: '{"before":[0],"nhac":1}', DATABASE_URL: tempSqliteUrl() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cấu hình không hợp lệ');
    expect(r.stderr).toContain('- TELEGRAM_WEBHOOK_PORT: không được lớn hơn 65535');
    expect(r.stderr).toContain('- LOG_LEVEL: phải là một trong: "fatal", "error", "warn", "info", "debug", "trace", "silent"');
    expect(r.stderr).toContain('- NHACVIEC_DOSSIER_POLICY.before[0]: không được nhỏ hơn 1');
    expect(r.stderr).toMatch(/- NHACVIEC_DOSSIER_POLICY: không có khóa "nhac"; các khóa hợp lệ: before, onDueDay/);
    expect(r.stderr.replace(/"(fatal|error|warn|info|debug|trace|silent)"/g, '')).not.toMatch(ENGLISH);
  }, 60_000);
});

describe('with a database', () => {
  const url = tempSqliteUrl();
  const db = ['--db', url];
  beforeAll(async () => {
    expect((await runCli(['units', 'import', EXAMPLE.units, ...db])).code).toBe(0);
    expect((await runCli(['import', EXAMPLE.plan, '--year', '2023', '--plan', 'CT', ...db])).code).toBe(0);
  }, 120_000);
  const stored = async () => JSON.parse((await runCli(['policy', '--plan', 'CT', '--json', ...db])).stdout!).stored;

  it('policy --set refuses an unknown or wrongly shaped key at every level and changes nothing', async () => {
    const before = await stored();
    for (const [patch, message] of [
      ['{"deadlines":{"beforeDate":"same_day"}}', '- (toàn bộ): không có khóa "deadlines"; các khóa hợp lệ: deadline, reminders'],
      ['{"deadline":{"beforedate":"same_day"}}', '- deadline: không có khóa "beforedate"; các khóa hợp lệ: beforeDate, monthlyDay, quarterlyDay, dayOff'],
      ['{"reminders":{"before":[5],"nhac":true}}', '- reminders: không có khóa "nhac"'],
      ['{"deadline":5}', '- deadline: phải là một đối tượng {...} (nhận được 5)'],
      ['{"deadline":{"monthlyDay":"cuoi"}}', '- deadline.monthlyDay: phải là một số, hoặc là "last"'],
      ['{"reminders":{"before":[0]}}', '- reminders.before[0]: không được nhỏ hơn 1'],
      ['[1]', '- (toàn bộ): phải là một đối tượng {...}'],
    ]) {
      const r = await runCli(['policy', '--plan', 'CT', '--set', patch!, ...db]);
      expect(r.code, patch).toBe(1);
      expect(r.stderr).toContain('Chính sách không hợp lệ, chưa thay đổi gì');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('nhacviec policy --help');
      expect(r.stderr).not.toMatch(ENGLISH);
    }
    expect(await stored()).toEqual(before);
  });

  it('a valid --set changes only its keys', async () => {
    expect((await runCli(['policy', '--plan', 'CT', '--set', '{"reminders":{"before":[5,2,1]}}', ...db])).code).toBe(0);
    expect((await runCli(['policy', '--plan', 'CT', '--set', '{"reminders":{"escalateAfter":2}}', ...db])).code).toBe(0);
    expect((await stored()).reminders).toMatchObject({ before: [5, 2, 1], escalateAfter: 2 });
    // no reminder ahead and none daily once late: said in words, not as "trước hạn  ngày"
    const none = await runCli(['policy', '--plan', 'CT', '--set', '{"reminders":{"before":[],"overdueDaily":0}}', ...db]);
    expect(none.stdout).toContain('- Không nhắc trước hạn; nhắc vào sáng ngày đến hạn');
    expect(none.stdout).toContain('- Quá hạn: 5 ngày làm việc một lần; báo lãnh đạo khi trễ 2 ngày làm việc');
    expect((await runCli(['policy', '--plan', 'CT', '--set', '{"reminders":{"before":[5,2,1],"overdueDaily":3}}', ...db])).code).toBe(0);
  });

  it('policy --help documents every key of the schema', () => {
    const keys = [...Object.keys(deadlinePolicySchema.shape).map((k) => `deadline.${k}`), ...Object.keys(reminderPolicySchema.shape).map((k) => `reminders.${k}`)];
    expect(POLICY_KEYS.map((k) => k.key).sort()).toEqual(keys.sort());
    const help = commands.policy!.notes!.join('\n');
    for (const key of keys) expect(help).toContain(key);
  });

  it('report names the files it wrote in Vietnamese', async () => {
    const files = ['xlsx', 'csv', 'chart'].flatMap((k) => [`--${k}`, path.join(dir, `bao-cao.${k === 'chart' ? 'png' : k}`)]);
    const r = await runCli(['report', '--plan', 'CT', '--at', '2023-03-31', ...files, ...db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Đã ghi bảng tính Excel: ${path.join(dir, 'bao-cao.xlsx')}`);
    expect(r.stdout).toContain(`Đã ghi tệp CSV: ${path.join(dir, 'bao-cao.csv')}`);
    expect(r.stdout).toContain(`Đã ghi biểu đồ PNG: ${path.join(dir, 'bao-cao.png')}`);
    expect(r.stdout).not.toMatch(/CHART|XLSX:/);
  }, 60_000);
});

describe('read-only commands never create a database', async () => {
  it.each([
    [['report']],
    [['policy', '--plan', 'CT']],
    [['policy', '--plan', 'CT', '--set', '{"reminders":{"before":[3]}}']],
    [['remind', '--at', '2023-02-13T08:00', '--dry-run']],
  ])('%j on a mistyped SQLite path says the database does not exist and creates nothing', async (argv) => {
    const missing = path.join(dir, 'go-nham', 'x.db');
    const r = await runCli([...argv, '--db', `file:${missing}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Cơ sở dữ liệu file:.*go-nham\/x\.db chưa tồn tại .*lệnh này chỉ dùng dữ liệu đã có nên không tạo cơ sở dữ liệu mới/);
    expect(fs.existsSync(path.join(dir, 'go-nham'))).toBe(false);
  });

  it('an empty SQLite file is called empty and stays empty', async () => {
    const empty = path.join(dir, 'rong.db');
    fs.writeFileSync(empty, '');
    const r = await runCli(['report', '--db', `file:${empty}`]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/rong\.db trống \(tệp .* rỗng\)/) });
    expect(fs.statSync(empty).size).toBe(0);
  });

  it.runIf(await postgresAvailable())('a PostgreSQL schema without nhacviec tables is called empty and gets no tables', async () => {
    const { url, drop } = tempPostgresUrl();
    try {
      const r = await runCli(['report', '--db', url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/trống \(schema "t_\w+" .* chưa có bảng nào của nhacviec\)/);
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      const schema = new URL(url).searchParams.get('schema');
      const found = await client.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
      await client.end();
      expect(found.rows[0].n).toBe(0);
    } finally {
      await drop();
    }
  });
});
