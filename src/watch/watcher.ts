/**
 * `startWatch`: continuous compliance. One full scan sets the baseline; then the directories the
 * collected facts came from are watched, a burst of changes is debounced into one incremental
 * rescan (only facts whose sources changed are re-collected, only rules reading them re-evaluated)
 * and every rule whose status changed becomes a DriftEvent.
 *
 * Facts no file can signal (volatile runtime state) are re-read by a poll sweep every
 * `pollIntervalMs`; the sweep also revalidates every source fingerprint, the safety net for events
 * the kernel dropped (inotify queue overflow, watch limit). Facts with a TTL (the walk) are
 * refreshed when it runs out.
 *
 * Scans never overlap. Events arriving during a scan are held and replayed against the index the
 * scan produced (a file created in a new drop-in directory becomes a source only then), so the
 * final state after any burst is always evaluated.
 */
import { EventEmitter } from 'node:events';
import { posix } from 'node:path';
import type { DriftEvent } from '../core/drift.js';
import type { RuleResult, ScanResult } from '../core/results.js';
import { openScanSession, runSessionScan, type ScanSession } from '../scan/run-scan.js';
import { openTarget } from '../targets/index.js';
import type { Transport } from '../targets/transport.js';
import { Debouncer } from './debounce.js';
import { DirWatchers } from './dir-watchers.js';
import { diffResults } from './drift-diff.js';
import { eventStream } from './event-stream.js';
import type { DriftSink } from './sink.js';
import { SinkDispatcher } from './sink.js';
import { buildSourceIndex, recollectedKeys, type SourceIndex, sourcesOf } from './source-index.js';
import { type PathView, pathViewOf, planWatches, resolveEvent, type WatchedDir } from './watch-plan.js';

export { DEFAULT_DEBOUNCE_MS, DEFAULT_MAX_WAIT_MS, DEFAULT_POLL_INTERVAL_MS } from './defaults.js';

import { DEFAULT_DEBOUNCE_MS, DEFAULT_MAX_WAIT_MS, DEFAULT_POLL_INTERVAL_MS } from './defaults.js';

export interface WatchOptions {
  /** Watch this offline root directory; default: this machine. Ignored when `transport` is given. */
  root?: string;
  /** An open transport (the caller closes it). */
  transport?: Transport;
  profile?: string;
  rules?: string[];
  vars?: string[];
  contentDir?: string;
  cacheDir?: string | null;
  /** Copied into every event's target (for channel filters). */
  labels?: Record<string, string>;
  /** Poll sweep interval; 0 turns polling off. */
  pollIntervalMs?: number;
  /** Quiet window that ends a burst of changes. */
  debounceMs?: number;
  /** Longest a burst may postpone its evaluation. */
  maxWaitMs?: number;
  /** Alert channels; each event is delivered to each, never awaited by the watcher. */
  sinks?: DriftSink[];
  /** How long stop() waits for deliveries in flight (default 2000 ms). */
  flushMs?: number;
}

export interface WatchReady {
  /** The baseline scan. */
  result: ScanResult;
  watchedDirs: number;
  sourcePaths: number;
}

export type RescanReason = 'change' | 'poll' | 'ttl' | 'verify';

export interface RescanInfo {
  reasons: RescanReason[];
  /** Target paths whose events triggered the rescan. */
  paths: string[];
  factsCollected: number;
  rulesEvaluated: number;
  drift: number;
  durationMs: number;
}

export interface WatchEvents {
  drift: [DriftEvent];
  rescan: [RescanInfo];
  warning: [string];
  stopped: [];
}

export interface WatchHandle {
  /** Resolves after the baseline scan, with the watches in place; rejects when that scan fails. */
  ready: Promise<WatchReady>;
  /** Drift events from the moment iteration starts until stop(). */
  events: AsyncIterable<DriftEvent>;
  on<E extends keyof WatchEvents>(event: E, listener: (...args: WatchEvents[E]) => void): WatchHandle;
  off<E extends keyof WatchEvents>(event: E, listener: (...args: WatchEvents[E]) => void): WatchHandle;
  /**
   * Resolves once the changes seen so far are evaluated: no rescan running, none waiting out its
   * debounce. For tests and benchmarks that must know nothing more is coming for a change.
   */
  settled(): Promise<void>;
  /** Stops watching and polling, waits for a scan in progress and (briefly) for sink deliveries. */
  stop(): Promise<void>;
}

