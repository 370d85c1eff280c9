/**
 * A failed delivery. `retryable` separates receivers that may recover (network errors, 5xx, 429)
 * from requests that will never succeed as sent (400, 401, 403, 404): retrying those only delays the
 * dead-letter line an operator needs to see.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  /** The receiver's Retry-After, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof DeliveryError) || error.retryable;
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof DeliveryError ? error.retryAfterMs : undefined;
}
