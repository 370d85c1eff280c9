/**
 * Native XCCDF 1.2 evaluation of one benchmark and profile against one target, as `oscap xccdf eval`
 * does it: resolve the profile (+ tailoring, + --var overrides), decide platform applicability
 * through CPE, bind Values to OVAL external variables (check-export), evaluate every selected rule's
 * OVAL definition — all rules of one OVAL component in one session, so facts are collected once —
 * and map definition results to XCCDF results.
 */
import { VouchError } from '../../core/errors.js';
import { type BenchmarkContext, cpeDictionaryFor, ovalFor, resolveHref } from '../datastream/resolve.js';
import { ovalCheckOf } from '../inventory/construct-inventory.js';
import type { CpeDictionary } from '../model/cpe.js';
import type { OvalDocument } from '../model/oval.js';
import type { XccdfBenchmark, XccdfRule } from '../model/xccdf.js';
import type { OvalResult } from '../oval-eval/result.js';
import type { OvalProbe } from '../oval-session/probe.js';
import { type FactAccess, OvalSession } from '../oval-session/session.js';
import type { XccdfCheckRun, XccdfResult, XccdfRuleRun, XccdfRun } from '../results/model.js';
import type { XccdfTailoring } from '../xccdf/parse-benchmark.js';
import { shortProfileId } from '../xccdf/profile-id.js';
import { type ResolvedProfile, resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring } from '../xccdf/tailoring.js';
import { Applicability, type CpeDictionaryView } from './applicability.js';
import { applyValueOverrides } from './value-overrides.js';

export const NO_CHECK_MESSAGE = 'No candidate or applicable check found.';

export interface EvaluateBenchmarkOptions {
  context: BenchmarkContext;
  /** Full or short profile id; undefined = the benchmark's own selection. */
  profileId?: string | undefined;
  tailoring?: { document: XccdfTailoring; path: string } | undefined;
  /** `--var name=value`: XCCDF Value id (full or short) -> value. */
  valueOverrides?: ReadonlyMap<string, string> | undefined;
  /** Evaluate only these rules (full or short ids); the others are notselected. */
  rules?: readonly string[] | undefined;
  facts: FactAccess;
  live: boolean;
  /** Probes for a definitions document of the given oval:schema_version. */
  probes: (schemaVersion: string | undefined) => readonly OvalProbe[];
  target: XccdfRun['target'];
  clock?: () => Date;
  /**
   * Content outside the source, for a standalone XCCDF file: OVAL documents by the href its checks
   * use (sibling files), and a CPE dictionary (`--cpe`) with the OVAL documents its checks name.
   */
  external?: ExternalContent | undefined;
}

export interface ExternalContent {
  oval: ReadonlyMap<string, OvalDocument>;
  cpe?: { dictionary: CpeDictionary; oval: ReadonlyMap<string, OvalDocument> } | undefined;
}

export interface BenchmarkEvaluation {
  run: XccdfRun;
  profile: ResolvedProfile;
  benchmark: XccdfBenchmark;
  warnings: string[];
}

