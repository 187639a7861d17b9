// The one backoff rule: a delay that doubles with each attempt up to a ceiling, optionally
// spread at random so that instances failing together do not retry together.

export interface BackoffOptions {
  /** 1 for the first retry; lower values count as 1. */
  attempt: number;
  /** The first delay, in milliseconds. */
  baseMs: number;
  /** The longest delay before jitter; no ceiling when absent. */
  maxMs?: number;
  /** Spreads the delay up to this fraction either way: 0.25 gives 75–125 % of it. Default 0. */
  jitter?: number;
  /** Where the jitter's randomness comes from, a value in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/** Milliseconds to wait before the given attempt: `baseMs × 2^(attempt − 1)`, capped, then jittered. */
export function backoff(options: BackoffOptions): number {
  const { baseMs, maxMs = Number.POSITIVE_INFINITY, jitter = 0, random = Math.random } = options;
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new RangeError("backoff: baseMs and maxMs must be 0 or more");
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError("backoff: jitter must be between 0 and 1");
  const doublings = Math.max(0, Math.floor(options.attempt) - 1);
  // 0 × 2^n stays 0 however large n grows, where 0 × Infinity would not.
  const capped = baseMs === 0 ? 0 : Math.min(maxMs, baseMs * 2 ** doublings);
  const spread = jitter === 0 ? 1 : 1 - jitter + 2 * jitter * random();
  return Math.round(capped * spread);
}
