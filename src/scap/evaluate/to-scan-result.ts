/**
 * An XCCDF evaluation as Vouch's own result document (`vouch.scan-result/v1`): `ruleId` is the XCCDF
 * rule id, `status` the XCCDF result, and the evidence lists what OVAL collected for the tests that
 * decided the result (file, line text, package version, ...).
 */
import {
  type Evidence,
  RESULT_STATUSES,
  type RuleResult,
  SCAN_RESULT_SCHEMA,
  type ScanResult,
  SEVERITIES,
  type StatusCounts,
} from '../../core/results.js';
import { SENSITIVE_MASK } from '../../core/rules/sensitive.js';
import type { OvalDocument } from '../model/oval.js';
import type { XccdfBenchmark, XccdfRule } from '../model/xccdf.js';
import type { OvalRun, XccdfRuleRun, XccdfRun } from '../results/model.js';
import { scrubEvidence, secretScrubber, sensitiveValueIds } from './mask-sensitive.js';

const MAX_EVIDENCE = 20;

export interface ToScanResultInput {
  run: XccdfRun;
  benchmark: XccdfBenchmark;
  /** OVAL documents by href, to walk a definition's criteria to its tests. */
  documents: ReadonlyMap<string, OvalDocument>;
  toolVersion: string;
  target: ScanResult['target'];
  timings: ScanResult['summary']['timings'];
  factsCollected: number;
  /** XCCDF Value ids marked sensitive beyond the name heuristic (the rule store's marks). */
  sensitiveValueIds?: ReadonlySet<string>;
}

export function toScanResult(input: ToScanResultInput): ScanResult {
  const { run, benchmark } = input;
  // Sensitive values never reach the result: masked in `variables`, scrubbed from evidence and messages.
  const sensitive = sensitiveValueIds(benchmark, input.sensitiveValueIds);
  const scrub = secretScrubber(run, sensitive);
  const results: RuleResult[] = [];
  for (const rule of run.rules) {
    if (rule.result === 'notselected') continue;
    const xccdfRule = benchmark.rules.get(rule.ruleId);
    results.push({
      ruleId: rule.ruleId,
      title: xccdfRule?.title ?? rule.ruleId,
      severity: asSeverity(rule.severity),
      status: rule.result,
      message: scrub(messageOf(rule, platformsOf(benchmark, xccdfRule))),
      evidence: evidenceOf(rule, run, input.documents).map((e) => scrubEvidence(e, scrub)),
      references: referencesOf(xccdfRule),
      durationMs: 0,
      check: { type: 'oval', version: 1 },
    });
  }
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of results) counts[r.status]++;
  const score = (system: string) => run.scores.find((s) => s.system === system);
  const pct = (system: string) => {
    const s = score(system);
    return s && s.maximum > 0 ? Math.round((s.score / s.maximum) * 10000) / 100 : 0;
  };
  return {
    schema: SCAN_RESULT_SCHEMA,
    tool: { name: 'vouch', version: input.toolVersion },
    target: input.target,
    profile: run.profileId ? { id: run.profileId, title: run.profileTitle ?? run.profileId } : null,
    startedAt: run.startTime,
    finishedAt: run.endTime,
    variables: Object.fromEntries(
      run.rules
        .flatMap((r) => r.check?.exports ?? [])
        .map((e) => [e.valueId, sensitive.has(e.valueId) ? SENSITIVE_MASK : e.value] as const),
    ),
    summary: {
      total: results.length,
      counts,
      score: {
        default: pct('urn:xccdf:scoring:default'),
        flat: pct('urn:xccdf:scoring:flat'),
        flatUnweighted: pct('urn:xccdf:scoring:flat-unweighted'),
      },
      factsCollected: input.factsCollected,
      factsFromCache: 0,
      timings: input.timings,
    },
    results,
  };
}

function asSeverity(value: string): RuleResult['severity'] {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as RuleResult['severity']) : 'unknown';
}

function messageOf(rule: XccdfRuleRun, platforms: string[]): string {
  const text = rule.messages.map((m) => m.text).join(' ');
  if (text) return text;
  if (rule.check) return `OVAL ${rule.check.name}: ${rule.ovalResult ?? 'not evaluated'}`;
  if (rule.result !== 'notapplicable') return '';
  return platforms.length > 0
    ? `not applicable: the target is not ${platforms.join(' / ')} (CPE platform check)`
    : 'not applicable: the benchmark platform does not match the target';
}

