/**
 * OVAL 5.11 result algebra: the six result values, the operator tables (criteria, state_operator,
 * state `operator`) and the check tables (test `check`, `entity_check`, `var_check`).
 *
 * The tables follow the OVAL 5.11 OperatorEnumeration / CheckEnumeration definitions. Where the spec
 * leaves a case open, we do what oscap 1.3.7 does, because Vouch must agree with oscap rule for rule:
 * - an empty set of results is `unknown` (the spec tables have no row for it);
 * - a set made only of `not applicable` is `not applicable` for every operator and check.
 */
import type { OvalCheck, OvalOperator } from '../model/oval.js';

export type OvalResult = 'true' | 'false' | 'error' | 'unknown' | 'not evaluated' | 'not applicable';

export const OVAL_RESULTS: readonly OvalResult[] = [
  'true',
  'false',
  'error',
  'unknown',
  'not evaluated',
  'not applicable',
];

export function isOvalResult(value: unknown): value is OvalResult {
  return typeof value === 'string' && (OVAL_RESULTS as readonly string[]).includes(value);
}

/** How many of each result a set holds; the tables are defined on these counts, not on order. */
export interface ResultCounts {
  t: number;
  f: number;
  e: number;
  u: number;
  ne: number;
  na: number;
}

export function countResults(results: Iterable<OvalResult>): ResultCounts {
  const c: ResultCounts = { t: 0, f: 0, e: 0, u: 0, ne: 0, na: 0 };
  for (const r of results) {
    if (r === 'true') c.t++;
    else if (r === 'false') c.f++;
    else if (r === 'error') c.e++;
    else if (r === 'unknown') c.u++;
    else if (r === 'not evaluated') c.ne++;
    else c.na++;
  }
  return c;
}

/** Cases every table shares: nothing at all, or nothing but `not applicable` (which the tables ignore). */
function degenerate(c: ResultCounts): OvalResult | undefined {
  const applicable = c.t + c.f + c.e + c.u + c.ne;
  if (applicable === 0) return c.na > 0 ? 'not applicable' : 'unknown';
  return undefined;
}

/** The "everything undecided" tail shared by the tables: error beats unknown beats not evaluated. */
function undecided(c: ResultCounts): OvalResult {
  if (c.e > 0) return 'error';
  if (c.u > 0) return 'unknown';
  if (c.ne > 0) return 'not evaluated';
  // Unreachable for a consistent table; oscap's fall-through value is error.
  return 'error';
}

export function combineByOperator(op: OvalOperator, results: Iterable<OvalResult>): OvalResult {
  const c = countResults(results);
  const d = degenerate(c);
  if (d) return d;
  switch (op) {
    case 'AND':
      // One false decides AND whatever the undecided members are.
      if (c.f > 0) return 'false';
      if (c.e + c.u + c.ne === 0) return 'true';
      return undecided(c);
    case 'OR':
      // One true decides OR whatever the undecided members are.
      if (c.t > 0) return 'true';
      if (c.e + c.u + c.ne === 0) return 'false';
      return undecided(c);
    case 'ONE':
      // Two trues decide ONE (false); otherwise any undecided member could be the one true.
      if (c.t >= 2) return 'false';
      if (c.e + c.u + c.ne === 0) return c.t === 1 ? 'true' : 'false';
      return undecided(c);
    case 'XOR':
      // Parity needs every member decided.
      if (c.e + c.u + c.ne === 0) return c.t % 2 === 1 ? 'true' : 'false';
      return undecided(c);
  }
}

/**
 * CheckEnumeration: `all` = AND, `at least one` = OR, `only one` = ONE, `none satisfy` = NOR
 * (true iff nothing is true and nothing is undecided). The deprecated `none exist` is read as
 * `none satisfy`, as the spec (and oscap) say.
 */
export function combineByCheck(check: OvalCheck | string, results: Iterable<OvalResult>): OvalResult {
  switch (check) {
    case 'all':
      return combineByOperator('AND', results);
    case 'at least one':
      return combineByOperator('OR', results);
    case 'only one':
      return combineByOperator('ONE', results);
    case 'none satisfy':
    case 'none exist':
      return negate(combineByOperator('OR', results));
    default:
      throw new OvalEvalError(`unsupported check "${check}"`);
  }
}

/** negate="true" swaps true and false; the undecided results and not applicable pass through. */
export function negate(result: OvalResult): OvalResult {
  if (result === 'true') return 'false';
  if (result === 'false') return 'true';
  return result;
}

/** A construct the evaluator does not (or cannot) handle; callers turn it into an `error` result. */
export class OvalEvalError extends Error {
  override name = 'OvalEvalError';
}
