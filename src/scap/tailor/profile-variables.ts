/**
 * The variables a profile's selected rules use, with the value the profile gives each one: what
 * `vouch tailor --show` prints and what a tailoring's `--var` is checked against. A rule uses a
 * Value through a check's `check-export` (the OVAL check reads it) or a fix's `<sub idref>` (the
 * remediation is written with it), as oscap's `xccdf generate fix` substitutes them.
 */
import type { XccdfBenchmark, XccdfCheck, XccdfComplexCheck, XccdfRule } from '../model/xccdf.js';
import { type ScapVariable, scapVariableOf } from '../variables/typed-variable.js';
import type { ResolvedProfile, ResolvedValue } from '../xccdf/resolve-profile.js';

export interface ProfileVariable {
  variable: ScapVariable;
  /** The value after the profile's refine-value/set-value (and the tailoring's). */
  current: ResolvedValue;
  /** Selected rules that use it (full ids), in document order. */
  rules: string[];
}

/** Value ids a rule uses: check exports (also inside complex checks) and fix substitutions. */
export function valueIdsOfRule(rule: XccdfRule): Set<string> {
  const out = new Set<string>();
  const visit = (check: XccdfCheck | XccdfComplexCheck): void => {
    if (check.kind === 'complex-check') {
      for (const child of check.checks) visit(child);
      return;
    }
    for (const e of check.exports) out.add(e.valueId);
  };
  for (const check of rule.checks) visit(check);
  if (rule.complexCheck) visit(rule.complexCheck);
  for (const fix of rule.fixes) {
    for (const part of fix.content) if (typeof part !== 'string') out.add(part.sub);
  }
  return out;
}

/**
 * Variables of the selected rules, sorted by short name. `sensitive` adds ids or short names the
 * user (or the store) marked sensitive to the name heuristic.
 */
export function profileVariables(
  benchmark: XccdfBenchmark,
  resolved: ResolvedProfile,
  sensitive: ReadonlySet<string> = new Set(),
): ProfileVariable[] {
  const users = new Map<string, string[]>();
  for (const rule of resolved.selectedRules) {
    for (const id of valueIdsOfRule(rule)) users.set(id, [...(users.get(id) ?? []), rule.id]);
  }
  const out: ProfileVariable[] = [];
  for (const [id, rules] of users) {
    const value = benchmark.values.get(id);
    const current = resolved.values.get(id);
    // A sub or export naming no Value (a fix's substitution of a plain-text item) is not a variable.
    if (!value || !current) continue;
    out.push({ variable: sensitiveAware(scapVariableOf(value), sensitive), current, rules });
  }
  return out.sort((a, b) => a.variable.name.localeCompare(b.variable.name));
}

/** The variable, marked sensitive when its id or short name is in `marks`. */
export function sensitiveAware(variable: ScapVariable, marks: ReadonlySet<string>): ScapVariable {
  return marks.has(variable.id) || marks.has(variable.name) ? { ...variable, sensitive: true } : variable;
}
