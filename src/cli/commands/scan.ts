/**
 * `vouch scan`: scan this machine (or a host over SSH, or an offline root directory) and print or
 * write the report.
 * Exit codes follow oscap: 0 nothing failed, 2 at least one rule failed, 1 error.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';
import { isReportFormat, REPORT_FORMATS, reportFormatForPath } from '../../outputs/formats.js';
import type { SshTargetOptions } from '../../targets/index.js';

export const EXIT_PASS = 0;
export const EXIT_ERROR = 1;
export const EXIT_FAIL = 2;

interface ScanFlags {
  root?: string;
  target?: string;
  sshKey?: string;
  sshKnownHosts?: string;
  sshInsecureAcceptNew?: boolean;
  sshSudo?: boolean;
  profile?: string;
  rule: string[];
  var: string[];
  format?: string;
  output?: string;
  content?: string;
  progress: boolean;
  color?: boolean;
  datastream?: string;
  store?: string;
  tailoring?: string;
  cpe?: string;
  benchmarkId?: string;
  engine?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The SSH target options, or undefined for a local/root scan; --ssh-* without --target is a mistake. */
function sshOptions(flags: ScanFlags): SshTargetOptions | undefined {
  if (flags.target === undefined) {
    const stray = (
      [
        ['--ssh-key', flags.sshKey],
        ['--ssh-known-hosts', flags.sshKnownHosts],
        ['--ssh-insecure-accept-new', flags.sshInsecureAcceptNew],
        ['--ssh-sudo', flags.sshSudo],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray)
      throw new VouchError('SSH_OPTION_WITHOUT_TARGET', `${stray[0]} needs --target ssh://user@host`);
    return undefined;
  }
  return {
    url: flags.target,
    ...(flags.sshKey !== undefined ? { privateKeyFile: flags.sshKey } : {}),
    ...(flags.sshKnownHosts !== undefined ? { knownHostsFile: flags.sshKnownHosts } : {}),
    acceptNewHostKey: flags.sshInsecureAcceptNew === true,
    sudo: flags.sshSudo === true,
  };
}

export function registerScanCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'scan this machine, a remote host over SSH, or an offline root filesystem, against a profile',
    )
    .option('--root <dir>', 'scan the root filesystem in DIR instead of this machine (offline)')
    .option('--target <url>', 'scan a remote host over SSH, agentless: ssh://user@host[:port]')
    .option(
      '--ssh-key <file>',
      'private key for --target (default: ssh-agent via SSH_AUTH_SOCK, else ~/.ssh/id_*)',
    )
    .option('--ssh-known-hosts <file>', 'known_hosts file for --target (default: ~/.ssh/known_hosts)')
    .option('--ssh-insecure-accept-new', 'trust and record the host key of a host seen for the first time')
    .option('--ssh-sudo', 'on --target, retry permission-denied reads and run commands with sudo -n')
    .option('--profile <id>', 'profile to evaluate (default: the one matching the target OS)')
    .option('--rule <id>', 'only rules matching this id or glob (repeatable)', collect, [])
    .option('--var <name=value>', 'override a variable (repeatable)', collect, [])
    .option(
      '--format <format>',
      `report format: ${REPORT_FORMATS.join('|')} (default: table, or from --output)`,
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--content <dir>', 'content directory (default: the built-in content)')
    .option('--datastream <file>', 'evaluate SCAP content (source data stream or XCCDF) natively')
    .option(
      '--store <dir>',
      'evaluate --profile from the rule store (vouch content import), its sensitive marks applied',
    )
    .option('--tailoring <file>', 'XCCDF tailoring file (with --datastream or --store)')
    .option('--benchmark-id <id>', 'benchmark of the data stream to evaluate (default: the first)')
    .option('--cpe <file>', 'CPE dictionary for a standalone XCCDF file (with --datastream), as oscap --cpe')
    .option(
      '--engine <engine>',
      'with --datastream: native (default), oscap (run the real oscap), hybrid (oscap only for what Vouch does not support)',
    )
    .option('--no-progress', 'no progress bar')
    .option('--color', 'force colours in the table output')
    .action(async (flags: ScanFlags) => {
      if (flags.store) {
        // Imported SCAP content: the stored data stream holding the profile (or the given one),
        // with the variables the user marked sensitive at import masked in every output.
        if (!flags.profile) throw new VouchError('BAD_OPTION', '--store needs --profile');
        const { openRuleStore } = await import('../../store/index.js');
        const { datastreamForProfile } = await import('../../store/locate.js');
        const located = await datastreamForProfile({
          store: flags.store,
          profile: flags.profile,
          tailoring: flags.tailoring,
          benchmarkId: flags.benchmarkId,
        });
        const store = await openRuleStore(flags.store);
        const sensitiveValueIds = new Set(
          store
            .variables(located.sourceId)
            .filter((v) => v.sensitive)
            .map((v) => v.id),
        );
        const { scapScanAction } = await import('./scan-scap.js');
        await scapScanAction(
          flags.datastream ?? located.datastream,
          { ...flags, ssh: sshOptions(flags), sensitiveValueIds },
          setExitCode,
        );
        return;
      }
      if (flags.datastream) {
        const { scapScanAction } = await import('./scan-scap.js');
        await scapScanAction(flags.datastream, { ...flags, ssh: sshOptions(flags) }, setExitCode);
        return;
      }
      if (flags.tailoring) {
        throw new VouchError('BAD_OPTION', '--tailoring needs --datastream');
      }
      if (flags.engine !== undefined && flags.engine !== 'native') {
        throw new VouchError(
          'BAD_OPTION',
          `--engine ${flags.engine} needs --datastream (Vouch's own rules run natively)`,
        );
      }
      const format =
        flags.format ?? (flags.output ? reportFormatForPath(flags.output) : undefined) ?? 'table';
      if (!isReportFormat(format)) {
        throw new VouchError(
          'UNKNOWN_REPORT_FORMAT',
          `--format ${format}: unknown format (known: ${REPORT_FORMATS.join(', ')})`,
        );
      }
      // The scan layers load on use, so `vouch --help` and SCAP scans do not pay for them.
      const [{ openScanSession, runSessionScan }, { renderReport }, { openTarget }, { createProgressBar }] =
        await Promise.all([
          import('../../scan/run-scan.js'),
          import('../../outputs/index.js'),
          import('../../targets/index.js'),
          import('../progress.js'),
        ]);
      const transport = await openTarget({ root: flags.root, ssh: sshOptions(flags) });
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