export async function evaluateBenchmark(options: EvaluateBenchmarkOptions): Promise<BenchmarkEvaluation> {
  const clock = options.clock ?? (() => new Date());
  const startTime = clock().toISOString();
  const { context } = options;
  const benchmark = options.tailoring
    ? applyTailoring(context.benchmark, options.tailoring.document)
    : context.benchmark;
  const profile = resolveProfile(benchmark, options.profileId);
  const warnings = [...profile.warnings];
  applyValueOverrides(benchmark, profile, options.valueOverrides ?? new Map());
  const selected = selectedRuleIds(profile, options.rules);

  const sessions = new Map<string, OvalSession>();
  const sessionFor = (href: string, via: 'checks' | 'cpe'): OvalSession | undefined => {
    const key = `${via}:${href}`;
    const known = sessions.get(key);
    if (known) return known;
    const doc =
      via === 'cpe'
        ? (cpeOval(context, href) ?? options.external?.cpe?.oval.get(href))
        : (ovalFor(context, href) ?? options.external?.oval.get(href));
    if (!doc) return undefined;
    const session = new OvalSession({
      document: doc,
      href,
      facts: options.facts,
      live: options.live,
      probes: options.probes(doc.generator.schemaVersion),
    });
    sessions.set(key, session);
    return session;
  };

  const dictionary = dictionaryView(context) ?? externalDictionaryView(options.external);
  const applicability = new Applicability(benchmark, dictionary, async (href, definition) => {
    const session = sessionFor(href, 'cpe');
    if (!session) return false;
    const results = await session.evaluate([definition]);
    return results.get(definition) === 'true';
  });

  const benchmarkApplies = await applicability.anyApplicable(benchmark.platforms);

  // Plan: applicability and check of every selected rule; bind all exports before any evaluation
  // (variables are memoised per session).
  interface Planned {
    rule: XccdfRule;
    result?: XccdfResult;
    message?: string;
    check?: XccdfCheckRun;
    negate?: boolean;
    session?: OvalSession;
  }
  const planned: Planned[] = [];
  for (const rule of benchmark.rules.values()) {
    if (!selected.has(rule.id)) {
      planned.push({ rule, result: 'notselected' });
      continue;
    }
    planned.push(await planRule(rule));
  }

  async function planRule(rule: XccdfRule): Promise<Planned> {
    if (!benchmarkApplies) return { rule, result: 'notapplicable' };
    for (const groupId of rule.ancestors) {
      const group = benchmark.groups.get(groupId);
      if (group && !(await applicability.anyApplicable(group.platforms))) {
        return { rule, result: 'notapplicable' };
      }
    }
    if (!(await applicability.anyApplicable(rule.platforms))) return { rule, result: 'notapplicable' };
    const check = ovalCheckOf(rule);
    if (!check) return { rule, result: 'notchecked', message: NO_CHECK_MESSAGE };
    const ref = check.contentRefs[0];
    if (!ref?.name) {
      return { rule, result: 'notchecked', message: 'OVAL check without a definition name is not supported' };
    }
    const target = resolveHref(context.source, context.dataStream, context.componentRef, ref.href);
    if (target.kind === 'remote') {
      // oscap only follows remote content with --fetch-remote-resources; Vouch never fetches.
      return { rule, result: 'notchecked', message: `remote OVAL content ${target.url} is not fetched` };
    }
    const session = sessionFor(ref.href, 'checks');
    if (!session) {
      // oscap: a check whose content cannot be found leaves the rule unchecked.
      return { rule, result: 'notchecked', message: `OVAL content ${ref.href} not found` };
    }
    const exports = check.exports.map((e) => {
      const value = profile.values.get(e.valueId);
      if (value) session.bindExternal(e.exportName, [value.value]);
      return { valueId: e.valueId, exportName: e.exportName, value: value?.value ?? '' };
    });
    return {
      rule,
      check: { system: check.system, href: ref.href, name: ref.name, exports },
      negate: check.negate,
      session,
    };
  }

  // Evaluate: one batch per session so all its tests collect concurrently.
  const bySession = new Map<OvalSession, string[]>();
  for (const p of planned) {
    if (p.session && p.check) bySession.set(p.session, [...(bySession.get(p.session) ?? []), p.check.name]);
  }
  const ovalResults = new Map<OvalSession, Map<string, OvalResult>>();
  await Promise.all(
    [...bySession].map(async ([session, ids]) => ovalResults.set(session, await session.evaluate(ids))),
  );

  const rules: XccdfRuleRun[] = planned.map((p) => {
    const refine = profile.refineRules.get(p.rule.id);
    const base = {
      ruleId: p.rule.id,
      severity: refine?.severity ?? p.rule.severity,
      role: refine?.role ?? p.rule.role,
      weight: refine?.weight ?? p.rule.weight,
      time: clock().toISOString(),
      idents: p.rule.idents,
    };
    if (p.result) {
      return {
        ...base,
        result: p.result,
        check: undefined,
        ovalResult: undefined,
        messages: p.message ? [{ severity: 'info' as const, text: p.message }] : [],
      };
    }
    const ovalResult = (p.session && p.check && ovalResults.get(p.session)?.get(p.check.name)) || 'error';
    const doc = p.session ? definitionClass(p.session, p.check?.name) : undefined;
    return {
      ...base,
      result: xccdfResultOf(ovalResult, doc, p.negate ?? false),
      check: p.check,
      ovalResult,
      messages: [],
    };
  });

  const oval = new Map<string, XccdfRun['oval'] extends Map<string, infer V> ? V : never>();
  for (const [key, session] of sessions)
    if (key.startsWith('checks:')) oval.set(session.run.href, session.run);
  for (const [key, session] of sessions) if (key.startsWith('cpe:')) oval.set(session.run.href, session.run);

  const run: XccdfRun = {
    benchmarkId: benchmark.id,
    profileId: profile.profile?.id,
    profileTitle: profile.profile?.title,
    testResultId: testResultIdFor(profile),
    startTime,
    endTime: clock().toISOString(),
    target: options.target,
    applicablePlatforms: [...applicability.applicable],
    setValues: [...profile.values.values()].map((v) => ({ valueId: v.id, value: v.value })),
    rules,
    scores: [],
    oval,
    tailoring: options.tailoring
      ? { path: options.tailoring.path, id: options.tailoring.document.id }
      : undefined,
  };
  return { run, profile, benchmark, warnings };
}

