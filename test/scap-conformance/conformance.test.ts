/**
 * Runs every language-neutral conformance case under test/scap-conformance/<area>/*.yaml against the
 * pure OVAL evaluation core. The area (directory) decides how a case's inputs are fed; see README.md.
 * Cases assert exact results so that each one can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type {
  OvalComponent,
  OvalCriteria,
  OvalCriteriaNode,
  OvalDefinition,
  OvalOperator,
} from '../../src/scap/model/oval.js';
import {
  type CollectedItem,
  type CollectionFlag,
  combineByCheck,
  combineByOperator,
  compareValues,
  compareWithEntity,
  compilePcre,
  componentDependencies,
  evaluateDefinition,
  evaluateLocalVariable,
  evaluateState,
  evaluateTest,
  type ItemStatus,
  type ItemValue,
  isOvalResult,
  negate,
  type OvalResult,
  type ResolvedInput,
  type StateEntity,
  type TestItem,
  translatePcre,
} from '../../src/scap/oval-eval/index.js';

const root = dirname(fileURLToPath(import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: cases are untyped YAML, checked field by field below.
type Case = Record<string, any> & { note: string };

/** YAML reads `true`/`false` as booleans; OVAL results are the strings. */
function result(value: unknown): OvalResult {
  const text = typeof value === 'boolean' ? String(value) : value;
  if (!isOvalResult(text)) throw new Error(`not an OVAL result: ${JSON.stringify(value)}`);
  return text;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function item(raw: Record<string, unknown[]>): CollectedItem {
  const out: CollectedItem = {};
  for (const [name, values] of Object.entries(raw)) {
    out[name] = values.map((v): ItemValue => {
      if (v !== null && typeof v === 'object') {
        const o = v as { value?: unknown; status?: ItemStatus };
        return { value: o.value === undefined ? undefined : str(o.value), status: o.status ?? 'exists' };
      }
      return { value: str(v), status: 'exists' };
    });
  }
  return out;
}

function stateEntity(raw: Record<string, unknown>): StateEntity {
  return {
    name: str(raw.name),
    value: raw.value === undefined ? undefined : str(raw.value),
    datatype: raw.datatype === undefined ? 'string' : str(raw.datatype),
    operation: raw.operation === undefined ? 'equals' : str(raw.operation),
    varRef: raw.var_ref === undefined ? undefined : str(raw.var_ref),
    varCheck: raw.var_check === undefined ? undefined : str(raw.var_check),
    entityCheck: raw.entity_check === undefined ? undefined : str(raw.entity_check),
  };
}

type RawNode = { operator?: string; negate?: boolean; children?: RawNode[]; test?: string; extend?: string };

function criteriaNode(raw: RawNode): OvalCriteriaNode {
  const common = { negate: raw.negate === true, applicabilityCheck: undefined };
  if (raw.test !== undefined) return { kind: 'criterion', testRef: raw.test, ...common };
  if (raw.extend !== undefined) return { kind: 'extend_definition', definitionRef: raw.extend, ...common };
  return criteria(raw);
}

function criteria(raw: RawNode): OvalCriteria {
  return {
    kind: 'criteria',
    operator: (raw.operator ?? 'AND') as OvalOperator,
    negate: raw.negate === true,
    applicabilityCheck: undefined,
    children: (raw.children ?? []).map(criteriaNode),
  };
}

/** A function tree written with OVAL's element and attribute names (`fn`, attributes, `args`). */
type RawComponent = Record<string, unknown> & { fn: string; args?: RawComponent[] };

function component(raw: RawComponent): OvalComponent {
  const args = (raw.args ?? []).map(component);
  const [first] = args;
  const one = (): OvalComponent => {
    if (!first) throw new Error(`${raw.fn} needs one argument`);
    return first;
  };
  switch (raw.fn) {
    case 'literal_component':
      return { kind: raw.fn, datatype: str(raw.datatype ?? 'string'), value: str(raw.value) };
    case 'object_component':
      return {
        kind: raw.fn,
        objectRef: str(raw.object_ref),
        itemField: str(raw.item_field),
        recordField: raw.record_field === undefined ? undefined : str(raw.record_field),
      };
    case 'variable_component':
      return { kind: raw.fn, varRef: str(raw.var_ref) };
    case 'arithmetic':
      return {
        kind: raw.fn,
        operation: raw.arithmetic_operation === 'multiply' ? 'multiply' : 'add',
        components: args,
      };
    case 'begin':
    case 'end':
      return { kind: raw.fn, character: str(raw.character), component: one() };
    case 'concat':
    case 'count':
    case 'unique':
      return { kind: raw.fn, components: args };
    case 'escape_regex':
      return { kind: raw.fn, component: one() };
    case 'glob_to_regex':
      return { kind: raw.fn, globNoEscape: raw.glob_noescape === true, component: one() };
    case 'regex_capture':
      return { kind: raw.fn, pattern: str(raw.pattern), component: one() };
    case 'split':
      return { kind: raw.fn, delimiter: str(raw.delimiter), component: one() };
    case 'substring':
      return {
        kind: raw.fn,
        start: Number(raw.substring_start ?? 1),
        length: Number(raw.substring_length ?? -1),
        component: one(),
      };
    case 'time_difference':
      return {
        kind: raw.fn,
        format1: str(raw.format_1 ?? 'year_month_day'),
        format2: str(raw.format_2 ?? 'year_month_day'),
        components: args,
      };
    default:
      return { kind: 'unknown', element: raw.fn };
  }
}

type RawInput = { values?: unknown[]; flag?: CollectionFlag; datatype?: string; item_field?: string };

function resolvedInput(raw: RawInput | undefined, what: string): ResolvedInput {
  if (!raw) throw new Error(`case has no input for ${what}`);
  return { values: (raw.values ?? []).map(str), flag: raw.flag ?? 'complete', datatype: raw.datatype };
}

const runners: Record<string, (c: Case) => unknown> = {
  criteria(c) {
    const definitions = new Map<string, OvalDefinition>();
    for (const [id, raw] of Object.entries((c.definitions ?? {}) as Record<string, RawNode | null>)) {
      definitions.set(id, {
        id,
        version: '1',
        class: 'compliance',
        deprecated: false,
        title: undefined,
        criteria: raw ? criteria(raw) : undefined,
      });
    }
    const tests = (c.tests ?? {}) as Record<string, unknown>;
    const target = definitions.get(str(c.evaluate));
    if (!target) throw new Error(`no definition ${c.evaluate}`);
    return evaluateDefinition(target, {
      testResult: (ref) => {
        if (!(ref in tests)) throw new Error(`no result for test ${ref}`);
        return result(tests[ref]);
      },
      definition: (id) => definitions.get(id),
    });
  },
  operators(c) {
    const results = (c.results as unknown[]).map(result);
    const combined =
      c.operator !== undefined
        ? combineByOperator(c.operator as OvalOperator, results)
        : combineByCheck(str(c.check), results);
    return c.negate ? negate(combined) : combined;
  },
  tests(c) {
    const items = ((c.items ?? []) as { status: ItemStatus; states?: unknown[] }[]).map(
      (i): TestItem => ({ status: i.status, stateResults: (i.states ?? []).map(result) }),
    );
    return evaluateTest({
      check: c.check ?? 'all',
      checkExistence: c.check_existence ?? 'at_least_one_exists',
      stateOperator: (c.state_operator ?? 'AND') as OvalOperator,
      stateCount: c.states ?? 0,
      flag: (c.flag ?? 'complete') as CollectionFlag,
      items,
    });
  },
  datatypes(c) {
    return compareValues(str(c.datatype), str(c.operation), str(c.collected), str(c.expected));
  },
  'var-check'(c) {
    const entity = stateEntity(c.entity);
    const variable = c.variable as { values: unknown[]; flag: CollectionFlag } | undefined;
    const lookup = (ref: string) =>
      ref === entity.varRef && variable
        ? { values: variable.values.map(str), flag: variable.flag }
        : undefined;
    const values = item(c.item)[entity.name] ?? [];
    if (values.length !== 1) throw new Error('var-check cases hold exactly one collected value');
    return compareWithEntity(entity, values[0]?.value ?? '', lookup);
  },
  states(c) {
    const state = c.state as { operator: OvalOperator; entities: Record<string, unknown>[] };
    return evaluateState(
      { operator: state.operator, entities: state.entities.map(stateEntity) },
      item(c.item),
    );
  },
  functions(c) {
    const variables = (c.variables ?? {}) as Record<string, RawInput>;
    const objects = (c.objects ?? {}) as Record<string, RawInput>;
    const tree = component(c.component);
    // The tree asks for exactly the inputs the case gives (what a caller must resolve first).
    const deps = componentDependencies(tree);
    expect(deps.variables.sort()).toEqual(Object.keys(variables).sort());
    expect(deps.objectFields.map((f) => f.objectRef).sort()).toEqual(Object.keys(objects).sort());
    const got = evaluateLocalVariable(
      { datatype: str(c.datatype ?? 'string'), component: tree },
      {
        variable: (id) => resolvedInput(variables[id], `variable ${id}`),
        objectField: ({ objectRef, itemField }) => {
          const o = objects[objectRef];
          if (o && o.item_field !== itemField) throw new Error(`object ${objectRef} has no ${itemField}`);
          return resolvedInput(o, `object ${objectRef}`);
        },
        now: c.now === undefined ? undefined : () => Number(c.now),
      },
    );
    return { values: got.values, flag: got.flag };
  },
  regex(c) {
    const options = c.options ?? {};
    const translated = translatePcre(str(c.pattern), options);
    if (c.source !== undefined) expect(translated.source).toBe(c.source);
    if (c.flags !== undefined) expect(translated.flags).toBe(c.flags);
    const re = compilePcre(str(c.pattern), options);
    for (const subject of (c.match ?? []) as string[])
      expect(re.test(subject), `matches ${JSON.stringify(subject)}`).toBe(true);
    for (const subject of (c.no_match ?? []) as string[]) {
      expect(re.test(subject), `does not match ${JSON.stringify(subject)}`).toBe(false);
    }
    return undefined;
  },
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return e.name.endsWith('.yaml') ? [path] : [];
  });
}

