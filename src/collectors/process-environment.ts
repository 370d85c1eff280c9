/**
 * `process-environment`: a process's environment from /proc/PID/environ (its environment at exec
 * time, as every reader of /proc sees it). Without a pid: the scanning process itself, through
 * /proc/self, which exists only where the scanner runs (a live target).
 */
import type { ProcessEnvironmentRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport } from '../targets/transport.js';
import { collect, MAX_TEXT_BYTES, offline } from './collector.js';
import { decodeText } from './read-text.js';

/** NUL-separated NAME=VALUE strings; a string without '=' is not a variable (oscap skips it too). */
export function parseEnviron(text: string): { name: string; value: string }[] {
  const variables: { name: string; value: string }[] = [];
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue;
    variables.push({ name: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return variables;
}

export function collectProcessEnvironment(
  transport: Transport,
  request: ProcessEnvironmentRequest,
): Promise<FactResult<'process-environment'>> {
  return collect(transport, async () => {
    let pid = request.pid;
    if (pid === undefined) {
      if (!transport.live) return offline(transport, 'the scanning process');
      const self = await transport.readlink('/proc/self');
      if (self === null || !/^\d+$/.test(self))
        return { status: 'error', message: 'cannot resolve /proc/self' };
      pid = Number(self);
    }
    if (!Number.isSafeInteger(pid) || pid < 0) return { status: 'error', message: `invalid pid ${pid}` };
    const content = await transport.readFile(`/proc/${pid}/environ`, MAX_TEXT_BYTES);
    if (content === null)
      return { status: 'ok', value: { pid, exists: false, variables: [] }, volatile: true };
    return {
      status: 'ok',
      value: { pid, exists: true, variables: parseEnviron(decodeText(content.data)) },
      volatile: true,
    };
  });
}
