/**
 * `--engine hybrid`: Vouch evaluates what it supports and oscap only the rules whose OVAL closure
 * reaches an object type Vouch has no probe for; the two runs are merged into one.
 */
import type { Evidence, ScanResult } from '../../core/results.js';
import { type BenchmarkContext, ovalFor } from '../datastream/resolve.js';
import { ovalCheckOf } from '../inventory/construct-inventory.js';
import { ovalClosure } from '../inventory/oval-closure.js';
import type { XccdfRule } from '../model/xccdf.js';
import { SUPPORTED_OBJECT_TYPES } from '../probes/registry.js';
import type { OvalRun, XccdfRun } from '../results/model.js';

/** Object types the OVAL session answers itself, without a probe. */
const SESSION_OBJECT_TYPES = new Set(['ind:variable_object']);

export type { Engine } from './engines.js';

/**
 * The rules oscap must decide: those whose OVAL check reaches an object type without a Vouch probe,
 * with the unsupported types. Rules without an OVAL check stay native (both engines say notchecked).
 */
export function rulesNeedingOscap(
  context: BenchmarkContext,
  rules: readonly XccdfRule[],
  supported: ReadonlySet<string> = SUPPORTED_OBJECT_TYPES,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rule of rules) {
    const ref = ovalCheckOf(rule)?.contentRefs[0];
    if (!ref?.name) continue;
    const doc = ovalFor(context, ref.href);
    if (!doc) continue;
    const missing = new Set<string>();
    for (const id of ovalClosure(doc, ref.name).objects) {
      const object = doc.objects.get(id);
      const key = object ? `${object.family}:${object.type}` : undefined;
      if (key && !supported.has(key) && !SESSION_OBJECT_TYPES.has(key)) missing.add(key);
    }
    if (missing.size > 0) out.set(rule.id, [...missing].sort());
  }
  return out;
}

/**
 * The native run with oscap's decisions for `oscapRules` put in: their rule results, and the OVAL
 * definitions, tests, objects and items behind them (item ids moved past the native ones), so the
 * JSON evidence and the XCCDF/ARF writers see one coherent run.
 */
export function mergeRuns(
  native: XccdfRun,
  oscap: XccdfRun,
  oscapRules: ReadonlySet<string>,
  context: BenchmarkContext,
): XccdfRun {
  const fromOscap = new Map(oscap.rules.filter((r) => oscapRules.has(r.ruleId)).map((r) => [r.ruleId, r]));
  const rules = native.rules.map((r) => fromOscap.get(r.ruleId) ?? r);
  const oval = new Map<string, OvalRun>(native.oval);
  // One offset per document, fixed before anything is copied: an item shared by two rules moves once.
  const offsets = new Map<string, number>();
  for (const rule of fromOscap.values()) {
    if (!rule.check) continue;
    const source = oscap.oval.get(rule.check.href);
    const doc = ovalFor(context, rule.check.href);
    if (!source || !doc) continue;
    let offset = offsets.get(rule.check.href);
    if (offset === undefined) {
      const copy = cloneRun(oval.get(rule.check.href), rule.check.href);
      oval.set(rule.check.href, copy);
      offset = 0;
      for (const id of copy.items.keys()) if (id > offset) offset = id;
      offsets.set(rule.check.href, offset);
    }
    const target = oval.get(rule.check.href) as OvalRun;
    const closure = ovalClosure(doc, rule.check.name);
    const shift = offset;
    const moved = (id: number) => id + shift;
    for (const id of closure.definitions) {
      const result = source.definitions.get(id);
      if (result) target.definitions.set(id, result);
    }
    for (const id of closure.tests) {
      const test = source.tests.get(id);
      if (!test) continue;
      target.tests.set(id, {
        ...test,
        testedItems: test.testedItems.map((t) => ({ ...t, itemId: moved(t.itemId) })),
      });
      for (const t of test.testedItems) copyItem(source, target, t.itemId, moved);
    }
    for (const id of closure.objects) {
      const object = source.objects.get(id);
      if (!object) continue;
      target.objects.set(id, { ...object, itemIds: object.itemIds.map(moved) });
      for (const itemId of object.itemIds) copyItem(source, target, itemId, moved);
    }
  }
  return { ...native, rules, oval };
}

function copyItem(source: OvalRun, target: OvalRun, id: number, moved: (id: number) => number): void {
  const item = source.items.get(id);
  if (item && !target.items.has(moved(id))) target.items.set(moved(id), item);
}

function cloneRun(run: OvalRun | undefined, href: string): OvalRun {
  return {
    href,
    definitions: new Map(run?.definitions),
    tests: new Map(run?.tests),
    objects: new Map(run?.objects),
    items: new Map(run?.items),
  };
}

/** Which engine decided each result: the first evidence entry, `source: 'engine'`. */
export function markEngine(result: ScanResult, engineOf: (ruleId: string) => Evidence): ScanResult {
  return {
    ...result,
    results: result.results.map((r) => ({ ...r, evidence: [engineOf(r.ruleId), ...r.evidence] })),
  };
}
