/**
 * Report format names and file-name conventions, apart from the renderers so the CLI can list
 * them without loading every renderer.
 */

export const REPORT_FORMATS = ['table', 'json', 'html', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

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
