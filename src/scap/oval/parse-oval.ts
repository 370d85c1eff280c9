/**
 * OVAL 5.11 definitions builder: `oval_definitions` element tree -> OvalDocument.
 * Any element of a family namespace (ind/unix/linux/...) is accepted generically as a test, object or
 * state by its `_test`/`_object`/`_state` suffix; anything else not understood is logged as unknown.
 */
import type {
  OvalCheck,
  OvalComponent,
  OvalCriteria,
  OvalCriteriaNode,
  OvalDefinition,
  OvalDocument,
  OvalEntity,
  OvalExistence,
  OvalFilter,
  OvalObject,
  OvalOperator,
  OvalSet,
  OvalState,
  OvalTest,
  OvalVariable,
} from '../model/oval.js';
import { NS, ovalFamily } from '../xml/namespaces.js';
import { UnknownLog } from '../xml/unknown-log.js';
import {
  attr,
  attrNs,
  childrenNamed,
  firstChild,
  plainText,
  qname,
  type XmlElement,
} from '../xml/xml-tree.js';

const D = NS.ovalDef;
const OPERATORS = new Set<OvalOperator>(['AND', 'OR', 'ONE', 'XOR']);
const CHECKS = new Set<OvalCheck>(['all', 'at least one', 'none exist', 'none satisfy', 'only one']);
const EXISTENCE = new Set<OvalExistence>([
  'all_exist',
  'any_exist',
  'at_least_one_exists',
  'none_exist',
  'only_one_exists',
]);
/** Children of tests/objects/states that are part of the grammar, not entities. */
const NON_ENTITY = new Set(['notes', 'signature', 'behaviors', 'filter', 'set']);

export function parseOval(root: XmlElement): OvalDocument {
  const unknown = new UnknownLog();
  const generator = firstChild(root, D, 'generator');
  const doc: OvalDocument = {
    generator: {
      productName: plainText(generator && firstChild(generator, NS.ovalCommon, 'product_name')),
      schemaVersion: plainText(generator && firstChild(generator, NS.ovalCommon, 'schema_version')),
    },
    definitions: new Map(),
    tests: new Map(),
    objects: new Map(),
    states: new Map(),
    variables: new Map(),
    unknown: unknown.entries,
  };
  for (const section of root.children) {
    if (section.ns !== D) {
      unknown.element(section, 'oval_definitions');
      continue;
    }
    switch (section.name) {
      case 'generator':
      case 'signature':
        break;
      case 'definitions':
        for (const d of section.children) {
          if (d.ns === D && d.name === 'definition') {
            const def = parseDefinition(d, unknown);
            doc.definitions.set(def.id, def);
          } else unknown.element(d, 'definitions');
        }
        break;
      case 'tests':
        for (const t of section.children) {
          const test = parseTest(t, unknown);
          if (test) doc.tests.set(test.id, test);
        }
        break;
      case 'objects':
        for (const o of section.children) {
          const object = parseObject(o, unknown);
          if (object) doc.objects.set(object.id, object);
        }
        break;
      case 'states':
        for (const s of section.children) {
          const state = parseState(s, unknown);
          if (state) doc.states.set(state.id, state);
        }
        break;
      case 'variables':
        for (const v of section.children) {
          const variable = parseVariable(v, unknown);
          if (variable) doc.variables.set(variable.id, variable);
        }
        break;
      default:
        unknown.element(section, 'oval_definitions');
    }
  }
  return doc;
}

function parseDefinition(element: XmlElement, unknown: UnknownLog): OvalDefinition {
  const id = attr(element, 'id') ?? '';
  const metadata = firstChild(element, D, 'metadata');
  const criteria = firstChild(element, D, 'criteria');
  return {
    id,
    version: attr(element, 'version') ?? '',
    class: attr(element, 'class') ?? '',
    deprecated: attr(element, 'deprecated') === 'true',
    title: plainText(metadata && firstChild(metadata, D, 'title')),
    criteria: criteria ? parseCriteria(criteria, id, unknown) : undefined,
  };
}

function applicability(element: XmlElement): boolean | undefined {
  const value = attr(element, 'applicability_check');
  return value === undefined ? undefined : value === 'true';
}

function operatorOf(
  element: XmlElement,
  where: string,
  unknown: UnknownLog,
  name = 'operator',
): OvalOperator {
  const op = attr(element, name) ?? 'AND';
  if (OPERATORS.has(op as OvalOperator)) return op as OvalOperator;
  unknown.value(`@${name}=${op}`, where, element.line, 'unknown OVAL operator');
  return 'AND';
}

