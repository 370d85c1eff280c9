/**
 * The construct inventory of a profile: for its selected rules, which check systems they use and which
 * OVAL test/object/state types, variable kinds and functions each rule reaches, counted in rules.
 * Once the evaluator exists this becomes the coverage table (a rule is covered when every construct it
 * reaches is implemented); until then it tells what the evaluator must implement, and in what order.
 */
import { type BenchmarkContext, ovalFor, resolveHref } from '../datastream/resolve.js';
import type { OvalDocument } from '../model/oval.js';
import type { UnknownConstruct } from '../model/unknown.js';
import type { XccdfCheck, XccdfRule } from '../model/xccdf.js';
import { OCIL_CHECK_SYSTEM, OVAL_CHECK_SYSTEM } from '../xml/namespaces.js';
import { ovalClosure } from './oval-closure.js';

export interface ConstructInventory {
  rules: number;
  /**
   * Rules by the check the evaluator will use: the first `<check>` whose system is OVAL; otherwise
   * OCIL-only (oscap: notchecked), a complex-check only (not in SSG), other systems only, or no check.
   */
  checks: { oval: number; ocilOnly: number; complexOnly: number; otherOnly: number; none: number };
  /** Each map: construct -> number of selected rules whose OVAL closure contains it (sorted by count). */
  testTypes: Record<string, number>;
  objectTypes: Record<string, number>;
  stateTypes: Record<string, number>;
  variableKinds: Record<string, number>;
  functions: Record<string, number>;
  /**
   * Applicability: rules gated by each platform idref (`#machine`, a CPE name), counting platforms of the
   * rule and of its ancestor Groups; `withPlatform` = rules gated by at least one. The Benchmark-level
   * platform (the OS CPE) gates every rule and is not counted here.
   */
  platforms: { withPlatform: number; byPlatform: Record<string, number> };
  /** Rules whose check-content-ref or closure points at something absent (href or id). */
  unresolved: { ruleId: string; reference: string }[];
  /** Unknown constructs inside the closure of some selected rule, with the number of rules reaching them. */
  unknown: { construct: string; reason: string; rules: number }[];
  /**
   * Evaluation coverage: `full` = rules with an OVAL check whose whole closure the native evaluator
   * implements (every object type has a probe, nothing unknown or unresolved); `unsupported` = the
   * object types without a probe, with the number of rules reaching them.
   */
  coverage: { full: number; unsupported: Record<string, number> };
}

/** Object types the session itself answers (no probe needed). */
const SESSION_OBJECT_TYPES = new Set(['ind:variable_object']);

/** The OVAL check oscap would run for this rule: the first check with the OVAL system. */
export function ovalCheckOf(rule: XccdfRule): XccdfCheck | undefined {
  return rule.checks.find((c) => c.system === OVAL_CHECK_SYSTEM);
}