/** The platforms gating a rule: its own and its ancestor Groups'. */
function platformsOf(benchmark: XccdfBenchmark, rule: XccdfRule | undefined): string[] {
  if (!rule) return [];
  const out = new Set<string>();
  for (const id of rule.ancestors) for (const p of benchmark.groups.get(id)?.platforms ?? []) out.add(p);
  for (const p of rule.platforms) out.add(p);
  return [...out];
}

function referencesOf(rule: XccdfRule | undefined): Record<string, string[]> {
  const refs: Record<string, string[]> = {};
  const add = (key: string, value: string) => {
    refs[key] = [...(refs[key] ?? []), value];
  };
  for (const ident of rule?.idents ?? []) add(ident.system, ident.value);
  for (const ref of rule?.references ?? []) if (ref.href) add(ref.href, ref.text);
  return refs;
}

/** The items of the tests under the rule's definition, with each test's result. */
function evidenceOf(
  rule: XccdfRuleRun,
  run: XccdfRun,
  documents: ReadonlyMap<string, OvalDocument>,
): Evidence[] {
  if (!rule.check) return [];
  const oval = run.oval.get(rule.check.href);
  const doc = documents.get(rule.check.href);
  if (!oval || !doc) return [];
  const evidence: Evidence[] = [];
  for (const testId of testsOf(doc, rule.check.name)) {
    const test = oval.tests.get(testId);
    const object = doc.tests.get(testId)?.objectRef;
    if (!test || !object) continue;
    const collected = oval.objects.get(object);
    const source = `oval:${doc.tests.get(testId)?.type ?? 'test'}`;
    if (!collected || collected.itemIds.length === 0) {
      evidence.push({
        source,
        resource: describeObject(doc, object),
        found: collected ? collected.flag : 'not collected',
        detail: `${testId}: ${test.result}${collected?.messages.length ? ` (${collected.messages.join('; ')})` : ''}`,
      });
    }
    for (const tested of test.testedItems) {
      const item = oval.items.get(tested.itemId);
      if (!item) continue;
      evidence.push({
        source,
        resource: itemResource(item.fields),
        found: itemSummary(item.fields),
        detail: `${testId}: item ${tested.result}, test ${test.result}`,
      });
      if (evidence.length >= MAX_EVIDENCE) return evidence;
    }
    if (test.testedItems.length === 0 && collected && collected.itemIds.length > 0) {
      for (const id of collected.itemIds.slice(0, 3)) {
        const item = oval.items.get(id);
        if (item) {
          evidence.push({
            source,
            resource: itemResource(item.fields),
            found: itemSummary(item.fields),
            detail: `${testId}: ${test.result}`,
          });
        }
      }
    }
    if (evidence.length >= MAX_EVIDENCE) return evidence;
  }
  return evidence;
}

function testsOf(doc: OvalDocument, definitionId: string, seen = new Set<string>()): string[] {
  if (seen.has(definitionId)) return [];
  seen.add(definitionId);
  const out: string[] = [];
  const walk = (
    node: NonNullable<OvalDocument['definitions'] extends Map<string, infer D> ? D : never>['criteria'],
  ) => {
    if (!node) return;
    for (const child of node.children) {
      if (child.kind === 'criteria') walk(child);
      else if (child.kind === 'criterion') out.push(child.testRef);
      else out.push(...testsOf(doc, child.definitionRef, seen));
    }
  };
  walk(doc.definitions.get(definitionId)?.criteria);
  return out;
}

function describeObject(doc: OvalDocument, objectId: string): string {
  const object = doc.objects.get(objectId);
  if (!object) return objectId;
  const parts = object.entities
    .filter((e) => e.value !== undefined || e.varRef !== undefined)
    .map((e) => `${e.name}=${e.value ?? `var(${e.varRef})`}`);
  return parts.length > 0 ? parts.join(' ') : objectId;
}

const RESOURCE_FIELDS = ['filepath', 'name', 'unit', 'username', 'mount_point', 'var_ref', 'path'];

function itemResource(fields: Record<string, { value: string | undefined }[]>): string {
  for (const name of RESOURCE_FIELDS) {
    const value = fields[name]?.[0]?.value;
    if (value !== undefined) return value;
  }
  return '(item)';
}

function itemSummary(fields: Record<string, { value: string | undefined }[]>): string {
  const parts: string[] = [];
  for (const [name, values] of Object.entries(fields)) {
    if (RESOURCE_FIELDS.includes(name) || name === 'pattern') continue;
    const text = values.map((v) => v.value ?? '').join(',');
    if (text.length > 0) parts.push(`${name}=${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
    if (parts.length >= 8) break;
  }
  return parts.join(' ');
}

export type { OvalRun };
