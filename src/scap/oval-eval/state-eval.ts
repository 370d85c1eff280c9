/**
 * Comparing one collected item against one OVAL state: each state entity against the item's entities
 * of the same name (entity_check over them), var_ref values combined by var_check, entity results
 * combined by the state's operator.
 *
 * Where the spec is silent we follow oscap 1.3.7: a state entity the item does not have at all gives
 * `unknown` (no results to check), an item entity with status `does not exist` compares false, and a
 * variable that could not be computed compares `error`.
 */
import type { OvalEntity, OvalOperator } from '../model/oval.js';
import { compareValues, parseOvalInt } from './compare.js';
import { existenceResult, type ItemStatus } from './existence.js';
import { combineByCheck, combineByOperator, OvalEvalError, type OvalResult } from './result.js';
import type { CollectionFlag } from './test-eval.js';

export interface ItemValue {
  /** Text of the item entity; undefined for an entity without value. */
  value: string | undefined;
  datatype?: string;
  status?: ItemStatus;
}

/** A collected item: entity name -> its values (entities may repeat, e.g. a file's several ACL lines). */
export type CollectedItem = Record<string, ItemValue[]>;

/** Values of a variable as computed for this evaluation, with the flag of its computation. */
export interface VariableValues {
  values: string[];
  flag: CollectionFlag;
}

export type VariableLookup = (varRef: string) => VariableValues | undefined;

/** The parts of a state entity the comparison needs (a subset of the model's OvalEntity). */
export type StateEntity = Pick<OvalEntity, 'name' | 'value' | 'datatype' | 'operation' | 'varRef'> & {
  varCheck?: string | undefined;
  entityCheck?: string | undefined;
  /** OVAL 5.11 state entity check_existence; default at_least_one_exists. */
  checkExistence?: string | undefined;
};

/** Compare one collected value with a state entity's literal or variable values. */
export function compareWithEntity(
  entity: StateEntity,
  collected: string,
  variables?: VariableLookup,
): OvalResult {
  if (entity.varRef !== undefined) {
    const v = variables?.(entity.varRef);
    if (!v) throw new OvalEvalError(`variable ${entity.varRef} is not available`);
    // A variable that could not be computed makes the comparison undecidable, as in oscap.
    if (v.flag !== 'complete' && v.flag !== 'incomplete') return 'error';
    const fast = equalsAnyFast(entity, v, collected);
    if (fast !== undefined) return fast;
    const results = v.values.map((expected) =>
      compareValues(entity.datatype, entity.operation, collected, expected),
    );
    return combineByCheck(entity.varCheck ?? 'all', results);
  }
  if (entity.value === undefined) return 'error';
  return compareValues(entity.datatype, entity.operation, collected, entity.value);
}

/**
 * `equals` against a long multi-valued variable with var_check `at least one` (SSG's "uid is one
 * of the accounts' uids" over every file of a walk) by set lookup instead of one comparison per
 * value. Same answer as the OR of compareValues: true if any value equals, else error if any value
 * (or the collected text) is not of the datatype, else false. Undefined = take the general path.
 */
const equalsIndexes = new WeakMap<VariableValues, Map<string, { keys: Set<string>; invalid: boolean }>>();

function equalsKey(datatype: string, text: string): string | undefined {
  if (datatype === 'string') return text;
  return parseOvalInt(text)?.toString();
}

function equalsAnyFast(entity: StateEntity, v: VariableValues, collected: string): OvalResult | undefined {
  if ((entity.operation ?? 'equals') !== 'equals' || entity.varCheck !== 'at least one') return undefined;
  if ((entity.datatype !== 'int' && entity.datatype !== 'string') || v.values.length < 8) return undefined;
  let byType = equalsIndexes.get(v);
  if (!byType) {
    byType = new Map();
    equalsIndexes.set(v, byType);
  }
  let index = byType.get(entity.datatype);
  if (!index) {
    const keys = new Set<string>();
    let invalid = false;
    for (const value of v.values) {
      const key = equalsKey(entity.datatype, value);
      if (key === undefined) invalid = true;
      else keys.add(key);
    }
    index = { keys, invalid };
    byType.set(entity.datatype, index);
  }
  const key = equalsKey(entity.datatype, collected);
  if (key === undefined) return 'error';
  if (index.keys.has(key)) return 'true';
  return index.invalid ? 'error' : 'false';
}

export function evaluateStateEntity(
  entity: StateEntity,
  item: CollectedItem,
  variables?: VariableLookup,
): OvalResult {
  const values = item[entity.name] ?? [];
  const results = values.map((v): OvalResult => {
    if (v.status === 'does not exist') return 'false';
    if (v.status === 'error' || v.status === 'not collected' || v.value === undefined) return 'error';
    return compareWithEntity(entity, v.value, variables);
  });
  const checked = combineByCheck(entity.entityCheck ?? 'all', results);
  // State entity check_existence, counted over all the item's entities as oscap does.
  let exists = 0;
  let errors = 0;
  for (const list of Object.values(item)) {
    for (const v of list) {
      if ((v.status ?? 'exists') === 'exists') exists++;
      else if (v.status === 'error') errors++;
    }
  }
  const existence = existenceResult(entity.checkExistence ?? 'at_least_one_exists', exists, errors);
  return combineByOperator('AND', [checked, existence]);
}

export function evaluateState(
  state: { operator: OvalOperator; entities: StateEntity[] },
  item: CollectedItem,
  variables?: VariableLookup,
): OvalResult {
  return combineByOperator(
    state.operator,
    state.entities.map((e) => evaluateStateEntity(e, item, variables)),
  );
}
