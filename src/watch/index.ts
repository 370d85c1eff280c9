/** `vouch watch` as a library: continuous drift detection for the CLI, the agent and alert channels. */
export type { DriftEvent, DriftKind } from '../core/drift.js';
export type { DriftSink } from './sink.js';
export {
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_POLL_INTERVAL_MS,
  type RescanInfo,
  type RescanReason,
  startWatch,
  type WatchHandle,
  type WatchOptions,
  type WatchReady,
} from './watcher.js';
