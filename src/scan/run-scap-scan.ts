/**
 * `vouch scan --datastream`: evaluate SCAP content (SSG data streams, XCCDF + OVAL) natively
 * against a target through the same collectors and transports as Vouch's own rules.
 */
import { hostname, networkInterfaces } from 'node:os';
import { createFactProvider } from '../collectors/index.js';
import { VouchError } from '../core/errors.js';
import type { FactKind, FactRequestOf } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { ScanResult } from '../core/results.js';
import { externalContentFor } from '../scap/datastream/external-content.js';
import { type BenchmarkContext, benchmarksOf, ovalFor } from '../scap/datastream/resolve.js';
import { loadScapSourceCached } from '../scap/datastream/source-cache.js';
import {
  type BenchmarkEvaluation,
  type ExternalContent,
  evaluateBenchmark,
} from '../scap/evaluate/evaluate-benchmark.js';
import { toScanResult } from '../scap/evaluate/to-scan-result.js';
import type { ScapSource } from '../scap/model/datastream.js';
import type { OvalDocument } from '../scap/model/oval.js';
import type { Engine } from '../scap/oscap-engine/engines.js';
import { ovalProbesFor } from '../scap/probes/registry.js';
import { computeScores } from '../scap/report/score.js';
import type { XccdfRun } from '../scap/results/model.js';
import { loadTailoring } from '../scap/xccdf/tailoring.js';
import type { SshTargetOptions } from '../targets/ssh/ssh-options.js';
import type { Transport } from '../targets/transport.js';
import { TOOL_VERSION } from '../version.js';

export interface ScapScanOptions {
  /** The target for native evaluation (not needed with engine `oscap`). */
  transport?: Transport | undefined;
  /** `--engine`: native (default), oscap (the real oscap decides), hybrid (oscap for what Vouch lacks). */
  engine?: Engine | undefined;
  /** Where oscap runs for engine oscap/hybrid: here, on an offline root, or on an SSH host. */
  oscapTarget?: { root?: string | undefined; ssh?: SshTargetOptions | undefined } | undefined;
  /** Engine oscap: keep oscap's own ARF and XCCDF results documents (--format arf|xccdf). */
  keepOscapDocuments?: boolean;
  /** Data stream (or standalone XCCDF) path. */
  datastream: string;
  /** Full or short profile id. */
  profile?: string | undefined;
  tailoring?: string | undefined;
  /** `name=value` overrides of XCCDF Values (full or short id). */
  vars?: readonly string[];
  /** Full or short rule ids to evaluate (within the profile). */
  rules?: readonly string[];
  /** `--cpe FILE`: a CPE dictionary for a standalone XCCDF file (as oscap's --cpe). */
  cpe?: string | undefined;
  /** Benchmark id when a data stream carries several. */
  benchmarkId?: string | undefined;
  /** Parsed-source cache directory; null disables it (default: VOUCH_CACHE_DIR or ~/.cache/vouch). */
  cacheDir?: string | null;
  /** Pre-loaded source (benchmarks reuse one parse). */
  source?: ScapSource;
  /** Value ids the user marked sensitive (the rule store's marks): masked in the results. */
  sensitiveValueIds?: ReadonlySet<string> | undefined;
}

export interface ScapScan {
  source: ScapSource;
  context: BenchmarkContext;
  evaluation: BenchmarkEvaluation;
  result: ScanResult;
  factsCollected: number;
  /** Engine oscap with keepOscapDocuments: oscap's ARF and XCCDF results, as oscap wrote them. */
  oscapDocuments?: { arf: string; xccdf: string };
}

export async function runScapScan(options: ScapScanOptions): Promise<ScapScan> {
  const engine = options.engine ?? 'native';
  if (engine !== 'native') {
    // Loaded on use: a native scan never pays for the oscap engine.
    const { runEngineScan } = await import('../scap/oscap-engine/engine-scan.js');
    return runEngineScan({ ...options, engine });
  }
  const { transport } = options;
  if (!transport) throw new VouchError('NO_TARGET', 'a native SCAP scan needs a target transport');
  return runNativeScan({ ...options, transport });
}

