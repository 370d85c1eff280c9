/**
 * One HTTP POST with the outcome classified for the dispatcher: 2xx delivered, 408/425/429/5xx and
 * network failures retryable, any other status permanent. The URL is never put in an error message
 * (Slack and PagerDuty URLs carry credentials); the channel name identifies the receiver instead.
 */
import { DeliveryError } from './delivery-error.js';
import { VOUCH_VERSION } from './version.js';

const RETRYABLE_STATUSES = new Set([408, 425, 429]);

export interface PostResult {
  status: number;
  body: string;
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': `vouch/${VOUCH_VERSION}`, ...headers },
      signal,
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryError(`request failed: ${networkReason(error, signal)}`, {
      retryable: true,
      cause: error,
    });
  }
  // Read the body so the connection can be reused, bounded by the same signal.
  const text = await response.text().catch(() => '');
  if (response.ok) return { status: response.status, body: text };
  const retryable = response.status >= 500 || RETRYABLE_STATUSES.has(response.status);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  throw new DeliveryError(`receiver answered HTTP ${response.status}${excerpt(text)}`, {
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function networkReason(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out or cancelled';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? ` (${line})` : '';
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
