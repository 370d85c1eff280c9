/**
 * Helpers shared by the report writers: redaction, report ordering and small text formatting.
 */
import type { Evidence, ResultStatus, RuleResult, ScanResult, Severity } from '../core/results.js';
// The engine's mask, imported rather than copied so "already masked" is recognised exactly.
import { SENSITIVE_MASK } from '../core/rules/sensitive.js';
import type { ReportOptions } from './options.js';

export { SENSITIVE_MASK };

// A leaked value shorter than this cannot be told apart from ordinary text ("yes", "22"):
// scrubbing it everywhere would mangle the report without protecting much.
const MIN_SCRUB_LENGTH = 4;

/**
 * Masks every sensitive variable. If the engine let a value through unmasked, that value is also
 * replaced wherever it occurs in the report (messages, evidence) and in the remediation text
 * passed in options (a fix generator may have filled a `{{ var }}` placeholder with it).
 * Returns the result and options the writer must use instead of the ones it was given.
 */
export function redactReport(
  result: ScanResult,
  options: ReportOptions = {},
): { scan: ScanResult; options: ReportOptions } {
  const names = options.sensitiveVariables ?? [];
  if (names.length === 0) return { scan: result, options };
  const variables = { ...result.variables };
  const leaked = new Set<string>();
  for (const name of names) {
    if (!Object.hasOwn(variables, name)) continue;
    const value = variables[name];
    if (value === SENSITIVE_MASK) continue;
    if (typeof value === 'string' && value.length >= MIN_SCRUB_LENGTH) leaked.add(value);
    variables[name] = SENSITIVE_MASK;
  }
  const masked = { ...result, variables };
  if (leaked.size === 0) return { scan: masked, options };
  // Longest first so a secret containing another secret is replaced whole.
  const secrets = [...leaked].sort((a, b) => b.length - a.length);
  const scrub = (text: string): string =>
    secrets.reduce((acc, secret) => acc.split(secret).join(SENSITIVE_MASK), text);
  return {
    scan: deepMapStrings(masked, scrub) as ScanResult,
    options: options.remediations
      ? {
          ...options,
          remediations: deepMapStrings(options.remediations, scrub) as ReportOptions['remediations'],
        }
      : options,
  };
}

/** The scan result part of `redactReport`, for writers that take nothing else from options. */
export function redactSensitive(result: ScanResult, options: ReportOptions = {}): ScanResult {
  return redactReport(result, options).scan;
}

function deepMapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => deepMapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = deepMapStrings(item, map);
    return out;
  }
  return value;
}

/**
 * Report order of statuses: what needs action first (fail, then results that prove nothing),
 * then passes, then what was out of scope.
 */
export const STATUS_REPORT_ORDER: readonly ResultStatus[] = [
  'fail',
  'error',
  'unknown',
  'notchecked',
  'pass',
  'fixed',
  'informational',
  'notapplicable',
  'notselected',
];

/** Most severe first; `unknown` sits above `info` because it may hide anything. */
export const SEVERITY_REPORT_ORDER: readonly Severity[] = ['high', 'medium', 'low', 'unknown', 'info'];

function rank<T>(order: readonly T[], value: T): number {
  const index = order.indexOf(value);
  return index === -1 ? order.length : index;
}

/**
 * Results in report order: by status (failures first), then severity, then the engine's order.
 * Array.prototype.sort is stable, so equal keys keep the scan's order and output is deterministic.
 */
export function orderForReport(results: readonly RuleResult[]): RuleResult[] {
  return [...results].sort(
    (a, b) =>
      rank(STATUS_REPORT_ORDER, a.status) - rank(STATUS_REPORT_ORDER, b.status) ||
      rank(SEVERITY_REPORT_ORDER, a.severity) - rank(SEVERITY_REPORT_ORDER, b.severity),
  );
}

/** Scores are percentages; one decimal is enough to see movement without false precision. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(1) : 'n/a';
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `resource` or `resource:line`, the form editors and terminals make clickable. */
export function evidenceLocation(evidence: Evidence): string {
  return evidence.line === undefined ? evidence.resource : `${evidence.resource}:${evidence.line}`;
}

// Values are quoted only when they would otherwise blur into the sentence around them
// ("expected Authorized uses only., found ..."); short tokens like `no` or `0640` stay bare.
function quoteIfNeeded(value: string): string {
  return value === '' || /[\s,;"'\\]/.test(value) ? JSON.stringify(value) : value;
}

/** `expected X, found Y; detail` with the parts that are present. */
export function evidenceFindings(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.expected !== undefined) parts.push(`expected ${quoteIfNeeded(evidence.expected)}`);
  if (evidence.found !== undefined) parts.push(`found ${quoteIfNeeded(evidence.found)}`);
  const findings = parts.join(', ');
  if (evidence.detail === undefined || evidence.detail === '') return findings;
  return findings === '' ? evidence.detail : `${findings}; ${evidence.detail}`;
}

/** One line per piece of evidence: `[source] resource:line: expected X, found Y`. */
export function describeEvidence(evidence: Evidence): string {
  const findings = evidenceFindings(evidence);
  const where = `[${evidence.source}] ${evidenceLocation(evidence)}`;
  return findings === '' ? where : `${where}: ${findings}`;
}

/** Non-zero status counts in the canonical (XCCDF) order, e.g. `3 pass, 1 fail`. */
export function describeCounts(
  counts: Readonly<Partial<Record<ResultStatus, number>>>,
  statuses: readonly ResultStatus[],
): string {
  const parts = statuses.filter((status) => (counts[status] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length === 0 ? 'no results' : parts.join(', ');
}
