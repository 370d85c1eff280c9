/**
 * Per-channel event filters. Every condition must hold; an absent condition matches everything, so
 * a channel without a filter receives every event.
 */
import picomatch from 'picomatch';
import type { DriftEvent, DriftKind } from '../core/drift.js';
import { SEVERITIES, type Severity } from '../core/results.js';

export interface FilterSpec {
  /** Lowest rule severity delivered. SEVERITIES order: unknown < info < low < medium < high. */
  minSeverity?: Severity;
  /** Rule id globs; an event must match one `include` (when given) and no `exclude`. */
  rules?: { include?: string[]; exclude?: string[] };
  /** Target labels that must all be present; values are globs (`role: web-*`). */
  labels?: Record<string, string>;
  kinds?: DriftKind[];
}

export type EventFilter = (event: DriftEvent) => boolean;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function compileFilter(spec: FilterSpec | undefined): EventFilter {
  if (!spec) return () => true;
  const checks: EventFilter[] = [];
  if (spec.minSeverity !== undefined) {
    const min = severityRank(spec.minSeverity);
    checks.push((e) => severityRank(e.rule.severity) >= min);
  }
  const include = spec.rules?.include ?? [];
  if (include.length > 0) {
    const match = picomatch(include, { dot: true });
    checks.push((e) => match(e.rule.id));
  }
  const exclude = spec.rules?.exclude ?? [];
  if (exclude.length > 0) {
    const match = picomatch(exclude, { dot: true });
    checks.push((e) => !match(e.rule.id));
  }
  for (const [key, pattern] of Object.entries(spec.labels ?? {})) {
    const match = picomatch(pattern, { dot: true });
    checks.push((e) => {
      const value = e.target.labels?.[key];
      return value !== undefined && match(value);
    });
  }
  if (spec.kinds !== undefined) {
    const kinds = new Set(spec.kinds);
    checks.push((e) => kinds.has(e.kind));
  }
  return (event) => checks.every((check) => check(event));
}
