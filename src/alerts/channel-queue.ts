/**
 * One channel's delivery worker. Events go out one at a time in arrival order (a drift must reach
 * PagerDuty before its resolve), each try bounded by its own timeout, failed tries retried with
 * backoff, and the event dead-lettered once the tries run out. Each channel has its own queue, so a
 * slow or failing receiver only ever delays itself.
 */
import type { DriftEvent } from '../core/drift.js';
import { raceAbort, sleep } from './abort.js';
import { backoffDelay } from './backoff.js';
import type { AlertChannel, RetryPolicy } from './channel.js';
import type { DeadLetterReason } from './dead-letter.js';
import { isRetryable, retryAfterOf } from './delivery-error.js';
import { maskSecrets } from './secrets.js';

export interface QueuePolicy {
  retry: RetryPolicy;
  timeoutMs: number;
  maxQueue: number;
}

export interface QueueHooks {
  delivered(channel: AlertChannel, event: DriftEvent, attempts: number): void;
  failed(
    channel: AlertChannel,
    event: DriftEvent,
    reason: DeadLetterReason,
    attempts: number,
    error: string | null,
  ): void;
  random(): number;
  now(): Date;
}

export class ChannelQueue {
  private readonly jobs: DriftEvent[] = [];
  private running: Promise<void> | undefined;
  /** Aborts the in-flight request and any backoff wait: the close() deadline has passed. */
  private readonly stop = new AbortController();
  /** Set by close(): queued events still drain, new ones are refused. */
  private sealed = false;

  constructor(
    readonly channel: AlertChannel,
    private readonly policy: QueuePolicy,
    private readonly hooks: QueueHooks,
  ) {}

  get pending(): number {
    return this.jobs.length;
  }

  push(event: DriftEvent): void {
    if (this.sealed) {
      this.hooks.failed(this.channel, event, 'closed', 0, null);
      return;
    }
    if (this.jobs.length >= this.policy.maxQueue) {
      // Drop the oldest: the newest state of a rule is the one that matters to a receiver.
      const dropped = this.jobs.splice(1, 1)[0];
      if (dropped) this.hooks.failed(this.channel, dropped, 'queue-full', 0, null);
    }
    this.jobs.push(event);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Refuses further events (dead-lettered as "closed"); what is queued still goes out. */
  seal(): void {
    this.sealed = true;
  }

  /** Gives up: the in-flight try is cancelled and everything still queued is dead-lettered. */
  abort(): void {
    this.stop.abort(new Error('alert dispatcher closed before delivery'));
  }

  private async run(): Promise<void> {
    for (let event = this.jobs[0]; event !== undefined; event = this.jobs[0]) {
      if (this.stop.signal.aborted) {
        this.hooks.failed(this.channel, event, 'shutdown', 0, null);
      } else {
        await this.deliver(event);
      }
      this.jobs.shift();
    }
  }

  private async deliver(event: DriftEvent): Promise<void> {
    const retry = this.policy.retry;
    let lastError: unknown;
    let attempt = 0;
    while (attempt < retry.attempts) {
      attempt++;
      const copy: DriftEvent = {
        ...event,
        timestamps: { ...event.timestamps, alertSentAt: this.hooks.now().toISOString() },
      };
      const signal = AbortSignal.any([AbortSignal.timeout(this.policy.timeoutMs), this.stop.signal]);
      try {
        await raceAbort(this.channel.send(copy, signal), signal);
        this.hooks.delivered(this.channel, copy, attempt);
        return;
      } catch (error) {
        lastError = error;
      }
      if (this.stop.signal.aborted) return this.fail(event, 'shutdown', attempt, lastError);
      if (!isRetryable(lastError)) return this.fail(event, 'rejected', attempt, lastError);
      if (attempt >= retry.attempts) break;
      const delay = backoffDelay(retry, attempt, this.hooks.random, retryAfterOf(lastError));
      if (!(await sleep(delay, this.stop.signal))) return this.fail(event, 'shutdown', attempt, lastError);
    }
    this.fail(event, 'exhausted', attempt, lastError);
  }

  private fail(event: DriftEvent, reason: DeadLetterReason, attempts: number, error: unknown): void {
    const message = error === undefined ? null : error instanceof Error ? error.message : String(error);
    this.hooks.failed(
      this.channel,
      event,
      reason,
      attempts,
      message === null ? null : maskSecrets(message, this.channel.secrets),
    );
  }
}
