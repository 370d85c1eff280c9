/**
 * Typed variables: definitions with constraints, profile defaults, scan-time overrides.
 * Every value goes through `validateVariableValue`, so a bad value is rejected with the
 * variable's name and the constraint it breaks, wherever it came from.
 */
import { z } from 'zod';
import { VouchError } from '../errors.js';

export type VariableValue = string | number | boolean;

export const variableDefinitionSchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean']),
    description: z.string().default(''),
    default: z.union([z.string(), z.number(), z.boolean()]),
    min: z.number().optional(),
    max: z.number().optional(),
    choices: z.array(z.union([z.string(), z.number()])).optional(),
    pattern: z.string().optional(),
    sensitive: z.boolean().default(false),
  })
  .strict();

export type VariableDefinition = z.output<typeof variableDefinitionSchema> & { name: string };

export { SENSITIVE_MASK } from './sensitive.js';

import { SENSITIVE_MASK } from './sensitive.js';

/** Checks one value against its definition; returns an error message or null. */
export function variableValueProblem(definition: VariableDefinition, value: VariableValue): string | null {
  if (typeof value !== definition.type) return `expected a ${definition.type}, got ${typeof value}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'expected a finite number';
    if (definition.min !== undefined && value < definition.min) return `must be >= ${definition.min}`;
    if (definition.max !== undefined && value > definition.max) return `must be <= ${definition.max}`;
  }
  if (typeof value === 'string' && definition.pattern !== undefined) {
    if (!new RegExp(definition.pattern).test(value)) return `must match /${definition.pattern}/`;
  }
  if (definition.choices && typeof value !== 'boolean' && !definition.choices.includes(value)) {
    return `must be one of ${definition.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  }
  return null;
}

export function validateVariableValue(
  definition: VariableDefinition,
  value: VariableValue,
  where: string,
): VariableValue {
  const problem = variableValueProblem(definition, value);
  if (problem) {
    const shown = definition.sensitive ? SENSITIVE_MASK : JSON.stringify(value);
    throw new VouchError(
      'INVALID_VARIABLE',
      `${where}: variable "${definition.name}" = ${shown}: ${problem}`,
    );
  }
  return value;
}

/**
 * Parses a `--var name=value` override from text according to the variable's declared type.
 * Unknown names list the known ones, so a typo is easy to fix.
 */
export function parseVariableOverride(
  text: string,
  definitions: ReadonlyMap<string, VariableDefinition>,
): [string, VariableValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new VouchError('INVALID_VARIABLE', `--var "${text}": expected name=value`);
  const name = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  const definition = definitions.get(name);
  if (!definition) {
    const known = [...definitions.keys()].sort().join(', ');
    throw new VouchError('UNKNOWN_VARIABLE', `--var ${name}: unknown variable (known: ${known || 'none'})`);
  }
  let value: VariableValue;
  if (definition.type === 'number') {
    value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (Number.isNaN(value))
      throw new VouchError('INVALID_VARIABLE', `--var ${name}: "${raw}" is not a number`);
  } else if (definition.type === 'boolean') {
    if (!['true', 'false'].includes(raw)) {
      throw new VouchError('INVALID_VARIABLE', `--var ${name}: "${raw}" is not true or false`);
    }
    value = raw === 'true';
  } else {
    value = raw;
  }
  return [name, validateVariableValue(definition, value, '--var')];
}

/**
 * Replaces every `{ $var: name }` in a spec with the variable's value. Returns the names used, so
 * the engine can check them against the rule's declared variables.
 */
export function substituteVariables(
  spec: unknown,
  values: ReadonlyMap<string, VariableValue>,
  used: Set<string> = new Set(),
): { value: unknown; used: Set<string> } {
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === '$var') {
        const name = record.$var;
        if (typeof name !== 'string')
          throw new VouchError('INVALID_VARIABLE_REF', `${path}: $var must be a name`);
        const value = values.get(name);
        if (value === undefined) {
          throw new VouchError('UNKNOWN_VARIABLE', `${path}: variable "${name}" is not defined`);
        }
        used.add(name);
        return value;
      }
      return Object.fromEntries(keys.map((key) => [key, walk(record[key], path ? `${path}.${key}` : key)]));
    }
    return node;
  };
  return { value: walk(spec, ''), used };
}