export function constructInventory(
  ctx: BenchmarkContext,
  rules: XccdfRule[],
  supportedObjectTypes: ReadonlySet<string> = new Set(),
): ConstructInventory {
  const inv: ConstructInventory = {
    rules: rules.length,
    checks: { oval: 0, ocilOnly: 0, complexOnly: 0, otherOnly: 0, none: 0 },
    testTypes: {},
    objectTypes: {},
    stateTypes: {},
    variableKinds: {},
    functions: {},
    platforms: { withPlatform: 0, byPlatform: {} },
    unresolved: [],
    unknown: [],
    coverage: { full: 0, unsupported: {} },
  };
  const unknownCounts = new Map<string, { construct: string; reason: string; rules: number }>();
  const unknownIndex = new Map<OvalDocument, Map<string, UnknownConstruct[]>>();

  for (const rule of rules) {
    const platforms = new Set(rule.platforms);
    for (const groupId of rule.ancestors) {
      for (const p of ctx.benchmark.groups.get(groupId)?.platforms ?? []) platforms.add(p);
    }
    if (platforms.size > 0) inv.platforms.withPlatform++;
    bump(inv.platforms.byPlatform, platforms);
    const check = ovalCheckOf(rule);
    if (!check) {
      if (rule.checks.length === 0 && rule.complexCheck) inv.checks.complexOnly++;
      else if (rule.checks.length === 0) inv.checks.none++;
      else if (rule.checks.every((c) => c.system === OCIL_CHECK_SYSTEM)) inv.checks.ocilOnly++;
      else inv.checks.otherOnly++;
      continue;
    }
    inv.checks.oval++;
    const perRule = {
      tests: new Set<string>(),
      objects: new Set<string>(),
      states: new Set<string>(),
      variables: new Set<string>(),
      functions: new Set<string>(),
      unknown: new Set<string>(),
    };
    for (const ref of check.contentRefs) {
      const doc = ovalFor(ctx, ref.href);
      if (!doc) {
        const target = resolveHref(ctx.source, ctx.dataStream, ctx.componentRef, ref.href);
        const reference =
          target.kind === 'remote' ? `remote resource ${target.url} (never fetched)` : `href ${ref.href}`;
        inv.unresolved.push({ ruleId: rule.id, reference });
        continue;
      }
      if (ref.name === undefined) {
        inv.unresolved.push({ ruleId: rule.id, reference: `${ref.href} without a definition name` });
        continue;
      }
      const closure = ovalClosure(doc, ref.name);
      for (const missing of closure.missing) inv.unresolved.push({ ruleId: rule.id, reference: missing });
      for (const id of closure.tests) {
        const t = doc.tests.get(id)!;
        perRule.tests.add(`${t.family}:${t.type}`);
      }
      for (const id of closure.objects) {
        const o = doc.objects.get(id)!;
        perRule.objects.add(`${o.family}:${o.type}`);
      }
      for (const id of closure.states) {
        const s = doc.states.get(id)!;
        perRule.states.add(`${s.family}:${s.type}`);
      }
      for (const id of closure.variables) perRule.variables.add(doc.variables.get(id)!.kind);
      for (const f of closure.functions) perRule.functions.add(f);
      const index = unknownByWhere(unknownIndex, doc);
      const reached = [
        ...closure.definitions,
        ...closure.tests,
        ...closure.objects,
        ...closure.states,
        ...closure.variables,
      ];
      for (const id of reached) {
        for (const u of index.get(id) ?? []) {
          const key = `${u.construct}\u0000${u.reason}`;
          if (perRule.unknown.has(key)) continue;
          perRule.unknown.add(key);
          const entry = unknownCounts.get(key) ?? { construct: u.construct, reason: u.reason, rules: 0 };
          entry.rules++;
          unknownCounts.set(key, entry);
        }
      }
    }
    const unsupported = [...perRule.objects].filter(
      (type) => !supportedObjectTypes.has(type) && !SESSION_OBJECT_TYPES.has(type),
    );
    const unresolved = inv.unresolved.some((u) => u.ruleId === rule.id);
    if (unsupported.length === 0 && perRule.unknown.size === 0 && !unresolved) inv.coverage.full++;
    bump(inv.coverage.unsupported, new Set(unsupported));
    bump(inv.testTypes, perRule.tests);
    bump(inv.objectTypes, perRule.objects);
    bump(inv.stateTypes, perRule.states);
    bump(inv.variableKinds, perRule.variables);
    bump(inv.functions, perRule.functions);
  }
  inv.testTypes = sortByCount(inv.testTypes);
  inv.objectTypes = sortByCount(inv.objectTypes);
  inv.stateTypes = sortByCount(inv.stateTypes);
  inv.variableKinds = sortByCount(inv.variableKinds);
  inv.functions = sortByCount(inv.functions);
  inv.platforms.byPlatform = sortByCount(inv.platforms.byPlatform);
  inv.coverage.unsupported = sortByCount(inv.coverage.unsupported);
  inv.unknown = [...unknownCounts.values()].sort((a, b) => b.rules - a.rules);
  return inv;
}

function unknownByWhere(cache: Map<OvalDocument, Map<string, UnknownConstruct[]>>, doc: OvalDocument) {
  let index = cache.get(doc);
  if (!index) {
    index = new Map();
    for (const u of doc.unknown) index.set(u.where, [...(index.get(u.where) ?? []), u]);
    cache.set(doc, index);
  }
  return index;
}

function bump(counts: Record<string, number>, keys: Set<string>): void {
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
}

function sortByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
