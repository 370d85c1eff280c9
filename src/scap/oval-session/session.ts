/**
 * One OVAL definitions document evaluated against one target: "collect, then evaluate".
 *
 * Asked for definitions, the session walks their criteria to the tests they need, collects every
 * test's object once (probes turn objects into fact requests; the facts are memoised per session,
 * so two objects reading one file read it once), resolves variables on demand (local variables may
 * themselves collect objects), compares items with states, then computes definition results with
 * the pure criteria logic. Everything is recorded in an OvalRun for the ARF writer.
 *
 * All tests of a request are collected concurrently: I/O overlaps, and the walk shared by
 * filesystem-wide objects runs once because its fact request is memoised while in flight.
 */

import type { FactKind, FactRequestOf } from '../../core/facts/fact-request.js';
import { factKey } from '../../core/facts/fact-request.js';
import type { FactResult } from '../../core/facts/fact-result.js';
import type {
  OvalCriteriaNode,
  OvalDocument,
  OvalFilter,
  OvalObject,
  OvalSet,
  OvalState,
  OvalTest,
} from '../model/oval.js';
import { evaluateDefinition } from '../oval-eval/criteria.js';
import { componentDependencies, evaluateLocalVariable } from '../oval-eval/functions.js';
import { combineByOperator, OvalEvalError, type OvalResult } from '../oval-eval/result.js';
import { evaluateState, type VariableValues } from '../oval-eval/state-eval.js';
import { type CollectionFlag, evaluateTest } from '../oval-eval/test-eval.js';
import type { OvalObjectRun, OvalRun, OvalTestRun, OvalVariableValue } from '../results/model.js';
import { entityMatches } from './entity-match.js';
import type { ObjectEntitySpec, OvalProbe, ProbeContext, ProbeItem, ResolvedObject } from './probe.js';
import { combineSet, type Operand } from './sets.js';
import { impliesSpecialMode } from './special-modes.js';

/** Variable values with the datatype functions read them as (arithmetic on int vs float). */
type TypedValues = VariableValues & { datatype?: string };

export interface FactAccess {
  collect<K extends FactKind>(request: FactRequestOf<K>): Promise<FactResult<K>>;
}

export interface OvalSessionOptions {
  document: OvalDocument;
  /** The component href XCCDF checks use for this document (recorded in the run). */
  href: string;
  facts: FactAccess;
  live: boolean;
  probes: readonly OvalProbe[];
  /** Values bound to external variables (XCCDF check-export), by OVAL variable id. */
  externalValues?: ReadonlyMap<string, readonly string[]>;
}

interface ObjectOutcome {
  flag: CollectionFlag;
  items: { id: number; item: ProbeItem }[];
  messages: string[];
}

export class OvalSession {
  private readonly doc: OvalDocument;
  private readonly probes = new Map<string, OvalProbe>();
  private readonly facts = new Map<string, Promise<FactResult>>();
  private readonly variables = new Map<string, Promise<TypedValues>>();
  private readonly objects = new Map<string, Promise<ObjectOutcome>>();
  private readonly tests = new Map<string, Promise<OvalResult>>();
  private readonly testResults = new Map<string, OvalResult>();
  private readonly definitionMemo = new Map<string, OvalResult>();
  private readonly external: Map<string, readonly string[]>;
  private nextItemId = 1;
  readonly run: OvalRun;
  private readonly probeContext: ProbeContext;

  constructor(private readonly options: OvalSessionOptions) {
    this.doc = options.document;
    for (const probe of options.probes) this.probes.set(`${probe.family}:${probe.objectType}`, probe);
    this.external = new Map(options.externalValues ?? []);
    this.run = {
      href: options.href,
      definitions: new Map(),
      tests: new Map(),
      objects: new Map(),
      items: new Map(),
    };
    this.probeContext = {
      live: options.live,
      fact: <K extends FactKind>(request: FactRequestOf<K>) => this.fact(request),
      matches: entityMatches,
    };
  }

  /** The `class` of a definition (compliance, vulnerability, ...), for the XCCDF result mapping. */
  definitionClass(id: string): string | undefined {
    return this.doc.definitions.get(id)?.class;
  }

