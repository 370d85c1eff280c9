/**
 * The `vouch tailor` action: load the content (and a base tailoring), build the tailoring, then
 * either write it or show the profile's variables. Nothing is written before every flag has been
 * resolved and validated.
 */
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VouchError } from '../../core/errors.js';
import { benchmarksOf } from '../datastream/resolve.js';
import { loadScapSourceCached } from '../datastream/source-cache.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import { findProfile } from '../xccdf/profile-id.js';
import { resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring, loadTailoring } from '../xccdf/tailoring.js';
import { writeTailoring } from '../xccdf/write-tailoring.js';
import { buildTailoring } from './build-tailoring.js';
import { findVariable } from './lookup.js';
import { profileVariables } from './profile-variables.js';
import { renderVariablesJson, renderVariablesTable, shownVariables } from './show-variables.js';

export interface RunTailorOptions {
  datastream: string;
  profile: string;
  tailoring?: string | undefined;
  benchmarkId?: string | undefined;
  vars: readonly string[];
  select: readonly string[];
  deselect: readonly string[];
  sensitive: readonly string[];
  id?: string | undefined;
  title?: string | undefined;
  output?: string | undefined;
  show: boolean;
  format: string;
  /** Parsed-source cache directory (tests); default VOUCH_CACHE_DIR or ~/.cache/vouch. */
  cacheDir?: string | null;
  time?: Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runTailor(options: RunTailorOptions): Promise<void> {
  if (options.show && options.format !== 'table' && options.format !== 'json') {
    throw new VouchError(
      'UNKNOWN_REPORT_FORMAT',
      `--format ${options.format}: unknown format (known: table, json)`,
    );
  }
  const source = await loadScapSourceCached(options.datastream, { cacheDir: options.cacheDir });
  const benchmark = pickBenchmark(
    benchmarksOf(source).map((b) => b.benchmark),
    options,
  );
  const base = options.tailoring ? await loadTailoring(options.tailoring) : undefined;
  const marks = new Set(options.sensitive.map((name) => findVariable(benchmark, name, '--sensitive').id));
  const changes = options.vars.length + options.select.length + options.deselect.length > 0;

  if (options.show && !changes && options.id === undefined) {
    // No overrides: show the profile as it stands (in the base tailoring, if given).
    const tailored = base ? applyTailoring(benchmark, base) : benchmark;
    const profile = findProfile(tailored, options.profile);
    show(tailored, profile.id, marks, options);
    return;
  }

  const outcome = buildTailoring({
    benchmark,
    base,
    profile: options.profile,
    vars: options.vars,
    select: options.select,
    deselect: options.deselect,
    name: options.id,
    title: options.title,
    benchmarkHref: resolve(options.datastream),
    sensitive: marks,
    time: options.time,
  });
  for (const warning of outcome.warnings) options.stderr(`vouch: warning: ${warning}\n`);

  if (options.show) {
    // --show with overrides: what the profile would look like with them (nothing is written).
    const tailored = applyTailoring(benchmark, {
      ...outcome.document,
      unknown: [],
    });
    show(tailored, outcome.profileId, marks, options);
    return;
  }

  const xml = writeTailoring(outcome.document);
  const secrets = outcome.setValues.filter((s) => s.variable.sensitive).map((s) => s.variable.name);
  const toStdout = options.output === undefined || options.output === '-';
  if (secrets.length > 0) {
    // The file is an input for oscap, so it must hold the real value; say so, never the value.
    options.stderr(
      `vouch: warning: the tailoring holds the value of sensitive variable(s) ${secrets.join(', ')}${
        toStdout ? '' : '; written with mode 0600'
      }\n`,
    );
  }
  if (toStdout) {
    options.stdout(xml);
    return;
  }
  await writeAtomically(options.output as string, xml, secrets.length > 0 ? 0o600 : 0o644);
  options.stderr(
    `vouch: tailoring written to ${options.output}; evaluate with --tailoring ${options.output} --profile ${outcome.profileId}\n`,
  );
}

function show(
  benchmark: XccdfBenchmark,
  profileId: string,
  marks: ReadonlySet<string>,
  options: RunTailorOptions,
): void {
  const resolved = resolveProfile(benchmark, profileId);
  const list = shownVariables(profileVariables(benchmark, resolved, marks));
  options.stdout(
    options.format === 'json' ? renderVariablesJson(profileId, list) : renderVariablesTable(profileId, list),
  );
}

/** Temp file then rename: a reader never sees half a file, and the mode is set before any content lands. */
async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode });
    // writeFile's mode goes through the umask; the secret's mode must not.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new VouchError('WRITE_FAILED', `-o ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function pickBenchmark(
  benchmarks: XccdfBenchmark[],
  options: { benchmarkId?: string | undefined; datastream: string },
): XccdfBenchmark {
  if (benchmarks.length === 0) {
    throw new VouchError('NO_BENCHMARK', `${options.datastream}: no XCCDF benchmark in this file`);
  }
  const id = options.benchmarkId;
  const match = id === undefined ? benchmarks[0] : benchmarks.find((b) => b.id === id);
  if (!match) {
    throw new VouchError(
      'UNKNOWN_BENCHMARK',
      `--benchmark-id ${id}: not in ${options.datastream} (known: ${benchmarks.map((b) => b.id).join(', ')})`,
    );
  }
  return match;
}
