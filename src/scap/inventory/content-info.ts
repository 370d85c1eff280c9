/**
 * What `vouch content info` reports: the benchmarks of a source, their profiles with selected-rule
 * counts, and per profile the construct inventory. Plain data, so the CLI only formats it.
 */
import { type BenchmarkContext, benchmarksOf } from '../datastream/resolve.js';
import type { ComponentContent, ScapSource } from '../model/datastream.js';
import { findProfile, shortProfileId } from '../xccdf/profile-id.js';
import { resolveProfile } from '../xccdf/resolve-profile.js';
import { type ConstructInventory, constructInventory } from './construct-inventory.js';

export interface ProfileInfo {
  id: string;
  shortId: string;
  title: string | undefined;
  extends: string | undefined;
  selectedRules: number;
  inventory: ConstructInventory;
  warnings: string[];
}

export interface BenchmarkInfo {
  id: string;
  version: string | undefined;
  title: string | undefined;
  dataStream: string | undefined;
  platforms: string[];
  rules: number;
  groups: number;
  values: number;
  profiles: ProfileInfo[];
  /** Unknown constructs anywhere in the benchmark (not only those reached by a profile). */
  unknownXccdf: number;
}

export interface ContentInfo {
  path: string;
  kind: ScapSource['kind'];
  dataStreams: { id: string; scapVersion: string | undefined }[];
  components: { id: string; kind: string; summary: string }[];
  benchmarks: BenchmarkInfo[];
}

export interface ContentInfoOptions {
  profile?: string | undefined;
  /** `family:object_type` keys the evaluator has probes for (coverage). */
  supportedObjectTypes?: ReadonlySet<string>;
}

export function contentInfo(source: ScapSource, options: ContentInfoOptions = {}): ContentInfo {
  const benchmarks = benchmarksOf(source);
  return {
    path: source.path,
    kind: source.kind,
    dataStreams: source.dataStreams.map((d) => ({ id: d.id, scapVersion: d.scapVersion })),
    components: [...source.components.values()].map((c) => ({
      id: c.id,
      kind: c.content.kind,
      summary: componentSummary(c.content),
    })),
    benchmarks: benchmarks.map((ctx) => benchmarkInfo(ctx, options)),
  };
}

function benchmarkInfo(ctx: BenchmarkContext, options: ContentInfoOptions): BenchmarkInfo {
  const profileId = options.profile;
  const b = ctx.benchmark;
  const profiles = profileId === undefined ? b.profiles : [findProfile(b, profileId)];
  return {
    id: b.id,
    version: b.version,
    title: b.title,
    dataStream: ctx.dataStream?.id,
    platforms: b.platforms,
    rules: b.rules.size,
    groups: b.groups.size,
    values: b.values.size,
    unknownXccdf: b.unknown.length,
    profiles: profiles.map((p) => {
      const resolved = resolveProfile(b, p.id);
      return {
        id: p.id,
        shortId: shortProfileId(p.id),
        title: p.title,
        extends: p.extends,
        selectedRules: resolved.selectedRules.length,
        inventory: constructInventory(ctx, resolved.selectedRules, options.supportedObjectTypes),
        warnings: resolved.warnings,
      };
    }),
  };
}

function componentSummary(content: ComponentContent): string {
  switch (content.kind) {
    case 'xccdf':
      return `Benchmark ${content.benchmark.id}: ${content.benchmark.rules.size} rules, ${content.benchmark.profiles.length} profiles`;
    case 'oval': {
      const o = content.oval;
      return `${o.definitions.size} definitions, ${o.tests.size} tests, ${o.objects.size} objects, ${o.states.size} states, ${o.variables.size} variables`;
    }
    case 'cpe-dictionary':
      return `${content.dictionary.items.size} CPE items`;
    case 'ocil':
      return `${content.questionnaires} OCIL questionnaires (not evaluated)`;
    case 'unknown':
      return `not modelled: ${content.root}`;
  }
}
