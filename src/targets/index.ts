/**
 * Opening a target from CLI-level options.
 */
import { VouchError } from '../core/errors.js';
import { createLocalTransport } from './local.js';
import { openRootDirTransport } from './root-dir.js';
import type { SshTargetOptions } from './ssh/ssh-options.js';
import type { Transport } from './transport.js';

export interface TargetOptions {
  /** `--root DIR`: scan an offline root filesystem instead of this machine. */
  root?: string;
  /** `--target ssh://user@host:port`: scan a remote host over SSH (agentless). */
  ssh?: SshTargetOptions;
}

export async function openTarget(options: TargetOptions = {}): Promise<Transport> {
  if (options.ssh !== undefined && options.root !== undefined) {
    throw new VouchError(
      'TARGET_CONFLICT',
      '--root and --target ssh://… name two different targets; give one',
    );
  }
  if (options.ssh !== undefined) {
    // Loaded on use: the SSH client (ssh2 and its crypto) costs every other scan startup time.
    const { openSshTransport } = await import('./ssh/ssh-transport.js');
    return openSshTransport(options.ssh);
  }
  return options.root === undefined ? createLocalTransport() : openRootDirTransport(options.root);
}

export { createLocalTransport, LocalTransport } from './local.js';
export { openRootDirTransport, RootDirTransport } from './root-dir.js';
export type { SshTargetOptions } from './ssh/ssh-options.js';
export type { ExecOptions, Transport, TransportStat, WalkOptions } from './transport.js';
