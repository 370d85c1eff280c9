/**
 * What a generated data stream holds, decided from the model alone (no source text): the profile
 * resolved with the tailoring and `--var` overrides, the rules it selects (optionally restricted
 * with `--rule`), and the Profile that carries all of it baked in, so `--profile P` on the generated
 * stream selects the same rules with the same values as the original with the tailoring.
 */
import { VouchError } from '../../core/errors.js';
import type { BenchmarkContext } from '../datastream/resolve.js';
import { applyValueOverrides } from '../evaluate/value-overrides.js';
import type { XccdfBenchmark, XccdfRefineRule, XccdfRule } from '../model/xccdf.js';
import { splitAssignment } from '../variables/typed-variable.js';
import type { XccdfTailoring } from '../xccdf/parse-benchmark.js';
import { type ResolvedProfile, type ResolvedValue, resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring } from '../xccdf/tailoring.js';

export interface SelectionRequest {
  context: BenchmarkContext;
  /** Full or short profile id (of the benchmark, or of the tailoring). */
  profile: string;
  tailoring?: { document: XccdfTailoring; path: string } | undefined;
  /** `name=value` overrides (short or full Value id), applied after the tailoring. */
  vars?: readonly string[];
  /** Restrict to these rules (full or short ids); each must be selected by the profile. */
  rules?: readonly string[];
}

export interface Selection {
  /** The benchmark with the tailoring's profiles added (rules, groups, values as in the source). */
  benchmark: XccdfBenchmark;
  resolved: ResolvedProfile;
  profileId: string;
  /** Kept rules in document order. */
  rules: XccdfRule[];
  /** Values whose resolved value is not the Value's default (what the Profile must carry). */
  values: ResolvedValue[];
  /** refine-rule overrides of the kept rules. */
  refineRules: XccdfRefineRule[];
}

export function resolveSelection(request: SelectionRequest): Selection {
  const source = request.context.benchmark;
  const benchmark = request.tailoring ? applyTailoring(source, request.tailoring.document) : source;
  const resolved = resolveProfile(benchmark, request.profile);
  const profileId = resolved.profile?.id ?? request.profile;
  applyValueOverrides(benchmark, resolved, parseOverrides(request.vars ?? []));
  const rules = restrict(benchmark, resolved, request.rules ?? [], profileId);
  if (rules.length === 0) {
    throw new VouchError('EMPTY_SELECTION', `profile ${profileId} selects no rule: nothing to generate`);
  }
  const kept = new Set(rules.map((r) => r.id));
  const values = [...resolved.values.values()].filter(
    (v) => v.source !== 'default' || isRefinedOperator(benchmark, v),
  );
  const refineRules = [...resolved.refineRules.values()].filter((r) => kept.has(r.idref));
  return { benchmark, resolved, profileId, rules, values, refineRules };
}

function isRefinedOperator(benchmark: XccdfBenchmark, value: ResolvedValue): boolean {
  return benchmark.values.get(value.id)?.operator !== value.operator;
}

function restrict(
  benchmark: XccdfBenchmark,
  resolved: ResolvedProfile,
  only: readonly string[],
  profileId: string,
): XccdfRule[] {
  if (only.length === 0) return resolved.selectedRules;
  const wanted = new Set<string>();
  for (const name of only) {
    const id = ruleIdOf(benchmark, name);
    if (!resolved.selectedRules.some((r) => r.id === id)) {
      throw new VouchError(
        'RULE_NOT_SELECTED',
        `--rule ${name}: ${id} is not selected by profile ${profileId}`,
      );
    }
    wanted.add(id);
  }
  return resolved.selectedRules.filter((r) => wanted.has(r.id));
}

function ruleIdOf(benchmark: XccdfBenchmark, name: string): string {
  if (benchmark.rules.has(name)) return name;
  const matches = [...benchmark.rules.keys()].filter((id) => shortRuleName(id) === name);
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new VouchError(
    'UNKNOWN_RULE',
    matches.length > 1
      ? `--rule ${name}: ambiguous, matches ${matches.join(', ')}`
      : `--rule ${name}: no Rule with that id in ${benchmark.id}`,
  );
}

function shortRuleName(id: string): string {
  const at = id.indexOf('_rule_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_rule_'.length) : id;
}

function parseOverrides(vars: readonly string[]): Map<string, string> {
  return new Map(vars.map((text) => splitAssignment(text, '--var')));
}
