/**
 * `vouch scan`: scan this machine (or an offline root directory) and print or write the report.
 * Exit codes follow oscap: 0 nothing failed, 2 at least one rule failed, 1 error.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';
import { isReportFormat, REPORT_FORMATS, renderReport, reportFormatForPath } from '../../outputs/index.js';
import { openScanSession, runSessionScan } from '../../scan/run-scan.js';
import { openTarget } from '../../targets/index.js';
import { createProgressBar } from '../progress.js';

export const EXIT_PASS = 0;
export const EXIT_ERROR = 1;
export const EXIT_FAIL = 2;

interface ScanFlags {
  root?: string;
  profile?: string;
  rule: string[];
  var: string[];
  format?: string;
  output?: string;
  content?: string;
  progress: boolean;
  color?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerScanCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('scan')
    .description('scan this machine, or an offline root filesystem, against a profile')
    .option('--root <dir>', 'scan the root filesystem in DIR instead of this machine (offline)')
    .option('--profile <id>', 'profile to evaluate (default: the one matching the target OS)')
    .option('--rule <id>', 'only rules matching this id or glob (repeatable)', collect, [])
    .option('--var <name=value>', 'override a variable (repeatable)', collect, [])
    .option(
      '--format <format>',
      `report format: ${REPORT_FORMATS.join('|')} (default: table, or from --output)`,
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--content <dir>', 'content directory (default: the built-in content)')
    .option('--no-progress', 'no progress bar')
    .option('--color', 'force colours in the table output')
    .action(async (flags: ScanFlags) => {
      const format =
        flags.format ?? (flags.output ? reportFormatForPath(flags.output) : undefined) ?? 'table';
      if (!isReportFormat(format)) {
        throw new VouchError(
          'UNKNOWN_REPORT_FORMAT',
          `--format ${format}: unknown format (known: ${REPORT_FORMATS.join(', ')})`,
        );
      }
      const transport = await openTarget({ root: flags.root });
      const progress = flags.progress ? createProgressBar(process.stderr) : { update() {}, done() {} };
      try {
        const session = await openScanSession({
          transport,
          contentDir: flags.content,
          profile: flags.profile,
          rules: flags.rule,
          vars: flags.var,
          onProgress: (p) => progress.update(p),
        });
        const { result } = await runSessionScan(session);
        progress.done();
        const report = renderReport(format, result, {
          color: flags.color ?? (format === 'table' && !flags.output && process.stdout.isTTY === true),
          sensitiveVariables: [...session.content.variables.values()]
            .filter((v) => v.sensitive)
            .map((v) => v.name),
          remediations: Object.fromEntries(session.selected.map((rule) => [rule.id, rule.remediation])),
          sections: Object.fromEntries(session.selected.map((rule) => [rule.id, rule.section])),
        });
        if (flags.output) {
          await writeFile(flags.output, report);
          process.stderr.write(`vouch: report written to ${flags.output}\n`);
        } else {
          process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
        }
        const failed = result.summary.counts.fail > 0;
        setExitCode(failed ? EXIT_FAIL : EXIT_PASS);
      } finally {
        progress.done();
        await transport.close();
      }
    });
}