  /** Binds (or rebinds, before evaluation starts) values of external variables. */
  bindExternal(variableId: string, values: readonly string[]): void {
    this.external.set(variableId, values);
  }

  /** Evaluates definitions (and everything they reach); results are also kept in `run`. */
  async evaluate(definitionIds: readonly string[]): Promise<Map<string, OvalResult>> {
    const testIds = new Set<string>();
    for (const id of definitionIds) this.collectTestIds(id, testIds, new Set());
    await Promise.all([...testIds].map((id) => this.testResult(id)));
    const out = new Map<string, OvalResult>();
    for (const id of definitionIds) {
      const definition = this.doc.definitions.get(id);
      const result = definition
        ? evaluateDefinition(
            definition,
            {
              testResult: (testRef) => this.testResults.get(testRef) ?? 'error',
              definition: (ref) => this.doc.definitions.get(ref),
            },
            this.definitionMemo,
          )
        : 'error';
      out.set(id, result);
    }
    for (const [id, result] of this.definitionMemo) this.run.definitions.set(id, result);
    for (const [id, result] of out) this.run.definitions.set(id, result);
    return out;
  }

  private collectTestIds(definitionId: string, into: Set<string>, seen: Set<string>): void {
    if (seen.has(definitionId)) return;
    seen.add(definitionId);
    const criteria = this.doc.definitions.get(definitionId)?.criteria;
    const walk = (node: OvalCriteriaNode): void => {
      if (node.kind === 'criteria') node.children.forEach(walk);
      else if (node.kind === 'criterion') into.add(node.testRef);
      else this.collectTestIds(node.definitionRef, into, seen);
    };
    if (criteria) walk(criteria);
  }

  // ---- facts ---------------------------------------------------------------------------------

  private fact<K extends FactKind>(request: FactRequestOf<K>): Promise<FactResult<K>> {
    const key = factKey(request);
    let pending = this.facts.get(key);
    if (!pending) {
      pending = this.options.facts.collect(request);
      this.facts.set(key, pending);
    }
    return pending as Promise<FactResult<K>>;
  }

  /** Fact keys this session collected (for the fact -> rule index and reports). */
  factKeys(): string[] {
    return [...this.facts.keys()];
  }

  // ---- tests ---------------------------------------------------------------------------------

  private testResult(testId: string): Promise<OvalResult> {
    let pending = this.tests.get(testId);
    if (!pending) {
      pending = this.evaluateTestById(testId).then((result) => {
        this.testResults.set(testId, result);
        return result;
      });
      this.tests.set(testId, pending);
    }
    return pending;
  }

  private async evaluateTestById(testId: string): Promise<OvalResult> {
    const test = this.doc.tests.get(testId);
    if (!test) return 'error';
    const record: OvalTestRun = {
      id: test.id,
      result: 'error',
      check: test.check,
      checkExistence: test.checkExistence,
      stateOperator: test.stateOperator,
      testedItems: [],
      testedVariables: [],
    };
    this.run.tests.set(test.id, record);
    try {
      record.result = await this.evaluateTestRecord(test, record);
    } catch (error) {
      // A construct we cannot evaluate makes this test (and whatever depends on it) an error,
      // never the whole scan.
      record.result = 'error';
      if (!(error instanceof OvalEvalError)) throw error;
    }
    return record.result;
  }

  private async evaluateTestRecord(test: OvalTest, record: OvalTestRun): Promise<OvalResult> {
    if (!test.objectRef) {
      // Tests without an object (e.g. unknown_test) are defined to be unknown.
      return test.type === 'unknown_test' ? 'unknown' : 'error';
    }
    const outcome = await this.collectObject(test.objectRef);
    const states = test.stateRefs.map((ref) => {
      const state = this.doc.states.get(ref);
      if (!state) throw new OvalEvalError(`state ${ref} referenced by ${test.id} does not exist`);
      return state;
    });
    const lookup = await this.stateVariables(states, record.testedVariables);
    const items = outcome.items.map(({ id, item }) => {
      const stateResults = states.map((state) => evaluateState(state, item.fields, lookup));
      if (item.status === 'exists' && states.length > 0) {
        record.testedItems.push({ itemId: id, result: combineByOperator(test.stateOperator, stateResults) });
      } else {
        record.testedItems.push({ itemId: id, result: 'not evaluated' });
      }
      return { status: item.status, stateResults };
    });
    return evaluateTest({
      check: test.check,
      checkExistence: test.checkExistence,
      stateOperator: test.stateOperator,
      stateCount: states.length,
      flag: outcome.flag,
      items,
    });
  }

