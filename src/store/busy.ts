/**
 * Runs a write again when SQLite reports the database busy (another process writing): e.g. the sender's
 * bookkeeping after a send must not turn into a retry of the send itself.
 */
export async function whenNotBusy<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (error) {
      // better-sqlite3 says SQLITE_BUSY; through Prisma it arrives as "Operation has timed out" (P1008)
      const busy = /SQLITE_BUSY|database is locked|timed out|P1008/i.test(`${(error as Error)?.message ?? ''} ${String((error as { code?: unknown })?.code ?? '')}`);
      if (!busy || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 30));
    }
  }
}
