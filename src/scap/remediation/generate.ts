/**
 * `vouch fix generate` as a library call: load the content (cached parse), tailor it, resolve the
 * profile, apply the scan result's and `--var`'s values, choose the rules, render bash or Ansible.
 */
import { VouchError } from '../../core/errors.js';
import type { ResultStatus } from '../../core/results.js';
import { type BenchmarkContext, benchmarksOf } from '../datastream/resolve.js';
import { loadScapSourceCached } from '../datastream/source-cache.js';
import { findValue } from '../evaluate/value-overrides.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import {
  displayValue,
  scapVariableOf,
  shortVariableName,
  splitAssignment,
  validateScapVariable,
} from '../variables/typed-variable.js';
import { findProfile, shortProfileId } from '../xccdf/profile-id.js';
import { type ResolvedProfile, resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring, loadTailoring } from '../xccdf/tailoring.js';
import { renderAnsible } from './ansible.js';
import { renderBash } from './bash.js';
import type { FixFormat } from './fix-systems.js';
import {
  type FixPlan,
  narrowRules,
  type OverrideSource,
  plannedRules,
  sensitiveValuesUsed,
  type ValueOverride,
} from './plan.js';
import { checkScanMatches, readScanForFix, type ScanForFix } from './scan-input.js';

export interface GenerateFixOptions {
  format: FixFormat;
  datastream?: string | undefined;
  profile?: string | undefined;
  tailoring?: string | undefined;
  vars?: readonly string[];
  /** Values to treat as sensitive besides those whose name says so (full or short ids). */
  sensitive?: readonly string[];
  /** A `vouch scan --format json` result: its profile, values and (with failedOnly) failures. */
  scan?: string | undefined;
  failedOnly?: boolean;
  rules?: readonly string[];
  benchmarkId?: string | undefined;
  /** Parsed-source cache directory; null disables it. */
  cacheDir?: string | null;
}

export interface GeneratedFix {
  text: string;
  plan: FixPlan;
  /** Things the user should know (never containing a sensitive value). */
  warnings: string[];
}

/** Results whose rule is not fixed from a scan: the rule does not apply to the target. */
const NOT_APPLICABLE: readonly ResultStatus[] = ['notapplicable', 'notselected'];

