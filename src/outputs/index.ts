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

import { isReportFormat, REPORT_FORMATS, type ReportFormat } from './formats.js';

export {
  isReportFormat,
  REPORT_EXTENSIONS,
  REPORT_FORMATS,
  type ReportFormat,
  reportFormatForPath,
} from './formats.js';

export type Formatter = (result: ScanResult, options?: ReportOptions) => string;

export const formatters: Readonly<Record<ReportFormat, Formatter>> = {
  table: renderTable,
  json: renderJson,
  html: renderHtml,
  junit: renderJunit,
  sarif: renderSarif,
};

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
