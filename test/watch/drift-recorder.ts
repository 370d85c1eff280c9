/**
 * Test helper: records a watcher's drift events and rescans, and waits for the next matching event
 * with a deadline (no fixed sleeps: a test waits exactly as long as the watcher needs).
 */
import type { DriftEvent } from '../../src/core/drift.js';
import type { RescanInfo, WatchHandle } from '../../src/watch/index.js';

export interface DriftRecorder {
  events: DriftEvent[];
  rescans: RescanInfo[];
  /** Resolves with the first event (recorded after `from`) matching `match`; rejects after `timeoutMs`. */
  next(match: (event: DriftEvent) => boolean, timeoutMs?: number): Promise<DriftEvent>;
  /** Index to pass to `since`: events from now on. */
  mark(): number;
  since(mark: number): DriftEvent[];
}

export function recordDrift(handle: WatchHandle): DriftRecorder {
  const events: DriftEvent[] = [];
  const rescans: RescanInfo[] = [];
  const waiters = new Set<{ match: (event: DriftEvent) => boolean; resolve: (event: DriftEvent) => void }>();
  handle.on('rescan', (info) => rescans.push(info));
  handle.on('drift', (event) => {
    events.push(event);
    for (const waiter of waiters) {
      if (waiter.match(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  });
  return {
    events,
    rescans,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (event: DriftEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching drift event within ${timeoutMs} ms (seen: ${describe(events)})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    mark: () => events.length,
    since: (mark) => events.slice(mark),
  };
}

function describe(events: DriftEvent[]): string {
  return events.map((event) => `${event.kind} ${event.rule.id}`).join(', ') || 'none';
}