export async function generateFix(options: GenerateFixOptions): Promise<GeneratedFix> {
  if (options.failedOnly && !options.scan) {
    throw new VouchError(
      'FAILED_ONLY_WITHOUT_SCAN',
      '--failed-only: needs --scan RESULT.json (the scan result says which rules failed)',
    );
  }
  const scan = options.scan ? await readScanForFix(options.scan) : undefined;
  if (!options.datastream) {
    throw new VouchError(
      'MISSING_DATASTREAM',
      scan
        ? `--scan ${scan.path}: a Vouch scan result does not record which data stream it came from; give --datastream FILE too (the file given to vouch scan)`
        : '--datastream FILE (with --profile) or --scan RESULT.json --datastream FILE is required',
    );
  }
  const warnings: string[] = [];
  const source = await loadScapSourceCached(options.datastream, { cacheDir: options.cacheDir });
  const context = pickBenchmark(benchmarksOf(source), options.benchmarkId, options.datastream);
  const tailoringDoc = options.tailoring ? await loadTailoring(options.tailoring) : undefined;
  const benchmark = tailoringDoc ? applyTailoring(context.benchmark, tailoringDoc) : context.benchmark;

  const sensitive = sensitiveIds(benchmark, options.sensitive ?? []);
  const profileId = profileToUse(benchmark, options, scan);
  const resolved = resolveProfile(benchmark, profileId);
  const overrides = new Map<string, ValueOverride>();
  if (tailoringDoc) tailoringOverrides(context.benchmark, resolved, overrides, sensitive);

  const scope = resolved.profile
    ? `profile ${shortProfileId(resolved.profile.id)} of ${options.datastream}`
    : `the default selection of ${options.datastream} (no --profile)`;
  if (scan) {
    checkScanMatches(scan, resolved.selectedRules, scope);
    scanOverrides(benchmark, resolved, scan, overrides, options.datastream, sensitive);
  }
  const varNames = new Set<string>();
  for (const text of options.vars ?? []) {
    const [name, raw] = splitAssignment(text);
    const value = findValue(benchmark, name);
    const variable = { ...scapVariableOf(value), name, sensitive: sensitive.has(value.id) };
    setValue(resolved, value.id, validateScapVariable(variable, raw, '--var'), overrides, '--var', sensitive);
    varNames.add(value.id);
  }

  let rules = narrowRules(resolved.selectedRules, options.rules ?? [], scope);
  if (scan) {
    rules = rules.filter((r) => {
      const status = scan.statuses.get(r.id);
      if (status === undefined || NOT_APPLICABLE.includes(status)) return false;
      return !options.failedOnly || status === 'fail';
    });
  }
  const planned = plannedRules(rules, options.format);
  if (scan) {
    for (const id of scan.masked) {
      const used = planned.some(({ fix }) => fix?.content.some((p) => typeof p !== 'string' && p.sub === id));
      if (used && !varNames.has(id)) {
        warnings.push(
          `the scan result masks sensitive Value ${shortVariableName(id)}; the script uses the profile's value (give --var ${shortVariableName(id)}=... to set it)`,
        );
      }
    }
  }
  const plan: FixPlan = {
    format: options.format,
    benchmark,
    profile: resolved.profile,
    rules: planned,
    values: resolved.values,
    overrides: [...overrides.values()],
    sensitiveUsed: sensitiveValuesUsed(planned, sensitive),
    command: commandOf(options, benchmark, sensitive),
    scan: scan
      ? {
          path: scan.path,
          failedOnly: options.failedOnly === true,
          target: scan.target,
          finishedAt: scan.finishedAt,
        }
      : undefined,
  };
  const text = options.format === 'bash' ? renderBash(plan) : renderAnsible(plan);
  return { text, plan, warnings };
}

function pickBenchmark(all: BenchmarkContext[], id: string | undefined, path: string): BenchmarkContext {
  const match = id === undefined ? all[0] : all.find((b) => b.benchmark.id === id || b.componentId === id);
  if (match) return match;
  throw new VouchError(
    all.length === 0 ? 'NO_BENCHMARK' : 'UNKNOWN_BENCHMARK',
    all.length === 0
      ? `${path}: no XCCDF benchmark in this file`
      : `--benchmark-id ${id}: not in ${path} (known: ${all.map((b) => b.benchmark.id).join(', ')})`,
  );
}

/** The profile: --profile, or the one the scan evaluated (both given: they must agree). */
function profileToUse(
  benchmark: XccdfBenchmark,
  options: GenerateFixOptions,
  scan: ScanForFix | undefined,
): string | undefined {
  if (!scan) return options.profile;
  if (!benchmark.profiles.some((p) => p.id === scan.profileId)) {
    throw new VouchError(
      'SCAN_MISMATCH',
      `--scan ${scan.path}: profile.id ${scan.profileId} is not a profile of ${options.datastream}${options.tailoring ? ` or ${options.tailoring}` : ''}: the scan result comes from other content${options.tailoring ? '' : ' (if the scan used --tailoring, give the same --tailoring)'}`,
    );
  }
  if (options.profile !== undefined && findProfile(benchmark, options.profile).id !== scan.profileId) {
    throw new VouchError(
      'SCAN_MISMATCH',
      `--profile ${options.profile}: the scan result ${scan.path} evaluated profile ${scan.profileId}`,
    );
  }
  return scan.profileId;
}

/** Values the tailoring profile sets differently from the benchmark profile it tailors. */
function tailoringOverrides(
  original: XccdfBenchmark,
  tailored: ResolvedProfile,
  overrides: Map<string, ValueOverride>,
  sensitive: ReadonlySet<string>,
): void {
  const profile = tailored.profile;
  if (!profile) return;
  const baseId = original.profiles.some((p) => p.id === profile.id) ? profile.id : profile.extends;
  const base = resolveProfile(
    original,
    baseId !== undefined && original.profiles.some((p) => p.id === baseId) ? baseId : undefined,
  ).values;
  for (const [id, value] of tailored.values) {
    if (base.get(id)?.value !== value.value) record(id, value.value, overrides, 'tailoring', sensitive);
  }
}

