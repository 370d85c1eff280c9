/**
 * Runs the real `vouch` CLI in-process (main()) and captures what it writes, as the other CLI tests do.
 */

export { type CliRun as VouchRun, vouch } from '../../helpers/run-cli.js';

/** The text of one rule's block in a bash script (between its BEGIN and END markers). */
export function bashBlock(script: string, ruleId: string): string {
  const begin = script.search(new RegExp(`# BEGIN fix \\(\\d+ / \\d+\\) for '${ruleId}'`));
  const end = script.indexOf(`# END fix for '${ruleId}'`);
  if (begin < 0 || end < 0) throw new Error(`no block for ${ruleId}`);
  return script.slice(begin, end);
}

/** The part of a script after its header, which is where Vouch and oscap must agree. */
export function body(script: string, marker: string): string {
  const at = script.indexOf(marker);
  if (at < 0) throw new Error(`no ${JSON.stringify(marker)} in the script`);
  return script.slice(at);
}
