/**
 * One OVAL operation between a collected value and a state (or object) value, per datatype.
 * Direction as the spec defines it: `greater than` means collected > state; `pattern match` means
 * the state value is a regular expression searched for in the collected value.
 *
 * Returns 'true' / 'false'; a value that is not of its datatype gives 'error' (oscap does the same),
 * and an operation the datatype does not define throws OvalEvalError (a content bug, reported by name).
 */
import { compilePcre } from './pcre.js';
import { OvalEvalError, type OvalResult } from './result.js';
import { debianEvrCompare, evrCompare, versionCompare } from './versions.js';

export type Operation =
  | 'equals'
  | 'not equal'
  | 'case insensitive equals'
  | 'case insensitive not equal'
  | 'greater than'
  | 'less than'
  | 'greater than or equal'
  | 'less than or equal'
  | 'bitwise and'
  | 'bitwise or'
  | 'pattern match'
  | 'subset of'
  | 'superset of';

const ORDERING = new Set(['greater than', 'less than', 'greater than or equal', 'less than or equal']);

const bool = (b: boolean): OvalResult => (b ? 'true' : 'false');

function ordered(op: string, c: number): OvalResult {
  switch (op) {
    case 'equals':
      return bool(c === 0);
    case 'not equal':
      return bool(c !== 0);
    case 'greater than':
      return bool(c > 0);
    case 'less than':
      return bool(c < 0);
    case 'greater than or equal':
      return bool(c >= 0);
    case 'less than or equal':
      return bool(c <= 0);
  }
  throw new OvalEvalError(`operation "${op}" is not defined for this datatype`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * As oscap reads ints (strtoimax, base 10, whole string): leading whitespace and a sign allowed,
 * trailing text not, and values outside 64 bits are errors. BigInt keeps all 64 bits exact.
 */
export function parseOvalInt(text: string): bigint | undefined {
  const m = /^\s*([+-]?\d+)$/.exec(text);
  if (!m?.[1]) return undefined;
  const v = BigInt(m[1]);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function parseFloatStrict(text: string): number | undefined {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function floatCompare(a: number, b: number): number {
  if (a === b) return 0;
  const err = Math.abs((a - b) / (Math.abs(a) > Math.abs(b) ? a : b));
  if (err <= 1e-9) return 0;
  return a > b ? 1 : -1;
}

function unsupported(datatype: string, op: string): never {
  throw new OvalEvalError(`operation "${op}" is not defined for datatype ${datatype}`);
}

export function compareValues(
  datatype: string,
  operation: string,
  collected: string,
  expected: string,
): OvalResult {
  switch (datatype) {
    case 'string':
      return compareString(operation, collected, expected);
    case 'int':
      return compareInt(operation, collected, expected);
    case 'boolean': {
      if (operation !== 'equals' && operation !== 'not equal') unsupported(datatype, operation);
      // oscap: exactly "true" or "1" is true, anything else is false (never an error).
      const a = collected === 'true' || collected === '1';
      const b = expected === 'true' || expected === '1';
      return bool(operation === 'equals' ? a === b : a !== b);
    }
    case 'float': {
      if (!ORDERING.has(operation) && operation !== 'equals' && operation !== 'not equal') {
        unsupported(datatype, operation);
      }
      // strtod on the whole string; equal within a relative 1e-9, as oscap compares doubles.
      const a = parseFloatStrict(collected);
      const b = parseFloatStrict(expected);
      if (a === undefined || b === undefined) return 'error';
      return ordered(operation, floatCompare(a, b));
    }
    case 'evr_string':
    case 'debian_evr_string':
    case 'version': {
      // oscap rejects pattern match on version types; so do we (the content is wrong, not the value).
      if (!ORDERING.has(operation) && operation !== 'equals' && operation !== 'not equal') {
        unsupported(datatype, operation);
      }
      const cmp =
        datatype === 'evr_string' ? evrCompare : datatype === 'version' ? versionCompare : debianEvrCompare;
      try {
        return ordered(operation, cmp(collected, expected));
      } catch (e) {
        // A malformed value is the value's fault, not the content's: an error result, not a throw.
        if (e instanceof OvalEvalError) return 'error';
        throw e;
      }
    }
    default:
      throw new OvalEvalError(`datatype ${datatype} is not supported`);
  }
}

function compareString(op: string, a: string, b: string): OvalResult {
  switch (op) {
    case 'equals':
      return bool(a === b);
    case 'not equal':
      return bool(a !== b);
    case 'case insensitive equals':
      return bool(a.toLowerCase() === b.toLowerCase());
    case 'case insensitive not equal':
      return bool(a.toLowerCase() !== b.toLowerCase());
    case 'pattern match':
      return patternMatch(a, b);
  }
  return unsupported('string', op);
}

function patternMatch(collected: string, pattern: string): OvalResult {
  // Translation errors propagate: an untranslatable pattern is a content construct we must name.
  return bool(compilePcre(pattern).test(collected));
}

function compareInt(op: string, collected: string, expected: string): OvalResult {
  const a = parseOvalInt(collected);
  const b = parseOvalInt(expected);
  if (op === 'bitwise and' || op === 'bitwise or') {
    if (a === undefined || b === undefined) return 'error';
    // Spec: true when every bit set in the state value is set (and) / when no other bit is set (or).
    return bool(op === 'bitwise and' ? (a & b) === b : (a | b) === b);
  }
  if (op !== 'equals' && op !== 'not equal' && !ORDERING.has(op)) unsupported('int', op);
  if (a === undefined || b === undefined) return 'error';
  return ordered(op, a < b ? -1 : a > b ? 1 : 0);
}
