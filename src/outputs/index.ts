/**
 * Report writers. Each format is a pure function from a ScanResult to the report text; the CLI
 * decides where the text goes. Adding a format means one file and one line in `formatters`.
 */
import { VouchError } from '../core/errors.js';
import type { ScanResult } from '../core/results.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { ReportOptions } from './options.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export { SENSITIVE_MASK } from './common.js';
export type { Remediation, ReportOptions } from './options.js';
export { renderHtml, renderJson, renderJunit, renderSarif, renderTable };

export type Formatter = (result: ScanResult, options?: ReportOptions) => string;

export const REPORT_FORMATS = ['table', 'json', 'html', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const formatters: Readonly<Record<ReportFormat, Formatter>> = {
  table: renderTable,
  json: renderJson,
  html: renderHtml,
  junit: renderJunit,
  sarif: renderSarif,
};

/** Conventional file extension per format, for `--output` defaults and format inference. */
export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  table: '.txt',
  json: '.json',
  html: '.html',
  junit: '.xml',
  sarif: '.sarif',
};

export function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}

/** The format a file name implies (`report.sarif.json` -> sarif), or undefined. */
export function reportFormatForPath(path: string): ReportFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.sarif') || lower.endsWith('.sarif.json')) return 'sarif';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  if (lower.endsWith('.xml')) return 'junit';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.txt')) return 'table';
  return undefined;
}

/** Renders a report; an unknown format is a user error that lists the known ones. */
export function renderReport(format: string, result: ScanResult, options: ReportOptions = {}): string {
  if (!isReportFormat(format)) {
    throw new VouchError(
      'UNKNOWN_REPORT_FORMAT',
      `unknown report format "${format}" (known: ${REPORT_FORMATS.join(', ')})`,
    );
  }
  return formatters[format](result, options);
}
