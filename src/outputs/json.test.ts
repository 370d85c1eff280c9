import { describe, expect, it } from 'vitest';
import { RESULT_STATUSES, SCAN_RESULT_SCHEMA, type ScanResult } from '../core/results.js';
import { SENSITIVE_MASK } from './common.js';
import { LEAKED_SECRET, leakyScanResult, SENSITIVE, sampleScanResult } from './fixtures.js';
import { renderJson } from './json.js';

/** Rebuilds every object with its keys in reverse insertion order. */
function shuffleKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(shuffleKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, shuffleKeys(v)]),
    ) as T;
  }
  return value;
}

describe('json report', () => {
  it('round-trips the scan result', () => {
    const scan = sampleScanResult();
    const parsed = JSON.parse(renderJson(scan)) as ScanResult;
    expect(parsed).toEqual(scan);
    expect(parsed.schema).toBe(SCAN_RESULT_SCHEMA);
    expect(parsed.results).toHaveLength(11);
    expect(parsed.summary.counts.fail).toBe(4);
  });

  it('writes keys in a fixed order whatever order the engine built them in', () => {
    const scan = sampleScanResult();
    const text = renderJson(scan);
    expect(renderJson(shuffleKeys(scan))).toBe(text);
    const parsed = JSON.parse(text) as Record<string, unknown> & ScanResult;
    expect(Object.keys(parsed)).toEqual([
      'schema',
      'tool',
      'target',
      'profile',
      'startedAt',
      'finishedAt',
      'variables',
      'summary',
      'results',
    ]);
    expect(Object.keys(parsed.summary.counts)).toEqual([...RESULT_STATUSES]);
    expect(Object.keys(parsed.results[0] ?? {})).toEqual([
      'ruleId',
      'title',
      'severity',
      'status',
      'message',
      'evidence',
      'references',
      'durationMs',
      'check',
    ]);
    // Maps are sorted so diffs between scans stay line-aligned.
    expect(Object.keys(parsed.variables)).toEqual([
      'banner_text',
      'grub_password_hash',
      'sshd_max_auth_tries',
    ]);
    expect(Object.keys(parsed.results[1]?.references ?? {})).toEqual(['cis-debian12', 'nist-800-53']);
  });

  it('keeps the engine result order (consumers key on ruleId)', () => {
    const scan = sampleScanResult();
    const parsed = JSON.parse(renderJson(scan)) as ScanResult;
    expect(parsed.results.map((r) => r.ruleId)).toEqual(scan.results.map((r) => r.ruleId));
  });

  it('uses a 2-space indent and ends with a newline', () => {
    const text = renderJson(sampleScanResult());
    expect(text.split('\n')[1]).toBe(`  "schema": "${SCAN_RESULT_SCHEMA}",`);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('keeps fields it does not know (additive changes reach consumers)', () => {
    const scan = { ...sampleScanResult(), zExtra: { b: 1, a: 2 } } as ScanResult;
    const parsed = JSON.parse(renderJson(scan)) as Record<string, unknown>;
    expect(Object.keys(parsed).at(-1)).toBe('zExtra');
    expect(Object.keys(parsed.zExtra as object)).toEqual(['a', 'b']);
  });

  it('never prints the value of a sensitive variable, even when the engine leaked it', () => {
    const text = renderJson(leakyScanResult(), { sensitiveVariables: SENSITIVE });
    expect(text).not.toContain(LEAKED_SECRET);
    const parsed = JSON.parse(text) as ScanResult;
    expect(parsed.variables.grub_password_hash).toBe(SENSITIVE_MASK);
    const grub = parsed.results.find((r) => r.ruleId === 'grub-password-set');
    expect(grub?.message).toBe(`password hash differs from ${SENSITIVE_MASK}`);
    expect(grub?.evidence[0]?.expected).toBe(SENSITIVE_MASK);
    // Non-sensitive variables are untouched.
    expect(parsed.variables.sshd_max_auth_tries).toBe(4);
  });

  it('leaves an already masked result unchanged', () => {
    const scan = sampleScanResult();
    expect(renderJson(scan, { sensitiveVariables: SENSITIVE })).toBe(renderJson(scan));
  });
});
