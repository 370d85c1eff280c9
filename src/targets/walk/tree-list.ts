/**
 * The `file-tree` listing both transports share: lstat of every entry below a directory, through
 * GNU find (one process, -printf, argv only) where present, else a synchronous Node lister.
 *
 * Symlinks are never followed by find or by the Node lister: the transport resolves them (the root
 * transport confines the resolution to its directory), and a symlink to a directory that the request
 * wants followed is listed by a second pass rooted at its resolved directory, with its entries shown
 * under the link's path. A link back to one of its own ancestors is not followed (fts's FTS_DC).
 */
import { spawn } from 'node:child_process';
import { type BigIntStats, lstatSync, opendirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FileTreeValue, FileType, TreeEntry } from '../../core/facts/fact-values.js';
import { fileTypeOfStats } from '../file-stat.js';
import { parseMountTable } from '../mount-table.js';
import type { Transport, TransportStat, TreeOptions } from '../transport.js';
import { gnuFindAvailable } from './find-walk.js';

/** Target path <-> host path of the transport. */
export interface PathMapping {
  toHost(targetPath: string): string;
  toTarget(hostPath: string): string;
  /**
   * The lister's kernel resolves the target's symlinks as the target does (the local host): the
   * lister's link target types are then used as they are, saving a stat per symlink. A root
   * directory must resolve links confined, through the transport.
   */
  hostResolvesLinks?: boolean;
}

/**
 * Filesystems oscap 1.3.7 does not call local (`fsdev.c`, `is_local_fs`): proc, sysfs, autofs and
 * network filesystems (a `fuse.` prefix is ignored). tmpfs, devtmpfs, cgroup... ARE local.
 */
export const NON_LOCAL_TYPES = [
  'proc',
  'sysfs',
  'autofs',
  'afs',
  'ceph',
  'cifs',
  'smb3',
  'smbfs',
  'sshfs',
  'ncpfs',
  'ncp',
  'nfs',
  'nfs4',
  'gfs',
  'gfs2',
  'glusterfs',
  'gpfs',
  'pvfs2',
  'ocfs2',
  'lustre',
  'davfs',
];

export function isLocalFsType(fsType: string): boolean {
  const type = fsType.startsWith('fuse.') ? fsType.slice('fuse.'.length) : fsType;
  return !NON_LOCAL_TYPES.includes(type);
}

const FIND_TYPES: Record<string, FileType> = {
  f: 'file',
  d: 'dir',
  l: 'symlink',
  c: 'char',
  b: 'block',
  p: 'fifo',
  s: 'socket',
};

/** One raw record of a lister, paths still host paths. */
export interface RawEntry {
  hostPath: string;
  /** Relative to the lister's root (1 = its entries). */
  depth: number;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atimeMs: number;
  ctimeMs: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  /**
   * Symlinks: the type the lister's own kernel resolves the link to (find's `%Y`), null when
   * dangling or looping. Trusted only where that kernel resolves like the target (PathMapping).
   */
  hostTargetType?: FileType | null;
}

export interface RawOptions {
  maxDepth: number | undefined;
  filesystems: 'all' | 'local' | 'same';
  special: boolean;
  uidNotIn?: readonly number[] | undefined;
  gidNotIn?: readonly number[] | undefined;
  /** The Node lister stats symlinks only when asked (find's `%Y` costs nothing extra). */
  resolveLinks?: boolean;
}

export interface RawListing {
  entries: RawEntry[];
  visited: number;
}

const SPECIAL_BITS = 0o6002;
/**
 * A nanosecond timestamp as find's `%T@` text parses (`<sec>.<ns>0` seconds, times 1000), so the
 * Node lister and find give bit-identical milliseconds for the same file.
 */
function msLikeFind(ns: bigint): number {
  const sec = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return Number(`${sec}.${frac}0`) * 1000;
}

/** Owner pushdown (`uidNotIn` / `gidNotIn`): is the entry owned by none of the excluded ids? */
export function keptByOwner(
  owner: { uid: number; gid: number },
  options: { uidNotIn?: readonly number[] | undefined; gidNotIn?: readonly number[] | undefined },
): boolean {
  return !options.uidNotIn?.includes(owner.uid) && !options.gidNotIn?.includes(owner.gid);
}

