/**
 * Result of one OVAL test from what its object collected: the object's collection flag, the items
 * (status + per-state comparison results), check_existence, check and state_operator.
 *
 * Pure: comparing an item against a state is `state-eval.ts`'s job; here each item arrives with one
 * result per referenced state, in state order. Semantics are oscap 1.3.7's (OVAL 5.11 where it is
 * explicit), because Vouch must agree with oscap rule for rule.
 */
import type { OvalCheck, OvalExistence, OvalOperator } from '../model/oval.js';
import { existenceResult, type ItemStatus } from './existence.js';
import { combineByCheck, combineByOperator, type OvalResult } from './result.js';

/** OVAL FlagEnumeration: how completely the object could be collected. */
export type CollectionFlag =
  | 'complete'
  | 'incomplete'
  | 'does not exist'
  | 'error'
  | 'not collected'
  | 'not applicable';

export interface TestItem {
  status: ItemStatus;
  /** One result per state of the test, in the test's state order (ignored unless status is `exists`). */
  stateResults: OvalResult[];
}

export interface TestInput {
  check: OvalCheck | string;
  checkExistence: OvalExistence | string;
  stateOperator: OvalOperator;
  /** Number of states the test references; 0 means an existence-only test. */
  stateCount: number;
  flag: CollectionFlag;
  items: TestItem[];
}

export function evaluateTest(input: TestInput): OvalResult {
  const hasState = input.stateCount > 0;
  // oscap's probes report an empty complete collection as `does not exist` (the flag is computed from
  // the items), so a caller's `complete` with no items means exactly that.
  const flag = input.flag === 'complete' && input.items.length === 0 ? 'does not exist' : input.flag;
  // An existence-only any_exist test asks nothing the collection could fail to answer.
  const trivial = input.checkExistence === 'any_exist' && !hasState;
  switch (flag) {
    case 'error':
      return trivial ? 'true' : 'error';
    case 'not collected':
      return trivial ? 'true' : 'unknown';
    case 'not applicable':
      return trivial ? 'true' : 'not applicable';
    case 'does not exist':
      // Nothing exists, so states are never compared: only existence decides.
      return input.checkExistence === 'none_exist' || input.checkExistence === 'any_exist' ? 'true' : 'false';
    case 'complete': {
      const existence = existenceOf(input);
      if (existence !== 'true' || !hasState) return existence;
      return stateCheck(input);
    }
    case 'incomplete':
      return incomplete(input, hasState);
  }
}

function existenceOf(input: TestInput): OvalResult {
  let exists = 0;
  let errors = 0;
  for (const item of input.items) {
    if (item.status === 'exists') exists++;
    else if (item.status === 'error') errors++;
  }
  return existenceResult(input.checkExistence, exists, errors);
}

/** `check` over the items, each item being the state_operator of its state results. */
function stateCheck(input: TestInput): OvalResult {
  const perItem = input.items.map((item): OvalResult => {
    // An item that could not be read can neither satisfy nor fail a state.
    if (item.status === 'error' || item.status === 'not collected') return 'error';
    if (item.status === 'does not exist') return 'false';
    return combineByOperator(input.stateOperator, item.stateResults);
  });
  return combineByCheck(input.check, perItem);
}

/**
 * Some items are missing, so only answers that more items could not change are kept; everything
 * else is unknown.
 */
function incomplete(input: TestInput, hasState: boolean): OvalResult {
  const exists = input.items.filter((i) => i.status === 'exists').length;
  let existence: OvalResult = 'unknown';
  if (input.checkExistence === 'any_exist') existence = 'true';
  else if (input.checkExistence === 'at_least_one_exists' && exists > 0) existence = 'true';
  else if (input.checkExistence === 'none_exist' && exists > 0) existence = 'false';
  else if (input.checkExistence === 'only_one_exists' && exists > 1) existence = 'false';
  if (existence !== 'true' || !hasState) return existence;
  const checked = stateCheck(input);
  // A true `at least one` stays true whatever else exists; a false stays false (as oscap decides it).
  if (checked === 'true') return input.check === 'at least one' ? 'true' : 'unknown';
  return checked === 'false' ? 'false' : 'unknown';
}
