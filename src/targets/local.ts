/**
 * The local transport: this machine, as it is now. Live: /proc, systemd and commands describe it.
 */
import { readFile, readlink, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import type { CommandValue, DirEntry, FileTreeValue, WalkValue } from '../core/facts/fact-values.js';
import { execLocal } from './exec.js';
import { isMissingError, targetIoError } from './file-stat.js';
import { hostLstat, hostReaddir, hostReadFile, hostStat, hostStatfs } from './host-fs.js';
import { parseMountTable, planWalk } from './mount-table.js';
import type {
  ExecOptions,
  FilesystemStats,
  Transport,
  TransportStat,
  TreeOptions,
  WalkOptions,
} from './transport.js';
import { runWalk } from './walk/run-walk.js';
import { listTree } from './walk/tree-list.js';

/** Target paths are absolute; a relative one is a bug in a collector, not a fact about the host. */
function checkAbsolute(path: string): string {
  if (!path.startsWith('/')) throw new Error(`target paths must be absolute: ${JSON.stringify(path)}`);
  return path;
}

export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  readonly description = 'local host';
  readonly live = true;

  async readFile(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean } | null> {
    return hostReadFile(checkAbsolute(path), path, maxBytes);
  }

  async lstat(path: string): Promise<TransportStat | null> {
    return hostLstat(checkAbsolute(path), path);
  }

  async stat(path: string): Promise<TransportStat | null> {
    return hostStat(checkAbsolute(path), path);
  }

  async readlink(path: string): Promise<string | null> {
    try {
      return await readlink(checkAbsolute(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isMissingError(error) || code === 'EINVAL') return null; // EINVAL: not a symlink
      throw targetIoError('readlink', path, error);
    }
  }

  async realpath(path: string): Promise<string | null> {
    try {
      return await realpath(checkAbsolute(path));
    } catch (error) {
      if (isMissingError(error)) return null;
      throw targetIoError('resolve', path, error);
    }
  }

  async readdir(path: string): Promise<DirEntry[] | null> {
    return hostReaddir(checkAbsolute(path), path);
  }

  async walk(options: WalkOptions): Promise<WalkValue> {
    let roots: string[];
    let skipped: string[] = [];
    if (options.roots) {
      roots = options.roots.map((root) => posix.normalize(checkAbsolute(root)));
    } else {
      const plan = planWalk(parseMountTable(await readFile('/proc/mounts', 'utf8')));
      roots = plan.roots;
      skipped = plan.skipped;
    }
    return runWalk({ hostRoots: roots, toTarget: (hostPath) => hostPath, skipped }, options);
  }

  async statfs(path: string): Promise<FilesystemStats | null> {
    return hostStatfs(checkAbsolute(path), path);
  }

  async listTree(options: TreeOptions): Promise<FileTreeValue> {
    checkAbsolute(options.path);
    return listTree(this, options, {
      toHost: (path) => path,
      toTarget: (path) => path,
      hostResolvesLinks: true,
    });
  }

  async exec(argv: string[], options: ExecOptions): Promise<CommandValue> {
    return execLocal(argv, options);
  }

  async close(): Promise<void> {}
}

export function createLocalTransport(): Transport {
  return new LocalTransport();
}
