/**
 * Navigation over a loaded source: which benchmarks it offers, and which component a check href names.
 *
 * SCAP 1.2/1.3 resolution: a check's `href` (e.g. `ssg-debian11-oval.xml`) is looked up in the catalog
 * of the component-ref that brought in the referring component; the catalog yields a component-ref id,
 * whose `xlink:href` names the component. Hrefs of the form `#component-ref-id` are direct.
 */

import type { CpeDictionary } from '../model/cpe.js';
import type { ComponentRef, DataStream, ScapSource } from '../model/datastream.js';
import type { OvalDocument } from '../model/oval.js';
import type { XccdfBenchmark } from '../model/xccdf.js';

/** One benchmark as reachable from a data stream (or the standalone benchmark). */
export interface BenchmarkContext {
  source: ScapSource;
  dataStream: DataStream | undefined;
  /** The component-ref that brought the benchmark in (its catalog resolves check hrefs). */
  componentRef: ComponentRef | undefined;
  componentId: string;
  benchmark: XccdfBenchmark;
}

export function benchmarksOf(source: ScapSource): BenchmarkContext[] {
  if (source.kind !== 'data-stream-collection') {
    return [...source.components.values()].flatMap((c) =>
      c.content.kind === 'xccdf'
        ? [
            {
              source,
              dataStream: undefined,
              componentRef: undefined,
              componentId: c.id,
              benchmark: c.content.benchmark,
            },
          ]
        : [],
    );
  }
  const out: BenchmarkContext[] = [];
  for (const dataStream of source.dataStreams) {
    for (const ref of dataStream.checklists) {
      const component = source.components.get(ref.componentId);
      if (component?.content.kind === 'xccdf') {
        out.push({
          source,
          dataStream,
          componentRef: ref,
          componentId: component.id,
          benchmark: component.content.benchmark,
        });
      }
    }
  }
  return out;
}

/**
 * Where a check/CPE href leads: a component of this source, a remote resource (SSG's
 * `security_patches_up_to_date` names Canonical's CVE OVAL by URL; oscap only follows it with
 * --fetch-remote-resources, and Vouch never fetches), or nowhere.
 */
export type HrefTarget =
  | { kind: 'component'; id: string }
  | { kind: 'remote'; url: string }
  | { kind: 'missing' };

export function resolveHref(
  source: ScapSource,
  dataStream: DataStream | undefined,
  via: ComponentRef | undefined,
  href: string,
): HrefTarget {
  const allRefs = dataStream
    ? [...dataStream.dictionaries, ...dataStream.checklists, ...dataStream.checks]
    : [];
  const refId = href.startsWith('#') ? href.slice(1) : via?.catalog.get(href);
  const ref = refId === undefined ? undefined : allRefs.find((r) => r.id === refId);
  if (ref && source.components.has(ref.componentId)) return { kind: 'component', id: ref.componentId };
  if (ref && !ref.href.startsWith('#')) return { kind: 'remote', url: ref.href };
  // A `#component-id` href pointing straight at a component (allowed by some producers).
  if (href.startsWith('#') && source.components.has(href.slice(1)))
    return { kind: 'component', id: href.slice(1) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(href)) return { kind: 'remote', url: href };
  return { kind: 'missing' };
}

export function ovalFor(ctx: BenchmarkContext, href: string): OvalDocument | undefined {
  const target = resolveHref(ctx.source, ctx.dataStream, ctx.componentRef, href);
  const content = target.kind === 'component' ? ctx.source.components.get(target.id)?.content : undefined;
  return content?.kind === 'oval' ? content.oval : undefined;
}

/** The CPE dictionary of the data stream and the component-ref whose catalog resolves its check hrefs. */
export function cpeDictionaryFor(
  ctx: BenchmarkContext,
): { dictionary: CpeDictionary; ref: ComponentRef } | undefined {
  for (const ref of ctx.dataStream?.dictionaries ?? []) {
    const content = ctx.source.components.get(ref.componentId)?.content;
    if (content?.kind === 'cpe-dictionary') return { dictionary: content.dictionary, ref };
  }
  return undefined;
}
