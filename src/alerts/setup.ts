/**
 * One call for the watch CLI: channels from an alerts file and from flags, merged into one dispatcher
 * (or none when no channel is configured, so the watcher can skip alerting entirely).
 */
import type { AlertChannel } from './channel.js';
import { AlertDispatcher, type DispatcherOptions } from './dispatcher.js';
import { type AlertFlags, channelsFromFlags } from './flags.js';
import { loadAlertsConfig } from './load-config.js';

export interface AlertSetup extends AlertFlags {
  /** Path of an alerts file (YAML or JSON, docs/alerts.md). */
  alertsConfig?: string;
  /** JSON-lines dead-letter file; overrides the alerts file's `deadLetter`. */
  deadLetter?: string;
}

export async function createAlertDispatcher(
  setup: AlertSetup,
  overrides: DispatcherOptions = {},
): Promise<AlertDispatcher | undefined> {
  const fromFile = setup.alertsConfig ? await loadAlertsConfig(setup.alertsConfig) : undefined;
  const channels: AlertChannel[] = [...(fromFile?.channels ?? [])];
  const taken = new Set(channels.map((c) => c.name));
  for (const channel of channelsFromFlags(setup)) {
    // Flag channels are named by type; rename on a clash with a file channel instead of failing.
    let name = channel.name;
    for (let n = 2; taken.has(name); n++) name = `${channel.name}-${n}`;
    taken.add(name);
    channels.push(name === channel.name ? channel : { ...channel, name });
  }
  if (channels.length === 0) return undefined;
  return new AlertDispatcher(channels, {
    ...fromFile?.options,
    ...(setup.deadLetter ? { deadLetterPath: setup.deadLetter } : {}),
    ...overrides,
  });
}
