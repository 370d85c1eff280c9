/**
 * Which content the kept rules reach outside the Benchmark: per component, the OVAL definitions
 * (check system OVAL, and the CPE checks of the platforms in use) or OCIL questionnaires they name.
 * Hrefs resolve through the data stream catalogs as oscap resolves them; check systems other than
 * OVAL and OCIL have no component in the generated stream (their rules come out `notchecked`, as
 * oscap reports any check system it cannot run).
 */
import { type BenchmarkContext, cpeDictionaryFor, resolveHref } from '../datastream/resolve.js';
import type { CpeLogicalNode } from '../model/cpe.js';
import type { XccdfCheck, XccdfComplexCheck, XccdfRule } from '../model/xccdf.js';
import { OVAL_CHECK_SYSTEM } from '../xml/namespaces.js';

export interface ComponentNeeds {
  kind: 'oval' | 'ocil';
  /** Definition / questionnaire ids; `whole` when a check names the document without an id. */
  ids: Set<string>;
  whole: boolean;
}

export interface Needs {
  /** componentId -> what is needed from it. */
  components: Map<string, ComponentNeeds>;
  /** `cpe-lang:platform` ids (without `#`) of the Benchmark's platform-specification in use. */
  platforms: Set<string>;
  /** CPE names whose dictionary items are in use. */
  cpeNames: Set<string>;
  /** Component-refs to remote content (a URL, fetched by oscap only with --fetch-remote-resources) the rules name. */
  remoteRefs: Set<string>;
}

export function isOcilSystem(system: string): boolean {
  return system.startsWith('http://scap.nist.gov/schema/ocil/');
}

export function needsOf(
  ctx: BenchmarkContext,
  rules: readonly XccdfRule[],
  platformRefs: Iterable<string>,
): Needs {
  const needs: Needs = {
    components: new Map(),
    platforms: new Set(),
    cpeNames: new Set(),
    remoteRefs: new Set(),
  };
  const need = (kind: ComponentNeeds['kind'], componentId: string, id: string | undefined): void => {
    let entry = needs.components.get(componentId);
    if (!entry) {
      entry = { kind, ids: new Set(), whole: false };
      needs.components.set(componentId, entry);
    }
    if (id === undefined) entry.whole = true;
    else entry.ids.add(id);
  };
  const check = (c: XccdfCheck): void => {
    const kind = c.system === OVAL_CHECK_SYSTEM ? 'oval' : isOcilSystem(c.system) ? 'ocil' : undefined;
    if (!kind) return;
    for (const ref of c.contentRefs) {
      const target = resolveHref(ctx.source, ctx.dataStream, ctx.componentRef, ref.href);
      if (target.kind === 'component') need(kind, target.id, ref.name);
      const refId = ctx.componentRef?.catalog.get(ref.href);
      if (target.kind === 'remote' && refId !== undefined) needs.remoteRefs.add(refId);
    }
  };
  const complex = (c: XccdfComplexCheck): void => {
    for (const child of c.checks) {
      if (child.kind === 'check') check(child);
      else complex(child);
    }
  };
  for (const rule of rules) {
    for (const c of rule.checks) check(c);
    if (rule.complexCheck) complex(rule.complexCheck);
  }

  const spec = ctx.benchmark.platformSpecification.platforms;
  const logical = (node: CpeLogicalNode): void => {
    if (node.kind === 'fact-ref') needs.cpeNames.add(node.name);
    else if (node.kind === 'check-fact-ref') {
      const target = resolveHref(ctx.source, ctx.dataStream, ctx.componentRef, node.href);
      if (target.kind === 'component' && node.system === OVAL_CHECK_SYSTEM)
        need('oval', target.id, node.idref);
    } else for (const child of node.children) logical(child);
  };
  for (const ref of platformRefs) {
    if (ref.startsWith('#')) {
      const platform = spec.get(ref.slice(1));
      if (!platform) continue;
      needs.platforms.add(platform.id);
      if (platform.test) logical(platform.test);
    } else {
      needs.cpeNames.add(ref);
    }
  }

  const dictionary = cpeDictionaryFor(ctx);
  if (dictionary) {
    for (const name of needs.cpeNames) {
      for (const c of dictionary.dictionary.items.get(name)?.checks ?? []) {
        if (c.system !== OVAL_CHECK_SYSTEM || !c.href) continue;
        const target = resolveHref(ctx.source, ctx.dataStream, dictionary.ref, c.href);
        if (target.kind === 'component') need('oval', target.id, c.name);
      }
    }
  }
  return needs;
}
