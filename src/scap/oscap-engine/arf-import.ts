/**
 * oscap's ARF 1.1 report (`oscap xccdf eval --results-arf`) read back into the run model the
 * native evaluator produces (results/model.ts), so one adapter (evaluate/to-scan-result.ts) turns
 * either engine's run into Vouch's result document, evidence included: the XCCDF TestResult gives
 * the rule results, the `oval_results` reports give definitions, tests, collected objects and items.
 */
import { VouchError } from '../../core/errors.js';
import { ovalCheckOf } from '../inventory/construct-inventory.js';
import type { XccdfBenchmark } from '../model/xccdf.js';
import type { ItemStatus } from '../oval-eval/existence.js';
import type { OvalResult } from '../oval-eval/result.js';
import type { CollectedItem, ItemValue } from '../oval-eval/state-eval.js';
import type { CollectionFlag } from '../oval-eval/test-eval.js';
import type { ProbeItem } from '../oval-session/probe.js';
import type { OvalRun, XccdfResult, XccdfRuleRun, XccdfRun } from '../results/model.js';
import { NS } from '../xml/namespaces.js';
import { parseXmlFile, type XmlElement } from '../xml/xml-tree.js';

const NS_ARF = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';
const NS_OVAL_RES = 'http://oval.mitre.org/XMLSchema/oval-results-5';
const NS_OVAL_SC = 'http://oval.mitre.org/XMLSchema/oval-system-characteristics-5';
/** system-characteristics item namespaces -> the OVAL family short names the model uses. */
const ITEM_FAMILIES: Record<string, string> = {
  [`${NS_OVAL_SC}#independent`]: 'ind',
  [`${NS_OVAL_SC}#unix`]: 'unix',
  [`${NS_OVAL_SC}#linux`]: 'linux',
};

const kids = (e: XmlElement | undefined, ns: string, name: string): XmlElement[] =>
  e ? e.children.filter((c) => c.ns === ns && c.name === name) : [];
const kid = (e: XmlElement | undefined, ns: string, name: string): XmlElement | undefined =>
  e?.children.find((c) => c.ns === ns && c.name === name);

export interface ImportedArf {
  run: XccdfRun;
  /** The profile id oscap reports in its TestResult (a generated tailoring profile, for --var). */
  oscapProfileId: string | undefined;
}

/**
 * Reads `path` (oscap's ARF) against `benchmark` (the evaluated content, tailoring applied): the
 * TestResult's `#ovalN` check hrefs are mapped back to the hrefs the benchmark's checks name.
 */
export async function importOscapArf(path: string, benchmark: XccdfBenchmark): Promise<ImportedArf> {
  const root = await parseXmlFile(path);
  if (root.ns !== NS_ARF || root.name !== 'asset-report-collection') {
    throw new VouchError('OSCAP_BAD_ARF', `${path}: not an ARF asset-report-collection (oscap output)`);
  }
  const reports = new Map<string, XmlElement>();
  for (const report of kids(kid(root, NS_ARF, 'reports'), NS_ARF, 'report')) {
    const content = kid(report, NS_ARF, 'content');
    const body = content?.children[0];
    if (report.attrs.id && body) reports.set(report.attrs.id, body);
  }
  const testResult = [...reports.values()].find((e) => e.ns === NS.xccdf12 && e.name === 'TestResult');
  if (!testResult) throw new VouchError('OSCAP_BAD_ARF', `${path}: no XCCDF TestResult in the ARF report`);
  return importTestResult(testResult, reports, benchmark, path);
}

