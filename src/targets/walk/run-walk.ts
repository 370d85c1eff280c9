/**
 * Chooses the walker and assembles the WalkValue. Both transports call this with host paths and a
 * mapping back to target paths.
 */
import { lstat } from 'node:fs/promises';
import type { WalkValue } from '../../core/facts/fact-values.js';
import type { WalkOptions } from '../transport.js';
import { WalkAccumulator } from './accumulator.js';
import { gnuFindAvailable, parallelFindWalk } from './find-walk.js';
import { nodeWalk } from './node-walk.js';

export interface WalkPlan {
  /** Host paths to start from; each is walked without crossing filesystems. */
  hostRoots: string[];
  toTarget: (hostPath: string) => string;
  /** Target paths of mount points that are not walked. */
  skipped: string[];
}

/**
 * Drops roots that are the same directory as an earlier one (bind mounts, a filesystem mounted
 * twice) and roots that do not exist: walking one twice doubles the cost and changes nothing.
 */
async function distinctRoots(hostRoots: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const root of hostRoots) {
    const stats = await lstat(root).catch(() => null);
    if (stats === null) continue;
    const id = `${stats.dev}:${stats.ino}`;
    if (seen.has(id)) continue;
    seen.add(id);
    distinct.push(root);
  }
  return distinct;
}

export async function runWalk(plan: WalkPlan, options: WalkOptions): Promise<WalkValue> {
  const startedAt = Date.now();
  const hostRoots = await distinctRoots(plan.hostRoots);
  const accumulator = new WalkAccumulator(options.knownUids, options.knownGids);
  const walker = options.walker ?? 'auto';
  const useFind = walker === 'find' || (walker === 'auto' && (await gnuFindAvailable()));
  if (useFind) {
    await parallelFindWalk(hostRoots, plan.toTarget, accumulator, options.knownUids, options.knownGids);
  } else {
    await nodeWalk(hostRoots, plan.toTarget, accumulator);
  }
  return accumulator.result(plan.skipped, startedAt);
}
