/**
 * Terminal report: a header, one line per rule (failures first), the evidence of failures
 * indented underneath, and a summary. Plain ANSI codes, and only when asked, so the output is
 * safe to pipe into files and other tools.
 */
import { RESULT_STATUSES, type ResultStatus, type ScanResult, type Severity } from '../core/results.js';
import {
  describeCounts,
  describeEvidence,
  formatDuration,
  formatScore,
  orderForReport,
  redactSensitive,
} from './common.js';
import { escapeTerminal } from './escape.js';
import type { ReportOptions } from './options.js';

const RESET = '\u001b[0m';
const SGR = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
} as const;
type Style = keyof typeof SGR;

const STATUS_STYLE: Record<ResultStatus, Style[]> = {
  fail: ['bold', 'red'],
  error: ['bold', 'magenta'],
  unknown: ['yellow'],
  notchecked: ['yellow'],
  pass: ['green'],
  fixed: ['green'],
  informational: ['cyan'],
  notapplicable: ['dim'],
  notselected: ['dim'],
};

const SEVERITY_STYLE: Record<Severity, Style[]> = {
  high: ['bold', 'red'],
  medium: ['yellow'],
  low: ['cyan'],
  info: ['dim'],
  unknown: ['dim'],
};

/** Statuses whose message explains something the reader must act on or know. */
const EXPLAINED: ReadonlySet<ResultStatus> = new Set(['fail', 'error', 'unknown', 'notchecked']);

// Long ids would push titles off screen; past this width the title column just starts later.
const MAX_ID_COLUMN = 48;
const STATUS_COLUMN = Math.max(...RESULT_STATUSES.map((s) => s.length));
const SEVERITY_COLUMN = 8;
const INDENT = ' '.repeat(4);

export function renderTable(result: ScanResult, options: ReportOptions = {}): string {
  const scan = redactSensitive(result, options);
  // Padding is computed on the plain text, then colour wraps it, so columns stay aligned.
  const paint = (text: string, styles: readonly Style[]): string =>
    options.color && styles.length > 0 ? `${styles.map((s) => SGR[s]).join('')}${text}${RESET}` : text;
  const safe = escapeTerminal;

  const lines: string[] = [];
  const label = (name: string): string => paint(name.padEnd(9), ['bold']);

  lines.push(paint(`Vouch ${safe(scan.tool.version)} compliance scan`, ['bold']));
  const target = [scan.target.description, scan.target.hostname, scan.target.os]
    .filter((part): part is string => part !== undefined && part !== '')
    .map(safe)
    .join(' · ');
  lines.push(`${label('Target')}${target} [${safe(scan.target.kind)}]`);
  lines.push(
    `${label('Profile')}${scan.profile ? `${safe(scan.profile.id)} (${safe(scan.profile.title)})` : 'none (all selected rules)'}`,
  );
  lines.push(
    `${label('Time')}${safe(scan.startedAt)} → ${safe(scan.finishedAt)} (${formatDuration(scan.summary.timings.totalMs)})`,
  );
  lines.push('');

  const ordered = orderForReport(scan.results);
  const idWidth = Math.min(MAX_ID_COLUMN, Math.max(4, ...ordered.map((r) => r.ruleId.length)));
  if (ordered.length > 0) {
    lines.push(
      paint(
        `${'STATUS'.padEnd(STATUS_COLUMN)}  ${'SEVERITY'.padEnd(SEVERITY_COLUMN)}  ${'RULE'.padEnd(idWidth)}  TITLE`,
        ['bold'],
      ),
    );
  }
  for (const rule of ordered) {
    const status = paint(rule.status.padEnd(STATUS_COLUMN), STATUS_STYLE[rule.status] ?? []);
    const severity = paint(rule.severity.padEnd(SEVERITY_COLUMN), SEVERITY_STYLE[rule.severity] ?? []);
    lines.push(`${status}  ${severity}  ${safe(rule.ruleId).padEnd(idWidth)}  ${safe(rule.title)}`);
    if (!EXPLAINED.has(rule.status)) continue;
    if (rule.message !== '')
      lines.push(`${INDENT}${paint(safe(rule.message), rule.status === 'fail' ? [] : ['dim'])}`);
    for (const evidence of rule.evidence) lines.push(`${INDENT}- ${safe(describeEvidence(evidence))}`);
  }
  if (ordered.length > 0) lines.push('');

  const { summary } = scan;
  const counts = describeCounts(summary.counts, RESULT_STATUSES);
  const failed = summary.counts.fail ?? 0;
  lines.push(`${label('Summary')}${summary.total} rules: ${failed > 0 ? paint(counts, ['bold']) : counts}`);
  lines.push(
    `${label('Score')}default ${paint(formatScore(summary.score.default), ['bold'])}  flat ${formatScore(summary.score.flat)} (unweighted ${formatScore(summary.score.flatUnweighted)})`,
  );
  return `${lines.join('\n')}\n`;
}
