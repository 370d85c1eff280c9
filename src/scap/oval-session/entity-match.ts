/**
 * Object entity matching: does a candidate (a package name, a path, a sysctl key) satisfy an object
 * entity's operation against its value(s)?
 */
import { compareValues } from '../oval-eval/compare.js';
import { combineByCheck, type OvalResult } from '../oval-eval/result.js';
import type { ObjectEntitySpec } from './probe.js';

export function entityMatches(entity: ObjectEntitySpec, candidate: string): boolean {
  const results = entity.values.map((expected): OvalResult => {
    try {
      return compareValues(entity.datatype, entity.operation, candidate, expected);
    } catch {
      // An operation the datatype does not define cannot select anything; oscap drops the candidate.
      return 'error';
    }
  });
  if (results.length === 0) return false;
  const combined = entity.fromVariable ? combineByCheck(entity.varCheck, results) : results[0];
  return combined === 'true';
}
