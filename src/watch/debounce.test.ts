import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debounce.js';

describe('Debouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once, quietMs after the last touch of a burst', () => {
    const fire = vi.fn();
    const debouncer = new Debouncer({ quietMs: 100, maxWaitMs: 1000 }, fire);
    for (let t = 0; t < 5; t++) {
      debouncer.touch(t * 50);
      vi.advanceTimersByTime(50);
    }
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(debouncer.pending).toBe(false);
  });

  it('never postpones a continuous burst beyond maxWaitMs', () => {
    const fire = vi.fn();
    const debouncer = new Debouncer({ quietMs: 100, maxWaitMs: 300 }, fire);
    for (let t = 0; t <= 300; t += 20) {
      debouncer.touch(t);
      vi.advanceTimersByTime(20);
    }
    expect(fire).toHaveBeenCalledTimes(1);
    // The next touch starts a new batch with a fresh deadline.
    debouncer.touch(400);
    vi.advanceTimersByTime(100);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('cancel drops the pending batch', () => {
    const fire = vi.fn();
    const debouncer = new Debouncer({ quietMs: 100, maxWaitMs: 300 }, fire);
    debouncer.touch(0);
    debouncer.cancel();
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });
});
