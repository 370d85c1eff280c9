/**
 * Debouncing bursts of changes into one re-evaluation. An editor's save (write temp, fsync, rename)
 * or a package install (dpkg rewrites its status file several times) arrives as many events; one
 * rescan after the burst is cheaper and reports the final state once.
 *
 * Fires `quietMs` after the last touch, but never later than `maxWaitMs` after the first touch of
 * the batch, so a file rewritten continuously still gets evaluated (and the p99 latency is bounded).
 */
export class Debouncer {
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  readonly #fire: () => void;
  #firstAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { quietMs: number; maxWaitMs: number }, fire: () => void) {
    this.#quietMs = options.quietMs;
    this.#maxWaitMs = Math.max(options.maxWaitMs, options.quietMs);
    this.#fire = fire;
  }

  get pending(): boolean {
    return this.#timer !== undefined;
  }

  touch(now = performance.now()): void {
    this.#firstAt ??= now;
    const deadline = this.#firstAt + this.#maxWaitMs;
    const delay = Math.max(0, Math.min(this.#quietMs, deadline - now));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#firstAt = undefined;
      this.#fire();
    }, delay);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firstAt = undefined;
  }
}
