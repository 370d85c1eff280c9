/**
 * Every OVAL probe Vouch has: the object types the native evaluator can collect. An object type
 * missing here makes its tests `error` with a message naming the type (and `vouch content info`
 * counts it as not covered).
 */
import type { OvalProbe } from '../oval-session/probe.js';
import { FILESYSTEM_PROBES } from './fs/index.js';
import { SYSTEM_PROBES } from './system/index.js';

export const OVAL_PROBES: readonly OvalProbe[] = [...FILESYSTEM_PROBES, ...SYSTEM_PROBES];

/** `family:object_type` keys of the supported object types. */
export const SUPPORTED_OBJECT_TYPES: ReadonlySet<string> = new Set(
  OVAL_PROBES.map((p) => `${p.family}:${p.objectType}`),
);
