import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/server/jobs/index.js';

const policy = { baseMs: 1000, maxMs: 60_000 };

describe('backoffDelay', () => {
  it.each([
    // attempt, random, delay
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 1, 4000],
    [6, 1, 32_000],
    [7, 1, 60_000], // capped
    [1000, 1, 60_000], // no overflow to Infinity/NaN
    [1, 0, 500], // equal jitter: never below half
    [3, 0, 2000],
    [3, 0.5, 3000],
    [0, 1, 1000], // defensive: attempt 0 behaves like 1
  ])('attempt %i with random %d waits %i ms', (attempt, random, delay) => {
    expect(backoffDelay(attempt, policy, () => random)).toBe(delay);
  });

  it('clamps a misbehaving random source to [0, 1]', () => {
    expect(backoffDelay(2, policy, () => 7)).toBe(2000);
    expect(backoffDelay(2, policy, () => -3)).toBe(1000);
  });
});
