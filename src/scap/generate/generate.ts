/**
 * `vouch content generate`: a SCAP 1.3 source data stream holding only what one selection needs,
 * cached by content hash. The key is the source file's sha256, the generator version and the
 * resolved selection (benchmark, profile id, kept rules, values that differ from the defaults,
 * refine-rules), so two requests that resolve to the same selection share one file whatever
 * flags produced it, and any change to the source or the generator misses.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultCacheDir } from '../../content/cache-dir.js';
import { VouchError } from '../../core/errors.js';
import { TOOL_VERSION } from '../../version.js';
import { type BenchmarkContext, benchmarksOf } from '../datastream/resolve.js';
import { loadScapSourceCached } from '../datastream/source-cache.js';
import type { ScapSource } from '../model/datastream.js';
import { type BuildStats, buildDatastream } from './build.js';
import { resolveSelection, type Selection } from './selection.js';
import { loadTailoringFor } from './tailoring-check.js';

/** Bump when the output for the same selection changes, so older cache entries are not served. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  /** Source data stream path. */
  datastream: string;
  profile: string;
  tailoring?: string | undefined;
  vars?: readonly string[];
  rules?: readonly string[];
  benchmarkId?: string | undefined;
  /** Where the data stream is written; omitted = only returned. */
  output?: string | undefined;
  /** Cache directory (parsed sources, generated streams); null disables both. Default: VOUCH_CACHE_DIR or ~/.cache/vouch. */
  cacheDir?: string | null;
  /** false = build even when the generated stream is cached (the parsed-source cache still serves). */
  useCache?: boolean;
  /** Pre-loaded parsed source (benchmarks reuse one). */
  source?: ScapSource;
}

export interface GenerateResult {
  key: string;
  /** True when served from the cache. */
  cached: boolean;
  /** The cache entry, when the cache is on. */
  cachePath: string | undefined;
  /** The generated text, when it was built in this call (not read back on a cache hit). */
  xml: string | undefined;
  profileId: string;
  benchmarkId: string;
  rules: number;
  stats: BuildStats | undefined;
  timings: { loadMs: number; hashMs: number; buildMs: number; totalMs: number };
}

/** Cache hits and misses of this process (tests and `--verbose` observe them). */
export const generateCacheStats = { hits: 0, misses: 0 };

export async function generateDatastream(options: GenerateOptions): Promise<GenerateResult> {
  const start = performance.now();
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const source = options.source ?? (await loadScapSourceCached(options.datastream, { cacheDir }));
  if (source.kind !== 'data-stream-collection') {
    throw new VouchError(
      'SCAP_GENERATE',
      `${options.datastream}: generation needs a SCAP source data stream (this is a standalone ${source.kind.toUpperCase()} file)`,
    );
  }
  const context = pickBenchmark(source, options.benchmarkId, options.datastream);
  const tailoring = options.tailoring
    ? await loadTailoringFor(options.tailoring, context.benchmark)
    : undefined;
  const selection = resolveSelection({
    context,
    profile: options.profile,
    tailoring,
    vars: options.vars,
    rules: options.rules,
  });
  const bytes = await readSource(options.datastream);
  const loadMs = performance.now() - start;

  const hashStart = performance.now();
  const sourceSha = createHash('sha256').update(bytes).digest('hex');
  const key = selectionKey(sourceSha, context, selection);
  const hashMs = performance.now() - hashStart;
  const cachePath = cacheDir === null ? undefined : join(cacheDir, 'generated', `ds-${key}.xml`);
  const useCache = options.useCache !== false;
  const base = {
    key,
    cachePath,
    profileId: selection.profileId,
    benchmarkId: context.benchmark.id,
    rules: selection.rules.length,
  };

  if (cachePath && useCache && (await isFile(cachePath))) {
    generateCacheStats.hits++;
    if (options.output) await copyOut(cachePath, options.output);
    const totalMs = performance.now() - start;
    return {
      ...base,
      cached: true,
      xml: undefined,
      stats: undefined,
      timings: { loadMs, hashMs, buildMs: 0, totalMs },
    };
  }
  generateCacheStats.misses++;
  const buildStart = performance.now();
  const { xml, stats } = buildDatastream({
    context,
    text: bytes.toString('utf8'),
    selection,
    idSuffix: key.slice(0, 16),
  });
  const buildMs = performance.now() - buildStart;
  if (cachePath) await writeAtomically(cachePath, xml).catch(() => undefined);
  if (options.output) await writeOut(options.output, xml);
  const totalMs = performance.now() - start;
  return { ...base, cached: false, xml, stats, timings: { loadMs, hashMs, buildMs, totalMs } };
}

/** The cache key of a resolved selection (exported for tests). */
export function selectionKey(sourceSha: string, context: BenchmarkContext, selection: Selection): string {
  const description = {
    source: sourceSha,
    generator: GENERATOR_VERSION,
    tool: TOOL_VERSION,
    benchmark: context.benchmark.id,
    component: context.componentId,
    profile: selection.profileId,
    title: selection.resolved.profile?.title,
    platforms: selection.resolved.profile?.platforms,
    rules: selection.rules.map((r) => r.id),
    values: selection.values.map((v) => [v.id, v.source, v.selector, v.operator, v.value]),
    refineRules: selection.refineRules,
  };
  return createHash('sha256').update(JSON.stringify(description)).digest('hex');
}

function pickBenchmark(source: ScapSource, id: string | undefined, path: string): BenchmarkContext {
  const all = benchmarksOf(source);
  const match = id === undefined ? all[0] : all.find((b) => b.benchmark.id === id || b.componentId === id);
  if (!match) {
    throw new VouchError(
      'UNKNOWN_BENCHMARK',
      all.length === 0
        ? `${path}: no XCCDF benchmark in this data stream`
        : `--benchmark-id ${id}: no such benchmark in ${path} (known: ${all.map((b) => b.benchmark.id).join(', ')})`,
    );
  }
  return match;
}

async function readSource(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new VouchError('CONTENT_NOT_FOUND', `${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new VouchError('WRITE_FAILED', `-o ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function copyOut(from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (error) {
    throw new VouchError('WRITE_FAILED', `-o ${to}: ${(error as Error).message}`, { cause: error });
  }
}