interface Batch {
  /** Fact keys to re-collect. */
  keys: Set<string>;
  /** Facts that triggered the batch without a file event (polled, expired). */
  facts: Set<string>;
  /** Changed paths as seen (target paths). */
  observed: Set<string>;
  reasons: Set<RescanReason>;
  /** Recompute the watch plan after the scan (entries appeared or vanished). */
  replan: boolean;
  firstSeenAt: number | undefined;
}

const emptyBatch = (): Batch => ({
  keys: new Set(),
  facts: new Set(),
  observed: new Set(),
  reasons: new Set(),
  replan: false,
  firstSeenAt: undefined,
});

interface HeldEvent {
  dir: WatchedDir;
  type: string;
  name: string | null;
  at: number;
}

export function startWatch(options: WatchOptions = {}): WatchHandle {
  return new Watcher(options).handle;
}

class Watcher {
  readonly handle: WatchHandle;
  readonly #options: WatchOptions;
  readonly #emitter = new EventEmitter();
  readonly #dispatcher: SinkDispatcher;
  readonly #debouncer: Debouncer;
  readonly #dirs: DirWatchers;
  readonly #baseline = new Map<string, RuleResult>();
  readonly #ttlDeadlines = new Map<string, number>();
  #transport: Transport | undefined;
  #view: PathView | undefined;
  #session: ScanSession | undefined;
  #index: SourceIndex | undefined;
  #target: DriftEvent['target'] | undefined;
  #sourceSignature = '';
  #pending = emptyBatch();
  #held: HeldEvent[] = [];
  #scan: Promise<void> | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #ttlTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: WatchOptions) {
    this.#options = options;
    // Errors in user listeners must not become unhandled 'error' events of the emitter.
    this.#emitter.setMaxListeners(0);
    this.#dispatcher = new SinkDispatcher(options.sinks ?? [], (sink, event, error) =>
      this.#warn(
        `delivery of ${event.kind} ${event.rule.id} to ${sink.name ?? 'a sink'} failed: ${(error as Error)?.message ?? error}`,
      ),
    );
    this.#debouncer = new Debouncer(
      {
        quietMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
        maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      },
      () => this.#runScan(),
    );
    this.#dirs = new DirWatchers(
      (dir, type, name, at) => this.#onRawEvent({ dir, type, name, at }),
      (message) => this.#warn(message),
    );
    const ready = this.#start();
    // A rejected ready that nobody awaits must not crash the process; callers still see the rejection.
    ready.catch(() => {});
    const handle: WatchHandle = {
      ready,
      events: eventStream<DriftEvent>(this.#emitter, 'drift', 'stopped'),
      on: (event, listener) => {
        this.#emitter.on(event, listener as (...args: unknown[]) => void);
        return handle;
      },
      off: (event, listener) => {
        this.#emitter.off(event, listener as (...args: unknown[]) => void);
        return handle;
      },
      settled: () => this.#settled(),
      stop: () => this.#stop(),
    };
    this.handle = handle;
  }

  async #start(): Promise<WatchReady> {
    const options = this.#options;
    this.#transport = options.transport ?? (await openTarget({ root: options.root }));
    this.#view = pathViewOf(this.#transport);
    this.#session = await openScanSession({
      transport: this.#transport,
      profile: options.profile,
      rules: options.rules,
      vars: options.vars,
      contentDir: options.contentDir,
      cacheDir: options.cacheDir,
    });
    const { target } = this.#session;
    this.#target = {
      kind: target.kind,
      description: target.description,
      ...(target.hostname ? { hostname: target.hostname } : {}),
      ...(options.labels && Object.keys(options.labels).length > 0 ? { labels: options.labels } : {}),
    };
    const { result } = await runSessionScan(this.#session);
    for (const rule of result.results) this.#baseline.set(rule.ruleId, rule);
    this.#index = buildSourceIndex(this.#session.engine);
    this.#noteTtls(new Set(this.#index.results.keys()));
    await this.#replan();
    if (this.#stopped) throw new Error('watch stopped before it was ready');
    // Anything that changed between the baseline's reads and the watches being in place is caught
    // by one fingerprint revalidation (cheap: one lstat per source), reported as drift like any change.
    this.#pending.reasons.add('verify');
    this.#pending.firstSeenAt = Date.now();
    await this.#runScan();
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (interval > 0 && !this.#stopped) this.#pollTimer = setInterval(() => this.#poll(), interval);
    return { result, watchedDirs: this.#dirs.size, sourcePaths: this.#index.factsByPath.size };
  }

  #onRawEvent(event: HeldEvent): void {
    if (this.#stopped) return;
    if (this.#scan) {
      this.#held.push(event);
      return;
    }
    const index = this.#index;
    if (!index) return;
    const resolved = resolveEvent(event.dir, event.type, event.name);
    const keys = new Set<string>();
    for (const path of resolved.sources) for (const key of index.factsByPath.get(path) ?? []) keys.add(key);
    // A change no collected fact was read from affects no rule: no rescan, no event.
    if (keys.size === 0) return;
    const batch = this.#pending;
    for (const key of keys) batch.keys.add(key);
    batch.observed.add(resolved.observed);
    batch.reasons.add('change');
    batch.replan ||= resolved.structural;
    batch.firstSeenAt ??= event.at;
    this.#debouncer.touch();
  }

  #poll(): void {
    const batch = this.#pending;
    for (const key of this.#index?.volatile ?? []) batch.facts.add(key);
    batch.reasons.add('poll');
    batch.firstSeenAt ??= Date.now();
    // Polls need no debounce; if a scan runs, the batch runs right after it.
    if (!this.#scan) void this.#runScan();
  }

  #runScan(): Promise<void> {
    if (this.#scan || this.#stopped) return this.#scan ?? Promise.resolve();
    if (this.#pending.reasons.size === 0) return Promise.resolve();
    this.#debouncer.cancel();
    const batch = this.#pending;
    this.#pending = emptyBatch();
    const scan = this.#rescan(batch)
      .catch((error: unknown) => this.#warn(`rescan failed: ${(error as Error)?.message ?? error}`))
      .finally(() => {
        this.#scan = undefined;
        this.#afterScan();
      });
    this.#scan = scan;
    return scan;
  }

  #afterScan(): void {
    if (this.#stopped) return;
    const held = this.#held;
    this.#held = [];
    for (const event of held) this.#onRawEvent(event);
    const reasons = this.#pending.reasons;
    if (reasons.size > 0 && !this.#debouncer.pending) {
      // Changes already waited out their quiet window during the scan; polls and checks need none.
      if (reasons.has('change')) this.#debouncer.touch();
      else void this.#runScan();
    }
  }

  async #rescan(batch: Batch): Promise<void> {
    const session = this.#session;
    const before = this.#index;
    if (!session || !before) return;
    const started = performance.now();
    session.engine.invalidate(batch.keys);
    const { result, scan } = await runSessionScan(session);
    const evaluatedAt = new Date();
    const after = buildSourceIndex(session.engine);
    this.#index = after;
    const recollected = recollectedKeys(before, after);
    this.#noteTtls(recollected);

    const target = this.#target as DriftEvent['target'];
    const volatile = new Set(after.volatile);
    const events = diffResults(this.#baseline, result.results, {
      target,
      changeSeenAt: new Date(batch.firstSeenAt ?? evaluatedAt.getTime()),
      evaluatedAt,
      trigger: (ruleId) => {
        const ruleKeys = after.factsByRule.get(ruleId) ?? [];
        const sources = sourcesOf(ruleKeys, before, after);
        const paths = [...batch.observed].filter(
          (path) => sources.has(path) || sources.has(posix.dirname(path)),
        );
        // Re-read facts of this rule, minus runtime facts every rescan re-reads unless a poll asked.
        const facts = ruleKeys.filter(
          (key) => recollected.has(key) && (!volatile.has(key) || batch.facts.has(key)),
        );
        return { paths: paths.length > 0 ? paths : [...batch.observed], facts };
      },
    });
    for (const event of events) {
      this.#dispatcher.dispatch(event);
      this.#emitter.emit('drift', event);
    }

    // Watch what the facts now come from (a new drop-in file, a directory that appeared).
    const signature = [...after.factsByPath.keys()].sort().join('\n');
    let opened = 0;
    if (batch.replan || signature !== this.#sourceSignature) opened = await this.#replan();
    // A watch opened just now missed whatever happened in its directory before: revalidate once.
    if (opened > 0) {
      this.#pending.reasons.add('verify');
      this.#pending.firstSeenAt ??= Date.now();
    }

    this.#emitter.emit('rescan', {
      reasons: [...batch.reasons],
      paths: [...batch.observed],
      factsCollected: scan.stats.factsCollected,
      rulesEvaluated: scan.stats.rulesEvaluated,
      drift: events.length,
      durationMs: performance.now() - started,
    } satisfies RescanInfo);
  }

  /** Opens and closes watches to match the current sources; returns how many were opened. */
  async #replan(): Promise<number> {
    const index = this.#index;
    const view = this.#view;
    if (!index || !view || this.#stopped) return 0;
    this.#sourceSignature = [...index.factsByPath.keys()].sort().join('\n');
    const plan = await planWatches(index.factsByPath.keys(), view);
    if (this.#stopped) return 0;
    return this.#dirs.apply(plan);
  }

  /** Records when re-collected facts with a TTL expire and arms one timer for the earliest. */
  #noteTtls(recollected: Set<string>): void {
    const index = this.#index;
    if (!index) return;
    const now = Date.now();
    for (const key of this.#ttlDeadlines.keys()) if (!index.ttl.has(key)) this.#ttlDeadlines.delete(key);
    for (const key of recollected) {
      const ttl = index.ttl.get(key);
      // The cache stamps the fact when collected, just before this: a second's slack lands past it.
      if (ttl !== undefined) this.#ttlDeadlines.set(key, now + ttl + 1000);
    }
    clearTimeout(this.#ttlTimer);
    if (this.#ttlDeadlines.size === 0 || this.#stopped) return;
    const next = Math.min(...this.#ttlDeadlines.values());
    this.#ttlTimer = setTimeout(
      () => {
        const due = Date.now();
        for (const [key, deadline] of this.#ttlDeadlines) {
          if (deadline <= due) this.#pending.facts.add(key);
        }
        this.#pending.reasons.add('ttl');
        this.#pending.firstSeenAt ??= due;
        if (!this.#scan) void this.#runScan();
      },
      Math.max(0, next - now),
    );
  }

  async #settled(): Promise<void> {
    await this.handle.ready;
    while (!this.#stopped) {
      if (this.#scan) await this.#scan;
      else if (this.#debouncer.pending) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            for (const event of ['rescan', 'warning', 'stopped']) this.#emitter.off(event, done);
            resolve();
          };
          // A failed rescan reports a warning instead of a rescan.
          for (const event of ['rescan', 'warning', 'stopped']) this.#emitter.on(event, done);
        });
      } else if (this.#pending.reasons.size > 0) await this.#runScan();
      else return;
    }
  }

  #warn(message: string): void {
    this.#emitter.emit('warning', message);
  }

  async #stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#pollTimer);
    clearTimeout(this.#ttlTimer);
    this.#debouncer.cancel();
    this.#dirs.close();
    await this.handle.ready.catch(() => {});
    await this.#scan;
    this.#dirs.close();
    const pending = await this.#dispatcher.flush(this.#options.flushMs ?? 2000);
    if (pending > 0) this.#warn(`${pending} deliveries still in flight at stop`);
    if (!this.#options.transport) await this.#transport?.close();
    this.#emitter.emit('stopped');
  }
}
