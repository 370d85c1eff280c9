/**
 * `vouch tailor`: write an XCCDF 1.2 tailoring file (a profile extending a data stream's profile
 * with rule selections and variable values) that both oscap 1.3.7 and `vouch scan --tailoring`
 * run; `--show` lists the profile's variables instead. See docs/tailoring.md.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

interface TailorFlags {
  datastream?: string;
  store?: string;
  profile?: string;
  tailoring?: string;
  benchmarkId?: string;
  var: string[];
  select: string[];
  deselect: string[];
  sensitive: string[];
  id?: string;
  title?: string;
  output?: string;
  show?: boolean;
  format: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerTailorCommand(parent: Command): void {
  parent
    .command('tailor')
    .description('write an XCCDF 1.2 tailoring file for a SCAP profile, or --show its variables')
    .option('--datastream <file>', 'SCAP source data stream or XCCDF benchmark (default: the rule store)')
    .option(
      '--store <dir>',
      'rule store holding the profile (default: VOUCH_STORE or ~/.local/share/vouch/store)',
    )
    .option('--profile <id>', 'profile to tailor, full or short id (required)')
    .option('--tailoring <file>', 'start from this tailoring file (its profiles are kept)')
    .option('--benchmark-id <id>', 'benchmark of the data stream (default: the first)')
    .option('--var <name=value>', 'set a variable (XCCDF set-value; repeatable)', collect, [])
    .option('--select <rule>', 'select a rule, short or full id (repeatable)', collect, [])
    .option('--deselect <rule>', 'deselect a rule, short or full id (repeatable)', collect, [])
    .option('--sensitive <name>', 'treat this variable as sensitive: mask it (repeatable)', collect, [])
    .option('--id <name>', 'name of the new profile (default: <profile>_customized)')
    .option('--title <text>', 'title of the new profile (default: "<profile title> [CUSTOMIZED]")')
    .option('-o, --output <file>', 'write the tailoring to FILE ("-" or none: stdout)')
    .option('--show', "print the profile's variables, current and allowed values, instead")
    .option('--format <format>', 'with --show: table|json', 'table')
    .action(async (flags: TailorFlags) => {
      if (!flags.profile) throw new VouchError('BAD_OPTION', 'vouch tailor: --profile is required');
      if (flags.datastream && flags.store) {
        throw new VouchError('BAD_FLAGS', '--datastream and --store: give one source, not both');
      }
      // Without --datastream, the stored data stream holding the profile (vouch content import).
      const datastream =
        flags.datastream ??
        (
          await (
            await import('../../store/locate.js')
          ).datastreamForProfile({
            store: flags.store,
            profile: flags.profile,
            tailoring: flags.tailoring,
            benchmarkId: flags.benchmarkId,
          })
        ).datastream;
      const { runTailor } = await import('../../scap/tailor/run-tailor.js');
      await runTailor({
        datastream,
        profile: flags.profile,
        tailoring: flags.tailoring,
        benchmarkId: flags.benchmarkId,
        vars: flags.var,
        select: flags.select,
        deselect: flags.deselect,
        sensitive: flags.sensitive,
        id: flags.id,
        title: flags.title,
        output: flags.output,
        show: flags.show === true,
        format: flags.format,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    });
}
