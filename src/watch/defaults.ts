/** Watch timing defaults (apart from the watcher, so the CLI can show them without loading it). */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;
export const DEFAULT_DEBOUNCE_MS = 100;
export const DEFAULT_MAX_WAIT_MS = 500;
