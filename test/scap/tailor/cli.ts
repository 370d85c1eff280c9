/**
 * Runs the real `vouch` CLI in-process and captures what it prints (as test/scap/scan-cli.test.ts
 * does): the command, its flag parsing and its error mapping are the code under test.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export { vouch } from '../../helpers/run-cli.js';

/** `oscap ...`; resolves with the exit code instead of throwing on a non-zero one. */
export async function oscap(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(command, args, { maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
