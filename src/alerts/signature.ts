/**
 * Webhook signing. The signed material is `<timestamp>.<raw body>` so a captured request cannot be
 * replayed later with a fresh timestamp header: receivers recompute the HMAC over the header they
 * got and reject timestamps outside their tolerance (docs/alerts.md, "Verifying webhooks").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Vouch-Signature';
export const TIMESTAMP_HEADER = 'X-Vouch-Timestamp';
export const EVENT_ID_HEADER = 'X-Vouch-Event-Id';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; timestamp in Unix seconds. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `sha256=${hmac}`;
}

export interface VerifyInput {
  secret: string;
  body: string;
  /** The X-Vouch-Timestamp header as received. */
  timestamp: string | undefined;
  /** The X-Vouch-Signature header as received. */
  signature: string | undefined;
  /** Accepted clock difference; 300 s by default. */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** What a receiver runs: constant-time comparison plus the replay window. */
export function verifySignature(input: VerifyInput): boolean {
  if (input.timestamp === undefined || input.signature === undefined) return false;
  if (!/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(input.secret, timestamp, input.body), 'utf8');
  const got = Buffer.from(input.signature, 'utf8');
  return expected.length === got.length && timingSafeEqual(expected, got);
}
