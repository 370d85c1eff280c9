/** Running the real oscap from tests (argv arrays only), and skipping cleanly where it is absent. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const haveOscap = ['/usr/bin/oscap', '/usr/local/bin/oscap'].some((p) => existsSync(p));
if (!haveOscap)
  console.warn('skipping oscap cross-checks: oscap is not installed (apt-get install openscap-scanner)');

export interface OscapRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs oscap; resolves with the exit code instead of throwing (oscap exits 2 when a rule fails). */
export function oscap(args: string[], cwd?: string): Promise<OscapRun> {
  return new Promise((resolve, reject) => {
    execFile('oscap', args, { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}
