import { describe, expect, it } from 'vitest';
import { computeScores } from './scoring.js';

describe('computeScores', () => {
  it('averages groups for the default model and weights rules for flat', () => {
    const scores = computeScores([
      { status: 'pass', weight: 1, group: 'ssh' },
      { status: 'fail', weight: 1, group: 'ssh' },
      { status: 'pass', weight: 2, group: 'kernel' },
      { status: 'notapplicable', weight: 5, group: 'kernel' },
      { status: 'notchecked', weight: 5, group: 'other' },
    ]);
    // ssh 50, kernel 100 -> default 75; flat: 3 of 4 weight -> 75; unweighted: 2 of 3 counted.
    expect(scores).toEqual({ default: 75, flat: 75, flatUnweighted: 66.67 });
  });

  it('counts error and unknown as not passing, fixed as passing', () => {
    expect(
      computeScores([
        { status: 'error', weight: 1, group: 'a' },
        { status: 'unknown', weight: 1, group: 'a' },
        { status: 'fixed', weight: 1, group: 'a' },
        { status: 'informational', weight: 1, group: 'a' },
      ]),
    ).toEqual({ default: 33.33, flat: 33.33, flatUnweighted: 33.33 });
  });

  it('scores an empty or all-excluded scan as 0', () => {
    expect(computeScores([{ status: 'notselected', weight: 1, group: 'a' }])).toEqual({
      default: 0,
      flat: 0,
      flatUnweighted: 0,
    });
  });
});
