/**
 * `vouch serve`: the API server with its job worker and scheduler (docs/server.md). Runs until
 * SIGTERM or SIGINT, then shuts down gracefully (running scans finish or go back to the queue).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new VouchError('INVALID_OPTION', `--port ${text}: expected an integer from 0 to 65535`);
  }
  return value;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Vouch server: REST API, job worker and scheduler')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--data-dir <dir>', 'SQLite file, keys and caches (default $VOUCH_DATA_DIR or ./vouch-data)')
    .action(async (opts: { host: string; port: string; dataDir?: string }) => {
      const dataDir = resolve(opts.dataDir ?? process.env.VOUCH_DATA_DIR ?? 'vouch-data');
      // The server stack (Fastify, storage drivers, auth) loads only for `vouch serve`.
      const { startServer } = await import('../../server/http/runtime.js');
      const server = await startServer({ host: opts.host, port: port(opts.port), dataDir });
      await new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals) => {
          server.app.log.info({ signal }, 'shutting down');
          server.close().then(done, (err) => {
            server.app.log.error({ err }, 'shutdown failed');
            done();
          });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
