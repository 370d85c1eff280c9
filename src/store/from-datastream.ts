/**
 * A parsed SCAP source -> the store's records: every Rule of every Benchmark with its references
 * grouped by framework, check references, fixes (placeholders kept), platforms and the profiles that
 * select it; every Value as a typed variable; every Profile resolved (selected rules, values).
 */
import { VouchError } from '../core/errors.js';
import { benchmarksOf, resolveProfile, shortProfileId } from '../scap/index.js';
import type { ScapSource } from '../scap/model/datastream.js';
import type { XccdfCheck, XccdfComplexCheck, XccdfFix, XccdfRule } from '../scap/model/xccdf.js';
import { scapVariableOf } from '../scap/variables/typed-variable.js';
import { addReference, frameworkOfReference } from './references.js';
import type { StoredCheck, StoredFix, StoredProfile, StoredRule, StoredVariable } from './types.js';

export const FIX_SYSTEM = {
  bash: 'urn:xccdf:fix:script:sh',
  ansible: 'urn:xccdf:fix:script:ansible',
} as const;

export interface ImportedContent {
  benchmarkIds: string[];
  version: string | undefined;
  title: string | undefined;
  rules: StoredRule[];
  variables: StoredVariable[];
  profiles: StoredProfile[];
  warnings: string[];
}

export function shortRuleId(id: string): string {
  const at = id.indexOf('_rule_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_rule_'.length) : id;
}

export function storedFix(fix: XccdfFix): StoredFix {
  const system = fix.system ?? '';
  return {
    kind: system === FIX_SYSTEM.bash ? 'bash' : system === FIX_SYSTEM.ansible ? 'ansible' : 'other',
    system,
    id: fix.id,
    complexity: fix.complexity,
    disruption: fix.disruption,
    reboot: fix.reboot,
    strategy: fix.strategy,
    platform: fix.platform,
    content: fix.content.map((part) => (typeof part === 'string' ? part : { sub: part.sub })),
  };
}

function flattenChecks(checks: (XccdfCheck | XccdfComplexCheck)[], out: XccdfCheck[]): XccdfCheck[] {
  for (const c of checks) {
    if (c.kind === 'check') out.push(c);
    else flattenChecks(c.checks, out);
  }
  return out;
}

function storedChecks(rule: XccdfRule): StoredCheck[] {
  const all = flattenChecks([...rule.checks, ...(rule.complexCheck ? [rule.complexCheck] : [])], []);
  return all.flatMap((check) => {
    const exports = check.exports.map((e) => e.valueId);
    if (check.contentRefs.length === 0) return [{ system: check.system, href: '', name: undefined, exports }];
    return check.contentRefs.map((ref) => ({
      system: check.system,
      href: ref.href,
      name: ref.name,
      exports,
    }));
  });
}

function ruleOf(rule: XccdfRule, sourceId: string, benchmarkId: string): StoredRule {
  const references: Record<string, string[]> = {};
  for (const ref of rule.references)
    addReference(references, frameworkOfReference(ref.href, ref.text), ref.text);
  const checks = storedChecks(rule);
  const fixes = rule.fixes.map(storedFix);
  const variables = new Set<string>();
  for (const c of checks) for (const v of c.exports) variables.add(v);
  for (const f of fixes) for (const p of f.content) if (typeof p !== 'string') variables.add(p.sub);
  return {
    id: rule.id,
    shortId: shortRuleId(rule.id),
    sourceId,
    benchmarkId,
    title: rule.title,
    description: rule.description,
    rationale: rule.rationale,
    severity: rule.severity,
    groups: [...rule.ancestors],
    idents: rule.idents.map((i) => ({ system: i.system, value: i.value })),
    references,
    checks,
    fixes,
    platforms: [...rule.platforms],
    variables: [...variables],
    profiles: [],
  };
}

/**
 * Everything the store keeps of a SCAP source. `isSensitive(valueId)` carries the user's
 * `--sensitive` marks (names of secrets are recognised by scapVariableOf itself).
 */
export function contentOfSource(
  source: ScapSource,
  sourceId: string,
  isSensitive: (id: string) => boolean,
): ImportedContent {
  const contexts = benchmarksOf(source);
  if (contexts.length === 0) {
    throw new VouchError('NOT_A_BENCHMARK', `${source.path}: no XCCDF benchmark in this SCAP source`);
  }
  const rules: StoredRule[] = [];
  const variables: StoredVariable[] = [];
  const profiles: StoredProfile[] = [];
  const warnings: string[] = [];
  const seenRules = new Set<string>();
  const seenValues = new Set<string>();
  for (const { benchmark } of contexts) {
    const byId = new Map<string, StoredRule>();
    for (const rule of benchmark.rules.values()) {
      // A collection may carry the same benchmark in two data streams (SCAP 1.2 and 1.3); keep one.
      if (seenRules.has(rule.id)) continue;
      seenRules.add(rule.id);
      const stored = ruleOf(rule, sourceId, benchmark.id);
      byId.set(rule.id, stored);
      rules.push(stored);
    }
    for (const value of benchmark.values.values()) {
      if (seenValues.has(value.id)) continue;
      seenValues.add(value.id);
      const variable = scapVariableOf(value);
      if (isSensitive(value.id) || isSensitive(variable.name)) variable.sensitive = true;
      variables.push({ ...variable, sourceId });
    }
    for (const profile of benchmark.profiles) {
      if (profiles.some((p) => p.id === profile.id)) continue;
      const resolved = resolveProfile(benchmark, profile.id);
      warnings.push(...resolved.warnings);
      const shortId = shortProfileId(profile.id);
      const values: StoredProfile['values'] = {};
      for (const [id, v] of resolved.values)
        values[id] = { value: v.value, selector: v.selector, source: v.source };
      profiles.push({
        id: profile.id,
        shortId,
        sourceId,
        benchmarkId: benchmark.id,
        title: profile.title,
        description: profile.description,
        extends: profile.extends,
        selectedRules: resolved.selectedRules.map((r) => r.id),
        values,
      });
      for (const r of resolved.selectedRules) {
        const stored = byId.get(r.id);
        if (stored && !stored.profiles.includes(shortId)) stored.profiles.push(shortId);
      }
    }
  }
  const first = contexts[0]!.benchmark;
  return {
    benchmarkIds: [...new Set(contexts.map((c) => c.benchmark.id))],
    version: first.version,
    title: first.title,
    rules,
    variables,
    profiles,
    warnings,
  };
}
