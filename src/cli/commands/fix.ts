/**
 * `vouch fix generate`: remediation scripts (bash or Ansible) from SCAP content, like
 * `oscap xccdf generate fix`, or from a Vouch scan result (its failed rules with --failed-only).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface FixFlags {
  datastream?: string;
  profile?: string;
  tailoring?: string;
  var: string[];
  sensitive: string[];
  scan?: string;
  failedOnly?: boolean;
  rule: string[];
  format: string;
  output?: string;
  benchmarkId?: string;
}

export function registerFixCommand(parent: Command): void {
  const fix = parent.command('fix').description('remediation scripts from SCAP content or a scan result');
  fix
    .command('generate')
    .description(
      'write a bash script or Ansible playbook that fixes the rules of a profile (as oscap xccdf generate fix)',
    )
    .option('--datastream <file>', 'SCAP source data stream (or XCCDF file) with the fixes')
    .option('--profile <id>', 'profile whose selected rules to fix (full or short id)')
    .option('--tailoring <file>', 'XCCDF tailoring file (its profiles and values apply)')
    .option('--var <name=value>', 'override an XCCDF Value (repeatable)', collect, [])
    .option(
      '--sensitive <name>',
      'treat this Value as sensitive: masked in the header, file written 0600 (repeatable)',
      collect,
      [],
    )
    .option(
      '--scan <result.json>',
      'a `vouch scan --datastream ... --format json` result: its profile and values',
    )
    .option('--failed-only', 'only the rules whose result in --scan is fail')
    .option('--rule <id>', 'only this rule (full or short id, repeatable)', collect, [])
    .option('--format <format>', 'bash or ansible', 'bash')
    .option('-o, --output <file>', 'write the script to FILE instead of stdout')
    .option('--benchmark-id <id>', 'benchmark of the data stream (default: the first)')
    .action(async (flags: FixFlags) => {
      const { isFixFormat, FIX_FORMATS } = await import('../../scap/remediation/fix-systems.js');
      if (!isFixFormat(flags.format)) {
        throw new VouchError(
          'UNKNOWN_FIX_FORMAT',
          `--format ${flags.format}: unknown fix format (known: ${FIX_FORMATS.join(', ')})`,
        );
      }
      const { generateFix } = await import('../../scap/remediation/generate.js');
      const { writeScript } = await import('../../scap/remediation/write-script.js');
      const result = await generateFix({
        format: flags.format,
        datastream: flags.datastream,
        profile: flags.profile,
        tailoring: flags.tailoring,
        vars: flags.var,
        sensitive: flags.sensitive,
        scan: flags.scan,
        failedOnly: flags.failedOnly === true,
        rules: flags.rule,
        benchmarkId: flags.benchmarkId,
      });
      for (const warning of result.warnings) process.stderr.write(`vouch: warning: ${warning}\n`);
      const { sensitiveUsed, rules } = result.plan;
      if (sensitiveUsed.length > 0) {
        process.stderr.write(
          `vouch: warning: the script contains the value of sensitive variable(s) ${sensitiveUsed.join(', ')}${flags.output ? `; ${flags.output} is written with mode 0600` : ''}\n`,
        );
      }
      if (flags.output) {
        await writeScript(flags.output, result.text, sensitiveUsed.length > 0);
        const missing = rules.filter((r) => !r.fix).length;
        process.stderr.write(
          `vouch: ${flags.format} fixes for ${rules.length - missing} of ${rules.length} rules written to ${flags.output}\n`,
        );
      } else {
        process.stdout.write(result.text);
      }
    });
}
