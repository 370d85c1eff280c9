/**
 * `vouch content generate`: build a SCAP 1.3 source data stream holding only what one selection
 * needs (the profile's rules after tailoring, `--var` and `--rule`, their groups, values, OVAL,
 * OCIL and CPE content), from a data stream file or from the rule store. See
 * docs/content-generation.md.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

interface GenerateFlags {
  profile: string;
  datastream?: string;
  store?: string;
  tailoring?: string;
  var: string[];
  rule: string[];
  benchmarkId?: string;
  output: string;
  cache: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerContentGenerate(parent: Command): void {
  parent
    .command('generate')
    .description('write a SCAP 1.3 source data stream holding only what a profile (tailored) needs')
    .requiredOption('--profile <id>', 'profile to generate (full or short id; a tailoring profile too)')
    .option('--datastream <file>', 'source data stream (default: the rule store)')
    .option('--store <dir>', 'rule store directory (default: VOUCH_STORE or ~/.local/share/vouch/store)')
    .option('--tailoring <file>', 'XCCDF 1.2 tailoring file to bake into the generated profile')
    .option('--var <name=value>', 'override an XCCDF Value (repeatable; after the tailoring)', collect, [])
    .option('--rule <id>', 'keep only these rules of the profile (repeatable)', collect, [])
    .option('--benchmark-id <id>', 'benchmark, when the data stream carries several')
    .requiredOption('-o, --output <file>', 'where to write the generated data stream')
    .option('--no-cache', 'build even when an identical data stream is cached')
    .action(async (flags: GenerateFlags) => {
      if (flags.datastream && flags.store) {
        throw new VouchError('BAD_FLAGS', '--datastream and --store: give one source, not both');
      }
      const { generateDatastream } = await import('../../scap/generate/generate.js');
      const { datastream, benchmarkId } = flags.datastream
        ? { datastream: flags.datastream, benchmarkId: flags.benchmarkId }
        : await fromStore(flags);
      const result = await generateDatastream({
        datastream,
        profile: flags.profile,
        tailoring: flags.tailoring,
        vars: flags.var,
        rules: flags.rule,
        benchmarkId,
        output: flags.output,
        useCache: flags.cache,
      });
      const how = result.cached ? 'from the cache' : `built in ${Math.round(result.timings.buildMs)} ms`;
      process.stderr.write(
        `vouch: ${flags.output}: ${result.rules} rules of ${result.profileId} (${how}, key ${result.key.slice(0, 12)})\n`,
      );
    });
}

/** The stored data stream that holds the profile (or, for a tailoring profile, the one it extends). */
async function fromStore(flags: GenerateFlags): Promise<{ datastream: string; benchmarkId: string }> {
  const { datastreamForProfile } = await import('../../store/locate.js');
  return datastreamForProfile({
    store: flags.store,
    profile: flags.profile,
    tailoring: flags.tailoring,
    benchmarkId: flags.benchmarkId,
  });
}
