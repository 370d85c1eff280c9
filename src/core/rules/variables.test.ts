import { describe, expect, it } from 'vitest';
import {
  parseVariableOverride,
  substituteVariables,
  type VariableDefinition,
  variableValueProblem,
} from './variables.js';

const def = (
  overrides: Partial<VariableDefinition> & Pick<VariableDefinition, 'type' | 'default'>,
): VariableDefinition => ({
  name: 'v',
  description: '',
  sensitive: false,
  ...overrides,
});

const definitions = new Map<string, VariableDefinition>([
  ['tries', def({ name: 'tries', type: 'number', default: 4, min: 1, max: 10 })],
  ['strict', def({ name: 'strict', type: 'boolean', default: true })],
  ['method', def({ name: 'method', type: 'string', default: 'yescrypt', choices: ['sha512', 'yescrypt'] })],
  ['secret', def({ name: 'secret', type: 'string', default: 'x', pattern: '^[a-z]+$', sensitive: true })],
]);

describe('variables', () => {
  it.each([
    ['tries=3', ['tries', 3]],
    ['strict=false', ['strict', false]],
    ['method=sha512', ['method', 'sha512']],
  ] as const)('parses %s by the declared type', (text, expected) => {
    expect(parseVariableOverride(text, definitions)).toEqual(expected);
  });

  it.each([
    ['tries=0', /variable "tries" = 0: must be >= 1/],
    ['tries=many', /--var tries: "many" is not a number/],
    ['tries=', /--var tries: "" is not a number/],
    ['strict=yes', /--var strict: "yes" is not true or false/],
    ['method=md5', /must be one of "sha512", "yescrypt"/],
    ['tires=3', /--var tires: unknown variable \(known: method, secret, strict, tries\)/],
    ['noequals', /expected name=value/],
  ])('rejects %s clearly', (text, message) => {
    expect(() => parseVariableOverride(text, definitions)).toThrow(message);
  });

  it('never prints a sensitive value in an error', () => {
    expect(() => parseVariableOverride('secret=Hunter2', definitions)).toThrow(
      /secret" = \*\*\*\*\*\*\*\*: must match/,
    );
    expect(() => parseVariableOverride('secret=Hunter2', definitions)).not.toThrow(/Hunter2/);
  });

  it('checks type before constraints', () => {
    expect(variableValueProblem(definitions.get('tries') as VariableDefinition, '4')).toBe(
      'expected a number, got string',
    );
  });

  it('substitutes {$var} anywhere in a spec and reports the names used', () => {
    const { value, used } = substituteVariables(
      { key: 'MaxAuthTries', value: { $var: 'tries' }, list: [{ $var: 'method' }, 'x'] },
      new Map<string, string | number | boolean>([
        ['tries', 4],
        ['method', 'sha512'],
      ]),
    );
    expect(value).toEqual({ key: 'MaxAuthTries', value: 4, list: ['sha512', 'x'] });
    expect([...used].sort()).toEqual(['method', 'tries']);
  });

  it('names the path of an undefined variable reference', () => {
    expect(() => substituteVariables({ a: [{ $var: 'nope' }] }, new Map())).toThrow(
      /a\[0\]: variable "nope" is not defined/,
    );
  });
});
