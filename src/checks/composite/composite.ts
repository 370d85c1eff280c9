/**
 * The composites `all`, `any` and `none`, one implementation. Indeterminate children combine as in
 * XCCDF/OVAL: a definite answer (a fail for `all`, a pass for `any`/`none`) wins over error,
 * unknown and notchecked; notapplicable children are left out; all-notapplicable is notapplicable.
 */
import { z } from 'zod';
import { type CheckRef, defineCheckType } from '../../core/checks/check-type.js';
import type { CheckOutcome, Evidence, ResultStatus } from '../../core/results.js';
import { outcome } from '../common/outcome.js';

const childSchema = z.object({ type: z.string().min(1), spec: z.unknown().default({}) }).strict();

const spec = z.object({ checks: z.array(childSchema).min(1) }).strict();

type Kind = 'all' | 'any' | 'none';

/** Indeterminate statuses, strongest first. */
const INDETERMINATE: ResultStatus[] = ['error', 'unknown', 'notchecked'];

function childEvidence(ref: CheckRef, result: CheckOutcome): Evidence[] {
  return result.evidence.length > 0
    ? result.evidence
    : [{ source: 'check', resource: ref.type, found: result.status, detail: result.message }];
}

/** The children's messages for one status, each once (alternatives often fail for the same reason). */
function summary(refs: readonly CheckRef[], results: readonly CheckOutcome[], status: ResultStatus): string {
  const parts = results
    .map((r, i) => (r.status === status ? `${refs[i]?.type}: ${r.message.replace(/\.$/, '')}` : ''))
    .filter((x) => x !== '');
  return [...new Set(parts)].join('; ');
}

/** Evidence items, each once. */
function unique(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = JSON.stringify([
      item.source,
      item.resource,
      item.line,
      item.expected,
      item.found,
      item.detail,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function defineComposite(kind: Kind) {
  const description = {
    all: 'Passes when every nested check passes.',
    any: 'Passes when at least one nested check passes.',
    none: 'Passes when no nested check passes.',
  }[kind];
  return defineCheckType({
    id: kind,
    version: 1,
    description,
    spec,
    facts: (s, nestedFacts) => s.checks.flatMap((child) => nestedFacts(child as CheckRef)),
    evaluate(s, ctx): CheckOutcome {
      const refs = s.checks as CheckRef[];
      const results = refs.map((ref) => ctx.evaluateNested(ref));
      const count = (status: ResultStatus) => results.filter((r) => r.status === status).length;
      // Informational children carry no verdict of their own; they count as satisfied.
      const passed = results.map((r) => r.status === 'pass' || r.status === 'informational');
      const evidenceOf = (pick: (r: CheckOutcome, i: number) => boolean) =>
        unique(
          refs.flatMap((ref, i) =>
            pick(results[i] as CheckOutcome, i) ? childEvidence(ref, results[i] as CheckOutcome) : [],
          ),
        );
      const indeterminate = INDETERMINATE.find((status) => count(status) > 0);
      const relevant = results.filter((r) => r.status !== 'notapplicable').length;
      const n = refs.length;

      if (kind === 'all') {
        if (count('fail') > 0) {
          return outcome(
            'fail',
            `${count('fail')} of ${n} required checks failed: ${summary(refs, results, 'fail')}.`,
            evidenceOf((r) => r.status === 'fail'),
          );
        }
        if (indeterminate)
          return outcome(
            indeterminate,
            `${count(indeterminate)} of ${n} checks could not be decided: ${summary(refs, results, indeterminate)}.`,
            evidenceOf((r) => r.status === indeterminate),
          );
        if (relevant === 0) return outcome('notapplicable', `None of the ${n} checks applies.`, []);
        return outcome(
          'pass',
          `All ${relevant} applicable checks passed.`,
          evidenceOf((_r, i) => passed[i] === true),
        );
      }

      const anyPassed = passed.some(Boolean);
      if (anyPassed) {
        const winners = evidenceOf((_r, i) => passed[i] === true);
        const which = refs.filter((_r, i) => passed[i]).length;
        if (kind === 'any') {
          const first = results.find((_r, i) => passed[i] === true);
          const why = first ? `${first.message.replace(/\.$/, '')} ` : '';
          return outcome('pass', `${why}(${which} of ${n} alternatives passed).`, winners);
        }
        return outcome(
          'fail',
          `${which} of ${n} checks that must not pass did pass: ${summary(refs, results, 'pass')}.`,
          winners,
        );
      }
      if (indeterminate)
        return outcome(
          indeterminate,
          `${count(indeterminate)} of ${n} checks could not be decided: ${summary(refs, results, indeterminate)}.`,
          evidenceOf((r) => r.status === indeterminate),
        );
      if (relevant === 0) return outcome('notapplicable', `None of the ${n} checks applies.`, []);
      if (kind === 'any') {
        return outcome(
          'fail',
          `None of the ${n} alternatives passed: ${summary(refs, results, 'fail')}.`,
          evidenceOf((r) => r.status === 'fail'),
        );
      }
      return outcome(
        'pass',
        `None of the ${relevant} applicable checks passed.`,
        evidenceOf((r) => r.status === 'fail'),
      );
    },
  });
}
