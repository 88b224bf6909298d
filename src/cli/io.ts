/** CLI plumbing: exit codes and output per the contract (docs/contracts.md). */

/** The input was wrong: exit status 1, the Vietnamese message on stderr. */
export class UsageError extends Error {}

export type CliOutput = { json: unknown; text: string };

/** One option of a command's help: the flag as typed ("--year NĂM") and what it does. */
export type CliOption = [flag: string, meaning: string];

/**
 * A CLI command and its help, in Vietnamese. A new command is one entry in main.ts's table; `summary`,
 * `options` and `notes` are optional (the usage line stands in for the summary).
 */
export type CliCommand = {
  /** the synopsis after "nhacviec ": 'import TỆP --year NĂM [--plan TÊN] [--dry-run]' */
  usage: string;
  /** what the command does, one line, for the command list */
  summary?: string;
  options?: CliOption[];
  /** lines after the options: conventions, examples */
  notes?: string[];
  run(args: string[], env: CliEnv): Promise<CliOutput>;
};

export type CliEnv = { db?: string; json: boolean };
