/**
 * `vouch scan --datastream --engine oscap|hybrid`: the scan-level flow around the oscap engine,
 * producing the same ScapScan (run model + Vouch result) as the native flow in
 * src/scan/run-scap-scan.ts, so every output format works unchanged.
 */

import { VouchError } from '../../core/errors.js';
import type { Evidence } from '../../core/results.js';
import {
  documentsByHref,
  pickBenchmark,
  runNativeScan,
  type ScapScan,
  type ScapScanOptions,
} from '../../scan/run-scap-scan.js';
import { TOOL_VERSION } from '../../version.js';
import { externalContentFor } from '../datastream/external-content.js';
import { loadScapSourceCached } from '../datastream/source-cache.js';
import { isSensitiveValueId } from '../evaluate/mask-sensitive.js';
import { toScanResult } from '../evaluate/to-scan-result.js';
import { computeScores } from '../report/score.js';
import { markEngine, mergeRuns, rulesNeedingOscap } from './hybrid.js';
import { type OscapEngineOptions, runOscapEngine } from './oscap-engine.js';

export async function runEngineScan(
  options: ScapScanOptions & { engine: 'oscap' | 'hybrid' },
): Promise<ScapScan> {
  return options.engine === 'oscap' ? runOscapScan(options) : runHybridScan(options);
}

function engineOptions(options: ScapScanOptions): Omit<OscapEngineOptions, 'context'> {
  return {
    datastream: options.datastream,
    profile: options.profile,
    tailoring: options.tailoring,
    vars: options.vars ?? [],
    rules: options.rules ?? [],
    cpe: options.cpe,
    benchmarkId: options.benchmarkId,
    root: options.oscapTarget?.root,
    ssh: options.oscapTarget?.ssh,
  };
}

const oscapEvidence = (ranOn: string, detail: string): Evidence => ({
  source: 'engine',
  resource: 'oscap',
  detail: `${detail}decided by oscap (${ranOn})`,
});

async function runOscapScan(options: ScapScanOptions): Promise<ScapScan> {
  const start = performance.now();
  const source =
    options.source ?? (await loadScapSourceCached(options.datastream, { cacheDir: options.cacheDir }));
  const context = pickBenchmark(source, options.benchmarkId, options.datastream);
  const external = await externalContentFor(source, context.benchmark, {
    cpePath: options.cpe,
    cache: { cacheDir: options.cacheDir },
  });
  const loadMs = performance.now() - start;
  const oscap = await runOscapEngine({
    ...engineOptions(options),
    context,
    keepDocuments: options.keepOscapDocuments === true,
  });
  const { run } = oscap;
  const ssh = options.oscapTarget?.ssh;
  const root = options.oscapTarget?.root;
  const result = toScanResult({
    run,
    benchmark: oscap.benchmark,
    ...(options.sensitiveValueIds ? { sensitiveValueIds: options.sensitiveValueIds } : {}),
    documents: documentsByHref(context, run, external),
    toolVersion: TOOL_VERSION,
    target: {
      kind: ssh ? 'ssh' : root !== undefined ? 'root' : 'local',
      description: ssh ? oscap.ranOn : root !== undefined ? `root ${root}` : 'local host',
      hostname: run.target.name,
    },
    timings: {
      loadMs: Math.round(loadMs),
      planMs: 0,
      collectMs: Math.round(oscap.oscapMs),
      evaluateMs: 0,
      totalMs: Math.round(performance.now() - start),
    },
    factsCollected: 0,
  });
  return {
    source,
    context,
    evaluation: { run, profile: oscap.profile, benchmark: oscap.benchmark, warnings: oscap.profile.warnings },
    result: markEngine(result, () => oscapEvidence(oscap.ranOn, '')),
    factsCollected: 0,
    // oscap's own documents carry every Value in clear; with a sensitive one the masking writers
    // render the same run instead (scan-scap.ts falls back to them when this is absent).
    ...(oscap.documents &&
    !run.setValues.some((v) => isSensitiveValueId(v.valueId, options.sensitiveValueIds))
      ? { oscapDocuments: oscap.documents }
      : {}),
  };
}

const NATIVE: Evidence = { source: 'engine', resource: 'native', detail: 'decided by Vouch' };

async function runHybridScan(options: ScapScanOptions): Promise<ScapScan> {
  const { transport } = options;
  if (!transport) throw new VouchError('NO_TARGET', '--engine hybrid needs a target transport');
  const start = performance.now();
  // Every selected rule natively first (an unsupported one costs a quick `error`), then oscap
  // re-decides exactly the rules reaching an object type without a Vouch probe.
  const native = await runNativeScan({ ...options, transport });
  const { context, evaluation } = native;
  const selected = evaluation.run.rules
    .filter((r) => r.result !== 'notselected')
    .flatMap((r) => {
      const rule = evaluation.benchmark.rules.get(r.ruleId);
      return rule ? [rule] : [];
    });
  const needed = rulesNeedingOscap(context, selected);
  if (needed.size === 0) return { ...native, result: markEngine(native.result, () => NATIVE) };

  const oscap = await runOscapEngine({ ...engineOptions(options), rules: [...needed.keys()], context });
  const run = mergeRuns(evaluation.run, oscap.run, new Set(needed.keys()), context);
  run.scores = computeScores(evaluation.benchmark, run.rules);
  const external = await externalContentFor(native.source, context.benchmark, {
    cpePath: options.cpe,
    cache: { cacheDir: options.cacheDir },
  });
  const timings = native.result.summary.timings;
  const result = toScanResult({
    run,
    benchmark: evaluation.benchmark,
    ...(options.sensitiveValueIds ? { sensitiveValueIds: options.sensitiveValueIds } : {}),
    documents: documentsByHref(context, run, external),
    toolVersion: TOOL_VERSION,
    target: native.result.target,
    timings: {
      ...timings,
      collectMs: timings.collectMs + Math.round(oscap.oscapMs),
      totalMs: Math.round(performance.now() - start),
    },
    factsCollected: native.factsCollected,
  });
  return {
    ...native,
    evaluation: { ...evaluation, run },
    result: markEngine(result, (ruleId) => {
      const types = needed.get(ruleId);
      return types ? oscapEvidence(oscap.ranOn, `Vouch has no probe for ${types.join(', ')}; `) : NATIVE;
    }),
  };
}
