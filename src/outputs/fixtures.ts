/**
 * A realistic scan result for the report writers' tests: every kind of status a Debian server
 * scan produces, file evidence with lines, non-file evidence, hostile text, and a sensitive
 * variable. Kept out of *.test.ts so every format's test shares one picture of a scan.
 */
import {
  RESULT_STATUSES,
  type RuleResult,
  SCAN_RESULT_SCHEMA,
  type ScanResult,
  type StatusCounts,
} from '../core/results.js';

export const HOSTILE_MESSAGE = 'Banner is <script>alert("x")</script> & friends';
export const LEAKED_SECRET = 'grub.pbkdf2.sha512.10000.S3CR3T';

function rule(partial: Partial<RuleResult> & Pick<RuleResult, 'ruleId' | 'status'>): RuleResult {
  return {
    title: partial.ruleId,
    severity: 'medium',
    message: '',
    evidence: [],
    references: {},
    durationMs: 0.4,
    check: { type: 'config-value', version: 1 },
    ...partial,
  };
}

export function sampleResults(): RuleResult[] {
  return [
    rule({
      ruleId: 'sshd-max-auth-tries',
      title: 'SSH server limits authentication attempts',
      status: 'pass',
      message: 'MaxAuthTries is 4 (<= 4)',
      evidence: [
        { source: 'file', resource: '/etc/ssh/sshd_config', line: 21, expected: '<= 4', found: '4' },
      ],
      references: { 'cis-debian12': ['5.1.16'] },
    }),
    rule({
      ruleId: 'sysctl-ip-forward-disabled',
      title: 'IPv4 forwarding is disabled',
      severity: 'medium',
      status: 'fail',
      message: 'net.ipv4.ip_forward is 1, expected 0',
      evidence: [
        { source: 'sysctl', resource: 'net.ipv4.ip_forward', expected: '0', found: '1' },
        {
          source: 'file',
          resource: '/etc/sysctl.d/99-custom.conf',
          line: 2,
          found: '1',
          detail: 'net.ipv4.ip_forward = 1',
        },
      ],
      references: { 'nist-800-53': ['CM-7'], 'cis-debian12': ['3.3.1'] },
      check: { type: 'sysctl', version: 1 },
    }),
    rule({
      ruleId: 'sshd-permit-root-login-disabled',
      title: 'SSH server refuses root login',
      severity: 'high',
      status: 'fail',
      message: 'PermitRootLogin is yes, expected no',
      evidence: [
        { source: 'file', resource: '/etc/ssh/sshd_config', line: 14, expected: 'no', found: 'yes' },
        {
          source: 'file',
          resource: '/etc/ssh/sshd_config.d/50 cloud init.conf',
          line: 3,
          found: 'yes',
          detail: 'PermitRootLogin yes',
        },
      ],
      references: { 'cis-debian12': ['5.1.20'], 'disa-stig': ['V-238218'] },
    }),
    rule({
      ruleId: 'package-telnet-absent',
      title: 'telnet is not installed',
      severity: 'high',
      status: 'pass',
      message: 'telnet is not installed',
      evidence: [{ source: 'package', resource: 'telnet', expected: 'absent', found: 'absent' }],
      check: { type: 'package', version: 1 },
    }),
    rule({
      ruleId: 'file-etc-shadow-permissions',
      title: '/etc/shadow is not world-readable',
      severity: 'low',
      status: 'fail',
      message: 'mode 0644 is more permissive than 0640',
      evidence: [{ source: 'file', resource: '/etc/shadow', expected: 'mode 0640', found: 'mode 0644' }],
      check: { type: 'file', version: 1 },
    }),
    rule({
      ruleId: 'pam-faillock-configured',
      title: 'Failed logins lock the account',
      status: 'error',
      message: 'cannot parse /etc/pam.d/common-auth: line 7: unknown control "requird"',
      evidence: [
        { source: 'file', resource: '/etc/pam.d/common-auth', line: 7, detail: 'auth requird pam_unix.so' },
      ],
      check: { type: 'pam', version: 1 },
    }),
    rule({
      ruleId: 'login-banner-set',
      title: 'A login banner is shown',
      severity: 'info',
      status: 'fail',
      message: HOSTILE_MESSAGE,
      evidence: [
        {
          source: 'file',
          resource: '/etc/issue.net',
          line: 1,
          expected: 'Authorized uses only.',
          found: 'Welcome "guest" & <b>friends</b>\u001b[31mRED\u0007',
        },
      ],
      check: { type: 'file-content', version: 1 },
    }),
    rule({
      ruleId: 'service-avahi-disabled',
      title: 'Avahi is disabled',
      status: 'notchecked',
      message: 'runtime state is unknown on an offline root filesystem',
      check: { type: 'service', version: 1 },
    }),
    rule({
      ruleId: 'mount-tmp-separate',
      title: '/tmp is a separate filesystem',
      severity: 'low',
      status: 'notapplicable',
      message: 'platform is a container image',
      check: { type: 'mount', version: 1 },
    }),
    rule({
      ruleId: 'fs-query-suid-review',
      title: 'SUID binaries are reviewed',
      severity: 'info',
      status: 'informational',
      message: '2 SUID binaries found',
      evidence: [
        { source: 'walk', resource: '/usr/bin/passwd', detail: 'mode 4755' },
        { source: 'walk', resource: '/usr/bin/su', detail: 'mode 4755' },
      ],
      check: { type: 'fs-query', version: 1 },
    }),
    rule({
      ruleId: 'grub-password-set',
      title: 'The boot loader requires a password',
      severity: 'high',
      status: 'notselected',
      check: { type: 'file-content', version: 1 },
    }),
  ];
}

export function countStatuses(results: readonly RuleResult[]): StatusCounts {
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of results) counts[r.status]++;
  return counts;
}

export function sampleScanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  const results = overrides.results ?? sampleResults();
  return {
    schema: SCAN_RESULT_SCHEMA,
    tool: { name: 'vouch', version: '0.1.0' },
    target: {
      kind: 'local',
      description: 'local host',
      hostname: 'web-01',
      os: 'Debian GNU/Linux 12 (bookworm)',
    },
    profile: { id: 'cis-debian12-level1-server', title: 'CIS-style Debian 12 server, level 1' },
    startedAt: '2026-11-25T23:00:00.000Z',
    finishedAt: '2026-11-25T23:00:04.210Z',
    variables: {
      sshd_max_auth_tries: 4,
      banner_text: 'Authorized uses only.',
      grub_password_hash: '********',
    },
    summary: {
      total: results.length,
      counts: countStatuses(results),
      score: { default: 72.54, flat: 61.1, flatUnweighted: 57.14 },
      factsCollected: 37,
      factsFromCache: 5,
      timings: { loadMs: 40, planMs: 3, collectMs: 4100, evaluateMs: 12, totalMs: 4210 },
    },
    results,
    ...overrides,
  };
}

/**
 * A result where the engine failed to mask a sensitive variable and a check echoed the value:
 * the writers must still never print it.
 */
export function leakyScanResult(): ScanResult {
  const results = sampleResults().map((r) =>
    r.ruleId === 'grub-password-set'
      ? {
          ...r,
          status: 'fail' as const,
          message: `password hash differs from ${LEAKED_SECRET}`,
          evidence: [{ source: 'file', resource: '/boot/grub/grub.cfg', line: 12, expected: LEAKED_SECRET }],
        }
      : r,
  );
  const base = sampleScanResult({ results });
  return { ...base, variables: { ...base.variables, grub_password_hash: LEAKED_SECRET } };
}

export const SENSITIVE = ['grub_password_hash'] as const;
