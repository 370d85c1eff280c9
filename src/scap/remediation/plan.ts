/**
 * What a remediation script holds, decided once for every output format: the benchmark and profile
 * (tailored, with `--var` and scan-result overrides applied), the rules in profile order with their
 * fix of the requested kind, and the Values those fixes use.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfFix, XccdfProfile, XccdfRule } from '../model/xccdf.js';
import { shortVariableName } from '../variables/typed-variable.js';
import type { ResolvedValue } from '../xccdf/resolve-profile.js';
import { type FixFormat, fixOf } from './fix-systems.js';
import { subIds } from './substitute.js';

export type OverrideSource = '--var' | 'tailoring' | 'scan result';

export interface ValueOverride {
  id: string;
  name: string;
  /** What the header may show: the value, or the mask for a sensitive Value. */
  display: string;
  source: OverrideSource;
}

export interface PlannedRule {
  rule: XccdfRule;
  fix: XccdfFix | undefined;
}

export interface FixPlan {
  format: FixFormat;
  benchmark: XccdfBenchmark;
  profile: XccdfProfile | undefined;
  rules: PlannedRule[];
  values: ReadonlyMap<string, ResolvedValue>;
  overrides: ValueOverride[];
  /** Short names of sensitive Values whose value the script contains. */
  sensitiveUsed: string[];
  /** How the script was made, for its header (sensitive --var values masked). */
  command: string;
  /** Set when the rules come from a scan result rather than the whole profile. */
  scan: { path: string; failedOnly: boolean; target: string; finishedAt: string } | undefined;
}

export function plannedRules(rules: readonly XccdfRule[], format: FixFormat): PlannedRule[] {
  return rules.map((rule) => ({ rule, fix: fixOf(rule, format) }));
}

/** Short names of the sensitive Values the planned fixes substitute. */
export function sensitiveValuesUsed(rules: readonly PlannedRule[], sensitive: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const { fix } of rules) {
    for (const id of fix ? subIds(fix) : []) if (sensitive.has(id)) out.add(shortVariableName(id));
  }
  return [...out];
}

/** `--rule` narrowing: every name must be one of `rules` (full or short id), else a one-line error. */
export function narrowRules(
  rules: readonly XccdfRule[],
  names: readonly string[],
  scope: string,
): XccdfRule[] {
  if (names.length === 0) return [...rules];
  const wanted = new Set<string>();
  for (const name of names) {
    const match = rules.find((r) => r.id === name || shortRuleName(r.id) === name);
    if (!match)
      throw new VouchError('UNKNOWN_RULE', `--rule ${name}: not selected by ${scope} (or no such rule)`);
    wanted.add(match.id);
  }
  return rules.filter((r) => wanted.has(r.id));
}

export function shortRuleName(id: string): string {
  const at = id.indexOf('_rule_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_rule_'.length) : id;
}
