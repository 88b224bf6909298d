/** CLI plumbing: exit codes and output per the contract (docs/contracts.md). */

/** The input was wrong: exit status 1, the Vietnamese message on stderr. */
export class UsageError extends Error {}

export type CliOutput = { json: unknown; text: string };

export type CliCommand = {
  usage: string;
  run(args: string[], env: CliEnv): Promise<CliOutput>;
};

export type CliEnv = { db?: string; json: boolean };
