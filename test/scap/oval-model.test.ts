/**
 * Hand-written OVAL 5.11 (fixtures/constructs-oval.xml; schema-valid except the two constructs put there
 * on purpose to be unknown): the exact model of every construct, the closure of a definition, and that
 * unknown constructs are recorded rather than dropped.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScapSource, type OvalDocument, ovalClosure } from '../../src/scap/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'constructs-oval.xml');
let oval: OvalDocument;

beforeAll(async () => {
  const source = await loadScapSource(FIXTURE);
  expect(source.kind).toBe('oval');
  const [component] = source.components.values();
  if (component?.content.kind !== 'oval') throw new Error('expected an OVAL component');
  oval = component.content.oval;
});

describe('OVAL model', () => {
  it('reads the generator', () => {
    expect(oval.generator).toEqual({ productName: 'hand-written', schemaVersion: '5.11' });
  });

  it('models definitions: criteria tree, operators, negate on criteria, criterion and extend_definition', () => {
    expect(oval.definitions.get('oval:t:def:1')).toEqual({
      id: 'oval:t:def:1',
      version: '2',
      class: 'compliance',
      deprecated: false,
      title: 'Top',
      criteria: {
        kind: 'criteria',
        operator: 'OR',
        negate: false,
        applicabilityCheck: undefined,
        children: [
          {
            kind: 'extend_definition',
            definitionRef: 'oval:t:def:2',
            negate: true,
            applicabilityCheck: undefined,
          },
          {
            kind: 'criteria',
            operator: 'AND',
            negate: true,
            applicabilityCheck: undefined,
            children: [
              { kind: 'criterion', testRef: 'oval:t:tst:1', negate: false, applicabilityCheck: undefined },
              { kind: 'criterion', testRef: 'oval:t:tst:2', negate: true, applicabilityCheck: undefined },
            ],
          },
        ],
      },
    });
    expect(oval.definitions.get('oval:t:def:2')?.criteria?.operator).toBe('AND'); // the default
  });

  it('models tests: family, type, check, check_existence, state_operator, object and state refs', () => {
    expect(oval.tests.get('oval:t:tst:1')).toEqual({
      id: 'oval:t:tst:1',
      version: '1',
      family: 'ind',
      type: 'textfilecontent54_test',
      comment: 'c1',
      deprecated: false,
      check: 'all',
      checkExistence: 'at_least_one_exists',
      stateOperator: 'OR',
      objectRef: 'oval:t:obj:1',
      stateRefs: ['oval:t:ste:1', 'oval:t:ste:2'],
    });
    // OVAL defaults: check_existence at_least_one_exists, state_operator AND.
    expect(oval.tests.get('oval:t:tst:3')).toMatchObject({
      family: 'linux',
      type: 'dpkginfo_test',
      check: 'at least one',
      checkExistence: 'at_least_one_exists',
      stateOperator: 'AND',
      stateRefs: [],
    });
    expect(oval.tests.get('oval:t:tst:2')).toMatchObject({ family: 'unix', checkExistence: 'none_exist' });
  });

  it('models objects: entities with operation/datatype/var_ref/var_check, behaviors', () => {
    expect(oval.objects.get('oval:t:obj:1')).toEqual({
      id: 'oval:t:obj:1',
      version: '1',
      family: 'ind',
      type: 'textfilecontent54_object',
      comment: undefined,
      deprecated: false,
      behaviors: { singleline: 'true' },
      filters: [],
      set: undefined,
      entities: [
        {
          name: 'filepath',
          value: '',
          nil: false,
          datatype: 'string',
          operation: 'equals',
          mask: false,
          varRef: 'oval:t:var:3',
          varCheck: 'at least one',
          entityCheck: undefined,
          fields: undefined,
        },
        {
          name: 'pattern',
          value: '^\\s*(?i)UMASK(?-i)\\s+(\\d+)',
          nil: false,
          datatype: 'string',
          operation: 'pattern match',
          mask: false,
          varRef: undefined,
          varCheck: undefined,
          entityCheck: undefined,
          fields: undefined,
        },
        {
          name: 'instance',
          value: '1',
          nil: false,
          datatype: 'int',
          operation: 'greater than or equal',
          mask: false,
          varRef: undefined,
          varCheck: undefined,
          entityCheck: undefined,
          fields: undefined,
        },
      ],
    });
  });

  it('models xsi:nil entities, recursion behaviors and include/exclude filters', () => {
    const ww = oval.objects.get('oval:t:obj:2')!;
    expect(ww.behaviors).toEqual({
      recurse: 'directories',
      recurse_direction: 'down',
      max_depth: '-1',
      recurse_file_system: 'local',
    });
    expect(ww.entities.map((e) => [e.name, e.value, e.nil])).toEqual([
      ['path', '/', false],
      ['filename', undefined, true],
    ]);
    expect(ww.filters).toEqual([
      { action: 'include', stateRef: 'oval:t:ste:3' },
      { action: 'exclude', stateRef: 'oval:t:ste:4' },
    ]);
  });

  it('models sets with object references and filters', () => {
    expect(oval.objects.get('oval:t:obj:5')).toMatchObject({
      entities: [],
      set: {
        operator: 'UNION',
        objectRefs: ['oval:t:obj:1', 'oval:t:obj:6'],
        filters: [{ action: 'exclude', stateRef: 'oval:t:ste:1' }],
        sets: [],
      },
    });
  });

  it('models states: operator, entity_check (default all), var_ref with var_check', () => {
    expect(oval.states.get('oval:t:ste:1')).toMatchObject({
      family: 'ind',
      type: 'textfilecontent54_state',
      operator: 'OR',
      entities: [
        {
          name: 'subexpression',
          datatype: 'int',
          operation: 'less than or equal',
          varRef: 'oval:t:var:1',
          varCheck: 'all',
          entityCheck: 'all',
        },
      ],
    });
    expect(oval.states.get('oval:t:ste:2')?.entities[0]).toMatchObject({
      value: '^0?27$',
      operation: 'pattern match',
      entityCheck: 'at least one',
    });
    expect(oval.states.get('oval:t:ste:3')?.entities.map((e) => [e.name, e.datatype, e.value])).toEqual([
      ['type', 'string', 'regular'],
      ['owrite', 'boolean', 'true'],
    ]);
  });

  it('models external and constant variables', () => {
    expect(oval.variables.get('oval:t:var:1')).toEqual({
      kind: 'external_variable',
      id: 'oval:t:var:1',
      version: '1',
      datatype: 'int',
      comment: 'umask',
      deprecated: false,
      possibleValues: [{ hint: 'strict', value: '27' }],
    });
    expect(oval.variables.get('oval:t:var:2')).toMatchObject({
      kind: 'constant_variable',
      datatype: 'string',
      values: ['/etc/a', '/etc/b'],
    });
  });

  it('models local_variable function trees exactly', () => {
    expect(oval.variables.get('oval:t:var:3')).toMatchObject({
      kind: 'local_variable',
      component: {
        kind: 'concat',
        components: [
          { kind: 'literal_component', datatype: 'string', value: '/home/' },
          {
            kind: 'substring',
            start: 2,
            length: 3,
            component: {
              kind: 'regex_capture',
              pattern: '^(\\w+):',
              component: {
                kind: 'object_component',
                objectRef: 'oval:t:obj:4',
                itemField: 'username',
                recordField: undefined,
              },
            },
          },
          {
            kind: 'split',
            delimiter: ',',
            component: { kind: 'variable_component', varRef: 'oval:t:var:2' },
          },
        ],
      },
    });
    expect(oval.variables.get('oval:t:var:4')).toMatchObject({
      datatype: 'int',
      component: {
        kind: 'arithmetic',
        operation: 'multiply',
        components: [
          { kind: 'count', components: [{ kind: 'variable_component', varRef: 'oval:t:var:2' }] },
          { kind: 'literal_component', datatype: 'int', value: '60' },
        ],
      },
    });
    expect(oval.variables.get('oval:t:var:5')).toMatchObject({
      component: {
        kind: 'unique',
        components: [
          {
            kind: 'escape_regex',
            component: {
              kind: 'begin',
              character: '/',
              component: {
                kind: 'end',
                character: '/',
                component: {
                  kind: 'glob_to_regex',
                  globNoEscape: true,
                  component: { kind: 'literal_component', value: '/etc/*.conf' },
                },
              },
            },
          },
          {
            kind: 'time_difference',
            format1: 'seconds_since_epoch',
            format2: 'year_month_day',
            components: [
              { kind: 'literal_component', value: '1' },
              { kind: 'literal_component', value: '2' },
            ],
          },
          { kind: 'unknown', element: '{http://oval.mitre.org/XMLSchema/oval-definitions-5}reverse' },
        ],
      },
    });
  });

  it('records unknown constructs with where and line instead of dropping them', () => {
    expect(oval.unknown).toEqual([
      {
        construct: '{http://oval.mitre.org/XMLSchema/oval-definitions-5}reverse',
        where: 'oval:t:var:5',
        line: 127,
        reason: 'unknown local_variable function',
      },
      {
        construct: '{http://oval.mitre.org/XMLSchema/oval-definitions-5}extra_section',
        where: 'oval_definitions',
        line: 131,
        reason: 'element not modelled',
      },
    ]);
  });
});

describe('OVAL closure', () => {
  it('follows extend_definition, tests, objects, filters, var_refs and function trees', () => {
    const c = ovalClosure(oval, 'oval:t:def:1');
    expect([...c.definitions]).toEqual(['oval:t:def:1', 'oval:t:def:2']);
    expect([...c.tests].sort()).toEqual(['oval:t:tst:1', 'oval:t:tst:2', 'oval:t:tst:3']);
    expect([...c.objects].sort()).toEqual(['oval:t:obj:1', 'oval:t:obj:2', 'oval:t:obj:3', 'oval:t:obj:4']);
    expect([...c.states].sort()).toEqual(['oval:t:ste:1', 'oval:t:ste:2', 'oval:t:ste:3', 'oval:t:ste:4']);
    expect([...c.variables].sort()).toEqual(['oval:t:var:1', 'oval:t:var:2', 'oval:t:var:3']);
    expect([...c.functions].sort()).toEqual([
      'concat',
      'literal_component',
      'object_component',
      'regex_capture',
      'split',
      'substring',
      'variable_component',
    ]);
    expect([...c.missing]).toEqual([]);
  });

  it('follows ind:variable_object’s var_ref text and reports missing ids', () => {
    expect([...ovalClosure(oval, 'oval:t:def:404').missing]).toEqual(['definition:oval:t:def:404']);
    // object 7 is an ind:variable_object; reach it through a synthetic closure over its object.
    const doc: OvalDocument = {
      ...oval,
      definitions: new Map([
        [
          'd',
          {
            id: 'd',
            version: '1',
            class: 'compliance',
            deprecated: false,
            title: undefined,
            criteria: {
              kind: 'criteria',
              operator: 'AND',
              negate: false,
              applicabilityCheck: undefined,
              children: [{ kind: 'criterion', testRef: 't', negate: false, applicabilityCheck: undefined }],
            },
          },
        ],
      ]),
      tests: new Map([
        [
          't',
          {
            id: 't',
            version: '1',
            family: 'ind',
            type: 'variable_test',
            comment: undefined,
            deprecated: false,
            check: 'all',
            checkExistence: 'at_least_one_exists',
            stateOperator: 'AND',
            objectRef: 'oval:t:obj:7',
            stateRefs: ['oval:t:ste:404'],
          },
        ],
      ]),
    };
    const c = ovalClosure(doc, 'd');
    expect([...c.variables]).toEqual(['oval:t:var:1']);
    expect([...c.missing]).toEqual(['state:oval:t:ste:404']);
  });
});
