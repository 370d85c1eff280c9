import { describe, expect, it } from 'vitest';
import { LEAKED_SECRET, leakyScanResult, SENSITIVE, sampleResults, sampleScanResult } from './fixtures.js';
import { fileUri, renderSarif, SARIF_SCHEMA } from './sarif.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  message: { text: string };
  locations?: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
  }>;
  properties: { status: string; severity: string };
  partialFingerprints: Record<string, string>;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  help?: { text: string };
  properties: { 'security-severity'?: string; tags: string[] };
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    invocations: Array<{ executionSuccessful: boolean; startTimeUtc: string }>;
    results: SarifResult[];
  }>;
}

function parse(text: string): SarifLog['runs'][number] & { log: SarifLog } {
  const log = JSON.parse(text) as SarifLog;
  expect(log.runs).toHaveLength(1);
  return { ...log.runs[0]!, log };
}

describe('sarif report', () => {
  const scan = sampleScanResult();
  const run = parse(
    renderSarif(scan, {
      remediations: {
        'sshd-permit-root-login-disabled': { manual: 'Set PermitRootLogin no.', bash: 'sed -i …' },
      },
    }),
  );
  const byRule = (id: string) => run.results.find((r) => r.ruleId === id);

  it('is a SARIF 2.1.0 log from the vouch driver', () => {
    expect(run.log.$schema).toBe(SARIF_SCHEMA);
    expect(run.log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'vouch', version: '0.1.0' });
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: true, startTimeUtc: scan.startedAt });
    expect(run.automationDetails.id).toBe('vouch/cis-debian12-level1-server/web-01/');
  });

  it('describes every rule once, with security-severity from its severity', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(scan.results.map((r) => r.ruleId));
    const severityOf = (id: string) => rules.find((r) => r.id === id)?.properties['security-severity'];
    expect(severityOf('sshd-permit-root-login-disabled')).toBe('8.0');
    expect(severityOf('sysctl-ip-forward-disabled')).toBe('5.0');
    expect(severityOf('file-etc-shadow-permissions')).toBe('3.0');
    expect(severityOf('login-banner-set')).toBe('0.0');
    const ssh = rules.find((r) => r.id === 'sshd-permit-root-login-disabled');
    expect(ssh?.shortDescription.text).toBe('SSH server refuses root login');
    expect(ssh?.properties.tags).toContain('disa-stig:V-238218');
    expect(ssh?.help?.text).toContain('Set PermitRootLogin no.');
  });

  it('reports fail and error results only, failures first', () => {
    expect(run.results.map((r) => [r.ruleId, r.properties.status])).toEqual([
      ['sshd-permit-root-login-disabled', 'fail'],
      ['sysctl-ip-forward-disabled', 'fail'],
      ['file-etc-shadow-permissions', 'fail'],
      ['login-banner-set', 'fail'],
      ['pam-faillock-configured', 'error'],
    ]);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(result.kind).toBe('fail');
    }
  });

  it('maps severity to level; errors are level error', () => {
    expect(Object.fromEntries(run.results.map((r) => [r.ruleId, r.level]))).toEqual({
      'sshd-permit-root-login-disabled': 'error',
      'sysctl-ip-forward-disabled': 'warning',
      'file-etc-shadow-permissions': 'warning',
      'login-banner-set': 'note',
      'pam-faillock-configured': 'error',
    });
    expect(byRule('pam-faillock-configured')?.message.text).toMatch(/^Evaluation error: cannot parse/);
  });

  it('locates findings in files, with the line when known', () => {
    expect(byRule('sshd-permit-root-login-disabled')?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'file:///etc/ssh/sshd_config' },
          region: { startLine: 14 },
        },
      },
      {
        physicalLocation: {
          artifactLocation: { uri: 'file:///etc/ssh/sshd_config.d/50%20cloud%20init.conf' },
          region: { startLine: 3 },
        },
      },
    ]);
    // A sysctl key is not a path: only the sysctl.d file is a location, the key stays in the text.
    const sysctl = byRule('sysctl-ip-forward-disabled');
    expect(sysctl?.locations?.map((l) => l.physicalLocation.artifactLocation.uri)).toEqual([
      'file:///etc/sysctl.d/99-custom.conf',
    ]);
    expect(sysctl?.message.text).toContain('[sysctl] net.ipv4.ip_forward: expected 0, found 1');
    // No line known: no region.
    expect(byRule('file-etc-shadow-permissions')?.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'file:///etc/shadow' } } },
    ]);
  });

  it('gives every result a location, as GitHub requires, even without file evidence', () => {
    const results = [
      ...sampleResults(),
      {
        ...sampleResults()[3]!,
        ruleId: 'package-rsh-absent',
        status: 'fail' as const,
        evidence: [{ source: 'package', resource: 'rsh-client', expected: 'absent', found: '0.17-24' }],
      },
      { ...sampleResults()[5]!, ruleId: 'audit-rules-loaded', evidence: [] },
    ];
    const out = parse(renderSarif(sampleScanResult({ results })));
    for (const result of out.results) expect(result.locations?.length, result.ruleId).toBeGreaterThan(0);
    const pkg = out.results.find((r) => r.ruleId === 'package-rsh-absent');
    expect(pkg?.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'package/rsh-client' } },
        logicalLocations: [
          { name: 'rsh-client', fullyQualifiedName: 'package/rsh-client', kind: 'resource' },
        ],
      },
    ]);
    expect(out.results.find((r) => r.ruleId === 'audit-rules-loaded')?.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'rules/audit-rules-loaded' } } },
    ]);
  });

  it('fingerprints findings stably across scans', () => {
    const again = parse(renderSarif(sampleScanResult({ startedAt: '2026-11-26T01:00:00.000Z' })));
    const prints = run.results.map((r) => r.partialFingerprints['vouchFinding/v1']);
    expect(again.results.map((r) => r.partialFingerprints['vouchFinding/v1'])).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
    for (const print of prints) expect(print).toMatch(/^[0-9a-f]{32}$/);
  });

  it('encodes file URIs', () => {
    expect(fileUri('/srv/a b/#1%.conf')).toBe('file:///srv/a%20b/%231%25.conf');
  });

  it('never prints a sensitive value', () => {
    const out = renderSarif(leakyScanResult(), {
      sensitiveVariables: SENSITIVE,
      remediations: { 'grub-password-set': { manual: `Set the hash to ${LEAKED_SECRET}.` } },
    });
    expect(out).not.toContain(LEAKED_SECRET);
    expect(parse(out).results.map((r) => r.ruleId)).toContain('grub-password-set');
    expect(parse(out).tool.driver.rules.find((r) => r.id === 'grub-password-set')?.help?.text).toBe(
      'Set the hash to ********.',
    );
  });
});
