/**
 * Opening a target from CLI-level options.
 */
import { createLocalTransport } from './local.js';
import { openRootDirTransport } from './root-dir.js';
import type { Transport } from './transport.js';

export interface TargetOptions {
  /** `--root DIR`: scan an offline root filesystem instead of this machine. */
  root?: string;
}

export async function openTarget(options: TargetOptions = {}): Promise<Transport> {
  return options.root === undefined ? createLocalTransport() : openRootDirTransport(options.root);
}

export { createLocalTransport, LocalTransport } from './local.js';
export { openRootDirTransport, RootDirTransport } from './root-dir.js';
export type { ExecOptions, Transport, TransportStat, WalkOptions } from './transport.js';
