/**
 * The contract every alert channel fulfils. A channel only knows how to format and send one event;
 * queueing, retries, timeouts, deduplication and dead-lettering are the dispatcher's job, so a channel
 * stays small and each transport can be tested on its own against a real receiver.
 */
import type { DriftEvent } from '../core/drift.js';

export const CHANNEL_TYPES = ['webhook', 'slack', 'email', 'pagerduty', 'syslog'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface RetryPolicy {
  /** Total tries per event, the first one included (1 = no retry). */
  attempts: number;
  /** Delay before the second try; doubles (times `factor`) for each further try. */
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** 0 = exact delays; 1 = "full jitter" (uniform in [0, delay]). Spreads retries of many watchers. */
  jitter: number;
}

/** Per-channel overrides of the dispatcher's delivery settings. */
export interface DeliveryPolicy {
  retry: RetryPolicy;
  /** Per-request timeout: the AbortSignal given to `send` fires after this long. */
  timeoutMs: number;
}

/** What a channel's config may override; unset fields fall back to the dispatcher's policy. */
export interface DeliveryOverrides {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface AlertChannel {
  /** Unique among the dispatcher's channels; appears in logs and dead-letter lines (never a secret). */
  readonly name: string;
  readonly type: ChannelType | (string & {});
  /** Whether this channel wants the event (severity, rule globs, labels, kinds). */
  filter(event: DriftEvent): boolean;
  /**
   * Delivers one event; resolves once the receiver accepted it, rejects otherwise (a DeliveryError
   * with `retryable: false` stops retries). Must give up when `signal` aborts.
   */
  send(event: DriftEvent, signal: AbortSignal): Promise<void>;
  /** Releases sockets or pools; called once by the dispatcher's close(). */
  close?(): Promise<void>;
  /** Strings that must never appear in logs or dead-letter lines (keys, passwords, secret URLs). */
  readonly secrets?: readonly string[];
  readonly delivery?: DeliveryOverrides;
}
