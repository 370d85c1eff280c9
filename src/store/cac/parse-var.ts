/**
 * A ComplianceAsCode `<var_id>.var` file -> the XCCDF Value the CaC build would write, then the
 * shared typed variable (scapVariableOf), so CaC and data stream variables validate alike.
 * `options.default` is the Value's unselected `<value>`; every other option a selector.
 */
import { formatProblem, parseYamlSource } from '../../content/yaml-source.js';
import { VouchError } from '../../core/errors.js';
import type { ValueOperator, ValueType, XccdfValue } from '../../scap/model/xccdf.js';
import { scapVariableOf } from '../../scap/variables/typed-variable.js';
import type { StoredVariable } from '../types.js';
import { restoreExpressions, VALUE_PREFIX, yamlText } from './jinja.js';

const TYPES: readonly ValueType[] = ['string', 'number', 'boolean'];
const OPERATORS: readonly ValueOperator[] = [
  'equals',
  'not equal',
  'greater than',
  'less than',
  'greater than or equal',
  'less than or equal',
  'pattern match',
];

export function parseVarFile(
  file: string,
  text: string,
  name: string,
  sourceId: string,
  isSensitive: (id: string) => boolean,
): StoredVariable {
  const source = yamlText(text);
  const yaml = parseYamlSource(file, source.text);
  if (!('data' in yaml)) throw new VouchError('BAD_CAC_VARIABLE', formatProblem(yaml));
  const fail = (field: string, message: string): never => {
    throw new VouchError(
      'BAD_CAC_VARIABLE',
      formatProblem({ file, line: yaml.lineOf([field]), field, message }),
    );
  };
  const data = restoreExpressions(yaml.data, source.expressions);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new VouchError('BAD_CAC_VARIABLE', formatProblem({ file, line: 1, message: 'expected a mapping' }));
  }
  const d = data as Record<string, unknown>;
  const text_ = (field: string): string | undefined => {
    const v = d[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') fail(field, `expected text, got ${JSON.stringify(v)}`);
    return (v as string).trim();
  };
  const type = (d.type ?? 'string') as ValueType;
  if (!TYPES.includes(type))
    fail('type', `must be one of ${TYPES.join(', ')}, got ${JSON.stringify(d.type)}`);
  const operator = (d.operator ?? 'equals') as ValueOperator;
  if (!OPERATORS.includes(operator))
    fail('operator', `must be one of ${OPERATORS.join(', ')}, got ${JSON.stringify(d.operator)}`);
  if (d.interactive !== undefined && typeof d.interactive !== 'boolean')
    fail('interactive', 'must be true or false');
  const options = d.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail('options', 'expected a mapping of selector: value with a default');
  }
  const opts = options as Record<string, unknown>;
  // Without a `default` option (CaC has such Values) the first option stands in, as scapVariableOf
  // takes the first <value> when none is unselected.
  if (Object.keys(opts).length === 0) fail('options', 'no options');
  const values: XccdfValue['values'] = [];
  for (const [selector, raw] of Object.entries(opts)) {
    if (raw !== null && typeof raw === 'object') fail('options', `${selector}: expected a scalar value`);
    const value = raw === null || raw === undefined ? '' : String(raw);
    values.push({ selector: selector === 'default' ? undefined : selector, value });
  }
  const id = VALUE_PREFIX + name;
  const xccdf: XccdfValue = {
    kind: 'value',
    id,
    title: text_('title'),
    description: text_('description'),
    type,
    operator,
    interactive: d.interactive === true,
    hidden: false,
    values,
    defaults: [],
    lowerBounds: [],
    upperBounds: [],
    matches: [],
    choices: [],
    ancestors: [],
  };
  const variable = scapVariableOf(xccdf);
  if (isSensitive(id) || isSensitive(name)) variable.sensitive = true;
  return { ...variable, sourceId };
}
