/**
 * Assembles the versioned ScanResult document from an engine scan.
 */
import {
  RESULT_STATUSES,
  type ResultStatus,
  SCAN_RESULT_SCHEMA,
  type ScanResult,
  type StatusCounts,
} from '../results.js';
import type { Rule } from '../rules/rule.js';
import { SENSITIVE_MASK, type VariableDefinition, type VariableValue } from '../rules/variables.js';
import type { EngineScan } from './scan-engine.js';
import { computeScores } from './scoring.js';

export interface BuildScanResultInput {
  scan: EngineScan;
  rules: readonly Rule[];
  toolVersion: string;
  target: ScanResult['target'];
  profile: ScanResult['profile'];
  variables: ReadonlyMap<string, VariableValue>;
  definitions: ReadonlyMap<string, VariableDefinition>;
  startedAt: Date;
  finishedAt: Date;
  loadMs: number;
}

export function countStatuses(statuses: Iterable<ResultStatus>): StatusCounts {
  const counts = Object.fromEntries(RESULT_STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const status of statuses) counts[status]++;
  return counts;
}

/** Variable values for display: sensitive ones are masked, here, once, for every output. */
export function displayVariables(
  values: ReadonlyMap<string, VariableValue>,
  definitions: ReadonlyMap<string, VariableDefinition>,
): Record<string, VariableValue> {
  const shown: Record<string, VariableValue> = {};
  for (const [name, value] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
    shown[name] = definitions.get(name)?.sensitive ? SENSITIVE_MASK : value;
  }
  return shown;
}

export function buildScanResult(input: BuildScanResultInput): ScanResult {
  const rulesById = new Map(input.rules.map((rule) => [rule.id, rule]));
  const { results, stats } = input.scan;
  const timings = {
    loadMs: round(input.loadMs),
    planMs: round(stats.timings.planMs),
    collectMs: round(stats.timings.collectMs),
    evaluateMs: round(stats.timings.evaluateMs),
    totalMs: round(input.finishedAt.getTime() - input.startedAt.getTime()),
  };
  return {
    schema: SCAN_RESULT_SCHEMA,
    tool: { name: 'vouch', version: input.toolVersion },
    target: input.target,
    profile: input.profile,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    variables: displayVariables(input.variables, input.definitions),
    summary: {
      total: results.length,
      counts: countStatuses(results.map((result) => result.status)),
      score: computeScores(
        results.map((result) => {
          const rule = rulesById.get(result.ruleId);
          return { status: result.status, weight: rule?.weight ?? 1, group: rule?.section ?? '' };
        }),
      ),
      factsCollected: stats.factsCollected,
      factsFromCache: stats.factsFromCache,
      timings,
    },
    results,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
