/**
 * Assembles the generated SCAP 1.3 source data stream: one data-stream whose checklists, checks and
 * dictionaries name pruned verbatim copies of the source components (same component and
 * component-ref ids, same timestamps), with catalogs that map the hrefs the copied Rules and CPE
 * items use to the component-refs kept.
 */
import { VouchError } from '../../core/errors.js';
import type { BenchmarkContext } from '../datastream/resolve.js';
import type { Component, ComponentRef } from '../model/datastream.js';
import { escapeAttribute, XmlWriter } from '../report/xml-writer.js';
import { NS } from '../xml/namespaces.js';
import { detachedElementText } from '../xml/xml-tree.js';
import { type ElementSpan, indexElement, startOf } from './element-index.js';
import { needsOf } from './needs.js';
import { profileXml } from './profile-xml.js';
import {
  CPE_EXPANDED,
  OCIL_EXPANDED,
  OVAL_EXPANDED,
  type PruneCounts,
  pruneCpeDictionary,
  pruneOcil,
  pruneOval,
} from './prune-components.js';
import { pruneBenchmark, XCCDF_EXPANDED, xccdfKeep } from './prune-xccdf.js';
import type { Selection } from './selection.js';
import { lineIndent, type SpliceDecision, spliceInto } from './splice.js';

export interface BuildInput {
  context: BenchmarkContext;
  /** The source text the model was parsed from. */
  text: string;
  selection: Selection;
  /** Short hash used in the collection and data stream ids. */
  idSuffix: string;
}

export interface BuildStats {
  rules: number;
  groups: number;
  values: number;
  ovalItems: PruneCounts;
  ocilItems: PruneCounts;
  cpeItems: PruneCounts;
  components: number;
}

export function buildDatastream(input: BuildInput): { xml: string; stats: BuildStats } {
  const { context: ctx, text, selection } = input;
  const source = ctx.source;
  const fileName = source.path;
  const keptRules = new Set(selection.rules.map((r) => r.id));

  const rootOf = (component: Component, expanded: ReadonlySet<string>): ElementSpan => {
    if (!component.span) {
      throw new VouchError(
        'SCAP_GENERATE',
        `${fileName}: no source position recorded for component ${component.id}`,
      );
    }
    const start = startOf(text, component.span.nameEnd);
    return indexElement(text, start, (e) => expanded.has(e.name), fileName);
  };

  const xccdfComponent = source.components.get(ctx.componentId) as Component;
  const benchmarkRoot = rootOf(xccdfComponent, XCCDF_EXPANDED);
  const keep = xccdfKeep({ text, root: benchmarkRoot, benchmark: selection.benchmark, keptRules });

  const platformRefs = [
    ...ctx.benchmark.platforms,
    ...(selection.resolved.profile?.platforms ?? []),
    ...selection.rules.flatMap((r) => r.platforms),
    ...[...keep.groups].flatMap((id) => selection.benchmark.groups.get(id)?.platforms ?? []),
  ];
  const needs = needsOf(ctx, selection.rules, platformRefs);

  const firstProfileOrItem = benchmarkRoot.children?.find((c) =>
    ['Profile', 'Value', 'Group', 'Rule'].includes(c.name),
  );
  const benchmarkTag = text.slice(benchmarkRoot.start + 1, benchmarkRoot.nameEnd - 1);
  const prefix = benchmarkTag.includes(':') ? benchmarkTag.slice(0, benchmarkTag.indexOf(':')) : '';
  const indent = firstProfileOrItem ? lineIndent(text, firstProfileOrItem.start) : '  ';
  const groupsToSelect = [...keep.groups].filter((id) => {
    const group = selection.benchmark.groups.get(id);
    return group && !group.selected && selection.rules.some((r) => r.ancestors.includes(id));
  });
  const profile = profileXml(selection, {
    prefix,
    indent,
    unit: indentUnit(indent, lineIndent(text, benchmarkRoot.start)),
    groups: groupsToSelect,
    keptValues: keep.values,
  });
  // componentId -> the indexed root and how its children are copied.
  const plans = new Map<string, { root: ElementSpan; decide: (child: ElementSpan) => SpliceDecision }>();
  plans.set(xccdfComponent.id, {
    root: benchmarkRoot,
    decide: pruneBenchmark({ text, root: benchmarkRoot, benchmark: selection.benchmark, keptRules }, keep, {
      profile,
      platforms: needs.platforms,
    }),
  });

  const stats: BuildStats = {
    rules: keptRules.size,
    groups: keep.groups.size,
    values: keep.values.size,
    ovalItems: { kept: 0, dropped: 0 },
    ocilItems: { kept: 0, dropped: 0 },
    cpeItems: { kept: 0, dropped: 0 },
    components: 0,
  };
  const whole = (): SpliceDecision => 'keep';
  for (const [id, need] of needs.components) {
    const component = source.components.get(id);
    if (!component?.span) continue;
    const content = component.content;
    if (need.kind === 'oval' && content.kind === 'oval') {
      const root = rootOf(component, OVAL_EXPANDED);
      plans.set(id, {
        root,
        decide: need.whole ? whole : pruneOval(content.oval, need.ids, stats.ovalItems),
      });
    } else if (need.kind === 'ocil' && content.kind === 'ocil') {
      const root = rootOf(component, OCIL_EXPANDED);
      plans.set(id, { root, decide: need.whole ? whole : pruneOcil(text, root, need.ids, stats.ocilItems) });
    }
  }
  const dictionaryRef = ctx.dataStream?.dictionaries.find(
    (r) => source.components.get(r.componentId)?.content.kind === 'cpe-dictionary',
  );
  const dictionary = dictionaryRef ? source.components.get(dictionaryRef.componentId) : undefined;
  const items =
    dictionary?.content.kind === 'cpe-dictionary' ? dictionary.content.dictionary.items : undefined;
  if (dictionary && items && [...needs.cpeNames].some((name) => items.has(name))) {
    plans.set(dictionary.id, {
      root: rootOf(dictionary, CPE_EXPANDED),
      decide: pruneCpeDictionary(needs.cpeNames, stats.cpeItems),
    });
  }
  stats.components = plans.size;
  return { xml: writeCollection(input, plans, needs.remoteRefs), stats };
}

