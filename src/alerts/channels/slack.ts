/** Slack incoming webhook: the URL itself is the credential, so it is masked everywhere. */
import type { DriftEvent } from '../../core/drift.js';
import type { AlertChannel, DeliveryOverrides } from '../channel.js';
import type { EventFilter } from '../filter.js';
import { slackMessage } from '../format/slack.js';
import { postJson } from '../http.js';
import { urlSecrets } from '../secrets.js';

export interface SlackChannelOptions {
  name: string;
  url: string;
  filter: EventFilter;
  delivery?: DeliveryOverrides;
}

export function createSlackChannel(options: SlackChannelOptions): AlertChannel {
  return {
    name: options.name,
    type: 'slack',
    filter: options.filter,
    secrets: urlSecrets(options.url),
    ...(options.delivery ? { delivery: options.delivery } : {}),
    async send(event: DriftEvent, signal: AbortSignal): Promise<void> {
      await postJson(options.url, JSON.stringify(slackMessage(event)), {}, signal);
    },
  };
}
