/**
 * The glue for `vouch watch`: structurally a WatchSinkPlugin (src/cli/commands/watch.ts) without
 * importing it, so the alerts layer does not depend on the CLI. It registers the alert flags and turns
 * them into one AlertDispatcher sink; `close()` drains it when the watcher stops.
 */
import type { Command } from 'commander';
import type { AlertDispatcher, CloseResult, DispatcherOptions } from './dispatcher.js';
import { ALERT_FLAG_SPECS } from './flag-specs.js';
import type { AlertSetup } from './setup.js';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export interface AlertsWatchPlugin {
  addOptions(command: Command): void;
  createSinks(flags: Record<string, unknown>): Promise<AlertDispatcher[]>;
  /** Drains every dispatcher created so far, at most `deadlineMs`. */
  close(deadlineMs?: number): Promise<CloseResult[]>;
}

export function alertsWatchPlugin(overrides: DispatcherOptions = {}): AlertsWatchPlugin {
  const created: AlertDispatcher[] = [];
  return {
    addOptions(command) {
      for (const spec of ALERT_FLAG_SPECS) {
        if (spec.repeatable) command.option(spec.flags, spec.description, collect);
        else command.option(spec.flags, spec.description);
      }
    },
    async createSinks(flags) {
      // Loaded on use: the channels (SMTP client and all) cost startup time for every command.
      const { createAlertDispatcher } = await import('./setup.js');
      const dispatcher = await createAlertDispatcher(flags as AlertSetup, overrides);
      if (!dispatcher) return [];
      created.push(dispatcher);
      return [dispatcher];
    },
    close(deadlineMs = 5_000) {
      return Promise.all(created.map((d) => d.close({ deadlineMs })));
    },
  };
}