function indentUnit(itemIndent: string, rootIndent: string): string {
  return itemIndent.startsWith(rootIndent) && itemIndent.length > rootIndent.length
    ? itemIndent.slice(rootIndent.length)
    : '  ';
}

type Plan = { root: ElementSpan; decide: (child: ElementSpan) => SpliceDecision };

function writeCollection(
  input: BuildInput,
  plans: ReadonlyMap<string, Plan>,
  remoteRefs: ReadonlySet<string>,
): string {
  const { context: ctx, text } = input;
  const source = ctx.source;
  const dataStream = ctx.dataStream;
  // Remote component-refs stay when a kept rule names them: oscap fetches them on request.
  const kept = (ref: ComponentRef): boolean => plans.has(ref.componentId) || remoteRefs.has(ref.id);
  const dictionaries = (dataStream?.dictionaries ?? []).filter(kept);
  const checklists = ctx.componentRef ? [ctx.componentRef] : [];
  const checks = (dataStream?.checks ?? []).filter(kept);
  const keptRefIds = new Set([...dictionaries, ...checklists, ...checks].map((r) => r.id));

  const w = new XmlWriter('  ');
  w.start('ds:data-stream', [
    ['id', `scap_dev.vouch_datastream_${input.idSuffix}`],
    ['scap-version', '1.3'],
    ['use-case', dataStream?.useCase ?? 'OTHER'],
  ]);
  const section = (name: string, refs: readonly ComponentRef[]): void => {
    if (refs.length === 0) return;
    w.start(`ds:${name}`);
    for (const ref of refs) {
      const catalog = [...ref.catalog].filter(([, refId]) => keptRefIds.has(refId));
      const attributes = [
        ['id', ref.id],
        ['xlink:href', ref.href],
      ] as const;
      if (catalog.length === 0) {
        w.leaf('ds:component-ref', attributes);
        continue;
      }
      w.start('ds:component-ref', attributes);
      w.start('cat:catalog');
      for (const [name, refId] of catalog) {
        w.leaf('cat:uri', [
          ['name', name],
          ['uri', `#${refId}`],
        ]);
      }
      w.end('cat:catalog');
      w.end('ds:component-ref');
    }
    w.end(`ds:${name}`);
  };
  section('dictionaries', dictionaries);
  section('checklists', checklists);
  section('checks', checks);
  w.end('ds:data-stream');

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<ds:data-stream-collection xmlns:ds="${NS.ds}" xmlns:xlink="${NS.xlink}" xmlns:cat="${NS.catalog}"`,
    ` id="scap_dev.vouch_collection_${input.idSuffix}" schematron-version="1.3">\n`,
    w.toString().replace(/^/gm, '  ').replace(/ {2}$/, ''),
  ];
  // Components in source order (the SSG order: dictionary, benchmark, checks).
  for (const component of source.components.values()) {
    const plan = plans.get(component.id);
    if (!plan || !component.span) continue;
    const timestamp =
      component.timestamp === undefined ? '' : ` timestamp="${escapeAttribute(component.timestamp)}"`;
    out.push(`  <ds:component id="${escapeAttribute(component.id)}"${timestamp}>\n    `);
    // The copy's start tag takes the namespace declarations it inherited from the source's
    // collection and component elements, so it means the same thing here.
    const startTag = detachedElementText(text, { ...component.span, end: plan.root.tagEnd }, source.path);
    spliceInto(out, text, plan.root, plan.decide, startTag);
    out.push('\n  </ds:component>\n');
  }
  out.push('</ds:data-stream-collection>\n');
  return out.join('');
}
