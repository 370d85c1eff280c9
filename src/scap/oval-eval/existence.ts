/**
 * check_existence (OVAL ExistenceEnumeration) over the items an object collected.
 *
 * Counted as oscap 1.3.7 counts: only items with status `exists` and `error` take part. Items with
 * status `does not exist` or `not collected` are ignored here; they matter later, when states are
 * compared (false / error). The spec's tables also count `does not exist` (e.g. all_exist is false when
 * one item does not exist), but SSG's probes never return such items for the objects it uses, and
 * agreeing with oscap is the goal, so we follow oscap and say so.
 */
import type { OvalExistence } from '../model/oval.js';
import { OvalEvalError, type OvalResult } from './result.js';

export type ItemStatus = 'exists' | 'does not exist' | 'error' | 'not collected';

export function existenceResult(check: OvalExistence | string, exists: number, errors: number): OvalResult {
  switch (check) {
    case 'all_exist':
    case 'at_least_one_exists':
      // "all" of what was collected exist by construction once errors are excluded.
      if (exists >= 1) return check === 'all_exist' && errors > 0 ? 'error' : 'true';
      return errors > 0 ? 'error' : 'false';
    case 'any_exist':
      // Zero or more is always enough; an error only matters when nothing was found at all.
      return exists === 0 && errors > 0 ? 'error' : 'true';
    case 'none_exist':
      // oscap: any error makes it error, even when an existing item already decides false.
      if (errors > 0) return 'error';
      return exists === 0 ? 'true' : 'false';
    case 'only_one_exists':
      if (exists >= 2) return 'false';
      if (errors > 0) return 'error';
      return exists === 1 ? 'true' : 'false';
    default:
      throw new OvalEvalError(`unsupported check_existence "${check}"`);
  }
}
