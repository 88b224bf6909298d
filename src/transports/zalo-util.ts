/** Small helpers shared by the Zalo session, its send queue and the Zalo Bot transport. */

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // closing a dead socket may throw; nothing to do
  }
}

/**
 * Waits for a platform call at most `ms` (a real timer, whatever clock the caller runs on): zca-js has calls
 * that never settle (an upload waiting for a socket event that never comes). The call itself cannot be
 * cancelled; its late result is ignored.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<{ timedOut: false; value: T } | { timedOut: true }> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
    timer.unref?.();
  });
  const settled = promise.then((value) => ({ timedOut: false as const, value }));
  settled.catch(() => {}); // a failure after the timeout has nobody left to tell
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
