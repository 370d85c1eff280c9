/**
 * Which directories to watch for a set of source paths, and what each one's events mean.
 *
 * Directories, not files, are watched: one inotify watch on a directory reports creation, deletion,
 * rename-over (editors, `sed -i`), content writes and chmod/chown of every entry, so replacing a
 * file by rename needs no re-arming, and a file that does not exist yet is seen when it appears.
 * A source path P is watched through its parent directory (interest in the name of P); when P is
 * itself a directory (sysctl.d, sudoers.d), P is watched too, since entries appearing or vanishing
 * change its listing. When a directory is missing, the nearest existing ancestor is watched with
 * interest in the missing component, and the plan is recomputed when it appears.
 */
import { posix } from 'node:path';
import type { Transport } from '../targets/transport.js';

export interface WatchedDir {
  /** The directory as a target path, symlinks resolved (so two spellings share one watch). */
  targetPath: string;
  /** The same directory on this machine (under the root of a root target). */
  hostPath: string;
  /** Entry name -> source paths that change when that entry changes. */
  interests: Map<string, Set<string>>;
  /** Source paths that are this directory: any entry created, removed or renamed changes them. */
  selves: Set<string>;
}

/** The path operations planning needs, in target paths. */
export interface PathView {
  /** File type following symlinks; null when missing, dangling or unreadable. */
  typeOf(path: string): Promise<string | null>;
  /** lstat file type; null when missing or unreadable. */
  lstatTypeOf(path: string): Promise<string | null>;
  /** Fully resolved target path; null when missing. */
  realpath(path: string): Promise<string | null>;
  /** Target path -> host path. */
  toHost(path: string): string;
}

export function pathViewOf(transport: Transport): PathView {
  const root = transport.kind === 'root' ? (transport as unknown as { root: string }).root : '/';
  const quiet = async <T>(read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch {
      // Unreadable counts as missing here: the ancestor that can be read gets watched instead.
      return null;
    }
  };
  return {
    typeOf: async (path) => (await quiet(() => transport.stat(path)))?.type ?? null,
    lstatTypeOf: async (path) => (await quiet(() => transport.lstat(path)))?.type ?? null,
    realpath: (path) => quiet(() => transport.realpath(path)),
    toHost: (path) => (root === '/' ? path : path === '/' ? root : root + path),
  };
}

export async function planWatches(
  sourcePaths: Iterable<string>,
  view: PathView,
): Promise<Map<string, WatchedDir>> {
  const plan = new Map<string, WatchedDir>();
  // Many sources share a directory: resolve each directory once per plan.
  const resolvedDirs = new Map<string, Promise<string | null>>();
  const resolveDir = (dir: string): Promise<string | null> => {
    let resolved = resolvedDirs.get(dir);
    if (!resolved) {
      resolved = (async () =>
        (await view.typeOf(dir)) === 'dir' ? ((await view.realpath(dir)) ?? dir) : null)();
      resolvedDirs.set(dir, resolved);
    }
    return resolved;
  };
  const entry = (targetPath: string): WatchedDir => {
    const hostPath = view.toHost(targetPath);
    let watched = plan.get(hostPath);
    if (!watched) {
      watched = { targetPath, hostPath, interests: new Map(), selves: new Set() };
      plan.set(hostPath, watched);
    }
    return watched;
  };
  const addInterest = async (dir: string, name: string, source: string): Promise<void> => {
    const real = await resolveDir(dir);
    if (real === null) {
      // Missing (or not a directory): watch for it to appear from the nearest existing ancestor.
      if (dir !== '/') await addInterest(posix.dirname(dir), posix.basename(dir), source);
      return;
    }
    const interests = entry(real).interests;
    let sources = interests.get(name);
    if (!sources) {
      sources = new Set();
      interests.set(name, sources);
    }
    sources.add(source);
  };

  await Promise.all(
    [...new Set(sourcePaths)].map(async (source) => {
      if (source !== '/') await addInterest(posix.dirname(source), posix.basename(source), source);
      if ((await view.lstatTypeOf(source)) === 'dir') {
        const real = await resolveDir(source);
        if (real !== null) entry(real).selves.add(source);
      }
    }),
  );
  return plan;
}

export interface ResolvedEvent {
  /** Source paths the event may have changed. */
  sources: Set<string>;
  /** The path that changed, as a target path. */
  observed: string;
  /** Entries appeared, vanished or moved: the plan may need recomputing. */
  structural: boolean;
}

/**
 * Maps one raw directory event to the source paths it may have changed. `rename` is node's name for
 * create, delete and move (of an entry or of the watched directory itself); `change` for content and
 * attribute changes. Events without a file name, or naming the directory itself (a self event:
 * the directory was moved, deleted or chmod-ed), may concern anything watched through it.
 */
export function resolveEvent(dir: WatchedDir, type: string, name: string | null): ResolvedEvent {
  const sources = new Set<string>();
  const structural = type === 'rename';
  const everything = (): void => {
    for (const paths of dir.interests.values()) for (const path of paths) sources.add(path);
    for (const path of dir.selves) sources.add(path);
  };
  if (name === null) {
    everything();
    return { sources, observed: dir.targetPath, structural: true };
  }
  for (const path of dir.interests.get(name) ?? []) sources.add(path);
  if (structural) for (const path of dir.selves) sources.add(path);
  if (name === posix.basename(dir.targetPath)) everything();
  return { sources, observed: posix.join(dir.targetPath, name), structural };
}