function selectedRuleIds(profile: ResolvedProfile, only: readonly string[] | undefined): Set<string> {
  const ids = new Set(profile.selectedRules.map((r) => r.id));
  if (!only || only.length === 0) return ids;
  const wanted = new Set<string>();
  for (const name of only) {
    const match = [...ids].find((id) => id === name || shortRuleId(id) === name);
    if (!match) {
      throw new VouchError('UNKNOWN_RULE', `rule ${name} is not selected by the profile (or does not exist)`);
    }
    wanted.add(match);
  }
  return wanted;
}

export function shortRuleId(id: string): string {
  const at = id.indexOf('_rule_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_rule_'.length) : id;
}

function testResultIdFor(profile: ResolvedProfile): string {
  // As oscap names it: xccdf_org.open-scap_testresult_<profile id>.
  return `xccdf_org.open-scap_testresult_${profile.profile?.id ?? 'default-profile'}`;
}

function cpeOval(context: BenchmarkContext, href: string): OvalDocument | undefined {
  const dict = cpeDictionaryFor(context);
  const target = resolveHref(context.source, context.dataStream, dict?.ref, href);
  const content = target.kind === 'component' ? context.source.components.get(target.id)?.content : undefined;
  return content?.kind === 'oval' ? content.oval : undefined;
}

function externalDictionaryView(external: ExternalContent | undefined): CpeDictionaryView | undefined {
  return external?.cpe ? viewOf(external.cpe.dictionary) : undefined;
}

function dictionaryView(context: BenchmarkContext): CpeDictionaryView | undefined {
  const dict = cpeDictionaryFor(context);
  return dict ? viewOf(dict.dictionary) : undefined;
}

function viewOf(dictionary: CpeDictionary): CpeDictionaryView {
  return {
    checksOf(name) {
      const item = dictionary.items.get(name);
      if (!item) return undefined;
      return item.checks
        .filter((c) => c.system === 'http://oval.mitre.org/XMLSchema/oval-definitions-5' && c.href)
        .map((c) => ({ href: c.href ?? '', name: c.name }));
    },
  };
}

function definitionClass(session: OvalSession, id: string | undefined): string | undefined {
  return id === undefined ? undefined : session.definitionClass(id);
}

/**
 * OVAL definition result -> XCCDF result, by the definition's class (oscap's mapping): for
 * compliance/inventory/miscellaneous definitions true means pass; for vulnerability/patch
 * definitions true means the system is vulnerable, i.e. fail. The check's negate swaps pass/fail.
 */
export function xccdfResultOf(
  result: OvalResult,
  definitionClass: string | undefined,
  negate: boolean,
): XccdfResult {
  const inverted = definitionClass === 'vulnerability' || definitionClass === 'patch';
  let mapped: XccdfResult;
  switch (result) {
    case 'true':
      mapped = inverted ? 'fail' : 'pass';
      break;
    case 'false':
      mapped = inverted ? 'pass' : 'fail';
      break;
    case 'error':
      mapped = 'error';
      break;
    case 'unknown':
      mapped = 'unknown';
      break;
    case 'not applicable':
      mapped = 'notapplicable';
      break;
    case 'not evaluated':
      mapped = 'notchecked';
      break;
  }
  if (negate && mapped === 'pass') return 'fail';
  if (negate && mapped === 'fail') return 'pass';
  return mapped;
}

export { shortProfileId };
