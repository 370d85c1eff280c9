/**
 * The comparison operators shared by config-value, sysctl, pam arguments and package versions.
 * Values found on a host are strings; expected values come from YAML and may be numbers or lists.
 */
import { z } from 'zod';

export const OPERATORS = [
  'equals',
  'not-equals',
  'lt',
  'lte',
  'gt',
  'gte',
  'matches',
  'in',
  'contains',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const operatorSchema = z.enum(OPERATORS);
export const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);
export const expectedValueSchema = z.union([scalarSchema, z.array(z.union([z.string(), z.number()]))]);
export type Scalar = z.output<typeof scalarSchema>;
export type ExpectedValue = z.output<typeof expectedValueSchema>;

export interface CompareOptions {
  /** sshd treats yes/no style values case-insensitively, so its comparisons do too. */
  caseInsensitive?: boolean;
}

/** Why an (op, value) pair cannot work, or null. Used by spec schemas so bad rules fail at load time. */
export function operatorProblem(op: Operator, value: ExpectedValue | undefined): string | null {
  if (value === undefined) return `operator "${op}" needs a value`;
  if (op === 'in' && !Array.isArray(value)) return 'operator "in" needs a list value';
  if (op !== 'in' && op !== 'contains' && Array.isArray(value))
    return `operator "${op}" needs a single value, not a list`;
  if (['lt', 'lte', 'gt', 'gte'].includes(op) && !Array.isArray(value) && !Number.isFinite(Number(value))) {
    return `operator "${op}" needs a numeric value`;
  }
  if (op === 'matches') {
    try {
      new RegExp(String(value));
    } catch (error) {
      return `invalid regex: ${(error as Error).message}`;
    }
  }
  return null;
}

function norm(value: string | number | boolean, options: CompareOptions): string {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return options.caseInsensitive ? text.toLowerCase() : text;
}

/** Booleans in specs mean the yes/no spelling of config files, but `true`/`1` are accepted on the host side. */
function scalarEquals(found: string, expected: Scalar, options: CompareOptions): boolean {
  if (typeof expected === 'boolean') {
    const f = found.toLowerCase();
    return expected ? ['yes', 'true', '1', 'on'].includes(f) : ['no', 'false', '0', 'off'].includes(f);
  }
  if (typeof expected === 'number') {
    const n = Number(found);
    return found.trim() !== '' && Number.isFinite(n) ? n === expected : found === String(expected);
  }
  return norm(found, options) === norm(expected, options);
}

function listItems(found: string): string[] {
  return found
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** True when `found` satisfies `op value`. */
export function compareValue(
  found: string,
  op: Operator,
  expected: ExpectedValue,
  options: CompareOptions = {},
): boolean {
  switch (op) {
    case 'equals':
      return !Array.isArray(expected) && scalarEquals(found, expected, options);
    case 'not-equals':
      return !Array.isArray(expected) && !scalarEquals(found, expected, options);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const f = Number(found);
      const e = Number(expected);
      if (found.trim() === '' || !Number.isFinite(f) || !Number.isFinite(e)) return false;
      if (op === 'lt') return f < e;
      if (op === 'lte') return f <= e;
      if (op === 'gt') return f > e;
      return f >= e;
    }
    case 'matches':
      return new RegExp(String(expected), options.caseInsensitive ? 'i' : '').test(found);
    case 'in':
      return Array.isArray(expected) && expected.some((item) => scalarEquals(found, item, options));
    case 'contains': {
      const items = listItems(found).map((item) => norm(item, options));
      const wanted = Array.isArray(expected) ? expected : [expected];
      return wanted.every((item) => items.includes(norm(item, options)));
    }
  }
}

function show(value: ExpectedValue): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Human text of the expectation for evidence: `<= 4`, `matches /^no$/`, `one of [a, b]`. */
export function describeExpected(op: Operator, expected: ExpectedValue): string {
  switch (op) {
    case 'equals':
      return show(expected);
    case 'not-equals':
      return `not ${show(expected)}`;
    case 'lt':
      return `< ${show(expected)}`;
    case 'lte':
      return `<= ${show(expected)}`;
    case 'gt':
      return `> ${show(expected)}`;
    case 'gte':
      return `>= ${show(expected)}`;
    case 'matches':
      return `matches /${show(expected)}/`;
    case 'in':
      return `one of ${show(expected)}`;
    case 'contains':
      return `contains ${show(expected)}`;
  }
}
