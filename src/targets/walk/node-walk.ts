/**
 * The pure-Node walker, used where GNU find is absent (busybox, minimal images). Same contract as
 * findWalk: lstat every entry, never follow symlinks, never leave the starting filesystem.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { fileTypeOfStats } from '../file-stat.js';
import type { WalkAccumulator } from './accumulator.js';

/** Directories read at once; lstat calls within one directory run in batches of BATCH. */
const CONCURRENCY = 16;
const BATCH = 64;

interface Job {
  path: string;
  dev: bigint;
}

async function tryLstat(path: string): Promise<BigIntStats | null> {
  try {
    return await lstat(path, { bigint: true });
  } catch {
    return null; // vanished or unreadable: find reports these on stderr and carries on
  }
}

export async function nodeWalk(
  hostRoots: readonly string[],
  toTarget: (hostPath: string) => string,
  accumulator: WalkAccumulator,
): Promise<void> {
  const queue: Job[] = [];
  const record = (path: string, stats: BigIntStats) => {
    accumulator.add({
      path: toTarget(path),
      type: fileTypeOfStats(stats),
      mode: Number(stats.mode & 0o7777n),
      uid: Number(stats.uid),
      gid: Number(stats.gid),
    });
  };

  for (const root of hostRoots) {
    const stats = await tryLstat(root);
    if (stats === null) continue;
    record(root, stats);
    if (stats.isDirectory()) queue.push({ path: root, dev: stats.dev });
  }

  const readDir = async (job: Job) => {
    const names: string[] = [];
    try {
      for await (const dirent of await opendir(job.path, { bufferSize: 256 })) names.push(dirent.name);
    } catch {
      return; // unreadable directory: skip it, as find does
    }
    const prefix = job.path === '/' ? '/' : `${job.path}/`;
    for (let i = 0; i < names.length; i += BATCH) {
      const slice = names.slice(i, i + BATCH);
      const stats = await Promise.all(slice.map((name) => tryLstat(prefix + name)));
      slice.forEach((name, index) => {
        const entryStats = stats[index];
        if (!entryStats) return;
        const path = prefix + name;
        record(path, entryStats);
        // Like find -xdev: a mount point is reported, but not descended into.
        if (entryStats.isDirectory() && entryStats.dev === job.dev) queue.push({ path, dev: job.dev });
      });
    }
  };

  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const pump = () => {
      if (queue.length === 0 && active === 0) {
        resolve();
        return;
      }
      while (active < CONCURRENCY && queue.length > 0) {
        const job = queue.pop()!;
        active++;
        readDir(job).then(() => {
          active--;
          pump();
        }, reject);
      }
    };
    pump();
  });
}
