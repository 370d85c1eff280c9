/**
 * What the last scan read, indexed for the watcher: source path -> fact keys (which facts a change
 * of that path invalidates), rule -> fact keys (which facts a drifted rule read), and the facts that
 * no file can signal (volatile) or that expire (TTL).
 *
 * Built from the engine's public view of its last scan (factRequests, cachedFact, factIndex), so the
 * engine needs no watch-specific API.
 */
import type { ScanEngine } from '../core/engine/scan-engine.js';
import type { FactResult } from '../core/facts/fact-result.js';

export interface SourceIndex {
  /** Target path -> keys of the facts read from it. */
  factsByPath: Map<string, Set<string>>;
  /** Rule id -> keys of the facts it reads. */
  factsByRule: Map<string, string[]>;
  /** Keys of facts that are re-collected on every scan (runtime state). */
  volatile: string[];
  /** Key -> TTL of facts that expire (the walk). */
  ttl: Map<string, number>;
  /** The fact objects of this scan: a different object after a rescan means it was re-collected. */
  results: Map<string, FactResult>;
}

export function buildSourceIndex(engine: ScanEngine): SourceIndex {
  const factsByPath = new Map<string, Set<string>>();
  const volatile: string[] = [];
  const ttl = new Map<string, number>();
  const results = new Map<string, FactResult>();
  for (const key of engine.factRequests().keys()) {
    const fact = engine.cachedFact(key);
    if (!fact) continue;
    results.set(key, fact);
    if (fact.volatile) volatile.push(key);
    if (fact.ttlMs !== undefined) ttl.set(key, fact.ttlMs);
    for (const source of fact.sources) {
      let keys = factsByPath.get(source.path);
      if (!keys) {
        keys = new Set();
        factsByPath.set(source.path, keys);
      }
      keys.add(key);
    }
  }
  const factsByRule = new Map<string, string[]>();
  for (const [key, rules] of engine.factIndex()) {
    for (const rule of rules) {
      const keys = factsByRule.get(rule);
      if (keys) keys.push(key);
      else factsByRule.set(rule, [key]);
    }
  }
  return { factsByPath, factsByRule, volatile, ttl, results };
}

/** Keys whose fact object changed between two indexes (re-collected by the scan in between). */
export function recollectedKeys(before: SourceIndex, after: SourceIndex): Set<string> {
  const keys = new Set<string>();
  for (const [key, fact] of after.results) if (before.results.get(key) !== fact) keys.add(key);
  return keys;
}

/** Source paths of the facts `keys`, in both indexes (a fact may have gained or lost sources). */
export function sourcesOf(keys: Iterable<string>, ...indexes: SourceIndex[]): Set<string> {
  const paths = new Set<string>();
  for (const key of keys) {
    for (const index of indexes) {
      for (const source of index.results.get(key)?.sources ?? []) paths.add(source.path);
    }
  }
  return paths;
}
