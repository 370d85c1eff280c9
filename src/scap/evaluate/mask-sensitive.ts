/**
 * Sensitive XCCDF Values in scan outputs. XCCDF has no "sensitive" attribute: a Value is sensitive
 * by name (typed-variable.ts) or by a mark the caller passes (the rule store's). Their values are
 * replaced by the mask wherever a SCAP scan shows a value: the result's `variables`, rule
 * messages, OVAL evidence (a collected line can hold the very secret the check compares with), and
 * the TestResult `set-value` of XCCDF/ARF reports.
 */
import type { Evidence } from '../../core/results.js';
import { SENSITIVE_MASK } from '../../core/rules/sensitive.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import type { XccdfRun } from '../results/model.js';
import { isSensitiveVariableName } from '../variables/typed-variable.js';

/**
 * A secret shorter than this cannot be told from ordinary text ("0", "yes"); scrubbing it from
 * every string would mangle the report without protecting anything (outputs/common.ts agrees).
 */
const MIN_SCRUB_LENGTH = 4;

export function isSensitiveValueId(id: string, marks?: ReadonlySet<string>): boolean {
  return isSensitiveVariableName(id) || (marks?.has(id) ?? false);
}

export function sensitiveValueIds(
  benchmark: XccdfBenchmark,
  marks: ReadonlySet<string> | undefined,
): Set<string> {
  return new Set([...benchmark.values.keys()].filter((id) => isSensitiveValueId(id, marks)));
}

/** Replaces the values the run used for sensitive Values, longest first. */
export function secretScrubber(run: XccdfRun, sensitive: ReadonlySet<string>): (text: string) => string {
  const secrets = new Set<string>();
  for (const v of run.setValues) if (sensitive.has(v.valueId)) secrets.add(v.value);
  for (const rule of run.rules) {
    for (const e of rule.check?.exports ?? []) if (sensitive.has(e.valueId)) secrets.add(e.value);
  }
  const list = [...secrets].filter((s) => s.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => list.reduce((acc, secret) => acc.split(secret).join(SENSITIVE_MASK), text);
}

export function scrubEvidence(evidence: Evidence, scrub: (text: string) => string): Evidence {
  const out: Evidence = { ...evidence, resource: scrub(evidence.resource) };
  if (evidence.expected !== undefined) out.expected = scrub(evidence.expected);
  if (evidence.found !== undefined) out.found = scrub(evidence.found);
  if (evidence.detail !== undefined) out.detail = scrub(evidence.detail);
  return out;
}

/**
 * A copy of the run with every sensitive value masked, for report writers that show more than the
 * TestResult (ARF's OVAL results and system characteristics): set-values and check-exports are
 * replaced by the mask, OVAL variables bound to a sensitive Value likewise, and the secret is
 * scrubbed from collected item text (the config line that holds it). The evaluation itself ran
 * with the real value; only what is written is masked.
 */
export function maskSensitiveRun(run: XccdfRun, marks?: ReadonlySet<string>): XccdfRun {
  const sensitive = new Set(
    run.setValues.map((v) => v.valueId).filter((id) => isSensitiveValueId(id, marks)),
  );
  for (const rule of run.rules) {
    for (const e of rule.check?.exports ?? [])
      if (isSensitiveValueId(e.valueId, marks)) sensitive.add(e.valueId);
  }
  if (sensitive.size === 0) return run;
  const scrub = secretScrubber(run, sensitive);
  // OVAL variable ids (export-name) bound to a sensitive Value.
  const ovalVariables = new Set(
    run.rules
      .flatMap((r) => r.check?.exports ?? [])
      .filter((e) => sensitive.has(e.valueId))
      .map((e) => e.exportName),
  );
  const maskVariable = (v: { variableId: string; value: string }) =>
    ovalVariables.has(v.variableId) ? { ...v, value: SENSITIVE_MASK } : { ...v, value: scrub(v.value) };
  const oval = new Map(
    [...run.oval].map(([href, o]) => [
      href,
      {
        ...o,
        tests: new Map(
          [...o.tests].map(([id, t]) => [id, { ...t, testedVariables: t.testedVariables.map(maskVariable) }]),
        ),
        objects: new Map(
          [...o.objects].map(([id, ob]) => [
            id,
            { ...ob, messages: ob.messages.map(scrub), variableValues: ob.variableValues.map(maskVariable) },
          ]),
        ),
        items: new Map(
          [...o.items].map(([id, item]) => [
            id,
            {
              ...item,
              fields: Object.fromEntries(
                Object.entries(item.fields).map(([name, values]) => [
                  name,
                  values.map((v) => (v.value === undefined ? v : { ...v, value: scrub(v.value) })),
                ]),
              ),
            },
          ]),
        ),
      },
    ]),
  );
  return {
    ...run,
    setValues: run.setValues.map((v) => (sensitive.has(v.valueId) ? { ...v, value: SENSITIVE_MASK } : v)),
    rules: run.rules.map((r) =>
      r.check
        ? {
            ...r,
            messages: r.messages.map((m) => ({ ...m, text: scrub(m.text) })),
            check: {
              ...r.check,
              exports: r.check.exports.map((e) =>
                sensitive.has(e.valueId) ? { ...e, value: SENSITIVE_MASK } : e,
              ),
            },
          }
        : r,
    ),
    oval,
  };
}
