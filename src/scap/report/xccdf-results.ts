/**
 * `oscap xccdf eval --results`: the Benchmark, copied verbatim from the source, with the TestResult
 * appended as its last child.
 *
 * oscap re-serialises the Benchmark from its in-memory model; Vouch copies the source text instead
 * (same content, the source's own formatting and prefixes; namespace declarations inherited from the
 * data stream are added to the Benchmark's start tag so the copy stands alone).
 */
import { basename } from 'node:path';
import { VouchError } from '../../core/errors.js';
import type { XccdfRun } from '../results/model.js';
import { benchmarkContext, componentText, type ReportSource } from './source-text.js';
import { writeTestResult } from './test-result.js';
import { XmlWriter } from './xml-writer.js';

export interface WriterOptions {
  /** `@test-system` CPE; default `cpe:/a:vouch:vouch`. */
  testSystem?: string;
  /** The user the scan ran as (`<identity>`), when known. */
  identity?: { name: string; authenticated: boolean; privileged: boolean };
  /** Value ids marked sensitive beyond the name heuristic (e.g. by the rule store); written masked. */
  sensitiveValueIds?: ReadonlySet<string>;
}

export const DEFAULT_TEST_SYSTEM = 'cpe:/a:vouch:vouch';

export function writeXccdfResults(run: XccdfRun, report: ReportSource, options: WriterOptions = {}): string {
  const ctx = benchmarkContext(report.source, run.benchmarkId);
  const benchmark = componentText(report, ctx.componentId);
  const close = benchmark.lastIndexOf('</');
  if (close < 0) {
    throw new VouchError('SCAP_REPORT', `${report.source.path}: Benchmark ${run.benchmarkId} has no content`);
  }
  const w = new XmlWriter('  ', 1);
  writeTestResult(w, run, {
    benchmarkHref: basename(report.source.path),
    benchmarkVersion: ctx.benchmark.version,
    declareNamespace: true,
    testSystem: options.testSystem ?? DEFAULT_TEST_SYSTEM,
    identity: options.identity,
    ...(options.sensitiveValueIds ? { sensitiveValueIds: options.sensitiveValueIds } : {}),
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${benchmark.slice(0, close).trimEnd()}\n${w.toString()}${benchmark.slice(close)}\n`;
}
