/**
 * The writers copy the Benchmark, the OVAL definitions and the whole data stream verbatim from the
 * source file, using the element offsets the parser recorded (ScapSource.span, Component.span).
 * The text is read again here rather than kept in memory through the whole scan.
 */
import { readFile } from 'node:fs/promises';
import { VouchError } from '../../core/errors.js';
import { type BenchmarkContext, benchmarksOf } from '../datastream/resolve.js';
import type { ScapSource } from '../model/datastream.js';
import { detachedElementText, type SourceSpan } from '../xml/xml-tree.js';

/** A parsed source together with the text it was parsed from. */
export interface ReportSource {
  source: ScapSource;
  text: string;
}

/** Reads the source file again (decoded as the parser decoded it: UTF-8, BOM kept). */
export async function loadReportSource(source: ScapSource): Promise<ReportSource> {
  try {
    return { source, text: await readFile(source.path, 'utf8') };
  } catch (error) {
    throw new VouchError('CONTENT_NOT_FOUND', `${source.path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function benchmarkContext(source: ScapSource, benchmarkId: string): BenchmarkContext {
  const ctx = benchmarksOf(source).find((c) => c.benchmark.id === benchmarkId);
  if (!ctx) throw new VouchError('SCAP_REPORT', `${source.path}: no Benchmark ${benchmarkId} in this source`);
  return ctx;
}

/** A component's root element as standalone XML text. */
export function componentText(report: ReportSource, componentId: string): string {
  const component = report.source.components.get(componentId);
  return spanText(report, component?.span, `component ${componentId}`);
}

export function spanText(report: ReportSource, span: SourceSpan | undefined, what: string): string {
  if (!span) {
    throw new VouchError('SCAP_REPORT', `${report.source.path}: no source position recorded for ${what}`);
  }
  return detachedElementText(report.text, span, report.source.path);
}