function parseCriteria(element: XmlElement, where: string, unknown: UnknownLog): OvalCriteria {
  const children: OvalCriteriaNode[] = [];
  for (const child of element.children) {
    if (child.ns !== D) {
      unknown.element(child, where);
      continue;
    }
    const negate = attr(child, 'negate') === 'true';
    if (child.name === 'criteria') children.push(parseCriteria(child, where, unknown));
    else if (child.name === 'criterion') {
      children.push({
        kind: 'criterion',
        testRef: attr(child, 'test_ref') ?? '',
        negate,
        applicabilityCheck: applicability(child),
      });
    } else if (child.name === 'extend_definition') {
      children.push({
        kind: 'extend_definition',
        definitionRef: attr(child, 'definition_ref') ?? '',
        negate,
        applicabilityCheck: applicability(child),
      });
    } else unknown.element(child, where);
  }
  return {
    kind: 'criteria',
    operator: operatorOf(element, where, unknown),
    negate: attr(element, 'negate') === 'true',
    applicabilityCheck: applicability(element),
    children,
  };
}

/** Accept `<family:xxx_suffix>`; anything else in the section is unknown. */
function typed(element: XmlElement, suffix: string, section: string, unknown: UnknownLog) {
  if (!element.name.endsWith(suffix) || element.ns === D || !element.ns.startsWith(`${D}#`)) {
    unknown.element(element, section);
    return undefined;
  }
  return {
    id: attr(element, 'id') ?? '',
    version: attr(element, 'version') ?? '',
    family: ovalFamily(element.ns),
    type: element.name,
    comment: attr(element, 'comment'),
    deprecated: attr(element, 'deprecated') === 'true',
  };
}

function parseTest(element: XmlElement, unknown: UnknownLog): OvalTest | undefined {
  const base = typed(element, '_test', 'tests', unknown);
  if (!base) return undefined;
  const check = attr(element, 'check') ?? 'all';
  const existence = attr(element, 'check_existence') ?? 'at_least_one_exists';
  if (!CHECKS.has(check as OvalCheck))
    unknown.value(`@check=${check}`, base.id, element.line, 'unknown check');
  if (!EXISTENCE.has(existence as OvalExistence)) {
    unknown.value(`@check_existence=${existence}`, base.id, element.line, 'unknown check_existence');
  }
  let objectRef: string | undefined;
  const stateRefs: string[] = [];
  for (const child of element.children) {
    if (child.name === 'object') objectRef = attr(child, 'object_ref');
    else if (child.name === 'state') stateRefs.push(attr(child, 'state_ref') ?? '');
    else if (!NON_ENTITY.has(child.name)) unknown.element(child, base.id);
  }
  return {
    ...base,
    check: check as OvalCheck,
    checkExistence: existence as OvalExistence,
    stateOperator: operatorOf(element, base.id, unknown, 'state_operator'),
    objectRef,
    stateRefs,
  };
}

function parseEntity(element: XmlElement, isState: boolean): OvalEntity {
  const nil = attrNs(element, NS.xsi, 'nil') === 'true';
  const fields = element.children.filter((c) => c.name === 'field');
  return {
    name: element.name,
    value: nil ? undefined : element.text,
    nil,
    datatype: attr(element, 'datatype') ?? (fields.length > 0 ? 'record' : 'string'),
    operation: attr(element, 'operation') ?? 'equals',
    mask: attr(element, 'mask') === 'true',
    varRef: attr(element, 'var_ref'),
    varCheck: attr(element, 'var_check'),
    entityCheck: isState ? (attr(element, 'entity_check') ?? 'all') : attr(element, 'entity_check'),
    fields:
      fields.length > 0
        ? fields.map((f) => ({ ...parseEntity(f, isState), name: attr(f, 'name') ?? '' }))
        : undefined,
  };
}

function parseFilter(element: XmlElement): OvalFilter {
  return {
    action: attr(element, 'action') === 'include' ? 'include' : 'exclude',
    stateRef: element.text.trim(),
  };
}

function parseSet(element: XmlElement, where: string, unknown: UnknownLog): OvalSet {
  const op = attr(element, 'set_operator') ?? 'UNION';
  if (!['UNION', 'INTERSECTION', 'COMPLEMENT'].includes(op)) {
    unknown.value(`@set_operator=${op}`, where, element.line, 'unknown set_operator');
  }
  return {
    operator: op as OvalSet['operator'],
    objectRefs: childrenNamed(element, D, 'object_reference').map((r) => r.text.trim()),
    filters: childrenNamed(element, D, 'filter').map(parseFilter),
    sets: childrenNamed(element, D, 'set').map((s) => parseSet(s, where, unknown)),
  };
}

/** Children of an object/state that are neither entities of its family nor OVAL grammar are unknown. */
function flagForeignChildren(element: XmlElement, where: string, unknown: UnknownLog): void {
  for (const child of element.children) {
    if (child.ns === element.ns && child.name !== 'filter' && child.name !== 'set') continue;
    if (child.ns === D && NON_ENTITY.has(child.name)) continue;
    unknown.element(child, where);
  }
}

function parseObject(element: XmlElement, unknown: UnknownLog): OvalObject | undefined {
  const base = typed(element, '_object', 'objects', unknown);
  if (!base) return undefined;
  flagForeignChildren(element, base.id, unknown);
  const behaviorsElement = element.children.find((c) => c.name === 'behaviors');
  const set = firstChild(element, D, 'set');
  return {
    ...base,
    entities: element.children
      .filter((c) => c.ns === element.ns && !NON_ENTITY.has(c.name))
      .map((c) => parseEntity(c, false)),
    behaviors: behaviorsElement ? { ...behaviorsElement.attrs } : undefined,
    filters: childrenNamed(element, D, 'filter').map(parseFilter),
    set: set ? parseSet(set, base.id, unknown) : undefined,
  };
}

