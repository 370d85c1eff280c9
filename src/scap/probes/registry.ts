/**
 * Every OVAL probe Vouch has: the object types the native evaluator can collect. An object type
 * missing here makes its tests `error` with a message naming the type (and `vouch content info`
 * counts it as not covered).
 */
import type { OvalProbe } from '../oval-session/probe.js';
import { FILESYSTEM_PROBES } from './fs/index.js';
import { createSystemProbes, SYSTEM_PROBES } from './system/index.js';

export const OVAL_PROBES: readonly OvalProbe[] = [...FILESYSTEM_PROBES, ...SYSTEM_PROBES];

const bySchema = new Map<string, readonly OvalProbe[]>();

/**
 * The probes for a definitions document of this `oval:schema_version`: item formats changed in
 * minor schema versions (dpkginfo's evr datatype in 5.11.1, partition's block_size in 5.11.2).
 */
export function ovalProbesFor(schemaVersion: string | undefined): readonly OvalProbe[] {
  if (schemaVersion === undefined) return OVAL_PROBES;
  let probes = bySchema.get(schemaVersion);
  if (!probes) {
    probes = [...FILESYSTEM_PROBES, ...createSystemProbes({ schemaVersion })];
    bySchema.set(schemaVersion, probes);
  }
  return probes;
}

/** `family:object_type` keys of the supported object types. */
export const SUPPORTED_OBJECT_TYPES: ReadonlySet<string> = new Set(
  OVAL_PROBES.map((p) => `${p.family}:${p.objectType}`),
);