export async function runNativeScan(options: ScapScanOptions & { transport: Transport }): Promise<ScapScan> {
  const start = performance.now();
  const source =
    options.source ?? (await loadScapSourceCached(options.datastream, { cacheDir: options.cacheDir }));
  const context = pickBenchmark(source, options.benchmarkId, options.datastream);
  const external = await externalContentFor(source, context.benchmark, {
    cpePath: options.cpe,
    cache: { cacheDir: options.cacheDir },
  });
  const tailoring = options.tailoring
    ? { document: await loadTailoring(options.tailoring), path: options.tailoring }
    : undefined;
  const loadMs = performance.now() - start;

  const provider = createFactProvider(options.transport);
  let factsCollected = 0;
  const facts = {
    collect<K extends FactKind>(request: FactRequestOf<K>): Promise<FactResult<K>> {
      factsCollected++;
      return provider.collect(request) as Promise<FactResult<K>>;
    },
  };
  const target = await targetOf(options.transport, facts);
  provider.beginPass?.();
  const evalStart = performance.now();
  let evaluation: BenchmarkEvaluation;
  try {
    evaluation = await evaluateBenchmark({
      context,
      profileId: options.profile,
      tailoring,
      valueOverrides: parseOverrides(options.vars ?? []),
      rules: options.rules,
      facts,
      live: options.transport.live,
      probes: ovalProbesFor,
      target,
      external,
    });
  } finally {
    provider.endPass?.();
  }
  const evalMs = performance.now() - evalStart;
  evaluation.run.scores = computeScores(evaluation.benchmark, evaluation.run.rules);

  const result = toScanResult({
    run: evaluation.run,
    benchmark: evaluation.benchmark,
    ...(options.sensitiveValueIds ? { sensitiveValueIds: options.sensitiveValueIds } : {}),
    documents: documentsByHref(context, evaluation.run, external),
    toolVersion: TOOL_VERSION,
    target: {
      kind: options.transport.kind,
      description: options.transport.description,
      hostname: target.name,
    },
    timings: {
      loadMs: Math.round(loadMs),
      planMs: 0,
      collectMs: Math.round(evalMs),
      evaluateMs: 0,
      totalMs: Math.round(performance.now() - start),
    },
    factsCollected,
  });
  return { source, context, evaluation, result, factsCollected };
}

export function documentsByHref(
  context: BenchmarkContext,
  run: XccdfRun,
  external: ExternalContent | undefined,
): Map<string, OvalDocument> {
  const out = new Map<string, OvalDocument>();
  for (const rule of run.rules) {
    const href = rule.check?.href;
    if (!href || out.has(href)) continue;
    const doc = ovalFor(context, href) ?? external?.oval.get(href);
    if (doc) out.set(href, doc);
  }
  return out;
}

export function pickBenchmark(source: ScapSource, id: string | undefined, path: string): BenchmarkContext {
  const all = benchmarksOf(source);
  if (all.length === 0) throw new VouchError('NO_BENCHMARK', `${path}: no XCCDF benchmark in this file`);
  if (id === undefined) {
    const [first] = all;
    if (first) return first;
  }
  const match = all.find((b) => b.benchmark.id === id || b.componentId === id);
  if (!match) {
    throw new VouchError(
      'UNKNOWN_BENCHMARK',
      `${path}: no benchmark ${id} (known: ${all.map((b) => b.benchmark.id).join(', ')})`,
    );
  }
  return match;
}

function parseOverrides(vars: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of vars) {
    const at = text.indexOf('=');
    if (at <= 0) throw new VouchError('BAD_VARIABLE', `--var ${text}: expected name=value`);
    out.set(text.slice(0, at), text.slice(at + 1));
  }
  return out;
}

export async function targetOf(
  transport: Transport,
  facts: { collect<K extends FactKind>(r: FactRequestOf<K>): Promise<FactResult<K>> },
): Promise<XccdfRun['target']> {
  if (transport.kind === 'local') {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .flatMap((i) => (i ? [i.address] : []));
    return { name: hostname(), addresses, facts: [] };
  }
  const text = await facts.collect({ kind: 'file-text', path: '/etc/hostname' });
  const name = text.status === 'ok' && text.value.text ? text.value.text.trim() : transport.description;
  return { name, addresses: [], facts: [] };
}
