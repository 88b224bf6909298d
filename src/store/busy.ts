import { isBusy } from '../db/errors.ts';

/**
 * Runs a write again when SQLite reports the database busy (another process writing): e.g. the sender's
 * bookkeeping after a send must not turn into a retry of the send itself.
 */
export async function whenNotBusy<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (error) {
      if (!isBusy(error) || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 30));
    }
  }
}
