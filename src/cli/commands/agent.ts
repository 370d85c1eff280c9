/**
 * `vouch agent`: enroll with a server once (--enroll TOKEN), then keep a connection to it and run
 * the scans it sends against this host (or --root DIR), uploading results through a durable
 * spool (docs/server.md, "Agents"). Runs until SIGTERM or SIGINT.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

interface AgentFlags {
  server: string;
  enroll?: string;
  name?: string;
  root?: string;
  stateDir?: string;
  content?: string;
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run as an agent of a Vouch server: enroll once, then run the scans it sends')
    .requiredOption('--server <url>', 'the server, e.g. https://vouch.example.com')
    .option('--enroll <token>', 'one-time enrollment token (first start only; an admin creates it)')
    .option('--name <name>', 'name of this host on the server (default: the hostname)')
    .option('--root <dir>', 'scan this root filesystem instead of the running host')
    .option(
      '--state-dir <dir>',
      'credential and result spool (default $VOUCH_AGENT_STATE_DIR or ./vouch-agent)',
    )
    .option('--content <dir>', 'content directory (default: the built-in content)')
    .action(async (flags: AgentFlags) => {
      let server: URL;
      try {
        server = new URL(flags.server);
      } catch {
        throw new VouchError('INVALID_OPTION', `--server ${flags.server}: not a URL`);
      }
      if (server.protocol !== 'http:' && server.protocol !== 'https:') {
        throw new VouchError('INVALID_OPTION', `--server ${flags.server}: expected http:// or https://`);
      }
      const stateDir = resolve(flags.stateDir ?? process.env.VOUCH_AGENT_STATE_DIR ?? 'vouch-agent');
      // The agent stack (ws, the engine) loads only for `vouch agent`.
      const { runAgent } = await import('../../agent/agent.js');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        await runAgent({
          server: server.toString(),
          stateDir,
          signal: stop.signal,
          ...(flags.enroll !== undefined ? { enrollToken: flags.enroll } : {}),
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.root !== undefined ? { root: resolve(flags.root) } : {}),
          ...(flags.content !== undefined ? { contentDir: resolve(flags.content) } : {}),
        });
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}
