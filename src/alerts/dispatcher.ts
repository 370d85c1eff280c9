/**
 * AlertDispatcher: the watcher's single sink for drift events. `deliver` only filters and enqueues,
 * so it returns at once and never throws; each channel drains its own queue (channel-queue.ts).
 * Structurally a `DriftSink` (src/watch/sink.ts): `deliver(event): Promise<void>`.
 */
import type { DriftEvent } from '../core/drift.js';
import { raceAbort } from './abort.js';
import { DEFAULT_RETRY } from './backoff.js';
import type { AlertChannel, RetryPolicy } from './channel.js';
import { ChannelQueue } from './channel-queue.js';
import { DeadLetterLog, type DeadLetterReason } from './dead-letter.js';
import { Deduplicator } from './dedupe.js';

export interface DispatcherOptions {
  /** Per-request timeout (ms) unless a channel overrides it. Default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Window (ms) for suppressing repeated events; 0 turns deduplication off. Default 5 minutes. */
  dedupeWindowMs?: number;
  /** Events waiting per channel before the oldest are dead-lettered. Default 1000. */
  maxQueue?: number;
  /** JSON-lines file receiving events whose delivery was given up. */
  deadLetterPath?: string;
  /** Warnings (delivery failures, dead letters). Default: stderr, never stdout (that is --once-json's). */
  log?: (message: string) => void;
  /** Told about every final outcome, e.g. for metrics or the benchmark. */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Injectable randomness and clock for deterministic tests. */
  random?: () => number;
  now?: () => Date;
}

export type DeliveryOutcome =
  | { status: 'delivered'; channel: string; event: DriftEvent; attempts: number }
  | {
      status: 'dead-letter';
      channel: string;
      event: DriftEvent;
      attempts: number;
      reason: DeadLetterReason;
      error: string | null;
    };

export interface DispatcherStats {
  received: number;
  duplicates: number;
  delivered: number;
  deadLettered: number;
  pending: number;
}

export interface CloseResult extends DispatcherStats {
  /** True when every queue drained before the deadline. */
  drained: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_DEDUPE_WINDOW_MS = 5 * 60_000;
const DEFAULT_MAX_QUEUE = 1_000;

function defaultLog(message: string): void {
  process.stderr.write(`vouch alerts: ${message}\n`);
}

export class AlertDispatcher {
  /** For the watcher's log lines (DriftSink.name). */
  readonly name: string;
  private readonly queues: ChannelQueue[];
  private readonly dedupe: Deduplicator;
  private readonly deadLetters: DeadLetterLog;
  private readonly log: (message: string) => void;
  private closing: Promise<CloseResult> | undefined;
  private readonly counts = { received: 0, duplicates: 0, delivered: 0, deadLettered: 0 };

  constructor(
    channels: readonly AlertChannel[],
    private readonly options: DispatcherOptions = {},
  ) {
    const names = new Set<string>();
    for (const channel of channels) {
      if (names.has(channel.name)) throw new Error(`alert channel name "${channel.name}" is used twice`);
      names.add(channel.name);
    }
    this.name = `alerts (${channels.map((c) => c.name).join(', ') || 'no channels'})`;
    this.log = options.log ?? defaultLog;
    const now = options.now ?? (() => new Date());
    this.dedupe = new Deduplicator(options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS, () => now().getTime());
    this.deadLetters = new DeadLetterLog(options.deadLetterPath, this.log);
    const hooks = {
      random: options.random ?? Math.random,
      now,
      delivered: (channel: AlertChannel, event: DriftEvent, attempts: number) => {
        this.counts.delivered++;
        this.notify({ status: 'delivered', channel: channel.name, event, attempts });
      },
      failed: (
        channel: AlertChannel,
        event: DriftEvent,
        reason: DeadLetterReason,
        attempts: number,
        error: string | null,
      ) => {
        this.counts.deadLettered++;
        this.deadLetters.write({
          at: now().toISOString(),
          channel: channel.name,
          channelType: channel.type,
          reason,
          attempts,
          error,
          event,
        });
        this.notify({ status: 'dead-letter', channel: channel.name, event, attempts, reason, error });
      },
    };
    this.queues = channels.map(
      (channel) =>
        new ChannelQueue(
          channel,
          {
            retry: { ...DEFAULT_RETRY, ...options.retry, ...channel.delivery?.retry },
            timeoutMs: channel.delivery?.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
          },
          hooks,
        ),
    );
  }

  get channels(): readonly AlertChannel[] {
    return this.queues.map((q) => q.channel);
  }

  /** Enqueues `event` on every channel whose filter accepts it. Returns at once; never rejects. */
  async deliver(event: DriftEvent): Promise<void> {
    try {
      this.counts.received++;
      if (this.dedupe.isDuplicate(event)) {
        this.counts.duplicates++;
        return;
      }
      for (const queue of this.queues) {
        let wanted = false;
        try {
          wanted = queue.channel.filter(event);
        } catch (error) {
          this.log(`alert channel ${queue.channel.name}: filter failed: ${String(error)}`);
        }
        // After close() the queue dead-letters instead of sending, so nothing is lost silently.
        if (wanted) queue.push(event);
      }
    } catch (error) {
      this.log(`dropping event ${String(event?.id)}: ${String(error)}`);
    }
  }

  /** Resolves when every queue is empty and nothing is in flight (tests, benchmarks, --once). */
  async idle(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.idle()));
    await this.deadLetters.flush();
  }

  stats(): DispatcherStats {
    return { ...this.counts, pending: this.queues.reduce((sum, q) => sum + q.pending, 0) };
  }

  /**
   * Stops accepting events, lets queues drain until `deadlineMs`, then cancels what is left
   * (dead-lettered as "shutdown"), closes the channels and flushes the dead-letter log.
   */
  close(options: { deadlineMs?: number } = {}): Promise<CloseResult> {
    this.closing ??= this.shutdown(options.deadlineMs ?? 5_000);
    return this.closing;
  }

  private async shutdown(deadlineMs: number): Promise<CloseResult> {
    // From here on deliver() dead-letters new events as "closed" instead of queueing them.
    for (const queue of this.queues) queue.seal();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(this.queues.map((q) => q.idle())).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    for (const queue of this.queues) queue.abort();
    await Promise.all(this.queues.map((q) => q.idle()));
    await Promise.all(
      this.queues.map(async (q) => {
        try {
          // Bounded: a channel stuck closing must not hold the watcher's exit.
          await raceAbort(Promise.resolve(q.channel.close?.()), AbortSignal.timeout(1_000));
        } catch (error) {
          this.log(`alert channel ${q.channel.name}: close failed: ${String(error)}`);
        }
      }),
    );
    await this.deadLetters.flush();
    return { ...this.stats(), drained };
  }

  private notify(outcome: DeliveryOutcome): void {
    try {
      this.options.onOutcome?.(outcome);
    } catch {
      // A faulty observer must not break delivery.
    }
  }
}