  /** Resolves every variable the states reference; returns a synchronous lookup over them. */
  private async stateVariables(
    states: OvalState[],
    tested: OvalVariableValue[] | undefined,
  ): Promise<(id: string) => VariableValues | undefined> {
    const ids = new Set<string>();
    for (const state of states) for (const e of state.entities) if (e.varRef) ids.add(e.varRef);
    const resolved = new Map<string, VariableValues>();
    await Promise.all(
      [...ids].map(async (id) => {
        const values = await this.variable(id);
        resolved.set(id, values);
        if (tested) for (const value of values.values) tested.push({ variableId: id, value });
      }),
    );
    return (id) => resolved.get(id);
  }

  // ---- objects -------------------------------------------------------------------------------

  private collectObject(objectId: string): Promise<ObjectOutcome> {
    let pending = this.objects.get(objectId);
    if (!pending) {
      pending = this.collectObjectRecord(objectId);
      this.objects.set(objectId, pending);
    }
    return pending;
  }

  private async collectObjectRecord(objectId: string): Promise<ObjectOutcome> {
    const record: OvalObjectRun = {
      id: objectId,
      flag: 'error',
      itemIds: [],
      messages: [],
      variableValues: [],
    };
    this.run.objects.set(objectId, record);
    let outcome: { flag: CollectionFlag; items: ProbeItem[]; messages: string[] };
    try {
      const object = this.doc.objects.get(objectId);
      if (!object) throw new OvalEvalError(`object ${objectId} does not exist in the document`);
      outcome = await this.collectItems(object, record.variableValues);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { flag: 'error', items: [], messages: [message] };
    }
    const flag = outcome.flag === 'complete' && outcome.items.length === 0 ? 'does not exist' : outcome.flag;
    const items = outcome.items.map((item) => {
      const id = this.nextItemId++;
      this.run.items.set(id, item);
      return { id, item };
    });
    record.flag = flag;
    record.itemIds = items.map((i) => i.id);
    record.messages = outcome.messages;
    return { flag, items, messages: outcome.messages };
  }

  private async collectItems(
    object: OvalObject,
    variableValues: OvalVariableValue[],
  ): Promise<{ flag: CollectionFlag; items: ProbeItem[]; messages: string[] }> {
    if (object.set) {
      const result = await this.collectSet(object.set);
      return { ...result, messages: [] };
    }
    if (object.family === 'ind' && object.type === 'variable_object') {
      return this.collectVariableObject(object, variableValues);
    }
    const probe = this.probes.get(`${object.family}:${object.type}`);
    if (!probe) {
      return {
        flag: 'error',
        items: [],
        messages: [`unsupported OVAL object type ${object.family}:${object.type}`],
      };
    }
    const resolved = await this.resolveObject(object, variableValues);
    if ('flag' in resolved) return { ...resolved, items: [] };
    let collected: Awaited<ReturnType<OvalProbe['collect']>>;
    try {
      collected = await probe.collect(resolved, this.probeContext);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { flag: 'error', items: [], messages: [`${object.family}:${object.type}: ${message}`] };
    }
    const items = await this.applyFilters(object.filters, collected.items);
    return { flag: collected.flag, items, messages: collected.messages };
  }

