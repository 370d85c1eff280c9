/**
 * XCCDF 1.2 profile resolution: which Rules a profile selects and what every Value resolves to.
 *
 * Semantics (XCCDF 1.2 §6.4.3 and §7.2.3, matching oscap's xccdf_policy):
 * - `extends` is flattened parent-first; a later `select`/`refine-*`/`set-value` for the same idref wins,
 *   so the child overrides its parent.
 * - A `select` idref names a Rule, a Group, or a cluster-id (then it applies to every item in the cluster).
 * - A Rule is selected when its own effective `selected` (the profile's select, else `@selected`) is true
 *   AND so is that of every ancestor Group. Selecting a Group therefore does not switch on rules whose own
 *   `selected` is false; it only stops masking them. Deselecting a Group masks everything inside it.
 * - A Value takes `set-value` if any, else the `<value>` whose selector the profile's `refine-value`
 *   names, else the `<value>` without selector. An unknown selector falls back to that default (recorded).
 */
import { VouchError } from '../../core/errors.js';
import type {
  ValueOperator,
  XccdfBenchmark,
  XccdfItem,
  XccdfProfile,
  XccdfRefineRule,
  XccdfRule,
  XccdfValue,
} from '../model/xccdf.js';
import { findProfile } from './profile-id.js';

export interface ResolvedValue {
  id: string;
  value: string;
  type: XccdfValue['type'];
  operator: ValueOperator;
  /** The selector in effect (from refine-value), if any. */
  selector: string | undefined;
  source: 'default' | 'selector' | 'set-value';
}

export interface ResolvedProfile {
  /** undefined = no profile: the Benchmark's own `selected` attributes. */
  profile: XccdfProfile | undefined;
  /** Profile ids from the root of the extends chain down to this profile. */
  chain: string[];
  /** Selected Rules in document order. */
  selectedRules: XccdfRule[];
  /** Every Value of the benchmark, resolved (oscap writes them all into TestResult). */
  values: Map<string, ResolvedValue>;
  /** Merged refine-rule overrides by rule id. */
  refineRules: Map<string, XccdfRefineRule>;
  /** Profile entries that refer to nothing, selectors that match no value, etc. */
  warnings: string[];
}

export function resolveProfile(benchmark: XccdfBenchmark, profileId?: string): ResolvedProfile {
  const warnings: string[] = [];
  const profile = profileId === undefined ? undefined : findProfile(benchmark, profileId);
  const chain = profile ? extendsChain(benchmark, profile) : [];

  // Flatten parent-first so later entries override earlier ones.
  const selects = new Map<string, boolean>();
  const refineValues = new Map<
    string,
    { selector: string | undefined; operator: ValueOperator | undefined }
  >();
  const setValues = new Map<string, string>();
  const refineRules = new Map<string, XccdfRefineRule>();
  const clusters = clusterIndex(benchmark);
  for (const p of chain) {
    for (const s of p.selects) {
      const targets = itemIds(benchmark, clusters, s.idref);
      if (targets.length === 0) warnings.push(`${p.id}: select ${s.idref} matches no Rule, Group or cluster`);
      for (const id of targets) selects.set(id, s.selected);
    }
    for (const r of p.refineValues) {
      if (!benchmark.values.has(r.idref)) warnings.push(`${p.id}: refine-value ${r.idref} matches no Value`);
      const previous = refineValues.get(r.idref);
      refineValues.set(r.idref, {
        selector: r.selector ?? previous?.selector,
        operator: r.operator ?? previous?.operator,
      });
    }
    for (const v of p.setValues) {
      if (!benchmark.values.has(v.idref)) warnings.push(`${p.id}: set-value ${v.idref} matches no Value`);
      setValues.set(v.idref, v.value);
    }
    for (const r of p.refineRules) {
      for (const id of itemIds(benchmark, clusters, r.idref)) {
        const previous = refineRules.get(id);
        refineRules.set(id, {
          idref: id,
          weight: r.weight ?? previous?.weight,
          selector: r.selector ?? previous?.selector,
          severity: r.severity ?? previous?.severity,
          role: r.role ?? previous?.role,
        });
      }
    }
  }

  const selectedRules: XccdfRule[] = [];
  const visit = (items: XccdfItem[]): void => {
    for (const item of items) {
      const selected = selects.get(item.id) ?? item.selected;
      if (!selected) continue; // an unselected Group masks its whole subtree
      if (item.kind === 'rule') selectedRules.push(item);
      else visit(item.children);
    }
  };
  visit(benchmark.items);

  const values = new Map<string, ResolvedValue>();
  for (const value of benchmark.values.values()) {
    const refine = refineValues.get(value.id);
    values.set(
      value.id,
      resolveValue(value, refine?.selector, refine?.operator, setValues.get(value.id), warnings),
    );
  }
  return { profile, chain: chain.map((p) => p.id), selectedRules, values, refineRules, warnings };
}

function resolveValue(
  value: XccdfValue,
  selector: string | undefined,
  operator: ValueOperator | undefined,
  setValue: string | undefined,
  warnings: string[],
): ResolvedValue {
  const base = { id: value.id, type: value.type, operator: operator ?? value.operator, selector };
  if (setValue !== undefined) return { ...base, value: setValue, source: 'set-value' };
  if (selector !== undefined) {
    const chosen = value.values.find((v) => v.selector === selector);
    if (chosen) return { ...base, value: chosen.value, source: 'selector' };
    warnings.push(`Value ${value.id}: selector ${selector} matches no <value>; using the default`);
  }
  const fallback = value.values.find((v) => v.selector === undefined) ?? value.values[0];
  return { ...base, value: fallback?.value ?? '', source: 'default' };
}

function extendsChain(benchmark: XccdfBenchmark, profile: XccdfProfile): XccdfProfile[] {
  const chain: XccdfProfile[] = [];
  const seen = new Set<string>();
  let current: XccdfProfile | undefined = profile;
  while (current) {
    if (seen.has(current.id)) {
      throw new VouchError('PROFILE_CYCLE', `profile ${profile.id}: extends cycle through ${current.id}`);
    }
    seen.add(current.id);
    chain.unshift(current);
    const parentId: string | undefined = current.extends;
    if (parentId === undefined) break;
    current = benchmark.profiles.find((p) => p.id === parentId);
    if (!current) {
      throw new VouchError('UNKNOWN_PROFILE', `profile ${chain[0]?.id} extends unknown profile ${parentId}`);
    }
  }
  return chain;
}

function clusterIndex(benchmark: XccdfBenchmark): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const item of [...benchmark.groups.values(), ...benchmark.rules.values()]) {
    if (item.clusterId === undefined) continue;
    index.set(item.clusterId, [...(index.get(item.clusterId) ?? []), item.id]);
  }
  return index;
}

function itemIds(benchmark: XccdfBenchmark, clusters: Map<string, string[]>, idref: string): string[] {
  if (benchmark.rules.has(idref) || benchmark.groups.has(idref)) return [idref];
  return clusters.get(idref) ?? [];
}