/** type followed-type mode uid gid size atime ctime mtime dev ino depth path */
const RECORD = '%y %Y %m %U %G %s %A@ %C@ %T@ %D %i %d %p\\0';

/** find's argv for one or several starting points (each listed below itself, depths relative to it). */
export function treeFindArguments(hostRoots: string | readonly string[], options: RawOptions): string[] {
  const argv = [...(typeof hostRoots === 'string' ? [hostRoots] : hostRoots), '-mindepth', '1'];
  if (options.maxDepth !== undefined) argv.push('-maxdepth', String(options.maxDepth));
  if (options.filesystems === 'same') argv.push('-xdev');
  if (options.filesystems === 'local') {
    // A non-local mount point is listed (oscap reports it) but not descended into.
    const types = NON_LOCAL_TYPES.flatMap((type) => [type, `fuse.${type}`]);
    argv.push('(', ...types.flatMap((type, i) => [...(i > 0 ? ['-o'] : []), '-fstype', type]), ')');
    argv.push('-prune', '-o', '-true', ',');
  }
  // `-perm /6002`: world-writable, setuid or setgid; the other entries print an empty record so
  // `visited` stays exact at one byte each.
  const tests = [
    ...(options.special ? ['-perm', '/6002'] : []),
    ...(options.uidNotIn ?? []).flatMap((uid) => ['!', '-uid', String(uid)]),
    ...(options.gidNotIn ?? []).flatMap((gid) => ['!', '-gid', String(gid)]),
  ];
  if (tests.length > 0) argv.push('(', ...tests, '-printf', RECORD, '-o', '-printf', '\\0', ')');
  else argv.push('-printf', RECORD);
  return argv;
}

function parseRecord(record: string): RawEntry | null {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 12; i++) {
    const space = record.indexOf(' ', start);
    if (space < 0) return null;
    fields.push(record.slice(start, space));
    start = space + 1;
  }
  const [type, followed, mode, uid, gid, size, atime, ctime, mtime, dev, ino, depth] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const entry: RawEntry = {
    hostPath: record.slice(start),
    depth: Number(depth),
    type: FIND_TYPES[type] ?? 'unknown',
    mode: Number.parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    atimeMs: Number(atime) * 1000,
    ctimeMs: Number(ctime) * 1000,
    mtimeMs: Number(mtime) * 1000,
    dev: Number(dev),
    ino: Number(ino),
  };
  // %Y: N (nonexistent), L (loop) and ? (error) all mean the link resolves to nothing.
  if (type === 'l') entry.hostTargetType = FIND_TYPES[followed] ?? null;
  return entry;
}

/** A lister of one host directory (find here; the SSH transport runs the same find remotely). */
export type RawLister = (hostRoot: string, options: RawOptions) => Promise<RawListing>;

/**
 * Consumes the output of `find` run with treeFindArguments, chunk by chunk (records end in NUL and
 * may be split across chunks); `listing()` is the result so far.
 */
export function treeFindOutputParser(): { push(chunk: Buffer): void; listing(): RawListing } {
  const entries: RawEntry[] = [];
  let visited = 0;
  let pending: Buffer | null = null;
  return {
    push(chunk: Buffer) {
      const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const end = data.indexOf(0, start);
        if (end === -1) break;
        visited++;
        if (end > start) {
          const entry = parseRecord(data.toString('utf8', start, end));
          if (entry) entries.push(entry);
        }
        start = end + 1;
      }
      pending = start < data.length ? data.subarray(start) : null;
    },
    listing: () => ({ entries, visited }),
  };
}

