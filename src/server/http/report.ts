/**
 * Reports of stored scans. The database keeps the scan's summary and every rule result, which is
 * what the report writers (src/outputs) need; the document is rebuilt from them so the API
 * renders exactly the formats `vouch scan` writes. Not stored, hence not in server reports: the
 * variables in effect and the target's OS string.
 */
import { SCAN_RESULT_SCHEMA, type ScanResult } from '../../core/results.js';
import { renderReport } from '../../outputs/index.js';
import { TOOL_VERSION } from '../../scan/run-scan.js';
import type { Storage } from '../storage/index.js';
import type { Scan, Target } from '../storage/types.js';
import type { ContentCatalogue } from './content.js';
import { HttpError } from './errors.js';

export const REPORT_CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  junit: 'application/xml; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
} as const;
export type ServerReportFormat = keyof typeof REPORT_CONTENT_TYPES;

export async function storedScanResult(
  storage: Storage,
  content: ContentCatalogue,
  scan: Scan,
  target: Target | undefined,
): Promise<ScanResult> {
  if (scan.status !== 'completed' || scan.summary === null) {
    throw new HttpError(
      409,
      'not_ready',
      `scan ${scan.id} is ${scan.status}: reports exist for completed scans`,
    );
  }
  const results: ScanResult['results'] = [];
  let cursor: string | null = null;
  do {
    const page = await storage.results.listForScan(scan.id, { cursor, limit: 500 });
    for (const r of page.items) {
      results.push({
        ruleId: r.ruleId,
        title: r.title,
        severity: r.severity,
        status: r.status,
        message: r.message,
        evidence: r.evidence,
        references: r.references,
        durationMs: r.durationMs,
        check: r.check,
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  const catalogue = await content.content();
  const profile = scan.profileId === null ? undefined : catalogue.profiles.get(scan.profileId);
  return {
    schema: SCAN_RESULT_SCHEMA,
    tool: { name: 'vouch', version: TOOL_VERSION },
    target: { kind: target?.kind ?? 'host', description: target?.name ?? scan.targetId },
    profile: scan.profileId === null ? null : { id: scan.profileId, title: profile?.title ?? scan.profileId },
    startedAt: scan.startedAt ?? scan.createdAt,
    finishedAt: scan.finishedAt ?? scan.createdAt,
    variables: {},
    summary: scan.summary as ScanResult['summary'],
    results,
  };
}

export async function renderStoredReport(
  format: ServerReportFormat,
  result: ScanResult,
  content: ContentCatalogue,
): Promise<string> {
  const catalogue = await content.content();
  const remediations = Object.fromEntries(catalogue.rules.map((r) => [r.id, r.remediation]));
  const sections = Object.fromEntries(catalogue.rules.map((r) => [r.id, r.section]));
  return renderReport(format, result, {
    sensitiveVariables: await content.sensitiveNames(),
    remediations,
    sections,
  });
}
