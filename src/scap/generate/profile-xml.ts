/**
 * The one Profile of a generated Benchmark: the requested profile flattened (no `extends`) with the
 * tailoring and `--var` overrides baked in. Rules are selected explicitly (SSG rules default to
 * `selected="false"`); a Value refined to a selector stays a `refine-value` (the Value keeps its
 * alternatives for later tailoring), an override becomes a `set-value`.
 *
 * Every element goes on its own line: oscap 1.3.7 drops an element that directly follows a
 * `<select/>` with no whitespace between them (see docs/content-generation.md).
 */

import { XmlWriter } from '../report/xml-writer.js';
import type { ResolvedValue } from '../xccdf/resolve-profile.js';
import type { Selection } from './selection.js';

export interface ProfileXmlOptions {
  /** Prefix the Benchmark uses for XCCDF 1.2 elements ('' = default namespace). */
  prefix: string;
  /** Indentation of the Profile's start tag, and one level. */
  indent: string;
  unit: string;
  /** Groups to select explicitly (kept Groups whose own `selected` is false). */
  groups: readonly string[];
  /** Values present in the generated Benchmark (refinements of others are left out). */
  keptValues: ReadonlySet<string>;
}

export function profileXml(selection: Selection, options: ProfileXmlOptions): string {
  const q = (name: string): string => (options.prefix ? `${options.prefix}:${name}` : name);
  const profile = selection.resolved.profile;
  const w = new XmlWriter(options.unit);
  w.start(q('Profile'), [['id', selection.profileId]]);
  w.leaf(q('title'), [], profile?.title ?? selection.profileId);
  if (profile?.description) w.leaf(q('description'), [], profile.description);
  for (const platform of profile?.platforms ?? []) w.leaf(q('platform'), [['idref', platform]]);
  for (const group of options.groups)
    w.leaf(q('select'), [
      ['idref', group],
      ['selected', 'true'],
    ]);
  for (const rule of selection.rules)
    w.leaf(q('select'), [
      ['idref', rule.id],
      ['selected', 'true'],
    ]);
  const values = selection.values.filter((v) => options.keptValues.has(v.id));
  for (const value of values) refineValue(w, q, selection, value);
  for (const r of selection.refineRules) {
    w.leaf(q('refine-rule'), [
      ['idref', r.idref],
      ['weight', r.weight],
      ['selector', r.selector],
      ['severity', r.severity],
      ['role', r.role],
    ]);
  }
  for (const value of values) {
    if (value.source === 'set-value') w.leaf(q('set-value'), [['idref', value.id]], value.value);
  }
  w.end(q('Profile'));
  // The writer indents from column 0; the Profile replaces one that sat at `indent`.
  const lines = w.toString().replace(/\n$/, '').split('\n');
  return lines.map((line, i) => (i === 0 ? line : options.indent + line)).join('\n');
}

function refineValue(
  w: XmlWriter,
  q: (name: string) => string,
  selection: Selection,
  value: ResolvedValue,
): void {
  const declared = selection.benchmark.values.get(value.id)?.operator;
  const operator = value.operator !== declared ? value.operator : undefined;
  const selector = value.source === 'selector' ? value.selector : undefined;
  if (operator === undefined && selector === undefined) return;
  w.leaf(q('refine-value'), [
    ['idref', value.id],
    ['selector', selector],
    ['operator', operator],
  ]);
}
