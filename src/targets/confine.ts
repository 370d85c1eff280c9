/**
 * Path resolution confined to a root directory. The kernel would resolve an absolute symlink in
 * an offline image (`/etc/localtime -> /usr/share/zoneinfo/UTC`) against the *host* root, leaking
 * host facts into the report; so we resolve every component ourselves, as if chrooted.
 */
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { isMissingError } from './file-stat.js';

/** Linux's limit on symlinks followed in one resolution (MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/** Host path of a canonical target path under `root` (a realpath without trailing slash, or "/"). */
export function hostPathOf(root: string, targetPath: string): string {
  if (root === '/') return targetPath;
  return targetPath === '/' ? root : root + targetPath;
}

/**
 * The canonical target path of `targetPath` inside `root`: symlinks resolved (absolute targets
 * re-rooted at `root`), `..` clamped at `root`. The last component is resolved only when
 * `followLast`. Null when a component is missing, a non-directory is used as a directory, or more
 * than MAX_SYMLINKS links are met (ELOOP) — on an image these all mean "no such file".
 *
 * The component lstats are synchronous on purpose: they hit the kernel's dentry cache and take a
 * microsecond or two, while a round trip through libuv's four-thread pool costs tens of
 * microseconds and queues behind other I/O; resolution made root-directory scans several times
 * slower than the same scan of the live host.
 */
export async function resolveInRoot(
  root: string,
  targetPath: string,
  followLast: boolean,
): Promise<string | null> {
  let pending = components(targetPath);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved.pop(); // popping an empty list is the clamp: /.. is /
      continue;
    }
    const isLast = pending.length === 0;
    const host = hostPathOf(root, `/${[...resolved, part].join('/')}`);
    let stats: Stats;
    try {
      stats = lstatSync(host);
    } catch (error) {
      if (isMissingError(error)) return null;
      throw error;
    }
    if (stats.isSymbolicLink() && (!isLast || followLast)) {
      if (++links > MAX_SYMLINKS) return null;
      const target = readlinkSync(host);
      if (target.startsWith('/')) resolved.length = 0;
      pending = [...components(target), ...pending];
      continue;
    }
    if (!isLast && !stats.isDirectory()) return null;
    resolved.push(part);
  }
  return `/${resolved.join('/')}`;
}
