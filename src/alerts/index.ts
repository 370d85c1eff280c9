/** Public API of the alert channels, for `vouch watch` and the agent. */

export { backoffDelay, DEFAULT_RETRY } from './backoff.js';
export type { AlertChannel, ChannelType, DeliveryOverrides, DeliveryPolicy, RetryPolicy } from './channel.js';
export { CHANNEL_TYPES } from './channel.js';
export type { AlertsFile, ChannelConfig, ChannelConfigInput } from './config.js';
export { alertsFileSchema, channelConfigSchema } from './config.js';
export { createChannel, createChannels } from './create-channel.js';
export type { DeadLetterEntry, DeadLetterReason } from './dead-letter.js';
export { DeliveryError } from './delivery-error.js';
export type { CloseResult, DeliveryOutcome, DispatcherOptions, DispatcherStats } from './dispatcher.js';
export { AlertDispatcher } from './dispatcher.js';
export type { EventFilter, FilterSpec } from './filter.js';
export { compileFilter } from './filter.js';
export type { AlertFlags } from './flags.js';
export { ALERT_FLAG_SPECS, channelConfigsFromFlags, channelsFromFlags } from './flags.js';
export type { AlertsConfig } from './load-config.js';
export { alertsConfigFrom, loadAlertsConfig } from './load-config.js';
export { maskSecrets, maskUrl } from './secrets.js';
export type { AlertSetup } from './setup.js';
export { createAlertDispatcher } from './setup.js';
export {
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  signPayload,
  TIMESTAMP_HEADER,
  verifySignature,
} from './signature.js';
export type { AlertsWatchPlugin } from './watch-plugin.js';
export { alertsWatchPlugin } from './watch-plugin.js';
