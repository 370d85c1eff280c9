/**
 * The `oscap xccdf eval` command line, the same for a local, chroot or SSH run (only the paths
 * differ). oscap 1.3.7 accepts `--rule` repeatedly and evaluates exactly those rules of the profile.
 */
export interface OscapEvalInput {
  datastream: string;
  /** Full or short profile id (oscap matches the suffix after `_profile_`); undefined = default. */
  profile?: string | undefined;
  tailoring?: string | undefined;
  /** Full rule ids; empty = every rule the profile selects. */
  rules: readonly string[];
  benchmarkId?: string | undefined;
  cpe?: string | undefined;
  /** Where oscap writes the ARF report. */
  arf: string;
  /** Where oscap writes the XCCDF results document (for --format xccdf pass-through). */
  xccdf?: string | undefined;
}

export function oscapEvalArgs(input: OscapEvalInput): string[] {
  const argv = ['xccdf', 'eval'];
  if (input.benchmarkId !== undefined) argv.push('--benchmark-id', input.benchmarkId);
  if (input.profile !== undefined) argv.push('--profile', input.profile);
  if (input.tailoring !== undefined) argv.push('--tailoring-file', input.tailoring);
  if (input.cpe !== undefined) argv.push('--cpe', input.cpe);
  for (const rule of input.rules) argv.push('--rule', rule);
  argv.push('--results-arf', input.arf);
  if (input.xccdf !== undefined) argv.push('--results', input.xccdf);
  argv.push(input.datastream);
  return argv;
}

/** oscap's exit codes: 0 all passed, 2 some rule failed; anything else is an error. */
export function oscapSucceeded(exitCode: number | null): boolean {
  return exitCode === 0 || exitCode === 2;
}

/** The lines of oscap's stderr that say what went wrong (`E: oscap: ...`), else its last lines. */
export function oscapComplaint(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('E:') || /error/i.test(l));
  const picked = (errors.length > 0 ? errors : lines).slice(-3);
  return picked.join('; ').slice(0, 600) || 'no message';
}
