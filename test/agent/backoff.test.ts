/** Reconnect delays: exponential up to the cap, with jitter between half and all of the step. */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/agent/agent.js';

describe('backoffDelay', () => {
  it.each([
    // attempt, random, expected (base 1000 ms, cap 60 s)
    [0, 0, 500],
    [0, 1, 1000],
    [1, 0.5, 1500],
    [3, 0, 4000],
    [6, 1, 60_000],
    [40, 0, 30_000],
    [40, 1, 60_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, 1000, 60_000, () => random)).toBe(expected);
  });
});
