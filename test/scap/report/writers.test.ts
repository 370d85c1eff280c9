/**
 * The XCCDF results and ARF writers, checked with the real tools and against what oscap 1.3.7 itself
 * writes for the same tiny data stream (fixtures/report-ds.xml, composed with `oscap ds sds-compose`
 * from report-xccdf.xml, report-oval.xml and report-ocil.xml):
 * - `oscap xccdf validate` (XCCDF 1.2 schema) and `oscap ds rds-validate` (ARF) accept the output;
 * - `oscap xccdf generate report` renders both into HTML showing every rule's result;
 * - the hand-built run (fixture-run.ts) holds the results oscap finds on any host, and the documents
 *   agree with oscap's on rule-results (set and order), set-values, scores, definition results with
 *   their criteria trees, test results, collected objects and item shapes;
 * - the Benchmark and data stream copies parse back to the same model as the source.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSource, loadScapSource, parseScapSource } from '../../../src/scap/datastream/parse-source.js';
import type { ScapSource, XccdfBenchmark } from '../../../src/scap/index.js';
import {
  computeScores,
  loadReportSource,
  type ReportSource,
  writeArf,
  writeXccdfResults,
} from '../../../src/scap/report/index.js';
import type { XccdfRun } from '../../../src/scap/results/model.js';
import { parseXml, type XmlElement } from '../../../src/scap/xml/xml-tree.js';
import { fixtureRun, PROFILE } from './fixture-run.js';
import { haveOscap, oscap } from './oscap.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let dir: string;
let report: ReportSource;
let benchmark: XccdfBenchmark;
let run: XccdfRun;
let resultsXml: string;
let arfXml: string;
/** oscap's own outputs for the same data stream and profile. */
let oscapResults: XmlElement | undefined;
let oscapArf: XmlElement | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-report-'));
  await copyFile(join(FIXTURES, 'report-ds.xml'), join(dir, 'report-ds.xml'));
  const source = await loadScapSource(join(dir, 'report-ds.xml'));
  report = await loadReportSource(source);
  const content = [...source.components.values()].find((c) => c.content.kind === 'xccdf')?.content;
  if (content?.kind !== 'xccdf') throw new Error('fixture has no benchmark');
  benchmark = content.benchmark;
  run = fixtureRun(benchmark);
  resultsXml = writeXccdfResults(run, report, {
    identity: { name: 'root', authenticated: false, privileged: false },
  });
  arfXml = writeArf(run, report, {
    systemInfo: {
      osName: 'Debian GNU/Linux',
      osVersion: '12 (bookworm)',
      architecture: 'x86_64',
      primaryHostName: 'vm',
      interfaces: [{ name: 'lo', ipAddress: '127.0.0.1', macAddress: '00:00:00:00:00:00' }],
    },
  });
  await writeFile(join(dir, 'results.xml'), resultsXml);
  await writeFile(join(dir, 'arf.xml'), arfXml);
  if (haveOscap) {
    const evaluated = await oscap(
      [
        'xccdf',
        'eval',
        '--profile',
        PROFILE,
        '--results',
        'r.xml',
        '--results-arf',
        'a.xml',
        'report-ds.xml',
      ],
      dir,
    );
    // 2 = at least one rule failed, which the fixture makes sure of.
    expect(evaluated.code, evaluated.stderr).toBe(2);
    oscapResults = parseXml(await readFile(join(dir, 'r.xml'), 'utf8'));
    oscapArf = parseXml(await readFile(join(dir, 'a.xml'), 'utf8'));
  }
}, 60_000);

afterAll(async () => {
  // VOUCH_KEEP_REPORT=1 keeps the documents (ours and oscap's) for a look.
  if (process.env.VOUCH_KEEP_REPORT) console.warn(`report documents kept in ${dir}`);
  else if (dir) await rm(dir, { recursive: true, force: true });
});

// ---- small navigation helpers over parsed documents ----

function all(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    for (const child of e.children) visit(child);
  };
  visit(root);
  return out;
}

function one(root: XmlElement, name: string): XmlElement {
  const found = all(root, name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0] as XmlElement;
}

function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

function ruleResults(testResult: XmlElement): [string, string][] {
  return all(testResult, 'rule-result').map((r) => [r.attrs.idref ?? '', child(r, 'result')?.text ?? '']);
}

function criteriaTree(node: XmlElement): string {
  const a = node.attrs;
  if (node.name === 'criterion') return `${a.negate === 'true' ? '!' : ''}${a.test_ref}=${a.result}`;
  if (node.name === 'extend_definition')
    return `${a.negate === 'true' ? '!' : ''}${a.definition_ref}=${a.result}`;
  return `${a.operator}(${node.children.map(criteriaTree).join(',')})=${a.result}`;
}

