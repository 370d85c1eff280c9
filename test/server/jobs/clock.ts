/** A clock tests move by hand: time only passes when the test says so. */
export interface ManualClock {
  (): Date;
  advance(ms: number): void;
  set(at: Date | string): void;
}

export function manualClock(start: Date | string = '2026-03-01T12:00:00.000Z'): ManualClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as ManualClock;
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (at) => {
    now = new Date(at).getTime();
  };
  return clock;
}

/** A promise the test resolves by hand, for handlers that must wait at a known point. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
