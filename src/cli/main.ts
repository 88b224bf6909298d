import 'dotenv/config';
import { SettingsError } from '../config.ts';
import { PlanFileError } from '../import/errors.ts';
import { calendar } from './calendar.ts';
import { deadline } from './deadline.ts';
import { importCommand, unitsCommand } from './import.ts';
import { UsageError, type CliCommand } from './io.ts';
import { remind } from './remind.ts';
import { dossier } from './dossier.ts';
import { zalo } from './zalo.ts';
import { bench } from './bench.ts';
import { report } from './report.ts';
import { policy } from './policy.ts';
import { admin } from './admin.ts';
import { backup } from './backup.ts';

/** nhacviec <command> [options]: the administrator CLI (docs/contracts.md). Exit 0 done, 1 bad input, 2 else. */
const commands: Record<string, CliCommand> = { deadline, calendar, import: importCommand, units: unitsCommand, remind, report, policy, dossier, zalo, admin, backup, bench };

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  let args = argv.filter((a) => a !== '--json');
  let db: string | undefined;
  const dbIndex = args.indexOf('--db');
  if (dbIndex >= 0) {
    db = args[dbIndex + 1];
    if (!db) return fail(new UsageError('--db cần một địa chỉ cơ sở dữ liệu, ví dụ --db file:./data/thu.db'));
    args = [...args.slice(0, dbIndex), ...args.slice(dbIndex + 2)];
  }
  const [name, ...rest] = args;
  const command = name ? commands[name] : undefined;
  if (!command) {
    const list = Object.values(commands).map((c) => `  nhacviec ${c.usage}`).join('\n');
    return fail(new UsageError(`${name ? `Không có lệnh "${name}".` : 'Thiếu lệnh.'} Các lệnh:\n${list}\nTùy chọn chung: --json, --db URL`));
  }
  try {
    const out = await command.run(rest, { json, db });
    process.stdout.write(json ? `${JSON.stringify(out.json)}\n` : `${out.text}\n`);
    return 0;
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  // node:util parseArgs rejects unknown or malformed options with an ERR_PARSE_ARGS_* code (in English)
  const badOption = String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
  const input = error instanceof UsageError || error instanceof PlanFileError || error instanceof SettingsError || badOption;
  const message = error instanceof Error ? error.message : String(error);
  const text = badOption ? `Tùy chọn không hợp lệ (${message}). Xem cách dùng: npm run -s cli -- <lệnh> (không tham số để xem danh sách lệnh)` : message;
  process.stderr.write(`${input ? '' : 'Lỗi: '}${text}\n`);
  return input ? 1 : 2;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