function importTestResult(
  tr: XmlElement,
  reports: ReadonlyMap<string, XmlElement>,
  benchmark: XccdfBenchmark,
  path: string,
): ImportedArf {
  const x = NS.xccdf12;
  const setValues = kids(tr, x, 'set-value').map((e) => ({ valueId: e.attrs.idref ?? '', value: e.text }));
  const valueById = new Map(setValues.map((v) => [v.valueId, v.value]));
  // `#oval0` (ARF-internal) -> the benchmark's own href, learnt from the rules that use it.
  const hrefOf = new Map<string, string>();
  const rules: XccdfRuleRun[] = kids(tr, x, 'rule-result').map((rr) => {
    const ruleId = rr.attrs.idref ?? '';
    const checkEl = kid(rr, x, 'check');
    const ref = kid(checkEl, x, 'check-content-ref');
    let check: XccdfRuleRun['check'];
    if (checkEl && ref?.attrs.name) {
      const xccdfRule = benchmark.rules.get(ruleId);
      const own = xccdfRule ? ovalCheckOf(xccdfRule) : undefined;
      const href = own?.contentRefs[0]?.href ?? ref.attrs.href ?? '';
      if (ref.attrs.href) hrefOf.set(ref.attrs.href.replace(/^#/, ''), href);
      check = {
        system: checkEl.attrs.system ?? '',
        href,
        name: ref.attrs.name,
        exports: kids(checkEl, x, 'check-export').map((e) => ({
          valueId: e.attrs['value-id'] ?? '',
          exportName: e.attrs['export-name'] ?? '',
          value: valueById.get(e.attrs['value-id'] ?? '') ?? '',
        })),
      };
    }
    return {
      ruleId,
      result: (kid(rr, x, 'result')?.text.trim() ?? 'error') as XccdfResult,
      severity: rr.attrs.severity ?? 'unknown',
      role: rr.attrs.role ?? 'full',
      weight: Number(rr.attrs.weight ?? '1'),
      time: rr.attrs.time ?? '',
      check,
      ovalResult: undefined,
      messages: kids(rr, x, 'message').map((m) => ({
        severity: (m.attrs.severity ?? 'info') as 'info' | 'warning' | 'error',
        text: m.text.trim(),
      })),
      idents: kids(rr, x, 'ident').map((i) => ({ system: i.attrs.system ?? '', value: i.text.trim() })),
    };
  });

  const oval = new Map<string, OvalRun>();
  for (const [reportId, href] of hrefOf) {
    const results = reports.get(reportId);
    if (results?.name !== 'oval_results') {
      throw new VouchError(
        'OSCAP_BAD_ARF',
        `${path}: the TestResult names report ${reportId}, which is missing`,
      );
    }
    oval.set(href, importOvalResults(results, href));
  }
  for (const rule of rules) {
    if (rule.check) rule.ovalResult = oval.get(rule.check.href)?.definitions.get(rule.check.name);
  }

  const target = {
    name: kid(tr, x, 'target')?.text.trim() ?? '',
    addresses: kids(tr, x, 'target-address').map((e) => e.text.trim()),
    facts: kids(kid(tr, x, 'target-facts'), x, 'fact').map((f) => ({
      name: f.attrs.name ?? '',
      type: f.attrs.type ?? 'string',
      value: f.text,
    })),
  };
  const oscapProfileId = kid(tr, x, 'profile')?.attrs.idref;
  const run: XccdfRun = {
    benchmarkId: kid(tr, x, 'benchmark')?.attrs.id ?? benchmark.id,
    profileId: oscapProfileId,
    profileTitle: undefined,
    testResultId: tr.attrs.id ?? '',
    startTime: isoOf(tr.attrs['start-time']),
    endTime: isoOf(tr.attrs['end-time']),
    target,
    applicablePlatforms: kids(tr, x, 'platform').map((p) => p.attrs.idref ?? ''),
    setValues,
    rules,
    scores: kids(tr, x, 'score').map((s) => ({
      system: s.attrs.system ?? '',
      score: Number(s.text.trim()),
      maximum: Number(s.attrs.maximum ?? '100'),
    })),
    oval,
    tailoring: undefined,
  };
  return { run, oscapProfileId };
}

/** oscap writes local times with an offset (`2026-11-26T05:47:04+00:00`); the model keeps ISO UTC. */
function isoOf(text: string | undefined): string {
  const date = text ? new Date(text) : new Date();
  return Number.isNaN(date.getTime()) ? (text ?? '') : date.toISOString();
}

function importOvalResults(results: XmlElement, href: string): OvalRun {
  const r = NS_OVAL_RES;
  const system = kid(kid(results, r, 'results'), r, 'system');
  const definitions = new Map<string, OvalResult>();
  for (const d of kids(kid(system, r, 'definitions'), r, 'definition')) {
    definitions.set(d.attrs.definition_id ?? '', (d.attrs.result ?? 'error') as OvalResult);
  }
  const tests: OvalRun['tests'] = new Map();
  for (const t of kids(kid(system, r, 'tests'), r, 'test')) {
    const id = t.attrs.test_id ?? '';
    tests.set(id, {
      id,
      result: (t.attrs.result ?? 'error') as OvalResult,
      check: t.attrs.check ?? 'all',
      checkExistence: t.attrs.check_existence ?? 'at_least_one_exists',
      stateOperator: t.attrs.state_operator ?? 'AND',
      testedItems: kids(t, r, 'tested_item').map((i) => ({
        itemId: Number(i.attrs.item_id),
        result: (i.attrs.result ?? 'error') as OvalResult,
      })),
      testedVariables: kids(t, r, 'tested_variable').map((v) => ({
        variableId: v.attrs.variable_id ?? '',
        value: v.text,
      })),
    });
  }
  const sc = kid(system, NS_OVAL_SC, 'oval_system_characteristics');
  const objects: OvalRun['objects'] = new Map();
  for (const o of kids(kid(sc, NS_OVAL_SC, 'collected_objects'), NS_OVAL_SC, 'object')) {
    const id = o.attrs.id ?? '';
    objects.set(id, {
      id,
      flag: (o.attrs.flag ?? 'error') as CollectionFlag,
      itemIds: kids(o, NS_OVAL_SC, 'reference').map((e) => Number(e.attrs.item_ref)),
      messages: kids(o, NS_OVAL_SC, 'message').map((m) => m.text.trim()),
      variableValues: kids(o, NS_OVAL_SC, 'variable_value').map((v) => ({
        variableId: v.attrs.variable_id ?? '',
        value: v.text,
      })),
    });
  }
  const items: OvalRun['items'] = new Map();
  for (const item of kid(sc, NS_OVAL_SC, 'system_data')?.children ?? []) {
    const fields: CollectedItem = {};
    for (const field of item.children) {
      const value: ItemValue = { value: field.text };
      if (field.attrs.datatype) value.datatype = field.attrs.datatype;
      if (field.attrs.status) value.status = field.attrs.status as ItemStatus;
      const list = fields[field.name] ?? [];
      list.push(value);
      fields[field.name] = list;
    }
    const probeItem: ProbeItem = {
      type: item.name,
      family: ITEM_FAMILIES[item.ns] ?? item.ns,
      status: (item.attrs.status ?? 'exists') as ItemStatus,
      fields,
    };
    items.set(Number(item.attrs.id), probeItem);
  }
  return { href, definitions, tests, objects, items };
}
