/**
 * PagerDuty Events API v2. The URL is configurable so tests (and EU accounts, or a proxy) can point
 * elsewhere; the routing key is a credential and is masked in every message.
 */
import type { DriftEvent } from '../../core/drift.js';
import type { AlertChannel, DeliveryOverrides } from '../channel.js';
import type { EventFilter } from '../filter.js';
import { pagerDutyAction, pagerDutyEvent } from '../format/pagerduty.js';
import { postJson } from '../http.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyChannelOptions {
  name: string;
  routingKey: string;
  url?: string;
  filter: EventFilter;
  delivery?: DeliveryOverrides;
}

export function createPagerDutyChannel(options: PagerDutyChannelOptions): AlertChannel {
  const url = options.url ?? PAGERDUTY_EVENTS_URL;
  return {
    name: options.name,
    type: 'pagerduty',
    filter: options.filter,
    secrets: [options.routingKey],
    ...(options.delivery ? { delivery: options.delivery } : {}),
    async send(event: DriftEvent, signal: AbortSignal): Promise<void> {
      const action = pagerDutyAction(event);
      if (action === undefined) return;
      await postJson(url, JSON.stringify(pagerDutyEvent(event, options.routingKey, action)), {}, signal);
    },
  };
}