function definitionResults(ovalResults: XmlElement): Map<string, string> {
  const definitions = one(ovalResults, 'results').children[0];
  const out = new Map<string, string>();
  for (const d of all(definitions as XmlElement, 'definition').filter((d) => d.attrs.definition_id)) {
    const criteria = child(d, 'criteria');
    out.set(d.attrs.definition_id ?? '', `${d.attrs.result} ${criteria ? criteriaTree(criteria) : ''}`);
  }
  return out;
}

describe.skipIf(!haveOscap)('XCCDF results document', () => {
  it('is valid XCCDF 1.2 for oscap', async () => {
    const validated = await oscap(['xccdf', 'validate', 'results.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  });

  it('renders into an HTML report that shows the rule results', async () => {
    const rendered = await oscap(['xccdf', 'generate', 'report', 'results.xml'], dir);
    expect(rendered.code, rendered.stderr).toBe(0);
    for (const rule of run.rules.filter((r) => r.result !== 'notselected')) {
      expect(rendered.stdout).toContain(rule.ruleId);
    }
    expect(rendered.stdout).toMatch(/rule-result-fail/);
    expect(rendered.stdout).toMatch(/rule-result-pass/);
    expect(rendered.stdout).toContain('10.86');
  });

  it('lists the same rule-results, in the same order, as oscap', () => {
    const ours = one(parseXml(resultsXml), 'TestResult');
    const theirs = one(oscapResults as XmlElement, 'TestResult');
    expect(ruleResults(ours)).toEqual(ruleResults(theirs));
    expect(ruleResults(ours)).toHaveLength(benchmark.rules.size);
  });

  it('writes every rule-result as oscap does (attributes, idents, messages, check with exports)', () => {
    const shape = (testResult: XmlElement) =>
      all(testResult, 'rule-result').map((r) => ({
        attrs: { ...r.attrs, time: undefined },
        children: r.children.map((c) => ({
          name: c.name,
          text: c.text,
          attrs: c.name === 'check' ? c.attrs : c.attrs,
          children: c.children.map((cc) => ({ name: cc.name, attrs: cc.attrs })),
        })),
      }));
    expect(shape(one(parseXml(resultsXml), 'TestResult'))).toEqual(
      shape(one(oscapResults as XmlElement, 'TestResult')),
    );
  });

  it('writes the set-values and the default score oscap writes', () => {
    const ours = one(parseXml(resultsXml), 'TestResult');
    const theirs = one(oscapResults as XmlElement, 'TestResult');
    const setValues = (t: XmlElement) => all(t, 'set-value').map((s) => [s.attrs.idref, s.text]);
    expect(setValues(ours)).toEqual(setValues(theirs));
    const score = (t: XmlElement) =>
      all(t, 'score')
        .filter((s) => s.attrs.system === 'urn:xccdf:scoring:default')
        .map((s) => [s.attrs.maximum, s.text]);
    expect(score(ours)).toEqual(score(theirs));
    expect(score(ours)).toEqual([['100.000000', '10.857142']]);
  });

  it('copies the Benchmark so that it parses to the same model as the source', () => {
    const copy = parseScapSource(resultsXml, 'results.xml');
    const copied = [...copy.components.values()][0]?.content;
    expect(copied?.kind).toBe('xccdf');
    if (copied?.kind !== 'xccdf') return;
    const strip = (b: XccdfBenchmark) => JSON.parse(JSON.stringify({ ...b, unknown: [] }, mapReplacer));
    expect(strip(copied.benchmark)).toEqual(strip(benchmark));
    // The TestResult is the Benchmark's last child, in the XCCDF namespace.
    const root = parseXml(resultsXml);
    expect(root.children.at(-1)).toMatchObject({
      name: 'TestResult',
      ns: 'http://checklists.nist.gov/xccdf/1.2',
    });
  });
});

describe.skipIf(!haveOscap)('ARF', () => {
  it('is valid ARF for oscap', async () => {
    const validated = await oscap(['ds', 'rds-validate', 'arf.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  });

  it('holds oval_results that are valid OVAL 5.11 results (schema and schematron)', async () => {
    // rds-validate does not look inside arf:content, so each oval_results is checked on its own.
    const start = arfXml.indexOf('<oval_results');
    const end = arfXml.indexOf('</oval_results>') + '</oval_results>'.length;
    expect(start).toBeGreaterThan(0);
    await writeFile(join(dir, 'oval-results.xml'), `<?xml version="1.0"?>\n${arfXml.slice(start, end)}`);
    const validated = await oscap(['oval', 'validate', '--results', 'oval-results.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  });

  it('renders into an HTML report that shows the rule results and OVAL details', async () => {
    const rendered = await oscap(['xccdf', 'generate', 'report', 'arf.xml'], dir);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('xccdf_org.vouch_rule_no_such_user');
    expect(rendered.stdout).toMatch(/rule-result-fail/);
    // OVAL details come from the oval_results report: the collected text line is shown.
    expect(rendered.stdout).toContain('root:x:0:');
  });

  it('has the report structure oscap writes', () => {
    const ours = parseXml(arfXml);
    const theirs = oscapArf as XmlElement;
    const skeleton = (root: XmlElement) => ({
      relationships: all(root, 'relationship').map((r) => [
        r.attrs.type,
        r.attrs.subject,
        r.children[0]?.text,
      ]),
      requests: all(root, 'report-request').map((r) => [r.attrs.id, r.children[0]?.children[0]?.name]),
      assets: all(root, 'asset').map((a) => [a.attrs.id, a.children[0]?.name]),
      reports: all(root, 'report').map((r) => [r.attrs.id, r.children[0]?.children[0]?.name]),
      benchmarkHref: one(root, 'benchmark').attrs.href,
      checkHrefs: [...new Set(all(root, 'check-content-ref').map((c) => c.attrs.href))],
      targetIdRef: one(root, 'target-id-ref').attrs,
    });
    expect(skeleton(ours)).toEqual(skeleton(theirs));
    expect(ruleResults(one(ours, 'TestResult'))).toEqual(ruleResults(one(theirs, 'TestResult')));
  });

  it('describes the asset from the run target', () => {
    const device = one(parseXml(arfXml), 'computing-device');
    expect(all(device, 'ip-v4').map((e) => e.text)).toEqual(['127.0.0.1']);
    expect(all(device, 'ip-v6').map((e) => e.text)).toEqual(['0:0:0:0:0:0:0:1']);
    expect(all(device, 'mac-address').map((e) => e.text)).toEqual(['02:FC:00:00:00:01']);
    expect(child(device, 'fqdn')?.text).toBe('vm.example');
    expect(child(device, 'hostname')?.text).toBe('vm');
  });

  it('stays valid for target values the asset schema cannot hold as given', async () => {
    const awkward: XccdfRun = {
      ...run,
      target: {
        name: 'host name with spaces',
        addresses: ['::1', 'fe80::1%eth0', '10.0.0.1', 'not-an-address'],
        facts: [
          { name: 'urn:xccdf:fact:ethernet:MAC', type: 'string', value: '02-fc-00-00-00-01' },
          { name: 'urn:xccdf:fact:ethernet:MAC', type: 'string', value: '02:fc:00:00:00:02' },
          { name: 'urn:xccdf:fact:asset:identifier:fqdn', type: 'string', value: 'vm.example.' },
        ],
      },
    };
    const xml = writeArf(awkward, report);
    await writeFile(join(dir, 'awkward-arf.xml'), xml);
    const validated = await oscap(['ds', 'rds-validate', 'awkward-arf.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const device = one(parseXml(xml), 'computing-device');
    expect(all(device, 'ip-v6').map((e) => e.text)).toEqual(['0:0:0:0:0:0:0:1', 'fe80:0:0:0:0:0:0:1']);
    expect(all(device, 'ip-v4').map((e) => e.text)).toEqual(['10.0.0.1']);
    expect(all(device, 'mac-address').map((e) => e.text)).toEqual(['02:fc:00:00:00:02']);
    expect(child(device, 'fqdn')).toBeUndefined();
    expect(child(device, 'hostname')).toBeUndefined();
    // The TestResult keeps the target as given.
    expect(all(one(parseXml(xml), 'TestResult'), 'target-address').map((e) => e.text)).toEqual(
      awkward.target.addresses,
    );
  });

  it('carries the source data stream, which parses back to the same components', () => {
    const request = one(parseXml(arfXml), 'report-request');
    const copy = buildSource(request.children[0]?.children[0] as XmlElement, 'copy');
    const ids = (s: ScapSource) => [...s.components.keys()];
    expect(ids(copy)).toEqual(ids(report.source));
    expect(copy.dataStreams).toEqual(report.source.dataStreams);
  });

  it('agrees with oscap on definition results and every criteria node', () => {
    const ours = definitionResults(one(parseXml(arfXml), 'oval_results'));
    const theirs = definitionResults(one(oscapArf as XmlElement, 'oval_results'));
    expect(ours).toEqual(theirs);
    expect(ours.get('oval:vouch:def:2')).toBe(
      'false OR(oval:vouch:tst:2=false,!oval:vouch:tst:1=false)=false',
    );
    expect(ours.get('oval:vouch:def:6')).toMatch(/^not evaluated /);
  });

  it('agrees with oscap on tests, collected objects and item shapes', () => {
    const summary = (root: XmlElement) => {
      const oval = one(root, 'oval_results');
      const items = new Map(
        all(one(oval, 'system_data'), '*')
          .concat(one(oval, 'system_data').children)
          .map((i) => [i.attrs.id, i]),
      );
      const itemShape = (id: string | undefined) => {
        const item = items.get(id);
        return item
          ? [item.name, item.ns, item.attrs.status, item.children.map((c) => [c.name, c.attrs.datatype])]
          : id;
      };
      return {
        tests: all(oval, 'test')
          .map((t) => ({
            attrs: t.attrs,
            items: all(t, 'tested_item').map((i) => [itemShape(i.attrs.item_id), i.attrs.result]),
            variables: all(t, 'tested_variable').map((v) => [v.attrs.variable_id, v.text]),
          }))
          .sort((a, b) => (a.attrs.test_id ?? '').localeCompare(b.attrs.test_id ?? '')),
        objects: all(oval, 'object')
          .filter((o) => o.attrs.flag)
          .map((o) => ({
            attrs: o.attrs,
            references: all(o, 'reference').map((r) => itemShape(r.attrs.item_ref)),
            variables: all(o, 'variable_value').map((v) => [v.attrs.variable_id, v.text]),
          })),
      };
    };
    expect(summary(parseXml(arfXml))).toEqual(summary(oscapArf as XmlElement));
  });

  it('copies the OVAL definitions into oval_results', () => {
    const copied = one(one(parseXml(arfXml), 'oval_results'), 'oval_definitions');
    expect(all(copied, 'definition').map((d) => d.attrs.id)).toEqual([
      'oval:vouch:def:1',
      'oval:vouch:def:2',
      'oval:vouch:def:3',
      'oval:vouch:def:4',
      'oval:vouch:def:5',
      'oval:vouch:def:6',
    ]);
  });
});

describe('writers without oscap', () => {
  it('escape every text and attribute taken from the run', () => {
    const hostile: XccdfRun = {
      ...run,
      target: {
        name: 'a<b>&"c"',
        addresses: ['127.0.0.1'],
        facts: [{ name: 'urn:x:"fact"', type: 'string', value: ']]> <!-- & \u0001 end' }],
      },
      setValues: [{ valueId: 'xccdf_org.vouch_value_user', value: 'line1\nline2 <tab>\t' }],
    };
    const root = parseXml(writeXccdfResults(hostile, report));
    const testResult = one(root, 'TestResult');
    expect(child(testResult, 'target')?.text).toBe('a<b>&"c"');
    const fact = one(testResult, 'fact');
    expect(fact.attrs.name).toBe('urn:x:"fact"');
    // U+0001 cannot appear in XML 1.0 at all: it becomes U+FFFD.
    expect(fact.text).toBe(']]> <!-- & \uFFFD end');
    expect(one(testResult, 'set-value').text).toBe('line1\nline2 <tab>\t');
  });

  it('refuse an ARF for a standalone XCCDF file, naming it', async () => {
    const source = await loadScapSource(join(FIXTURES, 'report-xccdf.xml'));
    const standalone = await loadReportSource(source);
    expect(() => writeArf(run, standalone)).toThrow(
      /report-xccdf\.xml: ARF output needs a source data stream/,
    );
    // The XCCDF results document works from a standalone Benchmark too.
    const xml = writeXccdfResults(run, standalone);
    expect(ruleResults(one(parseXml(xml), 'TestResult'))).toHaveLength(benchmark.rules.size);
  });

  it('name the benchmark when the run is for another one', () => {
    expect(() => writeXccdfResults({ ...run, benchmarkId: 'xccdf_x_benchmark_other' }, report)).toThrow(
      /no Benchmark xccdf_x_benchmark_other/,
    );
  });

  it('notice a source file that changed after it was parsed', () => {
    const changed: ReportSource = { source: report.source, text: `<!-- moved -->${report.text}` };
    expect(() => writeXccdfResults(run, changed)).toThrow(/did the file change/);
  });

  it('print the scores of the run as given', () => {
    const scores = computeScores(benchmark, run.rules, [
      'urn:xccdf:scoring:default',
      'urn:xccdf:scoring:flat',
    ]);
    const xml = writeXccdfResults({ ...run, scores }, report);
    expect(all(parseXml(xml), 'score').map((s) => [s.attrs.system, s.attrs.maximum, s.text])).toEqual([
      ['urn:xccdf:scoring:default', '100.000000', '10.857142'],
      ['urn:xccdf:scoring:flat', '15.500000', '3.000000'],
    ]);
  });
});

function mapReplacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value.entries()] : value;
}
