/**
 * The walk through GNU find: find does the traversal in C and prints only entries of interest, so
 * the walk costs about what `find / -xdev -perm -0002` costs. argv only, never a shell.
 */
import { spawn } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { FileType } from '../../core/facts/fact-values.js';
import { idRanges, type WalkAccumulator } from './accumulator.js';

const FIND = 'find';

/** Beyond this many id ranges the expression would cost more than classifying every entry in JS. */
const MAX_RANGES = 200;

let gnuFind: Promise<boolean> | undefined;

/** Whether a GNU find (with -printf) is on PATH; probed once per process. */
export function gnuFindAvailable(): Promise<boolean> {
  gnuFind ??= new Promise((resolve) => {
    const child = spawn(FIND, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0 && out.includes('GNU findutils')));
  });
  return gnuFind;
}

/** `! -uid a ! ( -uid +b -uid -c ) …`: true when the id is in none of the ranges. */
function notInRanges(test: '-uid' | '-gid', ranges: Array<[number, number]>): string[] {
  if (ranges.length === 0) return ['-true'];
  const argv: string[] = [];
  for (const [low, high] of ranges) {
    if (low === high) argv.push('!', test, String(low));
    else argv.push('!', '(', ...(low > 0 ? [test, `+${low - 1}`] : []), test, `-${high + 1}`, ')');
  }
  return argv;
}

/** One record per interesting entry: mode (octal, with suid/sgid/sticky), uid, gid, type, path. */
const RECORD = '%m %U %G %y %p\\0';
/** One empty record per other entry, so `visited` is exact at the cost of one byte per entry. */
const PLAIN = '\\0';

export interface DepthLimits {
  minDepth?: number;
  maxDepth?: number;
}

export function findArguments(
  roots: readonly string[],
  knownUids: ReadonlySet<number>,
  knownGids: ReadonlySet<number>,
  depth: DepthLimits = {},
): string[] {
  const uidRanges = idRanges(knownUids);
  const gidRanges = idRanges(knownGids);
  const head = [
    ...roots,
    '-xdev',
    ...(depth.minDepth !== undefined ? ['-mindepth', String(depth.minDepth)] : []),
    ...(depth.maxDepth !== undefined ? ['-maxdepth', String(depth.maxDepth)] : []),
  ];
  if (uidRanges.length + gidRanges.length > MAX_RANGES) return [...head, '-printf', RECORD];
  return [
    ...head,
    '(',
    ...['(', '-perm', '-0002', '!', '-type', 'l', ')'],
    ...['-o', '-perm', '/6000'],
    ...['-o', '(', ...notInRanges('-uid', uidRanges), ')'],
    ...['-o', '(', ...notInRanges('-gid', gidRanges), ')'],
    ')',
    ...['-printf', RECORD, '-o', '-printf', PLAIN],
  ];
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

/**
 * Walks `hostRoots` with find, feeding `accumulator`; `toTarget` maps a printed host path to a
 * target path. Resolves when find exits; unreadable directories (find's exit status 1) are not
 * an error: the walk reports what it could see, as `find` itself does.
 */
export function findWalk(
  hostRoots: readonly string[],
  toTarget: (hostPath: string) => string,
  accumulator: WalkAccumulator,
  knownUids: ReadonlySet<number>,
  knownGids: ReadonlySet<number>,
  depth: DepthLimits = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(FIND, findArguments(hostRoots, knownUids, knownGids, depth), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const parse = findOutputParser(toTarget, accumulator);
    let stderr = '';
    child.stdout.on('data', parse);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0 || code === 1) resolve();
      else
        reject(new Error(`find failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

/**
 * A consumer of find's `-printf` output (as produced by `findArguments`), chunk by chunk: records
 * end in NUL and may be split across chunks. Shared with the SSH transport, which runs the same find
 * remotely.
 */
export function findOutputParser(
  toTarget: (hostPath: string) => string,
  accumulator: WalkAccumulator,
): (chunk: Buffer) => void {
  let pending: Buffer | null = null;
  return (chunk) => {
    const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const end = data.indexOf(0, start);
      if (end === -1) break;
      if (end === start) accumulator.countPlain();
      else parseRecord(data.toString('utf8', start, end), toTarget, accumulator);
      start = end + 1;
    }
    pending = start < data.length ? data.subarray(start) : null;
  };
}

function parseRecord(record: string, toTarget: (hostPath: string) => string, accumulator: WalkAccumulator) {
  // "4755 0 0 f /usr/bin/passwd": the path is everything after the fourth space (it may hold spaces).
  const s1 = record.indexOf(' ');
  const s2 = record.indexOf(' ', s1 + 1);
  const s3 = record.indexOf(' ', s2 + 1);
  const s4 = record.indexOf(' ', s3 + 1);
  if (s1 < 0 || s2 < 0 || s3 < 0 || s4 < 0) return;
  accumulator.add({
    mode: Number.parseInt(record.slice(0, s1), 8),
    uid: Number(record.slice(s1 + 1, s2)),
    gid: Number(record.slice(s2 + 1, s3)),
    type: FIND_TYPES[record.slice(s3 + 1, s4)] ?? 'unknown',
    path: toTarget(record.slice(s4 + 1)),
  });
}

/** Directories directly below `dir` on the same filesystem (not symlinks, not mount points). */
async function sameDeviceSubdirs(dir: string, device: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const paths = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => (dir === '/' ? `/${entry.name}` : `${dir}/${entry.name}`));
  const stats = await Promise.all(paths.map((path) => lstat(path).catch(() => null)));
  return paths.filter((_, i) => stats[i]?.isDirectory() && stats[i]?.dev === device);
}

/**
 * The same walk as `findWalk`, split over the machine's cores. find is single-threaded and the walk
 * is bound by one lstat per entry, so on a multi-core host several finds over disjoint subtrees
 * finish sooner: one find covers every root down to depth 2, then the depth-2 directories (same
 * filesystem as their root, so -xdev means what it meant for the whole walk) are walked below
 * depth 0 by a pool of finds, one per core.
 */
export async function parallelFindWalk(
  hostRoots: readonly string[],
  toTarget: (hostPath: string) => string,
  accumulator: WalkAccumulator,
  knownUids: ReadonlySet<number>,
  knownGids: ReadonlySet<number>,
  workers = availableParallelism(),
): Promise<void> {
  if (workers < 2) return findWalk(hostRoots, toTarget, accumulator, knownUids, knownGids);
  const top = findWalk(hostRoots, toTarget, accumulator, knownUids, knownGids, { maxDepth: 2 });

  const subtrees: string[] = [];
  for (const root of hostRoots) {
    const stats = await lstat(root).catch(() => null);
    if (!stats?.isDirectory()) continue;
    for (const child of await sameDeviceSubdirs(root, stats.dev)) {
      subtrees.push(...(await sameDeviceSubdirs(child, stats.dev)));
    }
  }
  // A few jobs per worker so one huge subtree (/usr/lib) does not leave the other cores idle, but
  // not many more: each job is a process spawn, which small trees (a container image) would feel.
  const jobCount = Math.min(subtrees.length, workers * 3);
  const jobs: string[][] = Array.from({ length: jobCount }, () => []);
  subtrees.forEach((subtree, i) => {
    jobs[i % jobCount]?.push(subtree);
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as string[];
      await findWalk(job, toTarget, accumulator, knownUids, knownGids, { minDepth: 1 });
    }
  };
  await Promise.all([top, ...Array.from({ length: workers }, worker)]);
}