function findList(hostRoots: string | readonly string[], options: RawOptions): Promise<RawListing> {
  return new Promise((resolve, reject) => {
    const child = spawn('find', treeFindArguments(hostRoots, options), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const parser = treeFindOutputParser();
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // Exit 1: some directory was unreadable; the listing holds what could be seen, as oscap's does.
      if (code === 0 || code === 1) resolve(parser.listing());
      else
        reject(new Error(`find failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

/** Real directories directly below `dir` (sorted), with their device numbers. */
function subdirectories(dir: string): Array<{ path: string; dev: number }> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const found: Array<{ path: string; dev: number }> = [];
  for (const name of names) {
    try {
      const stats = lstatSync(prefix + name);
      if (stats.isDirectory()) found.push({ path: prefix + name, dev: stats.dev });
    } catch {
      // vanished meanwhile
    }
  }
  return found;
}

/**
 * An unbounded find split over the cores, like the walk's parallelFindWalk: one find lists the
 * first two levels, and the level-2 directories find would descend into (same pruning: other
 * filesystems for `same`, non-local ones for `local`) are listed by a pool of finds. find is bound
 * by one lstat per entry, so disjoint subtrees finish sooner on several cores.
 */
async function parallelFindList(hostRoot: string, options: RawOptions, workers: number): Promise<RawListing> {
  if (options.maxDepth !== undefined || workers < 2) return findList(hostRoot, options);
  const top = findList(hostRoot, { ...options, maxDepth: 2 });
  let rootDev: number;
  try {
    rootDev = lstatSync(hostRoot).dev;
  } catch {
    return top;
  }
  const skipDevices = options.filesystems === 'local' ? nonLocalDevices() : new Set<number>();
  const descends = (dev: number) =>
    !skipDevices.has(dev) && (options.filesystems !== 'same' || dev === rootDev);
  const subtrees: string[] = [];
  for (const child of subdirectories(hostRoot)) {
    if (!descends(child.dev)) continue;
    for (const grandchild of subdirectories(child.path))
      if (descends(grandchild.dev)) subtrees.push(grandchild.path);
  }
  // One job per worker, subtrees dealt round-robin so each gets a share of the big ones: every
  // job is a find process, and spawning costs a scan more than the balance a finer split buys.
  const jobCount = Math.min(subtrees.length, workers);
  const jobs: string[][] = Array.from({ length: jobCount }, () => []);
  subtrees.forEach((subtree, i) => {
    jobs[i % jobCount]?.push(subtree);
  });
  const results: RawListing[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as string[];
      // One find per job, with all its subtrees as starting points: a process per subtree (there
      // are hundreds under `/`) costs more in spawning than the listing itself.
      const listing = await findList(job, options);
      // Depths are relative to each subtree root, two levels below hostRoot.
      for (const entry of listing.entries) entry.depth += 2;
      results.push(listing);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const first = await top;
  return {
    entries: first.entries.concat(...results.map((listing) => listing.entries)),
    visited: results.reduce((sum, listing) => sum + listing.visited, first.visited),
  };
}

/** Devices of the host's non-local mounts (the Node lister's equivalent of find's -fstype). */
function nonLocalDevices(): Set<number> {
  const devices = new Set<number>();
  let text = '';
  try {
    text = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return devices;
  }
  for (const mount of parseMountTable(text)) {
    if (isLocalFsType(mount.fsType)) continue;
    try {
      devices.add(statSync(mount.mountPoint).dev);
    } catch {
      // unreachable mount point: nothing below it can be met either
    }
  }
  return devices;
}

const SLICE = 2000;

function followedType(path: string): FileType | null {
  try {
    return fileTypeOfStats(statSync(path, { bigint: true }));
  } catch {
    return null;
  }
}

async function nodeList(hostRoot: string, options: RawOptions): Promise<RawListing> {
  const entries: RawEntry[] = [];
  let visited = 0;
  let budget = SLICE;
  let rootStats: BigIntStats | undefined;
  try {
    rootStats = lstatSync(hostRoot, { bigint: true });
  } catch {
    return { entries, visited };
  }
  const skipDevices = options.filesystems === 'local' ? nonLocalDevices() : new Set<number>();
  const stack: Array<[string, number]> = [[hostRoot, 0]];
  while (stack.length > 0) {
    const [dir, depth] = stack.pop() as [string, number];
    const names: string[] = [];
    try {
      const handle = opendirSync(dir, { bufferSize: 256 });
      try {
        for (let dirent = handle.readSync(); dirent !== null; dirent = handle.readSync())
          names.push(dirent.name);
      } finally {
        handle.closeSync();
      }
    } catch {
      continue; // unreadable: skipped, as find does
    }
    names.sort();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const subdirs: Array<[string, number]> = [];
    for (const name of names) {
      const path = prefix + name;
      let stats: BigIntStats | undefined;
      try {
        stats = lstatSync(path, { bigint: true, throwIfNoEntry: false });
      } catch {
        stats = undefined;
      }
      if (!stats) continue;
      visited++;
      const mode = Number(stats.mode & 0o7777n);
      const uid = Number(stats.uid);
      const gid = Number(stats.gid);
      if ((!options.special || (mode & SPECIAL_BITS) !== 0) && keptByOwner({ uid, gid }, options)) {
        entries.push({
          hostPath: path,
          depth: depth + 1,
          type: fileTypeOfStats(stats),
          mode,
          uid,
          gid,
          size: Number(stats.size),
          atimeMs: msLikeFind(stats.atimeNs),
          ctimeMs: msLikeFind(stats.ctimeNs),
          mtimeMs: msLikeFind(stats.mtimeNs),
          dev: Number(stats.dev),
          ino: Number(stats.ino),
          ...(options.resolveLinks && stats.isSymbolicLink() ? { hostTargetType: followedType(path) } : {}),
        });
      }
      const deeper = options.maxDepth === undefined || depth + 1 < options.maxDepth;
      const sameFs = options.filesystems !== 'same' || stats.dev === rootStats.dev;
      if (stats.isDirectory() && deeper && sameFs && !skipDevices.has(Number(stats.dev)))
        subdirs.push([path, depth + 1]);
      if (--budget === 0) {
        budget = SLICE;
        await yieldToEventLoop();
      }
    }
    // Reverse so the stack pops them in name order (pre-order, like find).
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as [string, number]);
  }
  return { entries, visited };
}

/** A listing entry from a transport stat (also used by the collectors' primitive lister). */
export function toEntry(path: string, depth: number, stats: TransportStat): TreeEntry {
  return {
    path,
    depth,
    type: stats.type,
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atimeMs: stats.atimeMs ?? stats.mtimeMs,
    ctimeMs: stats.ctimeMs ?? stats.mtimeMs,
    mtimeMs: stats.mtimeMs,
  };
}

function joinPath(dir: string, rest: string): string {
  return dir === '/' ? rest || '/' : `${dir}${rest}`;
}

/** Orders paths as a pre-order walk visits them: by component, so `a/b` comes before `a-b`. */
export function compareTreePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * Sorts entries in pre-order by path (as compareTreePaths), fast enough for a `/`-wide listing:
 * with `/` mapped to the lowest character, plain string order is component order.
 */
export function sortTreeEntries<T extends { path: string }>(entries: T[]): T[] {
  const keyed = entries.map((entry) => ({ key: entry.path.replaceAll('/', '\u0000'), entry }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) entries[i] = (keyed[i] as { entry: T }).entry;
  return entries;
}

const LINK_CONCURRENCY = 32;

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * `lister` replaces the local find / Node listers (the SSH transport lists remotely); `transport`'s
 * lstat/stat must then report real dev and ino, which identify directories for loop detection.
 */
export async function listTree(
  transport: Transport,
  options: TreeOptions,
  mapping: PathMapping,
  lister?: RawLister,
): Promise<FileTreeValue> {
  const rootPath = options.path.length > 1 ? options.path.replace(/\/+$/, '') : options.path;
  const special = options.select === 'special';
  const own = await transport.lstat(rootPath);
  if (own === null) return { path: options.path, exists: false, entries: [], visited: 0 };
  const entries: TreeEntry[] = [];
  let visited = 1;
  const target = own.type === 'symlink' ? await transport.stat(rootPath) : own;
  // oscap skips a starting point that is itself on a non-local filesystem (path `/proc` with
  // recurse_file_system="local" selects nothing). The mount table is this host's, so only the
  // local listers (not a remote one) can tell.
  if (options.filesystems === 'local' && lister === undefined && nonLocalDevices().has((target ?? own).dev))
    return { path: options.path, exists: true, entries: [], visited };
  const rootEntry = toEntry(rootPath, 0, own);
  if (own.type === 'symlink') rootEntry.targetType = target?.type ?? null;
  if ((!special || (own.mode & SPECIAL_BITS) !== 0) && keptByOwner(own, options)) entries.push(rootEntry);
  if (target?.type !== 'dir' || options.maxDepth === 0)
    return { path: options.path, exists: true, entries, visited };

  const useFind =
    lister === undefined &&
    (options.lister === 'find' || (options.lister !== 'node' && (await gnuFindAvailable())));
  const filesystems = options.filesystems ?? 'all';
  /** dev:ino of every directory listed, by shown path: the ancestors a followed link must not be. */
  const dirIds = new Map<string, string>([[rootPath, `${target.dev}:${target.ino}`]]);
  const isAncestorId = (path: string, id: string): boolean => {
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (dirIds.get(dir) === id) return true;
      if (dir === '/' || dir === '.') return false;
    }
  };

  // Each pass lists one real directory, shown under `shownDir`, `baseDepth` levels below the root.
  const pending: Array<{ shownDir: string; baseDepth: number }> = [{ shownDir: rootPath, baseDepth: 0 }];
  while (pending.length > 0) {
    const { shownDir, baseDepth } = pending.shift() as { shownDir: string; baseDepth: number };
    const real = await transport.realpath(shownDir);
    if (real === null) continue;
    const hostDir = mapping.toHost(real);
    const maxDepth = options.maxDepth === undefined ? undefined : options.maxDepth - baseDepth;
    const rawOptions = {
      maxDepth,
      filesystems,
      special,
      uidNotIn: options.uidNotIn,
      gidNotIn: options.gidNotIn,
      resolveLinks: mapping.hostResolvesLinks === true,
    };
    // One directory (OVAL's path + filename objects) is listed in-process: spawning find costs
    // more than reading a directory, and a scan lists dozens of them.
    const shallow = maxDepth !== undefined && maxDepth <= 1;
    const raw = lister
      ? await lister(hostDir, rawOptions)
      : useFind && !shallow
        ? // Split over the cores only for the whole target: under a smaller directory the extra
          // processes cost more to spawn than they save (a fixture's /usr/lib lists in ~20 ms).
          shownDir === '/'
          ? await parallelFindList(hostDir, rawOptions, options.workers ?? availableParallelism())
          : await findList(hostDir, rawOptions)
        : await nodeList(hostDir, rawOptions);
    visited += raw.visited;
    const listed: Array<{ entry: TreeEntry; item: RawEntry }> = [];
    for (const item of raw.entries) {
      // `/x/y` below hostDir (whose own path may be `/`, then it is the whole host path).
      const rest = hostDir === '/' ? item.hostPath : item.hostPath.slice(hostDir.length);
      const path = joinPath(shownDir, rest);
      const entry: TreeEntry = {
        path,
        depth: baseDepth + item.depth,
        type: item.type,
        mode: item.mode,
        uid: item.uid,
        gid: item.gid,
        size: item.size,
        atimeMs: item.atimeMs,
        ctimeMs: item.ctimeMs,
        mtimeMs: item.mtimeMs,
      };
      if (item.type === 'dir') dirIds.set(path, `${item.dev}:${item.ino}`);
      listed.push({ entry, item });
      entries.push(entry);
    }
    // Symlink targets, resolved concurrently (a root directory holds thousands of links, and one
    // awaited stat after another left the process idle); then followed in listing order.
    const classify = options.follow === true || options.classifyLinks !== false;
    const links = classify ? listed.filter(({ item }) => item.type === 'symlink') : [];
    const resolved = await mapConcurrent(links, LINK_CONCURRENCY, async ({ entry, item }) => {
      // The lister's answer where the host resolves like the target; else the (confining)
      // transport's. A directory is stat'ed anyway: following it needs its dev and ino.
      const known = mapping.hostResolvesLinks === true && item.hostTargetType !== undefined;
      const linked =
        known && item.hostTargetType !== 'dir' ? null : await transport.stat(entry.path).catch(() => null);
      entry.targetType = known ? (item.hostTargetType ?? null) : (linked?.type ?? null);
      return linked;
    });
    links.forEach(({ entry }, i) => {
      const linked = resolved[i];
      const deeper = options.maxDepth === undefined || entry.depth < options.maxDepth;
      if (options.follow && linked?.type === 'dir' && deeper) {
        const id = `${linked.dev}:${linked.ino}`;
        const sameFs = filesystems !== 'same' || linked.dev === target.dev;
        if (!isAncestorId(entry.path, id) && sameFs) {
          dirIds.set(entry.path, id);
          pending.push({ shownDir: entry.path, baseDepth: entry.depth });
        }
      }
    });
  }
  sortTreeEntries(entries);
  return { path: options.path, exists: true, entries, visited };
}
