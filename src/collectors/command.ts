/**
 * `command`: an argv command's exit code and output, on live targets only. Always volatile: no
 * file tells when a command's answer changes.
 */
import type { CommandRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport } from '../targets/transport.js';
import { collect, offline } from './collector.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

export function collectCommand(
  transport: Transport,
  request: CommandRequest,
): Promise<FactResult<'command'>> {
  return collect(transport, async () => {
    if (request.argv.length === 0 || request.argv[0] === '') {
      return { status: 'error', message: 'command argv is empty' };
    }
    if (!transport.live) return offline(transport, `the output of ${request.argv[0]}`);
    const value = await transport.exec(request.argv, {
      timeoutMs: request.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    });
    return { status: 'ok', value, volatile: true };
  });
}
