import { rawSetting, SettingsError } from '../config.ts';
import { databaseTrouble, isDatabaseError } from '../db/errors.ts';
import { createLogger } from '../log.ts';
import { PlanFileError } from '../import/errors.ts';
import { ImportRefusedError } from '../store/plan-store.ts';
import { optionError } from './args.ts';
import { bench } from './bench.ts';
import { calendar } from './calendar.ts';
import { deadline } from './deadline.ts';
import { dossier } from './dossier.ts';
import { commandHelp, commandList } from './help.ts';
import { importCommand, unitsCommand } from './import.ts';
import { UsageError, type CliCommand } from './io.ts';
import { policy } from './policy.ts';
import { remind } from './remind.ts';
import { report } from './report.ts';
import { zalo } from './zalo.ts';
import { admin } from './admin.ts';
import { backup } from './backup.ts';

/**
 * nhacviec <command> [options]: the administrator CLI (docs/contracts.md). Exit 0 done, 1 bad input, 2 else.
 * One entry per command; its help comes from the entry (help.ts). main.ts runs it and writes the outcome.
 */
export const commands: Record<string, CliCommand> = { deadline, calendar, import: importCommand, units: unitsCommand, remind, report, policy, dossier, zalo, admin, backup, bench };

export type Outcome = { code: number; stdout?: string; stderr?: string };

/** --json and --db URL (or --db=URL) anywhere before a "--"; what follows "--" is the command's, untouched. */
function globalOptions(argv: string[]): { json: boolean; db?: string; words: string[] } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const words: string[] = [];
  let json = false;
  let db: string | undefined;
  for (let i = 0; i < head.length; i++) {
    const a = head[i]!;
    if (a === '--json') json = true;
    else if (a === '--db') {
      db = head[++i];
      if (!db || db.startsWith('--')) throw new UsageError('--db cần một địa chỉ cơ sở dữ liệu, ví dụ --db file:./data/thu.db');
    } else if (a.startsWith('--db=')) db = a.slice('--db='.length);
    else words.push(a);
  }
  return { json, ...(db ? { db } : {}), words: end < 0 ? words : [...words, ...argv.slice(end)] };
}

function helpOutput(json: boolean, name?: string): Outcome {
  if (name === undefined) {
    const list = Object.entries(commands).map(([n, c]) => ({ name: n, usage: `nhacviec ${c.usage}`, summary: c.summary ?? null }));
    return { code: 0, stdout: json ? JSON.stringify({ commands: list }) : commandList(commands) };
  }
  const c = commands[name];
  if (!c) throw new UsageError(`Không có lệnh "${name}". Gõ nhacviec help để xem các lệnh.`);
  const doc = { name, usage: `nhacviec ${c.usage}`, summary: c.summary ?? null, options: (c.options ?? []).map(([flag, meaning]) => ({ flag, meaning })), notes: c.notes ?? [] };
  return { code: 0, stdout: json ? JSON.stringify(doc) : commandHelp(name, c) };
}

/** Runs one command line (without node and the script); never throws. */
export async function runCli(argv: string[]): Promise<Outcome> {
  let json = false;
  let name: string | undefined;
  try {
    const parsed = globalOptions(argv);
    json = parsed.json;
    const [first, ...rest] = parsed.words;
    // "help --help", "help help": the help of help is the list of commands
    if (first === 'help' || first === '--help' || first === '-h') return helpOutput(json, first === 'help' && !['help', '--help', '-h'].includes(rest[0] ?? '') ? rest[0] : undefined);
    name = first;
    const command = name ? commands[name] : undefined;
    if (!command) {
      const list = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(9)} ${c.summary ?? c.usage}`).join('\n');
      throw new UsageError(`${name ? `Không có lệnh "${name}".` : 'Thiếu lệnh.'} Các lệnh:\n${list}\nXem hướng dẫn: nhacviec help [lệnh]`);
    }
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (own.includes('--help') || own.includes('-h') || (own[0] === 'help' && own.length === 1)) return helpOutput(json, name);
    const out = await command.run(rest, { json, ...(parsed.db ? { db: parsed.db } : {}) });
    return { code: 0, stdout: json ? JSON.stringify(out.json) : out.text };
  } catch (error) {
    return failure(error, name);
  }
}

function failure(error: unknown, name: string | undefined): Outcome {
  if (isDatabaseError(error)) {
    // Prisma's message quotes our source code: the person reads what happened, the log (LOG_LEVEL) the detail
    try {
      if (rawSetting('LOG_LEVEL')) createLogger(rawSetting('LOG_LEVEL')!).error({ err: (error as Error).stack }, 'command failed');
    } catch {
      // an unknown LOG_LEVEL: no log, the sentence below still says what happened
    }
    return { code: 2, stderr: `Lỗi: ${databaseTrouble(error)}.${rawSetting('LOG_LEVEL') ? '' : ' Đặt LOG_LEVEL=error để xem chi tiết kỹ thuật.'}` };
  }
  const command = name ? commands[name] : undefined;
  const translated = optionError(error, name, command);
  const input = translated !== null || error instanceof UsageError || error instanceof PlanFileError || error instanceof SettingsError || error instanceof ImportRefusedError;
  const message = translated ?? (error instanceof Error ? error.message : String(error));
  return { code: input ? 1 : 2, stderr: `${input ? '' : 'Lỗi: '}${message}` };
}
