/**
 * One OVAL 5.11 `<oval_results>` document as oscap 1.3.7 puts it into an ARF report: generator,
 * directives (everything reported in full), a copy of the evaluated `oval_definitions`, and one
 * `<system>` with definition results (criteria trees with a result on every node), test results
 * (tested items and variables) and the system characteristics (collected objects and items).
 */
import type { OvalCriteriaNode, OvalDocument } from '../model/oval.js';
import { combineByOperator, negate, type OvalResult } from '../oval-eval/result.js';
import type { ProbeItem } from '../oval-session/probe.js';
import type { OvalRun } from '../results/model.js';
import type { XmlWriter } from './xml-writer.js';

const NS_RESULTS = 'http://oval.mitre.org/XMLSchema/oval-results-5';
const NS_COMMON = 'http://oval.mitre.org/XMLSchema/oval-common-5';
const NS_SC = 'http://oval.mitre.org/XMLSchema/oval-system-characteristics-5';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** System-characteristics prefixes by item family, as oscap names them. */
const SC_PREFIX: Record<string, string> = { ind: 'ind-sys', unix: 'unix-sys', linux: 'lin-sys' };
const SC_FRAGMENT: Record<string, string> = { ind: 'independent', unix: 'unix', linux: 'linux' };

export interface SystemInfo {
  osName: string;
  osVersion: string;
  architecture: string;
  primaryHostName: string;
  interfaces: { name: string; ipAddress: string; macAddress: string }[];
}

export interface OvalResultsInput {
  run: OvalRun;
  document: OvalDocument;
  /** The `oval_definitions` element copied from the source (standalone XML). */
  definitionsXml: string;
  /** Generator product (`product_name`, `product_version`) and timestamp (`YYYY-MM-DDThh:mm:ss`). */
  generator: { productName: string; productVersion: string | undefined; timestamp: string };
  systemInfo: SystemInfo;
}

export function writeOvalResults(w: XmlWriter, input: OvalResultsInput): void {
  const { run, document } = input;
  w.start('oval_results', [
    ['xmlns', NS_RESULTS],
    ['xmlns:oval', NS_COMMON],
    ['xmlns:xsi', NS_XSI],
    ['xsi:schemaLocation', `${NS_RESULTS} oval-results-schema.xsd ${NS_COMMON} oval-common-schema.xsd`],
  ]);
  writeGenerator(w, input.generator);
  w.start('directives');
  for (const kind of ['true', 'false', 'unknown', 'error', 'not_evaluated', 'not_applicable']) {
    w.leaf(`definition_${kind}`, [
      ['reported', 'true'],
      ['content', 'full'],
    ]);
  }
  w.end('directives');
  w.raw(input.definitionsXml);
  w.start('results');
  w.start('system');

  // Every definition is listed, the ones no rule reached as `not evaluated` (as oscap does).
  if (document.definitions.size > 0) {
    w.start('definitions');
    for (const definition of document.definitions.values()) {
      const result = run.definitions.get(definition.id) ?? 'not evaluated';
      w.start('definition', [
        ['definition_id', definition.id],
        ['result', result],
        ['version', definition.version],
      ]);
      if (definition.criteria)
        writeCriteriaNode(w, definition.criteria, run, document, result === 'not evaluated');
      w.end('definition');
    }
    w.end('definitions');
  }

  if (run.tests.size > 0) {
    w.start('tests');
    for (const test of run.tests.values()) {
      const model = document.tests.get(test.id);
      const attributes: [string, string | undefined][] = [
        ['test_id', test.id],
        ['version', model?.version ?? '1'],
        // Defaults are left out, as oscap writes them.
        ['check_existence', test.checkExistence === 'at_least_one_exists' ? undefined : test.checkExistence],
        ['check', test.check],
        ['state_operator', test.stateOperator === 'AND' ? undefined : test.stateOperator],
        ['result', test.result],
      ];
      if (test.testedItems.length === 0 && test.testedVariables.length === 0) {
        w.leaf('test', attributes);
        continue;
      }
      w.start('test', attributes);
      for (const tested of test.testedItems) {
        w.leaf('tested_item', [
          ['item_id', tested.itemId],
          ['result', tested.result],
        ]);
      }
      for (const variable of test.testedVariables) {
        w.leaf('tested_variable', [['variable_id', variable.variableId]], variable.value);
      }
      w.end('test');
    }
    w.end('tests');
  }

  writeSystemCharacteristics(w, input);
  w.end('system');
  w.end('results');
  w.end('oval_results');
}

function writeGenerator(w: XmlWriter, generator: OvalResultsInput['generator']): void {
  w.start('generator');
  w.leaf('oval:product_name', [], generator.productName);
  if (generator.productVersion) w.leaf('oval:product_version', [], generator.productVersion);
  w.leaf('oval:schema_version', [], '5.11');
  w.leaf('oval:timestamp', [], generator.timestamp);
  w.end('generator');
}

/**
 * A criteria node with its result. Results are recomputed bottom-up from the test and definition
 * results (negate applied, as oscap writes them); below an unevaluated definition every node is
 * `not evaluated`.
 */
