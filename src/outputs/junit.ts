/**
 * JUnit XML report, for CI systems that already display test results (GitLab, Jenkins, Azure,
 * GitHub test reporters). One testcase per rule: fail -> <failure>, error/unknown -> <error>,
 * out-of-scope statuses -> <skipped>. One testsuite, or one per section when options.sections
 * maps rule ids to sections (the result model does not carry sections).
 */
import type { ResultStatus, RuleResult, ScanResult } from '../core/results.js';
import { describeEvidence, formatScore, orderForReport, redactSensitive } from './common.js';
import { escapeXmlAttr as attr, escapeXmlText as text } from './escape.js';
import type { ReportOptions } from './options.js';

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

const OUTCOME: Record<ResultStatus, Outcome> = {
  pass: 'passed',
  fixed: 'passed',
  informational: 'passed',
  fail: 'failure',
  error: 'error',
  // XCCDF "unknown" means the tool hit a problem it could not resolve: an error, not a skip,
  // so a CI gate does not wave it through.
  unknown: 'error',
  notapplicable: 'skipped',
  notchecked: 'skipped',
  notselected: 'skipped',
};

/** JUnit times are seconds with a decimal point. */
function seconds(ms: number): string {
  return (Number.isFinite(ms) ? ms / 1000 : 0).toFixed(3);
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

function tally(rules: readonly RuleResult[]): Tally {
  const t: Tally = { tests: rules.length, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
  for (const rule of rules) {
    const outcome = OUTCOME[rule.status] ?? 'error';
    if (outcome === 'failure') t.failures++;
    else if (outcome === 'error') t.errors++;
    else if (outcome === 'skipped') t.skipped++;
    t.timeMs += rule.durationMs;
  }
  return t;
}

function counters(t: Tally): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(t.timeMs)}"`;
}

/** Body of a failure/error element: what a CI log viewer shows when the case is opened. */
function detailText(rule: RuleResult): string {
  const lines = [`${rule.ruleId}: ${rule.title} (severity ${rule.severity})`];
  if (rule.message !== '') lines.push(rule.message);
  for (const evidence of rule.evidence) lines.push(`- ${describeEvidence(evidence)}`);
  const refs = Object.entries(rule.references)
    .filter(([, ids]) => ids.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([framework, ids]) => `${framework} ${ids.join(', ')}`);
  if (refs.length > 0) lines.push(`references: ${refs.join('; ')}`);
  return lines.join('\n');
}

function testcase(rule: RuleResult, classname: string): string {
  const open = `    <testcase name="${attr(rule.ruleId)}" classname="${attr(classname)}" time="${seconds(rule.durationMs)}"`;
  const message = rule.message === '' ? rule.status : rule.message;
  switch (OUTCOME[rule.status] ?? 'error') {
    case 'failure':
      return `${open}>\n      <failure message="${attr(message)}" type="${attr(rule.severity)}">${text(detailText(rule))}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${attr(message)}" type="${attr(rule.status)}">${text(detailText(rule))}</error>\n    </testcase>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${attr(`${rule.status}: ${message}`)}"/>\n    </testcase>`;
    default:
      return rule.status === 'informational' && rule.message !== ''
        ? `${open}>\n      <system-out>${text(rule.message)}</system-out>\n    </testcase>`
        : `${open}/>`;
  }
}

function property(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(value)}"/>`;
}

export function renderJunit(result: ScanResult, options: ReportOptions = {}): string {
  const scan = redactSensitive(result, options);
  const suiteDefault = scan.profile?.id ?? 'vouch';
  // Failures first inside each suite, matching the other reports.
  const groups = new Map<string, RuleResult[]>();
  for (const rule of orderForReport(scan.results)) {
    const suite = options.sections?.[rule.ruleId] ?? (options.sections ? 'other' : suiteDefault);
    const list = groups.get(suite) ?? [];
    list.push(rule);
    groups.set(suite, list);
  }

  const properties = [
    property('vouch.version', scan.tool.version),
    property('target.kind', scan.target.kind),
    property('target.description', scan.target.description),
    ...(scan.target.os ? [property('target.os', scan.target.os)] : []),
    property('profile', scan.profile ? `${scan.profile.id} (${scan.profile.title})` : 'none'),
    property('score.default', formatScore(scan.summary.score.default)),
    property('score.flat', formatScore(scan.summary.score.flat)),
    property('score.flatUnweighted', formatScore(scan.summary.score.flatUnweighted)),
  ];
  const hostname = scan.target.hostname ?? scan.target.description;

  const suites = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rules]) =>
      [
        `  <testsuite name="${attr(name)}" ${counters(tally(rules))} timestamp="${attr(scan.startedAt)}" hostname="${attr(hostname)}">`,
        '    <properties>',
        ...properties,
        '    </properties>',
        ...rules.map((rule) => testcase(rule, name)),
        '  </testsuite>',
      ].join('\n'),
    );

  const total = tally(scan.results);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`vouch ${suiteDefault}`)}" ${counters({ ...total, timeMs: scan.summary.timings.totalMs })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
