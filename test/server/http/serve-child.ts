/** `vouch serve` from the TypeScript sources, for the CLI test's child process (no build needed). */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
