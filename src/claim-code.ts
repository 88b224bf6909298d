import type { PrismaClient } from './db/database.ts';
import type { Logger } from './log.ts';
import { anyAdmin, claimCodeAlive, issueClaimCode } from './store/admins.ts';

export type IssuedCode = { code: string; expiresAt: Date };

export type ClaimKeeper = {
  /** issues a code now if this instance has no live one and nobody administers the bot; serialized */
  check(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Keeps one live claim code for this instance while the bot has no administrator: the start-up code, and a
 * fresh one whenever the last one dies (used up by wrong tries, typed in a group, expired), so a stranger who
 * kills a code does not lock the clerk out. A code is only ever handed to `show`, which prints it where the
 * operator alone sees it (the server's stdout); it is never stored in clear nor sent to a chat.
 * The check runs every `everyMs` (a code may die through another instance sharing the database, or expire)
 * and whenever the caller asks (after a /quantri, so the new code is on the screen before the clerk looks).
 */
export function keepClaimCode(
  deps: { prisma: PrismaClient; admins: readonly string[]; holder: string; clock: () => Date; log: Logger },
  show: (issued: IssuedCode, replaces: boolean) => void,
  everyMs = 10_000,
): ClaimKeeper {
  let started = false;
  let shown = false;
  let chain: Promise<void> = Promise.resolve();
  const once = async () => {
    const now = deps.clock();
    // at start the code is always new (this instance's previous one was printed by a process now gone), and
    // issueClaimCode clears codes left behind once an administrator exists; later checks only read
    if (started) {
      if (await anyAdmin(deps.prisma, deps.admins)) return;
      if (shown && (await claimCodeAlive(deps.prisma, deps.holder, now))) return;
    }
    started = true;
    const issued = await issueClaimCode(deps.prisma, deps.admins, deps.holder, now);
    if (!issued) return;
    const replaces = shown;
    shown = true;
    show(issued, replaces);
  };
  const check = () => {
    chain = chain.then(once).catch((error) => deps.log.warn({ err: String(error) }, 'claim code check failed'));
    return chain;
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return {
    check,
    async stop() {
      clearInterval(timer);
      await chain;
    },
  };
}
