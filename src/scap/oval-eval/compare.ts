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

/** xsd:integer; BigInt so 64-bit values (inode numbers, sizes) compare exactly. */
export function parseOvalInt(text: string): bigint | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  return BigInt(t);
}

function parseOvalBoolean(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
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
      const a = parseOvalBoolean(collected);
      const b = parseOvalBoolean(expected);
      if (a === undefined || b === undefined) return 'error';
      return bool(operation === 'equals' ? a === b : a !== b);
    }
    case 'float': {
      if (!ORDERING.has(operation) && operation !== 'equals' && operation !== 'not equal') {
        unsupported(datatype, operation);
      }
      const a = Number(collected.trim());
      const b = Number(expected.trim());
      if (collected.trim() === '' || expected.trim() === '' || Number.isNaN(a) || Number.isNaN(b)) {
        return 'error';
      }
      return ordered(operation, a < b ? -1 : a > b ? 1 : 0);
    }
    case 'evr_string':
    case 'debian_evr_string':
    case 'version': {
      if (operation === 'pattern match') return patternMatch(collected, expected);
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
  if (op === 'pattern match') return patternMatch(collected, expected);
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