/** The values the scan used that differ from the profile's (the scan had --var or tailoring). */
function scanOverrides(
  benchmark: XccdfBenchmark,
  resolved: ResolvedProfile,
  scan: ScanForFix,
  overrides: Map<string, ValueOverride>,
  datastream: string,
  sensitive: ReadonlySet<string>,
): void {
  for (const [id, raw] of scan.variables) {
    const value = benchmark.values.get(id);
    if (!value) {
      throw new VouchError(
        'SCAN_MISMATCH',
        `--scan ${scan.path}: variables.${id} names no Value of ${datastream}: the scan result comes from other content`,
      );
    }
    if (resolved.values.get(id)?.value === raw) continue;
    const variable = { ...scapVariableOf(value), sensitive: sensitive.has(id) };
    const checked = validateScapVariable(variable, raw, `--scan ${scan.path}: variables.`);
    setValue(resolved, id, checked, overrides, 'scan result', sensitive);
  }
}

function setValue(
  resolved: ResolvedProfile,
  id: string,
  raw: string,
  overrides: Map<string, ValueOverride>,
  source: OverrideSource,
  sensitive: ReadonlySet<string>,
): void {
  const current = resolved.values.get(id);
  if (!current) return;
  resolved.values.set(id, { ...current, value: raw, selector: undefined, source: 'set-value' });
  overrides.delete(id); // re-inserted last: the header lists overrides in the order they apply
  record(id, raw, overrides, source, sensitive);
}

function record(
  id: string,
  raw: string,
  overrides: Map<string, ValueOverride>,
  source: OverrideSource,
  sensitive: ReadonlySet<string>,
): void {
  const display = displayValue({ sensitive: sensitive.has(id) }, raw);
  overrides.set(id, { id, name: shortVariableName(id), display, source });
}

/** Ids of the sensitive Values: named as secrets (typed-variable.ts), or marked with --sensitive. */
function sensitiveIds(benchmark: XccdfBenchmark, marked: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const value of benchmark.values.values()) if (scapVariableOf(value).sensitive) out.add(value.id);
  for (const name of marked) {
    const exact = benchmark.values.get(name);
    const matches = exact
      ? [exact]
      : [...benchmark.values.values()].filter((v) => shortVariableName(v.id) === name);
    if (matches.length !== 1 || !matches[0]) {
      throw new VouchError(
        'UNKNOWN_VARIABLE',
        `--sensitive ${name}: ${matches.length > 1 ? 'ambiguous' : `no XCCDF Value with that id in ${benchmark.id}`}`,
      );
    }
    out.add(matches[0].id);
  }
  return out;
}

/** The command line for the script's header; sensitive --var values masked. */
function commandOf(
  options: GenerateFixOptions,
  benchmark: XccdfBenchmark,
  sensitive: ReadonlySet<string>,
): string {
  const args = ['vouch', 'fix', 'generate'];
  if (options.scan) args.push('--scan', options.scan);
  if (options.datastream) args.push('--datastream', options.datastream);
  if (options.profile) args.push('--profile', options.profile);
  if (options.tailoring) args.push('--tailoring', options.tailoring);
  for (const text of options.vars ?? []) {
    const [name, raw] = splitAssignment(text);
    const value = findValue(benchmark, name);
    args.push('--var', `${name}=${displayValue({ sensitive: sensitive.has(value.id) }, raw)}`);
  }
  for (const name of options.sensitive ?? []) args.push('--sensitive', name);
  for (const rule of options.rules ?? []) args.push('--rule', rule);
  if (options.failedOnly) args.push('--failed-only');
  args.push('--format', options.format);
  return args.map(shellWord).join(' ');
}

function shellWord(word: string): string {
  return /^[\w./=:@+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
