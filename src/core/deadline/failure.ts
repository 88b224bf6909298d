/** A reading that failed, with the Vietnamese reason the unknown rule will carry. */
export type Failure = { failed: string };
export const fail = (failed: string): Failure => ({ failed });
export const isFailure = (x: unknown): x is Failure => typeof x === 'object' && x !== null && 'failed' in x;
