/**
 * `vouch watch`: one baseline scan, then a drift event for every rule whose status changes, until
 * SIGINT/SIGTERM. Events go to stdout, one human line each, or with --once-json one JSON object per
 * line (the DriftEvent document); progress and warnings go to stderr.
 *
 * The output format is never switched implicitly when stdout is not a TTY: under systemd stdout is
 * the journal, read by people, and a consumer that wants JSON says so with --once-json.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_POLL_INTERVAL_MS } from '../../watch/defaults.js';
import { formatDriftLine } from '../../watch/format.js';
import type { DriftSink } from '../../watch/sink.js';
import { EXIT_ERROR, EXIT_PASS } from './scan.js';

/**
 * The hook for alert channels (src/alerts): a plugin adds its flags (--webhook, --slack, …) to the
 * command and turns the parsed flags into sinks. main.ts passes the plugins to registerWatchCommand.
 */
export interface WatchSinkPlugin {
  addOptions(command: Command): void;
  createSinks(flags: Record<string, unknown>): DriftSink[] | Promise<DriftSink[]>;
  /** Called when the watcher stops: deliver what is still queued (within the plugin's deadline). */
  close?(): Promise<unknown>;
}

interface WatchFlags {
  root?: string;
  profile?: string;
  rule: string[];
  var: string[];
  label: string[];
  content?: string;
  pollInterval: string;
  debounce: string;
  onceJson?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function nonNegativeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new VouchError('BAD_OPTION', `${flag} ${text}: expected a non-negative number`);
  }
  return value;
}

function parseLabels(texts: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of texts) {
    const at = text.indexOf('=');
    if (at <= 0) throw new VouchError('BAD_OPTION', `--label ${text}: expected key=value`);
    labels[text.slice(0, at)] = text.slice(at + 1);
  }
  return labels;
}

export function registerWatchCommand(
  program: Command,
  setExitCode: (code: number) => void,
  plugins: readonly WatchSinkPlugin[] = [],
): void {
  const command = program
    .command('watch')
    .description('scan once, then report every rule whose status changes (drift) as it happens')
    .option('--root <dir>', 'watch the root filesystem in DIR instead of this machine')
    .option('--profile <id>', 'profile to evaluate (default: the one matching the target OS)')
    .option('--rule <id>', 'only rules matching this id or glob (repeatable)', collect, [])
    .option('--var <name=value>', 'override a variable (repeatable)', collect, [])
    .option(
      '--label <key=value>',
      'label copied into every event, for alert filters (repeatable)',
      collect,
      [],
    )
    .option('--content <dir>', 'content directory (default: the built-in content)')
    .option(
      '--poll-interval <seconds>',
      'how often runtime facts are re-read and every source revalidated (0: never)',
      String(DEFAULT_POLL_INTERVAL_MS / 1000),
    )
    .option('--debounce <ms>', 'quiet time that ends a burst of changes', String(DEFAULT_DEBOUNCE_MS))
    .option('--once-json', 'print each drift event as one JSON line on stdout')
    .option('--verbose', 'log every rescan on stderr');
  for (const plugin of plugins) plugin.addOptions(command);

  command.action(async (flags: WatchFlags) => {
    const pollIntervalMs = nonNegativeNumber('--poll-interval', flags.pollInterval) * 1000;
    const debounceMs = nonNegativeNumber('--debounce', flags.debounce);
    const labels = parseLabels(flags.label);
    const sinks: DriftSink[] = [];
    for (const plugin of plugins)
      sinks.push(...(await plugin.createSinks(flags as unknown as Record<string, unknown>)));

    const log = (line: string): void => {
      process.stderr.write(`vouch: ${line}\n`);
    };
    const { startWatch } = await import('../../watch/watcher.js');
    const watch = startWatch({
      root: flags.root,
      profile: flags.profile,
      rules: flags.rule,
      vars: flags.var,
      labels,
      contentDir: flags.content,
      pollIntervalMs,
      debounceMs,
      sinks,
    });
    watch.on('drift', (event) => {
      process.stdout.write(`${flags.onceJson ? JSON.stringify(event) : formatDriftLine(event)}\n`);
    });
    watch.on('warning', (message) => log(`warning: ${message}`));
    if (flags.verbose) {
      watch.on('rescan', (info) =>
        log(
          `rescan (${info.reasons.join(', ')}) ${info.paths.join(' ')}: ${info.factsCollected} facts, ` +
            `${info.rulesEvaluated} rules, ${info.drift} events, ${info.durationMs.toFixed(0)} ms`,
        ),
      );
    }

    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void watch.stop().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    try {
      const ready = await watch.ready;
      const counts = ready.result.summary.counts;
      log(
        `watching ${ready.result.target.description}: ${ready.result.results.length} rules ` +
          `(${counts.pass} pass, ${counts.fail} fail, ${counts.error} error), ` +
          `${ready.sourcePaths} source paths in ${ready.watchedDirs} directories; ` +
          `poll every ${pollIntervalMs > 0 ? `${pollIntervalMs / 1000} s` : 'never'}`,
      );
    } catch (error) {
      await watch.stop();
      await closePlugins(plugins);
      setExitCode(EXIT_ERROR);
      throw error;
    }
    await stopped;
    await closePlugins(plugins);
    setExitCode(EXIT_PASS);
  });
}

async function closePlugins(plugins: readonly WatchSinkPlugin[]): Promise<void> {
  await Promise.all(plugins.map((plugin) => plugin.close?.()));
}
