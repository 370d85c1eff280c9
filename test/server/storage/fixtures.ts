/** Test data for the storage contract: a deterministic clock and ScanResults of any size. */
import {
  RESULT_STATUSES,
  type ResultStatus,
  type RuleResult,
  SCAN_RESULT_SCHEMA,
  type ScanResult,
  SEVERITIES,
  type StatusCounts,
} from '../../../src/core/results.js';

/** A clock that ticks one second per reading, from a fixed start: timestamps are predictable. */
export function steppingClock(start = Date.parse('2026-01-01T00:00:00.000Z')): () => Date {
  let t = start;
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

export function ruleResult(i: number): RuleResult {
  const status: ResultStatus = i % 3 === 0 ? 'fail' : i % 7 === 0 ? 'notapplicable' : 'pass';
  return {
    ruleId: `rule_${String(i).padStart(4, '0')}`,
    title: `Rule ${i} — ünïcode ✓`,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    status,
    message: status === 'fail' ? `found ${i}, expected 0` : 'ok',
    evidence: [
      { source: 'file', resource: '/etc/ssh/sshd_config', line: i + 1, expected: 'no', found: 'yes' },
      { source: 'package', resource: 'openssh-server', detail: `"quoted" \\ back\nslash ${i}` },
    ],
    references: { cis: [`5.2.${i}`], nist: ['AC-17', 'CM-6'] },
    durationMs: i / 10,
    check: { type: 'file_line', version: 1 },
  };
}

export function scanResult(count: number, score = 72.5): ScanResult {
  const results = Array.from({ length: count }, (_, i) => ruleResult(i));
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of results) counts[r.status]++;
  return {
    schema: SCAN_RESULT_SCHEMA,
    tool: { name: 'vouch', version: '0.1.0' },
    target: { kind: 'root', description: 'fixture' },
    profile: { id: 'cis_level1_server', title: 'CIS Level 1 Server' },
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:00:02.500Z',
    variables: {},
    summary: {
      total: count,
      counts,
      score: { default: score, flat: score, flatUnweighted: score },
      factsCollected: 10,
      factsFromCache: 0,
      timings: { loadMs: 1, planMs: 1, collectMs: 2, evaluateMs: 3, totalMs: 7 },
    },
    results,
  };
}
