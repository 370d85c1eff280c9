/**
 * The scan engine: plan, collect, evaluate.
 *
 * 1. Plan: prepare every selected rule, deduplicate the facts they need (one read of sshd_config for
 *    every SSH rule, one walk for every filesystem-wide rule) and index fact -> rules.
 * 2. Collect: answer each distinct fact once through the FactProvider, with bounded concurrency,
 *    reusing cached facts whose sources' fingerprints have not changed.
 * 3. Evaluate: run each rule as a pure function of its facts; on a rescan only rules that depend on a
 *    re-collected fact are evaluated again.
 */
import type { CheckTypeRegistry } from '../checks/registry.js';
import type { FactRequest } from '../facts/fact-request.js';
import type { FactResult } from '../facts/fact-result.js';
import type { RuleResult } from '../results.js';
import type { Rule } from '../rules/rule.js';
import type { VariableValue } from '../rules/variables.js';
import { evaluateRule } from './evaluate-rule.js';
import { FactCache } from './fact-cache.js';
import type { FactProvider } from './fact-provider.js';
import { mapWithConcurrency } from './limiter.js';
import { type PreparedRule, prepareRule, SpecParser } from './prepare.js';

export interface ScanProgress {
  phase: 'plan' | 'collect' | 'evaluate';
  done: number;
  total: number;
}

export interface ScanEngineOptions {
  registry: CheckTypeRegistry;
  provider: FactProvider;
  /** Facts collected at once; collection is I/O bound, so this exceeds the core count. */
  concurrency?: number;
  now?: () => number;
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanInput {
  rules: readonly Rule[];
  variables: ReadonlyMap<string, VariableValue>;
}

export interface EngineScanStats {
  rules: number;
  factsPlanned: number;
  factsCollected: number;
  factsFromCache: number;
  rulesEvaluated: number;
  rulesReused: number;
  timings: { planMs: number; collectMs: number; evaluateMs: number };
  /** Collection time per fact kind (sum over facts of that kind), to see where time goes. */
  collectMsByKind: Record<string, number>;
}

export interface EngineScan {
  results: RuleResult[];
  stats: EngineScanStats;
}

interface RememberedResult {
  result: RuleResult;
  preparedKey: string;
}

export class ScanEngine {
  readonly #registry: CheckTypeRegistry;
  readonly #provider: FactProvider;
  readonly #parser: SpecParser;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #onProgress: ((progress: ScanProgress) => void) | undefined;
  readonly #cache = new FactCache();
  readonly #prepared = new Map<string, { key: string; prepared: PreparedRule }>();
  readonly #results = new Map<string, RememberedResult>();
  #requests = new Map<string, FactRequest>();
  #index = new Map<string, string[]>();

  constructor(options: ScanEngineOptions) {
    this.#registry = options.registry;
    this.#provider = options.provider;
    this.#parser = new SpecParser(options.registry);
    this.#concurrency = options.concurrency ?? 16;
    this.#now = options.now ?? (() => performance.now());
    this.#onProgress = options.onProgress;
  }

  /** fact key -> ids of the rules that read it (for drift detection: what a change affects). */
  factIndex(): ReadonlyMap<string, readonly string[]> {
    return this.#index;
  }

  /** The distinct fact requests of the last scan, by key. */
  factRequests(): ReadonlyMap<string, FactRequest> {
    return this.#requests;
  }

  /** The cached result of a fact of the last scan (its value and the sources it was read from). */
  cachedFact(key: string): FactResult | undefined {
    return this.#cache.peek(key);
  }

