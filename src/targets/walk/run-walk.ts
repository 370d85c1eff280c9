/**
 * Chooses the walker and assembles the WalkValue. Both transports call this with host paths and a
 * mapping back to target paths.
 */
import type { WalkValue } from '../../core/facts/fact-values.js';
import type { WalkOptions } from '../transport.js';
import { WalkAccumulator } from './accumulator.js';
import { findWalk, gnuFindAvailable } from './find-walk.js';
import { nodeWalk } from './node-walk.js';

export interface WalkPlan {
  /** Host paths to start from; each is walked without crossing filesystems. */
  hostRoots: string[];
  toTarget: (hostPath: string) => string;
  /** Target paths of mount points that are not walked. */
  skipped: string[];
}

export async function runWalk(plan: WalkPlan, options: WalkOptions): Promise<WalkValue> {
  const startedAt = Date.now();
  const accumulator = new WalkAccumulator(options.knownUids, options.knownGids);
  const walker = options.walker ?? 'auto';
  const useFind = walker === 'find' || (walker === 'auto' && (await gnuFindAvailable()));
  if (useFind) {
    await findWalk(plan.hostRoots, plan.toTarget, accumulator, options.knownUids, options.knownGids);
  } else {
    await nodeWalk(plan.hostRoots, plan.toTarget, accumulator);
  }
  return accumulator.result(plan.skipped, startedAt);
}
