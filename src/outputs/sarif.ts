/**
 * SARIF 2.1.0 report, for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDEs).
 * Rules are listed in tool.driver.rules; only results that need action become SARIF results:
 * fail, and error/unknown (a control that could not be verified is reported, fail-closed).
 */
import { createHash } from 'node:crypto';
import type { Evidence, RuleResult, ScanResult, Severity } from '../core/results.js';
import { describeEvidence, orderForReport, redactReport } from './common.js';
import type { ReportOptions } from './options.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

/**
 * GitHub's `security-severity` scale (a CVSS-like string): >= 7.0 high, >= 4.0 medium, > 0 low.
 * `unknown` gets no value so dashboards do not invent one.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  high: '8.0',
  medium: '5.0',
  low: '3.0',
  info: '0.0',
  unknown: undefined,
};

type SarifLevel = 'error' | 'warning' | 'note';

const FAIL_LEVEL: Record<Severity, SarifLevel> = {
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'note',
  unknown: 'warning',
};

/** Statuses that become SARIF results. */
const REPORTED = new Set(['fail', 'error', 'unknown']);

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: { startLine: number };
  };
  logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: 'resource' }>;
}

/** `file:///etc/ssh/sshd_config` with each segment percent-encoded (spaces, `#`, `%` in names). */
export function fileUri(path: string): string {
  return `file://${encodePath(path)}`;
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * Evidence whose resource is an absolute path becomes a file location (with its line when
 * known); duplicates (same path and line) collapse.
 *
 * GitHub code scanning rejects a whole upload if one result has no location, and accepts only
 * file or relative URIs. So a result with no file evidence (a package, a sysctl key, a unit) gets
 * one relative pseudo-path, `<source>/<resource>` (`package/telnet`), or `rules/<ruleId>` when it
 * has no evidence at all, plus a logical location that names the resource plainly.
 */
export function sarifLocations(rule: RuleResult): SarifLocation[] {
  const seen = new Set<string>();
  const out: SarifLocation[] = [];
  for (const ev of rule.evidence) {
    if (!ev.resource.startsWith('/') || ev.resource.includes('\0')) continue;
    const line = ev.line !== undefined && Number.isInteger(ev.line) && ev.line >= 1 ? ev.line : undefined;
    const key = `${ev.resource}\0${line ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      physicalLocation: {
        artifactLocation: { uri: fileUri(ev.resource) },
        ...(line === undefined ? {} : { region: { startLine: line } }),
      },
    });
  }
  if (out.length > 0) return out;
  const first: Evidence | undefined = rule.evidence.find((ev) => ev.resource !== '');
  if (!first)
    return [{ physicalLocation: { artifactLocation: { uri: `rules/${encodePath(rule.ruleId)}` } } }];
  const pseudo = `${first.source}/${first.resource.replace(/^\/+/, '')}`;
  return [
    {
      physicalLocation: { artifactLocation: { uri: encodePath(pseudo) } },
      logicalLocations: [{ name: first.resource, fullyQualifiedName: pseudo, kind: 'resource' }],
    },
  ];
}

/**
 * Stable across scans of the same finding, so dashboards track one alert instead of opening a
 * new one per upload; GitHub cannot compute its own from files that are not in the repository.
 */
function fingerprint(rule: RuleResult, locations: readonly SarifLocation[]): string {
  const where = locations.map((l) => l.physicalLocation.artifactLocation.uri).join('\n');
  return createHash('sha256').update(`${rule.ruleId}\n${where}`).digest('hex').slice(0, 32);
}

function messageText(rule: RuleResult): string {
  const head = rule.status === 'fail' ? '' : `Evaluation ${rule.status}: `;
  const lines = [`${head}${rule.message === '' ? rule.title : rule.message}`];
  for (const evidence of rule.evidence) lines.push(`- ${describeEvidence(evidence)}`);
  return lines.join('\n');
}

function ruleDescriptor(rule: RuleResult, options: ReportOptions): Record<string, unknown> {
  const severity = SECURITY_SEVERITY[rule.severity];
  const references = Object.entries(rule.references)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([framework, ids]) => ids.map((id) => `${framework}:${id}`));
  const remediation = options.remediations?.[rule.ruleId];
  const help = [remediation?.manual, remediation?.bash ? `Shell:\n${remediation.bash}` : undefined]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('\n\n');
  return {
    id: rule.ruleId,
    name: rule.ruleId,
    shortDescription: { text: rule.title },
    ...(help === '' ? {} : { help: { text: help } }),
    defaultConfiguration: { level: FAIL_LEVEL[rule.severity] ?? 'warning' },
    properties: {
      ...(severity === undefined ? {} : { 'security-severity': severity }),
      severity: rule.severity,
      tags: ['compliance', 'security', ...references],
      check: `${rule.check.type}@${rule.check.version}`,
    },
  };
}

/**
 * GitHub treats everything before the last `/` as the upload category and replaces earlier
 * uploads of the same category: profile and target both belong in it, or scanning two images
 * with one profile would make each upload close the other's alerts.
 */
function automationId(scan: ScanResult): string {
  const slug = (text: string): string =>
    text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'default';
  const target = scan.target.hostname ?? scan.target.description;
  return `vouch/${slug(scan.profile?.id ?? 'default')}/${slug(target)}/`;
}

export function renderSarif(result: ScanResult, reportOptions: ReportOptions = {}): string {
  const { scan, options } = redactReport(result, reportOptions);
  // One descriptor per rule id, in scan order, so ruleIndex is stable for a given profile.
  const rules: RuleResult[] = [];
  const ruleIndex = new Map<string, number>();
  for (const rule of scan.results) {
    if (ruleIndex.has(rule.ruleId)) continue;
    ruleIndex.set(rule.ruleId, rules.length);
    rules.push(rule);
  }

  const results = orderForReport(scan.results)
    .filter((rule) => REPORTED.has(rule.status))
    .map((rule) => {
      const locations = sarifLocations(rule);
      return {
        ruleId: rule.ruleId,
        ruleIndex: ruleIndex.get(rule.ruleId) ?? 0,
        // kind "fail" for errors too: SARIF requires level "none" on any other kind, which
        // dashboards hide, and an unverified control must stay visible.
        kind: 'fail',
        level: rule.status === 'fail' ? (FAIL_LEVEL[rule.severity] ?? 'warning') : 'error',
        message: { text: messageText(rule) },
        locations,
        partialFingerprints: { 'vouchFinding/v1': fingerprint(rule, locations) },
        properties: { status: rule.status, severity: rule.severity },
      };
    });

  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'vouch',
            version: scan.tool.version,
            rules: rules.map((rule) => ruleDescriptor(rule, options)),
          },
        },
        automationDetails: { id: automationId(scan) },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: scan.startedAt,
            endTimeUtc: scan.finishedAt,
          },
        ],
        properties: {
          schema: scan.schema,
          target: scan.target,
          profile: scan.profile,
          score: scan.summary.score,
          counts: scan.summary.counts,
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
