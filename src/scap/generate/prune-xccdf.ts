/**
 * The generated Benchmark: the source Benchmark's text with only the kept Rules, the Groups that
 * hold them (or a kept Value), the Values those reference (check-export, `<sub>` in fixes and
 * descriptions), the platforms in use, and the one generated Profile in place of the source's
 * Profiles. Kept elements are copied verbatim.
 */
import type { XccdfBenchmark } from '../model/xccdf.js';
import type { ElementSpan } from './element-index.js';
import { lineIndent, type SpliceDecision, splice } from './splice.js';

export interface XccdfPruneInput {
  text: string;
  /** The Benchmark indexed with Groups, Profiles and the platform-specification expanded. */
  root: ElementSpan;
  benchmark: XccdfBenchmark;
  keptRules: ReadonlySet<string>;
}

export interface XccdfKeep {
  groups: Set<string>;
  values: Set<string>;
}

export const XCCDF_EXPANDED = new Set(['Benchmark', 'Group', 'platform-specification']);

const ITEMS = new Set(['Group', 'Rule', 'Value', 'Profile']);

/** Groups and Values the kept rules need (ancestors, and Values referenced from kept text). */
export function xccdfKeep(input: XccdfPruneInput): XccdfKeep {
  const { text, benchmark } = input;
  const byId = new Map<string, ElementSpan>();
  const walk = (element: ElementSpan): void => {
    for (const child of element.children ?? []) {
      if (child.id !== undefined && (child.name === 'Group' || child.name === 'Rule'))
        byId.set(child.id, child);
      if (child.name === 'Group') walk(child);
    }
  };
  walk(input.root);

  const keep: XccdfKeep = { groups: new Set(), values: new Set() };
  const pending: ElementSpan[] = [input.root];
  const addValue = (id: string): void => {
    if (keep.values.has(id)) return;
    keep.values.add(id);
    for (const group of benchmark.values.get(id)?.ancestors ?? []) addGroup(group);
  };
  const addGroup = (id: string): void => {
    if (keep.groups.has(id)) return;
    keep.groups.add(id);
    const span = byId.get(id);
    if (span) pending.push(span);
  };
  for (const id of input.keptRules) {
    const rule = benchmark.rules.get(id);
    for (const group of rule?.ancestors ?? []) addGroup(group);
    const span = byId.get(id);
    if (span) pending.push(span);
  }
  // A Rule is scanned whole; a Group or the Benchmark only up to its first item (its own text).
  const reference = /\b(?:value-id|idref)="([^"]+)"/g;
  while (pending.length > 0) {
    const span = pending.pop() as ElementSpan;
    const firstItem = span.children?.find((c) => ITEMS.has(c.name));
    const own = text.slice(span.start, span.name === 'Rule' ? span.end : (firstItem?.start ?? span.end));
    for (const match of own.matchAll(reference)) {
      const id = match[1] as string;
      if (benchmark.values.has(id)) addValue(id);
    }
  }
  return keep;
}

export interface XccdfPruneOutput {
  /** The generated Profile text (replaces the first source Profile, or goes before the first item). */
  profile: string;
  platforms: ReadonlySet<string>;
}

/** How the Benchmark's children are copied (for spliceInto on the indexed root). */
export function pruneBenchmark(
  input: XccdfPruneInput,
  keep: XccdfKeep,
  output: XccdfPruneOutput,
): (child: ElementSpan) => SpliceDecision {
  let profilePlaced = false;
  const place = (child: ElementSpan, otherwise: SpliceDecision): SpliceDecision => {
    if (profilePlaced) return otherwise;
    profilePlaced = true;
    if (child.name === 'Profile') return { replace: output.profile };
    // No Profile in the source (the requested one came from a tailoring): insert it before the first item.
    const indent = lineIndent(input.text, child.start);
    const rest =
      otherwise === 'keep'
        ? input.text.slice(child.start, child.end)
        : otherwise === 'drop'
          ? ''
          : 'replace' in otherwise
            ? otherwise.replace
            : splice(input.text, child, otherwise.prune);
    return { replace: rest ? `${output.profile}\n${indent}${rest}` : output.profile };
  };
  const item = (child: ElementSpan): SpliceDecision => {
    switch (child.name) {
      case 'Rule':
        return child.id !== undefined && input.keptRules.has(child.id) ? 'keep' : 'drop';
      case 'Value':
        return child.id !== undefined && keep.values.has(child.id) ? 'keep' : 'drop';
      case 'Group':
        return child.id !== undefined && keep.groups.has(child.id) ? { prune: item } : 'drop';
      case 'TestResult':
        return 'drop';
      default:
        return 'keep';
    }
  };
  const top = (child: ElementSpan): SpliceDecision => {
    if (child.name === 'Profile') return place(child, 'drop');
    if (child.name === 'platform-specification') {
      const used = (child.children ?? []).some((p) => p.id !== undefined && output.platforms.has(p.id));
      if (!used) return 'drop';
      return { prune: (p) => (p.id !== undefined && !output.platforms.has(p.id) ? 'drop' : 'keep') };
    }
    const decision = item(child);
    if (child.name === 'Value' || child.name === 'Group' || child.name === 'Rule')
      return place(child, decision);
    return decision;
  };
  return top;
}