function writeCriteriaNode(
  w: XmlWriter,
  node: OvalCriteriaNode,
  run: OvalRun,
  document: OvalDocument,
  notEvaluated: boolean,
): OvalResult {
  const applicability = node.applicabilityCheck === undefined ? undefined : String(node.applicabilityCheck);
  const negated = node.negate ? 'true' : undefined;
  if (node.kind === 'criterion') {
    const testResult = notEvaluated
      ? 'not evaluated'
      : (run.tests.get(node.testRef)?.result ?? 'not evaluated');
    const result = node.negate ? negate(testResult) : testResult;
    w.leaf('criterion', [
      ['applicability_check', applicability],
      ['test_ref', node.testRef],
      ['version', document.tests.get(node.testRef)?.version ?? '1'],
      ['result', result],
      ['negate', negated],
    ]);
    return result;
  }
  if (node.kind === 'extend_definition') {
    const definitionResult = notEvaluated
      ? 'not evaluated'
      : (run.definitions.get(node.definitionRef) ?? 'not evaluated');
    const result = node.negate ? negate(definitionResult) : definitionResult;
    w.leaf('extend_definition', [
      ['applicability_check', applicability],
      ['definition_ref', node.definitionRef],
      ['version', document.definitions.get(node.definitionRef)?.version ?? '1'],
      ['result', result],
      ['negate', negated],
    ]);
    return result;
  }
  // The criteria's own result depends on its children, which are written inside it: write the
  // children to a scratch writer first.
  const children = w.fork();
  const results = node.children.map((child) =>
    writeCriteriaNode(children, child, run, document, notEvaluated),
  );
  const combined = notEvaluated ? 'not evaluated' : combineByOperator(node.operator, results);
  const result = node.negate ? negate(combined) : combined;
  w.start('criteria', [
    ['applicability_check', applicability],
    ['operator', node.operator],
    ['result', result],
    ['negate', negated],
  ]);
  w.append(children);
  w.end('criteria');
  return result;
}

function writeSystemCharacteristics(w: XmlWriter, input: OvalResultsInput): void {
  const { run, document, systemInfo } = input;
  const families = new Set<string>(['ind', 'unix', 'linux']);
  for (const item of run.items.values()) families.add(item.family);
  const declarations: [string, string][] = [...families].map((family) => [
    `xmlns:${scPrefix(family)}`,
    `${NS_SC}#${SC_FRAGMENT[family] ?? family}`,
  ]);
  w.start('oval_system_characteristics', [
    ['xmlns', NS_SC],
    ['xmlns:oval', NS_COMMON],
    ...declarations,
    [
      'xsi:schemaLocation',
      `${NS_SC} oval-system-characteristics-schema.xsd ${NS_COMMON} oval-common-schema.xsd`,
    ],
  ]);
  writeGenerator(w, { ...input.generator, productVersion: undefined });
  w.start('system_info');
  w.leaf('os_name', [], systemInfo.osName);
  w.leaf('os_version', [], systemInfo.osVersion);
  w.leaf('architecture', [], systemInfo.architecture);
  w.leaf('primary_host_name', [], systemInfo.primaryHostName);
  if (systemInfo.interfaces.length === 0) {
    w.leaf('interfaces');
  } else {
    w.start('interfaces');
    for (const nic of systemInfo.interfaces) {
      w.start('interface');
      w.leaf('interface_name', [], nic.name);
      w.leaf('ip_address', [], nic.ipAddress);
      w.leaf('mac_address', [], nic.macAddress);
      w.end('interface');
    }
    w.end('interfaces');
  }
  w.end('system_info');

  if (run.objects.size > 0) {
    w.start('collected_objects');
    for (const object of run.objects.values()) {
      const attributes: [string, string][] = [
        ['id', object.id],
        ['version', document.objects.get(object.id)?.version ?? '1'],
        ['flag', object.flag],
      ];
      if (object.messages.length === 0 && object.variableValues.length === 0 && object.itemIds.length === 0) {
        w.leaf('object', attributes);
        continue;
      }
      w.start('object', attributes);
      // Schema order: message, variable_value, reference.
      for (const message of object.messages) w.leaf('message', [['level', 'warning']], message);
      for (const variable of object.variableValues) {
        w.leaf('variable_value', [['variable_id', variable.variableId]], variable.value);
      }
      for (const itemId of object.itemIds) w.leaf('reference', [['item_ref', itemId]]);
      w.end('object');
    }
    w.end('collected_objects');
  }

  if (run.items.size > 0) {
    w.start('system_data');
    for (const [id, item] of [...run.items].sort((a, b) => a[0] - b[0])) writeItem(w, id, item);
    w.end('system_data');
  }
  w.end('oval_system_characteristics');
}

function scPrefix(family: string): string {
  return SC_PREFIX[family] ?? `${family}-sys`;
}

/** An item in its family's namespace, entities in the order the probe produced them (schema order). */
function writeItem(w: XmlWriter, id: number, item: ProbeItem): void {
  const prefix = scPrefix(item.family);
  const entries = Object.entries(item.fields);
  const attributes: [string, string | number][] = [
    ['id', id],
    ['status', item.status],
  ];
  if (entries.length === 0) {
    w.leaf(`${prefix}:${item.type}`, attributes);
    return;
  }
  w.start(`${prefix}:${item.type}`, attributes);
  for (const [name, values] of entries) {
    for (const value of values) {
      w.leaf(
        `${prefix}:${name}`,
        [
          ['datatype', value.datatype && value.datatype !== 'string' ? value.datatype : undefined],
          ['status', value.status && value.status !== 'exists' ? value.status : undefined],
        ],
        value.value,
      );
    }
  }
  w.end(`${prefix}:${item.type}`);
}
