/**
 * The result model. Statuses use the XCCDF 1.2 vocabulary so SCAP exports map one to one.
 */

export const RESULT_STATUSES = [
  'pass',
  'fail',
  'error',
  'unknown',
  'notapplicable',
  'notchecked',
  'notselected',
  'informational',
  'fixed',
] as const;

export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const SEVERITIES = ['unknown', 'info', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * One piece of evidence: what was read, what was expected, what was found.
 * `resource` names the file, package, account, unit or key involved so a reader can act on it.
 */
export interface Evidence {
  /** Kind of thing read: file, package, account, group, sysctl, service, module, mount, command, walk… */
  source: string;
  /** The file path, package name, account name, unit, sysctl key… */
  resource: string;
  /** 1-based line in `resource` where the finding is, when it is a file. */
  line?: number;
  expected?: string;
  found?: string;
  /** Free-form detail, e.g. the offending line's text. */
  detail?: string;
}

/** What a check type's evaluate function returns. */
export interface CheckOutcome {
  status: ResultStatus;
  message: string;
  evidence: Evidence[];
}

export interface RuleResult {
  ruleId: string;
  title: string;
  severity: Severity;
  status: ResultStatus;
  message: string;
  evidence: Evidence[];
  /** References (framework -> control ids), copied from the rule for reports. */
  references: Record<string, string[]>;
  /** Evaluation time in ms (collection time is per fact, in the scan's timing). */
  durationMs: number;
  /** Check type id and version that produced this result. */
  check: { type: string; version: number };
}

export type StatusCounts = Record<ResultStatus, number>;

export interface ScoreSet {
  /** XCCDF default (hierarchical) model, 0-100, over the groups of the rule set. */
  default: number;
  /** Weighted share of passes among pass+fail rules, 0-100. */
  flat: number;
  /** Unweighted share of passes among pass+fail rules, 0-100. */
  flatUnweighted: number;
}

export interface PhaseTimings {
  loadMs: number;
  planMs: number;
  collectMs: number;
  evaluateMs: number;
  totalMs: number;
}

/** Result-format version; bump the major on breaking changes (docs/result-format.md). */
export const SCAN_RESULT_SCHEMA = 'vouch.scan-result/v1';

export interface ScanResult {
  schema: typeof SCAN_RESULT_SCHEMA;
  tool: { name: 'vouch'; version: string };
  target: { kind: string; description: string; hostname?: string; os?: string };
  profile: { id: string; title: string } | null;
  startedAt: string;
  finishedAt: string;
  /** Variables in effect (sensitive ones shown as "********"). */
  variables: Record<string, string | number | boolean>;
  summary: {
    total: number;
    counts: StatusCounts;
    score: ScoreSet;
    factsCollected: number;
    factsFromCache: number;
    timings: PhaseTimings;
  };
  results: RuleResult[];
}
