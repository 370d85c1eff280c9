/** The engines suite's CLI helpers: JSON runs and what two engines must agree on. */
import type { RuleResult, ScanResult } from '../../../src/core/results.js';
import { vouch } from '../../helpers/run-cli.js';

export { type CliRun, vouch } from '../../helpers/run-cli.js';

export async function vouchJson(args: string[], env?: Record<string, string | undefined>) {
  const run = await vouch([...args, '--format', 'json'], env);
  if (run.code === 1) throw new Error(`vouch ${args.join(' ')} failed: ${run.stderr}`);
  return { code: run.code, result: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}

/** What two engines must agree on, per rule. */
export function verdicts(result: ScanResult): Map<string, Pick<RuleResult, 'status' | 'title' | 'severity'>> {
  return new Map(
    result.results.map((r) => [r.ruleId, { status: r.status, title: r.title, severity: r.severity }]),
  );
}

export const engineOf = (r: RuleResult) =>
  r.evidence[0]?.source === 'engine' ? r.evidence[0].resource : undefined;