  private async resolveObject(
    object: OvalObject,
    variableValues: OvalVariableValue[],
  ): Promise<ResolvedObject | { flag: CollectionFlag; messages: string[] }> {
    const entities = new Map<string, ObjectEntitySpec>();
    for (const entity of object.entities) {
      let values: string[];
      if (entity.varRef !== undefined) {
        const variable = await this.variable(entity.varRef);
        for (const value of variable.values) variableValues.push({ variableId: entity.varRef, value });
        if (variable.flag !== 'complete' && variable.flag !== 'incomplete') {
          // oscap: an object whose variable has no usable value does not exist (with this warning).
          return {
            flag: 'does not exist',
            messages: [`There was a problem processing referenced variable ${entity.varRef}`],
          };
        }
        values = variable.values;
      } else {
        values = entity.value === undefined ? [] : [entity.value];
      }
      if (!entities.has(entity.name)) {
        entities.set(entity.name, {
          name: entity.name,
          nil: entity.nil,
          datatype: entity.datatype,
          operation: entity.operation,
          values,
          varCheck: entity.varCheck ?? 'all',
          fromVariable: entity.varRef !== undefined,
        });
      }
    }
    const includeStates = object.filters
      .filter((f) => f.action === 'include')
      .map((f) => this.doc.states.get(f.stateRef));
    const owners = await this.excludedOwners(object);
    return {
      id: object.id,
      family: object.family,
      type: object.type,
      entities,
      behaviors: object.behaviors ?? {},
      hints: {
        specialModesOnly: includeStates.some((state) => state !== undefined && impliesSpecialMode(state)),
        ...owners,
      },
    };
  }

  /**
   * Owner ids an exclude filter is certain to drop: a state made of one `user_id` (`group_id`)
   * entity, `equals` over ints, literal or a variable with var_check `at least one` — SSG's
   * "owned by one of the accounts" filters. Anything else gives no hint (the filter still applies).
   */
  private async excludedOwners(
    object: OvalObject,
  ): Promise<{ excludeUids?: number[]; excludeGids?: number[] }> {
    const out: { excludeUids?: number[]; excludeGids?: number[] } = {};
    for (const filter of object.filters) {
      if (filter.action !== 'exclude') continue;
      const state = this.doc.states.get(filter.stateRef);
      const entity = state?.entities.length === 1 ? state.entities[0] : undefined;
      if (!entity || (entity.name !== 'user_id' && entity.name !== 'group_id')) continue;
      if (entity.operation !== 'equals' || entity.datatype !== 'int') continue;
      if ((entity.entityCheck ?? 'all') !== 'all') continue;
      let values: string[];
      if (entity.varRef !== undefined) {
        if ((entity.varCheck ?? 'all') !== 'at least one') continue;
        const variable = await this.variable(entity.varRef);
        if (variable.flag !== 'complete' && variable.flag !== 'incomplete') continue;
        values = variable.values;
      } else {
        if (entity.value === undefined) continue;
        values = [entity.value];
      }
      // Only plain decimal ids: anything else compares as an error, which a pushdown cannot mimic.
      if (values.length === 0 || !values.every((v) => /^\d{1,10}$/.test(v))) continue;
      const ids = values.map(Number);
      if (entity.name === 'user_id') out.excludeUids = [...(out.excludeUids ?? []), ...ids];
      else out.excludeGids = [...(out.excludeGids ?? []), ...ids];
    }
    return out;
  }

  /** include keeps items matching the filter's state; exclude drops them (applied in order). */
  private async applyFilters(filters: OvalFilter[], items: ProbeItem[]): Promise<ProbeItem[]> {
    let current = items;
    for (const filter of filters) {
      const state = this.doc.states.get(filter.stateRef);
      if (!state) throw new OvalEvalError(`filter state ${filter.stateRef} does not exist`);
      const lookup = await this.stateVariables([state], undefined);
      current = current.filter((item) => {
        const matched = evaluateState(state, item.fields, lookup) === 'true';
        return filter.action === 'include' ? matched : !matched;
      });
    }
    return current;
  }

  private async collectSet(set: OvalSet): Promise<Operand> {
    const operands: Operand[] = [];
    for (const ref of set.objectRefs) {
      const outcome = await this.collectObject(ref);
      operands.push({
        flag: outcome.flag,
        items: await this.applyFilters(
          set.filters,
          outcome.items.map((i) => i.item),
        ),
      });
    }
    for (const nested of set.sets) operands.push(await this.collectSet(nested));
    return combineSet(set.operator, operands);
  }