  /** Forget cached facts so the next scan collects them again (e.g. a watcher saw their files change). */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) this.#cache.delete(key);
  }

  async scan(input: ScanInput): Promise<EngineScan> {
    const planStart = this.#now();
    const prepared = await this.#plan(input);
    const planMs = this.#now() - planStart;

    const collectStart = this.#now();
    const { facts, fresh, collectMsByKind } = await this.#collect();
    const collectMs = this.#now() - collectStart;

    const evaluateStart = this.#now();
    let rulesReused = 0;
    const results: RuleResult[] = [];
    prepared.forEach(({ key, prepared: rule }, i) => {
      const remembered = this.#results.get(rule.rule.id);
      const dependsOnFresh = [...rule.facts.keys()].some((factKey) => fresh.has(factKey));
      if (remembered && remembered.preparedKey === key && !dependsOnFresh) {
        results.push(remembered.result);
        rulesReused++;
      } else {
        const result = evaluateRule(rule, {
          parser: this.#parser,
          targetKind: this.#provider.targetKind,
          facts,
          now: this.#now,
        });
        this.#results.set(rule.rule.id, { result, preparedKey: key });
        results.push(result);
      }
      this.#onProgress?.({ phase: 'evaluate', done: i + 1, total: prepared.length });
    });
    const evaluateMs = this.#now() - evaluateStart;

    return {
      results,
      stats: {
        rules: prepared.length,
        factsPlanned: this.#requests.size,
        factsCollected: fresh.size,
        factsFromCache: this.#requests.size - fresh.size,
        rulesEvaluated: prepared.length - rulesReused,
        rulesReused,
        timings: { planMs, collectMs, evaluateMs },
        collectMsByKind,
      },
    };
  }

  async #plan(input: ScanInput): Promise<{ key: string; prepared: PreparedRule }[]> {
    const variables = Object.fromEntries([...input.variables].sort(([a], [b]) => a.localeCompare(b)));
    const planned: { key: string; prepared: PreparedRule }[] = [];
    let done = 0;
    for (const rule of input.rules) {
      // A rule is re-prepared only when its definition or the variable values changed.
      const key = JSON.stringify([rule, variables]);
      let entry = this.#prepared.get(rule.id);
      if (!entry || entry.key !== key) {
        entry = {
          key,
          prepared: await prepareRule(rule, {
            registry: this.#registry,
            parser: this.#parser,
            variables: input.variables,
            targetKind: this.#provider.targetKind,
          }),
        };
        this.#prepared.set(rule.id, entry);
      }
      planned.push(entry);
      this.#onProgress?.({ phase: 'plan', done: ++done, total: input.rules.length });
    }

    this.#requests = new Map();
    this.#index = new Map();
    for (const { prepared } of planned) {
      for (const [factKey, request] of prepared.facts) {
        this.#requests.set(factKey, request);
        const readers = this.#index.get(factKey);
        if (readers) readers.push(prepared.rule.id);
        else this.#index.set(factKey, [prepared.rule.id]);
      }
    }
    return planned;
  }

  async #collect(): Promise<{
    facts: Map<string, FactResult>;
    fresh: Set<string>;
    collectMsByKind: Record<string, number>;
  }> {
    const keys = [...this.#requests.keys()];
    const valid = await this.#cache.validKeys(keys, this.#provider, Date.now());
    const facts = new Map<string, FactResult>();
    const toCollect: string[] = [];
    for (const key of keys) {
      const cached = valid.has(key) ? this.#cache.peek(key) : undefined;
      if (cached) facts.set(key, cached);
      else toCollect.push(key);
    }
    // The walk is by far the longest collection: start it first so everything else overlaps with it.
    toCollect.sort((a, b) => Number(b === 'walk') - Number(a === 'walk'));

    const collectMsByKind: Record<string, number> = {};
    let done = 0;
    this.#provider.beginPass?.();
    try {
      await this.#collectAll(toCollect, facts, collectMsByKind, () => ++done);
    } finally {
      this.#provider.endPass?.();
    }
    return { facts, fresh: new Set(toCollect), collectMsByKind };
  }

  async #collectAll(
    toCollect: string[],
    facts: Map<string, FactResult>,
    collectMsByKind: Record<string, number>,
    countDone: () => number,
  ): Promise<void> {
    await mapWithConcurrency(toCollect, this.#concurrency, async (key) => {
      const request = this.#requests.get(key) as FactRequest;
      const started = this.#now();
      const result = await this.#provider.collect(request);
      const elapsed = this.#now() - started;
      collectMsByKind[request.kind] = (collectMsByKind[request.kind] ?? 0) + elapsed;
      this.#cache.set(key, result, Date.now());
      facts.set(key, result);
      this.#onProgress?.({ phase: 'collect', done: countDone(), total: toCollect.length });
    });
  }
}
