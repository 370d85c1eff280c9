/**
 * The dispatcher is what `vouch watch` hands events to. These are compile-time checks that it fits the
 * watcher's DriftSink and the CLI's WatchSinkPlugin structurally (src/alerts never imports them).
 */
import { Command } from 'commander';
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

  it('registers the alert flags on a command and builds one dispatcher from them', async () => {
    const plugin = alertsWatchPlugin({ log: () => {} });
    const command = new Command('watch').exitOverride();
    plugin.addOptions(command);
    command.parse(
      [
        '--webhook',
        'http://127.0.0.1:1/a',
        '--webhook',
        'http://127.0.0.1:1/b',
        '--webhook-secret',
        'k3y-secret',
        '--syslog',
        'udp://127.0.0.1:5514',
        '--alert-min-severity',
        'high',
      ],
      { from: 'user' },
    );
    const sinks = await plugin.createSinks(command.opts());
    expect(sinks).toHaveLength(1);
    expect(sinks[0]?.channels.map((c) => c.name)).toEqual(['webhook', 'webhook-2', 'syslog']);
    const [closed] = await plugin.close(100);
    expect(closed).toMatchObject({ drained: true, delivered: 0 });
  });
});
