/**
 * Fact cache keyed by fact key. A cached fact is reused when its sources still have the
 * fingerprints they had at collection time (and its TTL, if any, has not run out); volatile facts
 * (runtime state no file can signal) are never reused.
 */
import type { FactResult } from '../facts/fact-result.js';
import type { FactProvider } from './fact-provider.js';

interface CacheEntry {
  result: FactResult;
  collectedAt: number;
}

export class FactCache {
  readonly #entries = new Map<string, CacheEntry>();

  get size(): number {
    return this.#entries.size;
  }

  set(key: string, result: FactResult, now: number): void {
    this.#entries.set(key, { result, collectedAt: now });
  }

  peek(key: string): FactResult | undefined {
    return this.#entries.get(key)?.result;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /**
   * Returns the keys among `keys` whose cached fact is still valid. Fingerprints are fetched in one
   * batch, so revalidating a whole scan costs one stat per distinct source path.
   */
  async validKeys(keys: readonly string[], provider: FactProvider, now: number): Promise<Set<string>> {
    const candidates: { key: string; entry: CacheEntry }[] = [];
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (!entry || entry.result.volatile) continue;
      if (entry.result.ttlMs !== undefined && now - entry.collectedAt > entry.result.ttlMs) continue;
      candidates.push({ key, entry });
    }
    const paths = [...new Set(candidates.flatMap(({ entry }) => entry.result.sources.map((s) => s.path)))];
    const current = new Map<string, string>();
    if (paths.length > 0) {
      const fingerprints = await provider.fingerprint(paths);
      paths.forEach((path, i) => {
        current.set(path, fingerprints[i] ?? '');
      });
    }
    const valid = new Set<string>();
    for (const { key, entry } of candidates) {
      // A fact with a TTL (the walk) lists as sources only what it depends on besides the tree it
      // summarises (the id databases); the tree itself is refreshed when the TTL runs out.
      const unchanged = entry.result.sources.every(
        (source) => current.get(source.path) === source.fingerprint,
      );
      if (unchanged) valid.add(key);
    }
    return valid;
  }
}
