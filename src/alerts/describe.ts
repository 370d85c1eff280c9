/**
 * Human-readable pieces shared by the text formats (Slack, email, PagerDuty summary), so every
 * channel words the same event the same way.
 */
import type { DriftEvent, DriftKind } from '../core/drift.js';
import type { Evidence } from '../core/results.js';

const KIND_LABELS: Record<DriftKind, string> = {
  drift: 'Drift',
  resolved: 'Resolved',
  error: 'Evaluation error',
  changed: 'Status changed',
};

export function kindLabel(kind: DriftKind): string {
  return KIND_LABELS[kind];
}

export function transitionLabel(event: DriftEvent): string {
  return `${event.previousStatus} -> ${event.status}`;
}

/** The host when known (what an operator logs into), else the target's own description. */
export function targetLabel(event: DriftEvent): string {
  return event.target.hostname ?? event.target.description;
}

/** Stable identity of the target for dedup keys: kind, host and description together. */
export function targetKey(event: DriftEvent): string {
  return `${event.target.kind}:${event.target.hostname ?? ''}:${event.target.description}`;
}

/** One line per evidence item: `resource:line: expected X, found Y (detail)`. */
export function evidenceLine(evidence: Evidence): string {
  const where = evidence.line === undefined ? evidence.resource : `${evidence.resource}:${evidence.line}`;
  const parts: string[] = [];
  if (evidence.expected !== undefined) parts.push(`expected ${evidence.expected}`);
  if (evidence.found !== undefined) parts.push(`found ${evidence.found}`);
  if (evidence.detail !== undefined) parts.push(evidence.detail);
  return `${evidence.source} ${where}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * At most `max` evidence lines plus a "…and N more" line: alert bodies stay readable and within
 * receiver limits, the full evidence travels in the webhook JSON.
 */
export function evidenceSummary(evidence: readonly Evidence[], max = 5): string[] {
  const lines = evidence.slice(0, max).map((e) => truncate(evidenceLine(e), 300));
  if (evidence.length > max) lines.push(`...and ${evidence.length - max} more`);
  return lines;
}

export function headline(event: DriftEvent): string {
  return `${kindLabel(event.kind)}: ${event.rule.title} (${event.rule.id}) on ${targetLabel(event)}`;
}

export function triggerLabel(event: DriftEvent): string {
  const items = [...event.trigger.paths, ...event.trigger.facts.map((f) => `fact ${f}`)];
  if (items.length === 0) return 'none recorded';
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 3))}...`;
}
