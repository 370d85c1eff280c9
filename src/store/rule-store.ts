/**
 * Reading the rule store: the manifest of sources, then each source's JSON indexes on first use.
 * Synchronous after `openRuleStore` so callers (tailoring, generation, `vouch rules`) can filter and
 * look up without threading promises; an index is parsed once per RuleStore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { VouchError } from '../core/errors.js';
import { shortVariableName } from '../scap/variables/typed-variable.js';
import { readJson, resolveStoreDir, storePaths } from './files.js';
import { controlMatches, frameworkMatcher } from './references.js';
import {
  STORE_FORMAT,
  type StoredFix,
  type StoredProfile,
  type StoredRule,
  type StoredSource,
  type StoredVariable,
  type StoreManifest,
} from './types.js';

export interface RuleFilter {
  /** Case-insensitive substring of the rule id (full or short) or title. */
  search?: string;
  /** Framework id or alias (cis, nist, stig, pcidss, ...); see references.ts. */
  framework?: string;
  /** Control id; with `framework` only that framework's references, else any. `5.2` matches `5.2.1`. */
  control?: string;
  /** One severity or several, comma-separated (low,medium). */
  severity?: string;
  /** Only this source. */
  source?: string;
  /** Only rules this profile selects (full or short id; `source` narrows an ambiguous short id). */
  profile?: string;
}

export interface RuleStore {
  readonly dir: string;
  sources(): StoredSource[];
  source(id: string): StoredSource;
  /** The verbatim data stream of a source (kind datastream); oscap and generation read it. */
  datastreamPath(sourceId: string): string;
  profiles(sourceId?: string): StoredProfile[];
  findProfile(idOrShort: string, sourceId?: string): { sourceId: string; profile: StoredProfile };
  rules(filter?: RuleFilter): StoredRule[];
  rule(idOrShort: string, sourceId?: string): StoredRule;
  variables(sourceId: string): StoredVariable[];
  variable(name: string, sourceId?: string): StoredVariable;
  /** Value ids and short names the user marked sensitive (`--sensitive` on import). */
  sensitiveMarks(): string[];
}

export interface SensitiveMarks {
  marks: string[];
}

export async function readManifest(dir: string): Promise<StoreManifest> {
  const manifest = await readJson<StoreManifest>(storePaths.manifest(dir), {
    format: STORE_FORMAT,
    sources: [],
  });
  if (manifest.format !== STORE_FORMAT || !Array.isArray(manifest.sources)) {
    throw new VouchError(
      'STORE_FORMAT',
      `${storePaths.manifest(dir)}: store format ${manifest.format}, this Vouch reads format ${STORE_FORMAT}; re-import the content into a new --store`,
    );
  }
  return manifest;
}

export async function readSensitiveMarks(dir: string): Promise<string[]> {
  return (await readJson<SensitiveMarks>(storePaths.sensitive(dir), { marks: [] })).marks;
}

function loadIndex<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new VouchError('STORE_CORRUPT', `${path}: ${(error as Error).message}; re-import the source`, {
      cause: error,
    });
  }
}

function matchesId(full: string, short: string, wanted: string): boolean {
  return full === wanted || short === wanted;
}

/**
 * Opens the store at `dir` (else VOUCH_STORE, else ~/.local/share/vouch/store). A store that does
 * not exist yet is empty, not an error: `vouch rules list` on a fresh machine says so.
 */
