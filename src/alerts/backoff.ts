/** Exponential backoff with jitter, bounded by maxDelayMs; pure so tests can pin the random source. */
import type { RetryPolicy } from './channel.js';

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * Delay before try number `failedAttempts + 1`. Jitter takes away up to `jitter` of the delay so
 * many watchers failing together do not retry in lockstep; a receiver's Retry-After is honoured up to
 * maxDelayMs.
 */
export function backoffDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, failedAttempts - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const jittered = capped * (1 - policy.jitter * random());
  const floor = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.round(Math.max(jittered, floor));
}