function parseState(element: XmlElement, unknown: UnknownLog): OvalState | undefined {
  const base = typed(element, '_state', 'states', unknown);
  if (!base) return undefined;
  flagForeignChildren(element, base.id, unknown);
  return {
    ...base,
    operator: operatorOf(element, base.id, unknown),
    entities: element.children
      .filter((c) => c.ns === element.ns && !NON_ENTITY.has(c.name))
      .map((c) => parseEntity(c, true)),
  };
}

function parseVariable(element: XmlElement, unknown: UnknownLog): OvalVariable | undefined {
  const base = {
    id: attr(element, 'id') ?? '',
    version: attr(element, 'version') ?? '',
    datatype: attr(element, 'datatype') ?? 'string',
    comment: attr(element, 'comment'),
    deprecated: attr(element, 'deprecated') === 'true',
  };
  if (element.ns !== D) {
    unknown.element(element, 'variables');
    return undefined;
  }
  switch (element.name) {
    case 'external_variable':
      return {
        kind: 'external_variable',
        ...base,
        possibleValues: element.children.map((c) => ({ hint: attr(c, 'hint'), value: plainText(c) ?? '' })),
      };
    case 'constant_variable':
      return {
        kind: 'constant_variable',
        ...base,
        values: childrenNamed(element, D, 'value').map((v) => v.text),
      };
    case 'local_variable': {
      const first = element.children.find((c) => c.ns === D && c.name !== 'notes' && c.name !== 'signature');
      const component: OvalComponent = first
        ? parseComponent(first, base.id, unknown)
        : { kind: 'unknown', element: 'missing component' };
      if (!first)
        unknown.value('local_variable', base.id, element.line, 'local_variable without a component');
      return { kind: 'local_variable', ...base, component };
    }
    default:
      unknown.element(element, 'variables');
      return undefined;
  }
}

/** The function/component tree of a local_variable (OVAL 5.11 §5.3.33 ff.). */
export function parseComponent(element: XmlElement, where: string, unknown: UnknownLog): OvalComponent {
  const components = (): OvalComponent[] =>
    element.children.filter((c) => c.ns === D).map((c) => parseComponent(c, where, unknown));
  const single = (): OvalComponent => {
    const [first] = components();
    if (first) return first;
    unknown.value(qname(element), where, element.line, 'function without an argument');
    return { kind: 'unknown', element: 'missing argument' };
  };
  if (element.ns !== D) {
    unknown.element(element, where, 'unknown local_variable component');
    return { kind: 'unknown', element: qname(element) };
  }
  switch (element.name) {
    case 'literal_component':
      return {
        kind: 'literal_component',
        datatype: attr(element, 'datatype') ?? 'string',
        value: element.text,
      };
    case 'object_component':
      return {
        kind: 'object_component',
        objectRef: attr(element, 'object_ref') ?? '',
        itemField: attr(element, 'item_field') ?? '',
        recordField: attr(element, 'record_field'),
      };
    case 'variable_component':
      return { kind: 'variable_component', varRef: attr(element, 'var_ref') ?? '' };
    case 'arithmetic': {
      const op = attr(element, 'arithmetic_operation') ?? '';
      if (op !== 'add' && op !== 'multiply') {
        unknown.value(`@arithmetic_operation=${op}`, where, element.line, 'unknown arithmetic operation');
      }
      return {
        kind: 'arithmetic',
        operation: op === 'multiply' ? 'multiply' : 'add',
        components: components(),
      };
    }
    case 'begin':
    case 'end':
      return { kind: element.name, character: attr(element, 'character') ?? '', component: single() };
    case 'concat':
    case 'count':
    case 'unique':
      return { kind: element.name, components: components() };
    case 'escape_regex':
      return { kind: 'escape_regex', component: single() };
    case 'glob_to_regex':
      return {
        kind: 'glob_to_regex',
        globNoEscape: attr(element, 'glob_noescape') === 'true',
        component: single(),
      };
    case 'regex_capture':
      return { kind: 'regex_capture', pattern: attr(element, 'pattern') ?? '', component: single() };
    case 'split':
      return { kind: 'split', delimiter: attr(element, 'delimiter') ?? '', component: single() };
    case 'substring':
      return {
        kind: 'substring',
        start: Number(attr(element, 'substring_start') ?? '1'),
        length: Number(attr(element, 'substring_length') ?? '-1'),
        component: single(),
      };
    case 'time_difference':
      return {
        kind: 'time_difference',
        format1: attr(element, 'format_1') ?? 'year_month_day',
        format2: attr(element, 'format_2') ?? 'year_month_day',
        components: components(),
      };
    default:
      unknown.element(element, where, 'unknown local_variable function');
      return { kind: 'unknown', element: qname(element) };
  }
}
