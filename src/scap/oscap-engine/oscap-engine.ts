/**
 * `--engine oscap`: the real oscap evaluates the content and its ARF becomes the same run model
 * the native evaluator produces. Vouch still parses the content first — to resolve the profile,
 * validate `--var` and `--rule` exactly as a native scan does (same errors), and to give the
 * results their titles, references and evidence — but decides nothing itself.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VouchError } from '../../core/errors.js';
import type { SshTargetOptions } from '../../targets/ssh/ssh-options.js';
import type { BenchmarkContext } from '../datastream/resolve.js';
import { shortRuleId } from '../evaluate/evaluate-benchmark.js';
import { applyValueOverrides, findValue } from '../evaluate/value-overrides.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import type { XccdfRun } from '../results/model.js';
import { type ResolvedProfile, resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring, loadTailoring } from '../xccdf/tailoring.js';
import { importOscapArf } from './arf-import.js';
import { locateOscap } from './locate.js';
import { oscapEvalArgs } from './oscap-args.js';
import { runOscapLocal } from './run-local.js';
import { runOscapSsh } from './run-ssh.js';
import { varTailoring } from './tailoring-vars.js';

export interface OscapEngineOptions {
  datastream: string;
  context: BenchmarkContext;
  profile?: string | undefined;
  tailoring?: string | undefined;
  /** `name=value` (full or short Value id). */
  vars?: readonly string[];
  /** Full or short rule ids (within the profile); empty = the whole profile. */
  rules?: readonly string[] | undefined;
  cpe?: string | undefined;
  benchmarkId?: string | undefined;
  /** Where oscap runs: here (neither), on an offline root, or on an SSH host. */
  root?: string | undefined;
  ssh?: SshTargetOptions | undefined;
  /** Keep oscap's own ARF and XCCDF results documents (for --format arf|xccdf pass-through). */
  keepDocuments?: boolean;
}

export interface OscapEngineRun {
  run: XccdfRun;
  profile: ResolvedProfile;
  benchmark: XccdfBenchmark;
  /** The full rule ids oscap was asked to evaluate (empty = the whole profile). */
  rules: string[];
  /** Where oscap ran: `/usr/bin/oscap`, `... on root DIR`, `ssh user@host:port`. */
  ranOn: string;
  oscapMs: number;
  /** oscap's own documents, when keepDocuments. */
  documents?: { arf: string; xccdf: string };
}

export function parseVarOverrides(vars: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of vars) {
    const at = text.indexOf('=');
    if (at <= 0) throw new VouchError('BAD_VARIABLE', `--var ${text}: expected name=value`);
    out.set(text.slice(0, at), text.slice(at + 1));
  }
  return out;
}

/** `--rule` names -> full ids of rules the profile selects (the native scan's rule). */
export function fullRuleIds(profile: ResolvedProfile, names: readonly string[]): string[] {
  const ids = profile.selectedRules.map((r) => r.id);
  return names.map((name) => {
    const match = ids.find((id) => id === name || shortRuleId(id) === name);
    if (!match) {
      throw new VouchError('UNKNOWN_RULE', `rule ${name} is not selected by the profile (or does not exist)`);
    }
    return match;
  });
}

export async function runOscapEngine(options: OscapEngineOptions): Promise<OscapEngineRun> {
  if (options.root !== undefined && options.ssh !== undefined) {
    throw new VouchError(
      'TARGET_CONFLICT',
      '--root and --target ssh://… name two different targets; give one',
    );
  }
  // Local oscap is needed only for local and --root runs; a remote host brings its own.
  const oscap = options.ssh ? undefined : await locateOscap();
  const tailoringDoc = options.tailoring ? await loadTailoring(options.tailoring) : undefined;
  const benchmark = tailoringDoc
    ? applyTailoring(options.context.benchmark, tailoringDoc)
    : options.context.benchmark;
  const profile = resolveProfile(benchmark, options.profile);
  const overrides = parseVarOverrides(options.vars ?? []);
  applyValueOverrides(benchmark, profile, overrides);
  const values = new Map([...overrides].map(([name, value]) => [findValue(benchmark, name).id, value]));
  const rules = fullRuleIds(profile, options.rules ?? []);

  const dir = await mkdtemp(join(tmpdir(), 'vouch-oscap-'));
  try {
    let tailoringPath = options.tailoring;
    let oscapProfile = profile.profile?.id;
    if (values.size > 0) {
      const generated = varTailoring({
        profileId: profile.profile?.id,
        profileTitle: profile.profile?.title,
        values,
        benchmarkHref: options.datastream,
        given: options.tailoring
          ? { text: await readFile(options.tailoring, 'utf8'), path: options.tailoring }
          : undefined,
      });
      tailoringPath = join(dir, 'tailoring.xml');
      await writeFile(tailoringPath, generated.xml);
      oscapProfile = generated.profileId;
    }
    const arf = join(dir, 'results-arf.xml');
    const xccdf = options.keepDocuments ? join(dir, 'results.xml') : undefined;
    const common = { profile: oscapProfile, rules, benchmarkId: options.benchmarkId };
    let ranOn: string;
    let oscapMs: number;
    if (options.ssh) {
      const remote = await runOscapSsh(
        options.ssh,
        { datastream: options.datastream, tailoring: tailoringPath, cpe: options.cpe, arf, xccdf },
        common,
      );
      ranOn = `ssh ${remote.label}${options.ssh.sudo ? ' (sudo)' : ''}`;
      oscapMs = remote.wallMs;
    } else {
      const args = oscapEvalArgs({
        ...common,
        datastream: options.datastream,
        tailoring: tailoringPath,
        cpe: options.cpe,
        arf,
        xccdf,
      });
      const local = await runOscapLocal(oscap as string, args, options.root);
      ranOn = options.root === undefined ? (oscap as string) : `${oscap} on root ${options.root}`;
      oscapMs = local.wallMs;
    }
    const imported = await importOscapArf(arf, benchmark);
    // A generated --var profile is an implementation detail: results name the profile asked for.
    imported.run.profileId = profile.profile?.id;
    imported.run.profileTitle = profile.profile?.title;
    imported.run.tailoring =
      options.tailoring && tailoringDoc ? { path: options.tailoring, id: tailoringDoc.id } : undefined;
    return {
      run: imported.run,
      profile,
      benchmark,
      rules,
      ranOn,
      oscapMs,
      ...(options.keepDocuments && xccdf
        ? { documents: { arf: await readFile(arf, 'utf8'), xccdf: await readFile(xccdf, 'utf8') } }
        : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
