/**
 * The dispatcher is what `vouch watch` hands events to. These are compile-time checks that it fits the
 * watcher's DriftSink and the CLI's WatchSinkPlugin structurally (src/alerts never imports them).
 */
import { describe, expect, it } from 'vitest';
import { AlertDispatcher } from '../../src/alerts/dispatcher.js';
import { alertsWatchPlugin } from '../../src/alerts/watch-plugin.js';
import type { WatchSinkPlugin } from '../../src/cli/commands/watch.js';
import type { DriftSink } from '../../src/watch/sink.js';

describe('watch integration shape', () => {
  it('AlertDispatcher is a DriftSink and alertsWatchPlugin a WatchSinkPlugin', async () => {
    const sink: DriftSink = new AlertDispatcher([]);
    const plugin: WatchSinkPlugin = alertsWatchPlugin();
    expect(typeof sink.deliver).toBe('function');
    expect(await plugin.createSinks({})).toEqual([]);
  });
});
