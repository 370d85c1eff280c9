/**
 * Running oscap on this machine: live (`oscap xccdf eval`), or on an offline root directory the
 * way `oscap-chroot` does it (OSCAP_PROBE_ROOT / OSCAP_EVALUATION_TARGET; the openscap-utils
 * script itself is not needed).
 *
 * oscap 1.3.7 must scan a READ-ONLY view of a root: on a writable tree its dpkginfo probe builds an
 * APT cache inside it (two 37 MB files) and misreports the first package query (see
 * docs/scap-differences.md). As root, Vouch runs oscap inside a private mount namespace
 * (`unshare --mount`) holding a read-only bind mount of the directory: nothing else sees the mount,
 * and it disappears with the process even if Vouch is killed. Without root, a directory this user
 * cannot write is scanned as is; a writable one is refused with the reason.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VouchError } from '../../core/errors.js';
import { locateHelper } from './locate.js';
import { oscapComplaint, oscapSucceeded } from './oscap-args.js';

export interface OscapProcessResult {
  exitCode: number | null;
  stderr: string;
  wallMs: number;
}

const MAX_STDERR = 256 * 1024;

function runProcess(
  file: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<OscapProcessResult> {
  const start = performance.now();
  return new Promise((resolvePromise, reject) => {
    // oscap prints one block per rule on stdout: nobody reads it, the ARF carries the results.
    const child = spawn(file, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolvePromise({ exitCode: code, stderr, wallMs: performance.now() - start }),
    );
  });
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs `oscap ARGS` here (root undefined) or against the root directory `root`. */
export async function runOscapLocal(
  oscap: string,
  args: readonly string[],
  root?: string,
): Promise<OscapProcessResult> {
  let result: OscapProcessResult;
  if (root === undefined) {
    result = await runProcess(oscap, args, process.env);
  } else {
    result = await runOnRoot(oscap, args, resolve(root));
  }
  if (!oscapSucceeded(result.exitCode)) {
    throw new VouchError(
      'OSCAP_FAILED',
      `oscap xccdf eval${root ? ` on ${root}` : ''} failed (exit ${result.exitCode}): ${oscapComplaint(result.stderr)}`,
    );
  }
  return result;
}

async function runOnRoot(oscap: string, args: readonly string[], root: string): Promise<OscapProcessResult> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new VouchError('ROOT_NOT_FOUND', `--root ${root}: not a directory`);
  // As oscap-chroot: the probes read under OSCAP_PROBE_ROOT, the ARF names chroot://DIR.
  const env = { ...process.env, OSCAP_EVALUATION_TARGET: `chroot://${root}` };
  if (process.getuid?.() !== 0) {
    if ((await writable(root)) || (await writable(join(root, 'var/cache/apt')))) {
      throw new VouchError(
        'OSCAP_WRITABLE_ROOT',
        `--engine oscap --root ${root}: oscap 1.3.7 writes into a writable root and misreports installed packages there; run Vouch as root (it then scans a read-only bind mount), mount ${root} read-only, or use --engine native`,
      );
    }
    return runProcess(oscap, args, { ...env, OSCAP_PROBE_ROOT: root });
  }
  const purpose = '--engine oscap --root (a read-only bind mount in a private mount namespace)';
  const unshare = await locateHelper('unshare', purpose);
  await locateHelper('mount', purpose);
  const mountPoint = await mkdtemp(join(tmpdir(), 'vouch-oscap-root-'));
  try {
    return await runProcess(
      unshare,
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-ec',
        // Positional parameters only: no path is ever spliced into the script.
        'mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; shift 2; exec "$@"',
        'sh',
        root,
        mountPoint,
        oscap,
        ...args,
      ],
      { ...env, OSCAP_PROBE_ROOT: mountPoint },
    );
  } finally {
    // The mount went with the namespace; only the empty directory is left.
    await rmdir(mountPoint).catch(() => undefined);
  }
}
