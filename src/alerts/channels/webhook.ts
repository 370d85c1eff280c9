/**
 * Generic webhook: the drift event itself as JSON (the same object `vouch watch --once-json` prints),
 * signed with HMAC-SHA256 when a secret is configured.
 */
import type { DriftEvent } from '../../core/drift.js';
import type { AlertChannel, DeliveryOverrides } from '../channel.js';
import type { EventFilter } from '../filter.js';
import { postJson } from '../http.js';
import { urlSecrets } from '../secrets.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from '../signature.js';

export interface WebhookChannelOptions {
  name: string;
  url: string;
  secret?: string;
  headers?: Record<string, string>;
  filter: EventFilter;
  delivery?: DeliveryOverrides;
  /** Injectable clock (Unix ms) for tests of the replay window. */
  now?: () => number;
}

export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  const now = options.now ?? Date.now;
  const secrets = [...urlSecrets(options.url), ...(options.secret ? [options.secret] : [])];
  return {
    name: options.name,
    type: 'webhook',
    filter: options.filter,
    secrets,
    ...(options.delivery ? { delivery: options.delivery } : {}),
    async send(event: DriftEvent, signal: AbortSignal): Promise<void> {
      const body = JSON.stringify(event);
      const timestamp = Math.floor(now() / 1000);
      const headers: Record<string, string> = {
        ...options.headers,
        [EVENT_ID_HEADER]: event.id,
        [TIMESTAMP_HEADER]: String(timestamp),
      };
      if (options.secret) headers[SIGNATURE_HEADER] = signPayload(options.secret, timestamp, body);
      await postJson(options.url, body, headers, signal);
    },
  };
}
