/**
 * `vouch scan --datastream FILE`: native evaluation of SCAP content. Output formats: Vouch's own
 * (table, json, html, junit, sarif) and the SCAP ones oscap writes (xccdf = XCCDF 1.2 results,
 * arf = ARF 1.1 with OVAL results).
 */
import { writeFile } from 'node:fs/promises';
import { VouchError } from '../../core/errors.js';
import { isReportFormat, REPORT_FORMATS, reportFormatForPath } from '../../outputs/formats.js';
import { runScapScan } from '../../scan/run-scap-scan.js';
import { ENGINES, type Engine } from '../../scap/oscap-engine/engines.js';
import { openTarget, type SshTargetOptions } from '../../targets/index.js';

const SCAP_FORMATS = ['xccdf', 'arf'] as const;

export interface ScapScanFlags {
  root?: string;
  profile?: string;
  rule: string[];
  var: string[];
  format?: string;
  output?: string;
  tailoring?: string;
  cpe?: string;
  benchmarkId?: string;
  color?: boolean;
  /** `--engine native|oscap|hybrid` (default native). */
  engine?: string;
  /** `--target ssh://…`: evaluate the content on a remote host over SSH. */
  ssh?: SshTargetOptions | undefined;
  /** Value ids marked sensitive in the rule store (`--store`), masked like secret-named ones. */
  sensitiveValueIds?: ReadonlySet<string> | undefined;
}

export async function scapScanAction(
  datastream: string,
  flags: ScapScanFlags,
  setExitCode: (code: number) => void,
): Promise<void> {
  const format = flags.format ?? (flags.output ? formatForPath(flags.output) : undefined) ?? 'table';
  const scap = (SCAP_FORMATS as readonly string[]).includes(format);
  if (!scap && !isReportFormat(format)) {
    throw new VouchError(
      'UNKNOWN_REPORT_FORMAT',
      `--format ${format}: unknown format (known: ${[...REPORT_FORMATS, ...SCAP_FORMATS].join(', ')})`,
    );
  }
  const engine = flags.engine ?? 'native';
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new VouchError('BAD_OPTION', `--engine ${engine}: unknown engine (known: ${ENGINES.join(', ')})`);
  }
  // With --engine oscap nothing is read through a Vouch transport: oscap reads the target itself.
  const transport = engine === 'oscap' ? undefined : await openTarget({ root: flags.root, ssh: flags.ssh });
  try {
    const scan = await runScapScan({
      transport,
      engine: engine as Engine,
      oscapTarget: { root: flags.root, ssh: flags.ssh },
      // --engine oscap --format arf|xccdf hands over oscap's own document.
      keepOscapDocuments: engine === 'oscap' && scap,
      datastream,
      profile: flags.profile,
      tailoring: flags.tailoring,
      cpe: flags.cpe,
      vars: flags.var,
      rules: flags.rule,
      benchmarkId: flags.benchmarkId,
      sensitiveValueIds: flags.sensitiveValueIds,
    });
    let report: string;
    if ((format === 'xccdf' || format === 'arf') && scan.oscapDocuments) {
      report = format === 'xccdf' ? scan.oscapDocuments.xccdf : scan.oscapDocuments.arf;
    } else if (format === 'xccdf' || format === 'arf') {
      const { loadReportSource, writeArf, writeXccdfResults } = await import('../../scap/report/index.js');
      const source = await loadReportSource(scan.source);
      const masks = flags.sensitiveValueIds ? { sensitiveValueIds: flags.sensitiveValueIds } : {};
      report =
        format === 'xccdf'
          ? writeXccdfResults(scan.evaluation.run, source, masks)
          : writeArf(scan.evaluation.run, source, masks);
    } else if (isReportFormat(format)) {
      const { renderReport } = await import('../../outputs/index.js');
      report = renderReport(format, scan.result, {
        color: flags.color ?? (format === 'table' && !flags.output && process.stdout.isTTY === true),
        sensitiveVariables: [],
        remediations: {},
        sections: {},
      });
    } else {
      throw new VouchError('UNKNOWN_REPORT_FORMAT', `--format ${format}: unknown format`);
    }
    if (flags.output) {
      await writeFile(flags.output, report);
      process.stderr.write(`vouch: report written to ${flags.output}\n`);
    } else {
      process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
    }
    // oscap's exit codes: 2 when a rule failed, 0 otherwise.
    setExitCode(scan.result.summary.counts.fail > 0 ? 2 : 0);
  } finally {
    await transport?.close();
  }
}

function formatForPath(path: string): string | undefined {
  if (/\.arf\.xml$|-arf\.xml$/i.test(path)) return 'arf';
  if (/\.xml$/i.test(path)) return 'xccdf';
  return reportFormatForPath(path);
}