export async function openRuleStore(dir?: string): Promise<RuleStore> {
  const root = resolveStoreDir(dir);
  const manifest = await readManifest(root);
  const marks = new Set(await readSensitiveMarks(root));
  const cache = new Map<string, unknown>();
  const cached = <T>(path: string): T => {
    if (!cache.has(path)) cache.set(path, loadIndex<T>(path));
    return cache.get(path) as T;
  };
  const sourceIds = manifest.sources.map((s) => s.id);

  const source = (id: string): StoredSource => {
    const found = manifest.sources.find((s) => s.id === id);
    if (!found) {
      throw new VouchError(
        'UNKNOWN_SOURCE',
        `unknown source ${id} in ${root} (known: ${sourceIds.join(', ') || 'none; run vouch content import'})`,
      );
    }
    return found;
  };
  const rulesOf = (id: string): StoredRule[] => {
    const path = storePaths.rules(root, source(id).id);
    if (!cache.has(path)) {
      const fixesPath = storePaths.fixes(root, id);
      const rules = loadIndex<StoredRule[]>(path);
      // fixes.json is parsed on the first read of any rule's `fixes`, so searching never pays for it.
      for (const rule of rules) {
        Object.defineProperty(rule, 'fixes', {
          enumerable: true,
          configurable: true,
          get: () => cached<Record<string, StoredFix[]>>(fixesPath)[rule.id] ?? [],
        });
      }
      cache.set(path, rules);
    }
    return cache.get(path) as StoredRule[];
  };
  const profilesOf = (id: string) => cached<StoredProfile[]>(storePaths.profiles(root, source(id).id));
  const variablesOf = (id: string): StoredVariable[] =>
    cached<StoredVariable[]>(storePaths.variables(root, source(id).id)).map((v) =>
      v.sensitive || !(marks.has(v.id) || marks.has(v.name)) ? v : { ...v, sensitive: true },
    );
  const inScope = (sourceId?: string): string[] =>
    sourceId === undefined ? sourceIds : [source(sourceId).id];

  const findProfile = (idOrShort: string, sourceId?: string) => {
    const hits = inScope(sourceId).flatMap((sid) =>
      profilesOf(sid)
        .filter((p) => matchesId(p.id, p.shortId, idOrShort))
        .map((profile) => ({ sourceId: sid, profile })),
    );
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) {
      throw new VouchError(
        'AMBIGUOUS_PROFILE',
        `profile ${idOrShort} is in several sources (${hits.map((h) => h.sourceId).join(', ')}); name the source`,
      );
    }
    const known = inScope(sourceId)
      .map(
        (sid) =>
          `${sid}: ${
            profilesOf(sid)
              .map((p) => p.shortId)
              .join(', ') || 'none'
          }`,
      )
      .join('; ');
    throw new VouchError(
      'UNKNOWN_PROFILE',
      `unknown profile ${idOrShort} (known: ${known || 'no sources imported'})`,
    );
  };

  const rules = (filter: RuleFilter = {}): StoredRule[] => {
    const tests: ((r: StoredRule) => boolean)[] = [];
    if (filter.search) {
      const needle = filter.search.toLowerCase();
      tests.push(
        (r) => r.id.toLowerCase().includes(needle) || (r.title ?? '').toLowerCase().includes(needle),
      );
    }
    if (filter.severity) {
      const wanted = new Set(filter.severity.split(',').map((s) => s.trim().toLowerCase()));
      tests.push((r) => wanted.has(r.severity));
    }
    let scope = inScope(filter.source);
    if (filter.profile) {
      const { sourceId, profile } = findProfile(filter.profile, filter.source);
      scope = [sourceId];
      const selected = new Set(profile.selectedRules);
      tests.push((r) => selected.has(r.id));
    }
    if (filter.framework || filter.control) {
      const keys = new Set<string>();
      if (filter.framework)
        for (const sid of scope)
          for (const r of rulesOf(sid)) for (const k of Object.keys(r.references)) keys.add(k);
      const inFramework = filter.framework ? frameworkMatcher(filter.framework, keys) : () => true;
      const control = filter.control;
      tests.push((r) =>
        Object.entries(r.references).some(
          ([key, controls]) =>
            inFramework(key) && (control === undefined || controls.some((c) => controlMatches(c, control))),
        ),
      );
    }
    return scope.flatMap((sid) => rulesOf(sid).filter((r) => tests.every((t) => t(r))));
  };

  return {
    dir: root,
    sources: () => [...manifest.sources],
    source,
    datastreamPath(sourceId) {
      const s = source(sourceId);
      if (s.kind !== 'datastream') {
        throw new VouchError(
          'NO_DATASTREAM',
          `source ${s.id} was imported from ComplianceAsCode rule directories and has no data stream`,
        );
      }
      const path = storePaths.datastream(root, s.sha256);
      if (!existsSync(path)) throw new VouchError('STORE_CORRUPT', `${path}: missing; re-import ${s.origin}`);
      return path;
    },
    profiles: (sourceId) => inScope(sourceId).flatMap(profilesOf),
    findProfile,
    rules,
    rule(idOrShort, sourceId) {
      const hits = inScope(sourceId).flatMap((sid) =>
        rulesOf(sid).filter((r) => matchesId(r.id, r.shortId, idOrShort)),
      );
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) {
        throw new VouchError(
          'AMBIGUOUS_RULE',
          `rule ${idOrShort} is in several sources (${hits.map((r) => r.sourceId).join(', ')}); name the source (--source)`,
        );
      }
      throw new VouchError(
        'UNKNOWN_RULE',
        `unknown rule ${idOrShort}${sourceId ? ` in source ${sourceId}` : ''} (search with: vouch rules list --search TEXT)`,
      );
    },
    variables: (sourceId) => variablesOf(sourceId),
    variable(name, sourceId) {
      const short = shortVariableName(name);
      const hits = inScope(sourceId).flatMap((sid) =>
        variablesOf(sid).filter((v) => v.id === name || v.name === short),
      );
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) {
        throw new VouchError(
          'AMBIGUOUS_VARIABLE',
          `variable ${name} is in several sources (${hits.map((v) => v.sourceId).join(', ')}); name the source`,
        );
      }
      throw new VouchError(
        'UNKNOWN_VARIABLE',
        `unknown variable ${name}${sourceId ? ` in source ${sourceId}` : ''}`,
      );
    },
    sensitiveMarks: () => [...marks],
  };
}
