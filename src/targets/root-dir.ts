/**
 * The root-directory transport: a directory holding a target's root filesystem (an image, a
 * container's rootfs, a mounted disk), read offline. Every path is resolved inside the directory
 * (see confine.ts), so no fact can come from the host. Runtime facts are unavailable: `live` is
 * false and exec refuses.
 */
import { readFile, readlink, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { VouchError } from '../core/errors.js';
import type {
  CommandValue,
  DirEntry,
  FileTreeValue,
  MountEntry,
  WalkValue,
} from '../core/facts/fact-values.js';
import { hostPathOf, resolveInRoot } from './confine.js';
import { isMissingError, targetIoError } from './file-stat.js';
import { hostLstat, hostReaddir, hostReadFile, hostStatfs } from './host-fs.js';
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

export class RootDirTransport implements Transport {
  readonly kind = 'root' as const;
  readonly live = false;
  readonly description: string;

  /** `root` must be a canonical absolute directory path (use openRootDirTransport). */
  constructor(readonly root: string) {
    this.description = `root ${root}`;
  }

  private async resolve(path: string, followLast: boolean): Promise<string | null> {
    if (!path.startsWith('/')) throw new Error(`target paths must be absolute: ${JSON.stringify(path)}`);
    try {
      const resolved = await resolveInRoot(this.root, path, followLast);
      return resolved === null ? null : hostPathOf(this.root, resolved);
    } catch (error) {
      throw targetIoError('resolve', path, error);
    }
  }

  async readFile(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean } | null> {
    const host = await this.resolve(path, true);
    // O_NOFOLLOW: the path is resolved; a link appearing now must not be followed out of the root.
    return host === null ? null : hostReadFile(host, path, maxBytes, { noFollow: true });
  }

  async lstat(path: string): Promise<TransportStat | null> {
    const host = await this.resolve(path, false);
    return host === null ? null : hostLstat(host, path);
  }

  async stat(path: string): Promise<TransportStat | null> {
    // The fully resolved path holds no symlink, so lstat of it *is* the followed stat, and it
    // cannot be redirected outside the root by a link the kernel would follow.
    const host = await this.resolve(path, true);
    return host === null ? null : hostLstat(host, path);
  }

  async readlink(path: string): Promise<string | null> {
    const host = await this.resolve(path, false);
    if (host === null) return null;
    try {
      return await readlink(host);
    } catch (error) {
      if (isMissingError(error) || (error as NodeJS.ErrnoException).code === 'EINVAL') return null;
      throw targetIoError('readlink', path, error);
    }
  }

  async realpath(path: string): Promise<string | null> {
    const host = await this.resolve(path, true);
    if (host === null) return null;
    return this.toTarget(host);
  }

  async readdir(path: string): Promise<DirEntry[] | null> {
    const host = await this.resolve(path, true);
    return host === null ? null : hostReaddir(host, path);
  }

  async statfs(path: string): Promise<FilesystemStats | null> {
    const host = await this.resolve(path, true);
    return host === null ? null : hostStatfs(host, path);
  }

  async walk(options: WalkOptions): Promise<WalkValue> {
    const hostRoots: string[] = [];
    let skipped: string[] = [];
    if (options.roots) {
      for (const root of options.roots) {
        const host = await this.resolve(root, true);
        if (host !== null) hostRoots.push(host);
      }
    } else {
      // The image's own filesystems: the root directory, plus local filesystems mounted inside it
      // (a disk's /boot or /var mounted under DIR), each walked without crossing into others.
      const plan = planWalk([
        { device: '', mountPoint: '/', fsType: 'root', options: [] },
        ...(await this.nestedMounts()),
      ]);
      for (const root of plan.roots) hostRoots.push(hostPathOf(this.root, root));
      skipped = plan.skipped;
    }
    return runWalk({ hostRoots, toTarget: (hostPath) => this.toTarget(hostPath), skipped }, options);
  }

  async listTree(options: TreeOptions): Promise<FileTreeValue> {
    if (!options.path.startsWith('/')) {
      throw new Error(`target paths must be absolute: ${JSON.stringify(options.path)}`);
    }
    // Symlinks are resolved by this transport (confined), so find and the Node lister only ever
    // see host paths inside the root.
    return listTree(this, options, {
      toHost: (path) => hostPathOf(this.root, path),
      toTarget: (path) => this.toTarget(path),
      hostResolvesLinks: false,
    });
  }

  /** Host path -> target path (the root prefix stripped). */
  private toTarget(hostPath: string): string {
    if (this.root === '/') return hostPath;
    return hostPath === this.root ? '/' : hostPath.slice(this.root.length);
  }

  /**
   * Filesystems mounted inside the root directory (a chroot's /proc, a disk's /boot), with their
   * mount points as target paths. Read from the host's mount table: it describes the directory
   * being scanned, not the host's own configuration.
   */
  private async nestedMounts(): Promise<MountEntry[]> {
    let text: string;
    try {
      text = await readFile('/proc/mounts', 'utf8');
    } catch {
      return [];
    }
    const prefix = this.root === '/' ? '/' : `${this.root}/`;
    return parseMountTable(text)
      .filter((mount) => mount.mountPoint.startsWith(prefix) && mount.mountPoint !== this.root)
      .map((mount) => ({ ...mount, mountPoint: this.toTarget(mount.mountPoint) }));
  }

  exec(argv: string[], _options: ExecOptions): Promise<CommandValue> {
    return Promise.reject(
      new VouchError(
        'OFFLINE_EXEC',
        `cannot run ${argv[0] ?? 'a command'} on ${this.description}: an offline root has no running system`,
      ),
    );
  }

  async close(): Promise<void> {}
}

/**
 * Opens `dir` as an offline root. The directory must exist: scanning a typo'd path would otherwise
 * report every file "missing" and fail every rule.
 */
export async function openRootDirTransport(dir: string): Promise<RootDirTransport> {
  let root: string;
  try {
    root = await realpath(posix.resolve(dir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new VouchError('ROOT_NOT_FOUND', `root directory does not exist: ${dir}`, { cause: error });
    }
    throw new VouchError('ROOT_UNREADABLE', `cannot open root directory ${dir}: ${code ?? error}`, {
      cause: error,
    });
  }
  const stats = await hostLstat(root, '/');
  if (stats?.type !== 'dir') {
    throw new VouchError('ROOT_NOT_A_DIRECTORY', `root is not a directory: ${dir}`);
  }
  return new RootDirTransport(root);
}
