/**
 * Small builders for check outcomes, plus the one place that maps a fact that is not `ok` to a
 * verdict, so every check type reports unavailable and broken facts the same way.
 */

import type { EvaluateContext } from '../../core/checks/check-type.js';
import type { FactKind, FactRequestOf } from '../../core/facts/fact-request.js';
import type { FactResult } from '../../core/facts/fact-result.js';
import type { FactValue } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence, ResultStatus } from '../../core/results.js';

export function outcome(status: ResultStatus, message: string, evidence: Evidence[] = []): CheckOutcome {
  return { status, message, evidence };
}

export const pass = (message: string, evidence: Evidence[] = []): CheckOutcome =>
  outcome('pass', message, evidence);
export const fail = (message: string, evidence: Evidence[]): CheckOutcome =>
  outcome('fail', message, evidence);
export const notApplicable = (message: string, evidence: Evidence[] = []): CheckOutcome =>
  outcome('notapplicable', message, evidence);
export const notChecked = (message: string, evidence: Evidence[] = []): CheckOutcome =>
  outcome('notchecked', message, evidence);
export const errorOutcome = (message: string, evidence: Evidence[] = []): CheckOutcome =>
  outcome('error', message, evidence);

/** Describes a request for messages: `packages`, `file-text /etc/fstab`, … */
export function describeRequest(request: { kind: string } & Record<string, unknown>): string {
  const detail =
    request.path ??
    request.unit ??
    request.key ??
    (Array.isArray(request.argv) ? request.argv.join(' ') : undefined);
  if (Array.isArray(request.dirs))
    return `${request.kind} ${request.dirs.join(', ')}/${String(request.pattern)}`;
  return detail === undefined ? request.kind : `${request.kind} ${String(detail)}`;
}

/** Maps an unavailable fact to notchecked and a broken one to error; an ok fact maps to null. */
export function factProblem(result: FactResult, what: string): CheckOutcome | null {
  if (result.status === 'unavailable') return notChecked(`Cannot check ${what}: ${sentence(result.reason)}`);
  if (result.status === 'error') return errorOutcome(`Could not read ${what}: ${sentence(result.message)}`);
  return null;
}

/** Collector text as the end of one sentence: single line, exactly one final period. */
export function sentence(text: string): string {
  return `${text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '')}.`;
}

export type Got<K extends FactKind> =
  | { value: FactValue<K>; problem?: undefined }
  | { value?: undefined; problem: CheckOutcome };

/** Reads a fact and hands back its value, or the outcome to return when it is not usable. */
export function readFact<K extends FactKind>(
  ctx: EvaluateContext,
  request: FactRequestOf<K>,
  what?: string,
): Got<K> {
  const result = ctx.facts.get(request);
  if (result.status === 'ok') return { value: result.value };
  return { problem: factProblem(result, what ?? describeRequest(request as never)) as CheckOutcome };
}

/** Like readFact, but "cannot be known here" is a value (undefined) for facts with a documented fallback. */
export function readOptionalFact<K extends FactKind>(
  ctx: EvaluateContext,
  request: FactRequestOf<K>,
  what?: string,
): { value: FactValue<K> | undefined; reason?: string; problem?: CheckOutcome } {
  const result = ctx.facts.get(request);
  if (result.status === 'ok') return { value: result.value };
  if (result.status === 'unavailable') return { value: undefined, reason: result.reason };
  return {
    value: undefined,
    problem: factProblem(result, what ?? describeRequest(request as never)) as CheckOutcome,
  };
}

/** Joins a list for messages: `a, b and c`. */
export function listText(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
