/**
 * Does a state only match items with a special mode bit (world-writable, setuid, setgid)?
 *
 * Used to push a filesystem-wide selection down to the walker: an object whose include filter is
 * such a state can only keep items with one of those bits, so the walk may list only those entries
 * (a few hundred instead of half a million). The analysis is sound, not complete: it answers true
 * only when every way the state can be true requires one of the bits.
 */
import type { OvalEntity, OvalState } from '../model/oval.js';

const SPECIAL = new Set(['owrite', 'suid', 'sgid']);

function requiresBit(entity: OvalEntity): boolean {
  return (
    SPECIAL.has(entity.name) &&
    entity.varRef === undefined &&
    entity.operation === 'equals' &&
    entity.datatype === 'boolean' &&
    (entity.value === 'true' || entity.value === '1')
  );
}

export function impliesSpecialMode(state: OvalState): boolean {
  if (state.entities.length === 0) return false;
  if (state.operator === 'AND') return state.entities.some(requiresBit);
  if (state.operator === 'OR') return state.entities.every(requiresBit);
  return false;
}
