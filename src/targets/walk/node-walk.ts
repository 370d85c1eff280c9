/**
 * The pure-Node walker, used where GNU find is absent (busybox, minimal images). Same contract as
 * findWalk: lstat every entry, never follow symlinks, never leave the starting filesystem.
 *
 * It uses the *synchronous* calls on purpose: an async lstat costs a thread-pool round trip
 * (~40 µs here), a sync one ~2 µs, and a walk makes one per entry (7x faster on 400k entries).
 * To keep the event loop responsive it yields between batches of entries.
 */
import { type BigIntStats, lstatSync, opendirSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileTypeOfStats } from '../file-stat.js';
import type { WalkAccumulator } from './accumulator.js';

/** Entries handled between two yields to the event loop. */
const SLICE = 2000;

function tryLstat(path: string): BigIntStats | null {
  try {
    return lstatSync(path, { bigint: true, throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // unreadable: find reports these on stderr and carries on
  }
}

function listDir(path: string): string[] {
  const names: string[] = [];
  try {
    const dir = opendirSync(path, { bufferSize: 256 });
    try {
      for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) names.push(dirent.name);
    } finally {
      dir.closeSync();
    }
  } catch {
    // unreadable or vanished directory: skip it, as find does
  }
  return names;
}

export async function nodeWalk(
  hostRoots: readonly string[],
  toTarget: (hostPath: string) => string,
  accumulator: WalkAccumulator,
): Promise<void> {
  let budget = SLICE;
  for (const root of hostRoots) {
    const rootStats = tryLstat(root);
    if (rootStats === null) continue;
    const record = (path: string, stats: BigIntStats) =>
      accumulator.add({
        path: toTarget(path),
        type: fileTypeOfStats(stats),
        mode: Number(stats.mode & 0o7777n),
        uid: Number(stats.uid),
        gid: Number(stats.gid),
      });
    record(root, rootStats);
    if (!rootStats.isDirectory()) continue;
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const prefix = dir === '/' ? '/' : `${dir}/`;
      for (const name of listDir(dir)) {
        const path = prefix + name;
        const stats = tryLstat(path);
        if (stats === null) continue;
        record(path, stats);
        // Like find -xdev: a mount point is reported, but not descended into.
        if (stats.isDirectory() && stats.dev === rootStats.dev) stack.push(path);
        if (--budget === 0) {
          budget = SLICE;
          await yieldToEventLoop();
        }
      }
    }
  }
}
