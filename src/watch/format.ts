/** One human-readable line per drift event, for `vouch watch` without --once-json. */
import type { DriftEvent } from '../core/drift.js';
import type { Evidence } from '../core/results.js';

const LABELS: Record<DriftEvent['kind'], string> = {
  drift: 'DRIFT',
  resolved: 'RESOLVED',
  error: 'ERROR',
  changed: 'CHANGED',
};

function evidenceText(evidence: Evidence): string {
  const where = evidence.line === undefined ? evidence.resource : `${evidence.resource}:${evidence.line}`;
  const found = evidence.found === undefined ? '' : ` found ${evidence.found}`;
  const expected = evidence.expected === undefined ? '' : ` (expected ${evidence.expected})`;
  return `${where}${found}${expected}`;
}

export function formatDriftLine(event: DriftEvent): string {
  const [first, ...rest] = event.evidence;
  const evidence = first ? ` [${evidenceText(first)}${rest.length > 0 ? ` +${rest.length} more` : ''}]` : '';
  return (
    `${event.timestamps.evaluatedAt} ${LABELS[event.kind]} ${event.rule.severity} ${event.rule.id}: ` +
    `${event.previousStatus} -> ${event.status}: ${event.message}${evidence}`
  );
}
