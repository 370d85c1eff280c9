/**
 * What a collector returns for one request: a value, or a reason there is none.
 * "Does not exist" is a value (exists: false); "cannot be known here" is `unavailable`;
 * "something broke" is `error`. Checks map these to pass/fail, notchecked and error.
 */
import type { FactKind } from './fact-request.js';
import type { FactValue } from './fact-values.js';

/**
 * A file or directory a fact was read from, with its fingerprint at read time
 * (`dev:ino:size:mtimeNs:ctimeNs`, or `absent`). The cache revalidates facts by re-fingerprinting
 * their sources; `vouch watch` watches exactly these paths.
 */
export interface FactSource {
  path: string;
  fingerprint: string;
}

interface FactResultBase {
  sources: FactSource[];
  /**
   * Facts that no file can signal (runtime sysctl, unit state, command output) are volatile:
   * the cache never trusts them across scans. The walk is not volatile but carries a `ttlMs`.
   */
  volatile?: boolean;
  ttlMs?: number;
  /** Wall time spent collecting, in ms. */
  durationMs?: number;
}

export interface FactOk<K extends FactKind> extends FactResultBase {
  status: 'ok';
  value: FactValue<K>;
}

export interface FactUnavailable extends FactResultBase {
  status: 'unavailable';
  /** Why the fact cannot be known on this target, e.g. "runtime-only fact on an offline root". */
  reason: string;
}

export interface FactError extends FactResultBase {
  status: 'error';
  message: string;
}

export type FactResult<K extends FactKind = FactKind> = FactOk<K> | FactUnavailable | FactError;
