/**
 * Rules, Groups and Values by the names users type: the full XCCDF id or the short form after
 * `_rule_` / `_group_` / `_value_` (what autotailor and SSG documentation use). An unknown name is
 * a one-line error naming the flag, with the closest names that exist.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfGroup, XccdfRule, XccdfValue } from '../model/xccdf.js';
import { shortVariableName } from '../variables/typed-variable.js';

export function shortItemId(id: string): string {
  const match = /^xccdf_[^_]+_(?:rule|group)_(.+)$/.exec(id);
  return match?.[1] ?? id;
}

/** A Rule (or, for select/deselect, a Group) by full or short id. */
export function findSelectable(
  benchmark: XccdfBenchmark,
  name: string,
  flag: string,
): XccdfRule | XccdfGroup {
  const exact = benchmark.rules.get(name) ?? benchmark.groups.get(name);
  if (exact) return exact;
  const rules = [...benchmark.rules.values()].filter((r) => shortItemId(r.id) === name);
  const groups = [...benchmark.groups.values()].filter((g) => shortItemId(g.id) === name);
  // A rule and a group may share a short name; the rule is what users mean.
  const matches = rules.length > 0 ? rules : groups;
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new VouchError(
      'UNKNOWN_RULE',
      `${flag} ${name}: ambiguous, matches ${matches.map((m) => m.id).join(', ')}`,
    );
  }
  const hint = suggest(name, [...benchmark.rules.keys()].map(shortItemId));
  throw new VouchError('UNKNOWN_RULE', `${flag} ${name}: no rule with that id in ${benchmark.id}${hint}`);
}

export function findVariable(benchmark: XccdfBenchmark, name: string, flag: string): XccdfValue {
  const exact = benchmark.values.get(name);
  if (exact) return exact;
  const matches = [...benchmark.values.values()].filter((v) => shortVariableName(v.id) === name);
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new VouchError(
      'UNKNOWN_VARIABLE',
      `${flag} ${name}: ambiguous, matches ${matches.map((m) => m.id).join(', ')}`,
    );
  }
  const hint = suggest(name, [...benchmark.values.keys()].map(shortVariableName));
  throw new VouchError(
    'UNKNOWN_VARIABLE',
    `${flag} ${name}: no XCCDF Value with that id in ${benchmark.id}${hint}`,
  );
}

/**
 * `; did you mean a, b?` with up to five names: those containing the input (or contained in it),
 * else those within a small edit distance. Empty when nothing is close: listing 1,600 rules on one
 * line helps nobody.
 */
export function suggest(name: string, known: readonly string[]): string {
  const needle = shortItemId(shortVariableName(name)).toLowerCase();
  const unique = [...new Set(known)];
  let close = unique.filter((k) => {
    const lower = k.toLowerCase();
    return needle.length >= 4 && (lower.includes(needle) || needle.includes(lower));
  });
  if (close.length === 0) {
    const limit = Math.max(2, Math.floor(needle.length / 4));
    close = unique
      .map((k) => [k, distance(needle, k.toLowerCase())] as const)
      .filter(([, d]) => d <= limit)
      .sort((a, b) => a[1] - b[1])
      .map(([k]) => k);
  }
  if (close.length === 0) return '';
  const shown = close.slice(0, 5);
  return `; did you mean ${shown.join(', ')}${close.length > shown.length ? ', …' : ''}?`;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
