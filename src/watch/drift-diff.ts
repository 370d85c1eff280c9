/**
 * Comparing a rescan's results with the baseline: one DriftEvent per rule whose status changed.
 * A changed message or evidence under the same status is not drift (a failing rule that fails for
 * one more file stays one open problem); the new result becomes the baseline either way.
 */
import { createHash } from 'node:crypto';
import { type DriftEvent, driftKind } from '../core/drift.js';
import type { RuleResult } from '../core/results.js';

export interface DiffContext {
  target: DriftEvent['target'];
  changeSeenAt: Date;
  evaluatedAt: Date;
  /** What triggered the re-evaluation of this rule. */
  trigger: (ruleId: string) => DriftEvent['trigger'];
}

export function diffResults(
  baseline: Map<string, RuleResult>,
  results: readonly RuleResult[],
  context: DiffContext,
): DriftEvent[] {
  const events: DriftEvent[] = [];
  const evaluatedAt = context.evaluatedAt.toISOString();
  for (const result of results) {
    const previous = baseline.get(result.ruleId);
    baseline.set(result.ruleId, result);
    if (!previous || previous.status === result.status) continue;
    events.push({
      id: eventId(context.target.description, result.ruleId, previous.status, result.status, evaluatedAt),
      kind: driftKind(previous.status, result.status),
      target: context.target,
      rule: {
        id: result.ruleId,
        title: result.title,
        severity: result.severity,
        references: result.references,
      },
      previousStatus: previous.status,
      status: result.status,
      message: result.message,
      evidence: result.evidence,
      trigger: context.trigger(result.ruleId),
      timestamps: { changeSeenAt: context.changeSeenAt.toISOString(), evaluatedAt },
    });
  }
  return events;
}

/** The dedupe key the DriftEvent type documents: target + rule + transition + evaluatedAt. */
function eventId(target: string, ruleId: string, from: string, to: string, evaluatedAt: string): string {
  return createHash('sha256')
    .update(JSON.stringify([target, ruleId, from, to, evaluatedAt]))
    .digest('hex')
    .slice(0, 32);
}
