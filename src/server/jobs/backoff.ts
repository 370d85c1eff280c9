/**
 * Retry delays: exponential (base, 2 x base, 4 x base, ... capped at max) with "equal jitter" —
 * the delay is drawn from [d/2, d]. The jitter spreads retries of jobs that failed together (a
 * database blip, a target going down) so they do not all come back in the same second; keeping
 * half the delay fixed guarantees the backoff still grows.
 */
export interface BackoffPolicy {
  /** Delay before the second attempt at full jitter; default 1 s. */
  baseMs: number;
  /** Cap; default 1 h. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 3_600_000 };

/**
 * Delay after the `attempt`-th attempt failed (attempt >= 1). `random` returns [0, 1]; with 1 the
 * delay is the full exponential value, with 0 half of it.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2 ** 40 already dwarfs any sane cap; clamping the exponent keeps the number finite.
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 40));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(full / 2 + (full / 2) * r);
}