  /** ind:variable_object names its variable in element text; its item lists the variable's values. */
  private async collectVariableObject(
    object: OvalObject,
    variableValues: OvalVariableValue[],
  ): Promise<{ flag: CollectionFlag; items: ProbeItem[]; messages: string[] }> {
    const ref = object.entities.find((e) => e.name === 'var_ref')?.value;
    if (!ref)
      return { flag: 'error', items: [], messages: [`${object.id}: variable_object without var_ref`] };
    const variable = await this.variable(ref);
    for (const value of variable.values) variableValues.push({ variableId: ref, value });
    if (variable.flag === 'does not exist') return { flag: 'does not exist', items: [], messages: [] };
    if (variable.flag !== 'complete' && variable.flag !== 'incomplete') {
      // oscap 1.3.7 still collects one item, without values, for a variable it could not compute.
      const empty: ProbeItem = {
        type: 'variable_item',
        family: 'ind',
        status: 'exists',
        fields: { var_ref: [{ value: ref }] },
      };
      return { flag: 'complete', items: [empty], messages: [`variable ${ref} could not be computed`] };
    }
    if (variable.values.length === 0) return { flag: 'does not exist', items: [], messages: [] };
    const item: ProbeItem = {
      type: 'variable_item',
      family: 'ind',
      status: 'exists',
      fields: {
        var_ref: [{ value: ref }],
        value: variable.values.map((value) => ({ value })),
      },
    };
    return { flag: 'complete', items: [item], messages: [] };
  }

  // ---- variables -----------------------------------------------------------------------------

  variable(id: string): Promise<TypedValues> {
    let pending = this.variables.get(id);
    if (!pending) {
      pending = this.computeVariable(id);
      this.variables.set(id, pending);
    }
    return pending;
  }

  private async computeVariable(id: string): Promise<TypedValues> {
    const variable = this.doc.variables.get(id);
    if (!variable) return { values: [], flag: 'error' };
    switch (variable.kind) {
      case 'constant_variable':
        return { values: [...variable.values], flag: 'complete', datatype: variable.datatype };
      case 'external_variable': {
        const bound = this.external.get(id);
        return bound
          ? { values: [...bound], flag: 'complete', datatype: variable.datatype }
          : { values: [], flag: 'error', datatype: variable.datatype };
      }
      case 'local_variable': {
        const deps = componentDependencies(variable.component);
        const variables = new Map<string, TypedValues>();
        const fields = new Map<string, TypedValues>();
        await Promise.all([
          ...deps.variables.map(async (ref) => variables.set(ref, await this.variable(ref))),
          ...deps.objectFields.map(async (dep) => {
            const outcome = await this.collectObject(dep.objectRef);
            fields.set(fieldKey(dep), objectFieldValues(outcome, dep.itemField, dep.recordField));
          }),
        ]);
        try {
          return evaluateLocalVariable(variable, {
            variable: (ref) => variables.get(ref) ?? { values: [], flag: 'error' },
            objectField: (ref) => fields.get(fieldKey(ref)) ?? { values: [], flag: 'error' },
          });
        } catch (error) {
          if (error instanceof OvalEvalError) return { values: [], flag: 'error' };
          throw error;
        }
      }
    }
  }
}

function fieldKey(dep: { objectRef: string; itemField: string; recordField: string | undefined }): string {
  return `${dep.objectRef}\u0000${dep.itemField}\u0000${dep.recordField ?? ''}`;
}

/**
 * Values of one item field across an object's items (object_component), as oscap hands them to
 * the function: the object's flag, and `error` when an item lacks the field.
 */
function objectFieldValues(
  outcome: ObjectOutcome,
  itemField: string,
  recordField: string | undefined,
): TypedValues {
  const values: string[] = [];
  let datatype: string | undefined;
  for (const { item } of outcome.items) {
    if (item.status !== 'exists') continue;
    const entity = item.fields[itemField];
    // Record fields (OVAL 5.11 `record` datatype) are not produced by Vouch's probes.
    if (!entity || recordField !== undefined) return { values: [], flag: 'error' };
    for (const v of entity) {
      if (v.value !== undefined && (v.status ?? 'exists') === 'exists') values.push(v.value);
      datatype ??= v.datatype;
    }
  }
  return { values, flag: outcome.flag, datatype: datatype ?? 'string' };
}

export type { OvalSet, OvalState };
