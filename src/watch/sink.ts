/**
 * Where drift events go besides the watcher's own listeners: alert channels (webhook, Slack, SMTP,
 * PagerDuty, syslog, in src/alerts) implement DriftSink, and `startWatch({sinks})` hands every event
 * to each of them.
 *
 * Delivery is fire and forget: a channel that is down, slow or throws must never delay the next
 * re-evaluation, so the watcher does not await sinks; it only logs their failures. Retries, backoff,
 * deduplication and dead letters belong to the channel.
 */
import type { DriftEvent } from '../core/drift.js';

export interface DriftSink {
  /** Short name for log lines, e.g. "webhook https://siem.example/hook". */
  readonly name?: string;
  /** Delivers one event. Each sink receives its own copy, so it may set `timestamps.alertSentAt`. */
  deliver(event: DriftEvent): Promise<void>;
}

/** Delivers to every sink without waiting; tracks what is in flight so a stop can flush. */
export class SinkDispatcher {
  readonly #sinks: readonly DriftSink[];
  readonly #onError: (sink: DriftSink, event: DriftEvent, error: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    sinks: readonly DriftSink[],
    onError: (sink: DriftSink, event: DriftEvent, error: unknown) => void,
  ) {
    this.#sinks = sinks;
    this.#onError = onError;
  }

  dispatch(event: DriftEvent): void {
    for (const sink of this.#sinks) {
      let delivery: Promise<void>;
      try {
        // structuredClone: one sink stamping alertSentAt (or mutating evidence) must not leak into another.
        delivery = Promise.resolve(sink.deliver(structuredClone(event)));
      } catch (error) {
        // A synchronous throw is a failed delivery like any other, never a watcher crash.
        delivery = Promise.reject(error);
      }
      const tracked = delivery.then(
        () => {},
        (error: unknown) => this.#onError(sink, event, error),
      );
      this.#inFlight.add(tracked);
      void tracked.finally(() => this.#inFlight.delete(tracked));
    }
  }

  /** Waits for deliveries in flight, at most `timeoutMs`; returns how many were still pending. */
  async flush(timeoutMs: number): Promise<number> {
    if (this.#inFlight.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]), timeout]);
    clearTimeout(timer);
    return this.#inFlight.size;
  }
}