const files = yamlFiles(root).sort();

describe('OVAL conformance cases', () => {
  it('finds cases in every area', () => {
    const areas = new Set(files.map((f) => basename(dirname(f))));
    expect([...areas].sort()).toEqual(Object.keys(runners).sort());
  });

  for (const file of files) {
    const area = basename(dirname(file));
    const run = runners[area];
    const doc = parse(readFileSync(file, 'utf8')) as { cases: Case[] };
    describe(relative(root, file), () => {
      it('has cases, each with a note and one expectation', () => {
        expect(run, `no runner for area ${area}`).toBeDefined();
        expect(doc.cases.length).toBeGreaterThan(0);
        for (const c of doc.cases) {
          expect(typeof c.note, JSON.stringify(c)).toBe('string');
          const expectations = ['want', 'want_error', 'source', 'flags', 'match', 'no_match'].filter(
            (k) => c[k] !== undefined,
          );
          expect(expectations.length, c.note).toBeGreaterThan(0);
          expect(c.want !== undefined && c.want_error !== undefined, c.note).toBe(false);
        }
      });
      for (const c of doc.cases) {
        it(c.note, () => {
          if (!run) throw new Error(`no runner for area ${area}`);
          if (c.want_error !== undefined) {
            expect(() => run(c)).toThrow(str(c.want_error));
            return;
          }
          const got = run(c);
          // functions/ cases want values and a flag; every other area wants an OVAL result.
          if (c.want !== null && typeof c.want === 'object') expect(got).toEqual(c.want);
          else if (c.want !== undefined) expect(got).toBe(result(c.want));
        });
      }
    });
  }
});
