/**
 * The `vouch` command line. Thin: parse flags, call the scan layer, map errors to one-line
 * messages (stack traces only with --debug) and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { alertsWatchPlugin } from '../alerts/watch-plugin.js';
import { VouchError } from '../core/errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerContentCommand } from './commands/content.js';
import { registerFixCommand } from './commands/fix.js';
import { registerRulesCommand } from './commands/rules.js';
import { EXIT_ERROR, registerScanCommand } from './commands/scan.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTailorCommand } from './commands/tailor.js';
import { registerWatchCommand } from './commands/watch.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const program = new Command('vouch')
    .description('Vouch: compliance scanning with evidence')
    .version(TOOL_VERSION)
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerScanCommand(program, (code) => {
    exitCode = code;
  });
  registerWatchCommand(
    program,
    (code) => {
      exitCode = code;
    },
    [alertsWatchPlugin()],
  );
  registerContentCommand(program);
  registerRulesCommand(program);
  registerTailorCommand(program);
  registerFixCommand(program);
  registerServeCommand(program);
  registerAgentCommand(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help/version text, which exit 0).
      return error.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    const message =
      error instanceof VouchError ? error.message : `unexpected error: ${(error as Error)?.message ?? error}`;
    process.stderr.write(`vouch: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}
