/**
 * The writers on real SCAP Security Guide content (debian11, SSG 0.1.65): the Benchmark inside the
 * data stream uses the `xccdf-1.2:` prefix declared on the collection, so the copy must carry it.
 * The run mirrors what oscap itself finds on this host for the `standard` profile (on a host that is
 * not Debian 11 every selected rule is notapplicable), and both documents must validate and render.
 * Skipped when SSG content or oscap is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScapSource } from '../../../src/scap/datastream/parse-source.js';
import type { XccdfBenchmark } from '../../../src/scap/model/xccdf.js';
import {
  computeScores,
  loadReportSource,
  writeArf,
  writeXccdfResults,
} from '../../../src/scap/report/index.js';
import type { OvalRun, XccdfResult, XccdfRun } from '../../../src/scap/results/model.js';
import { resolveProfile } from '../../../src/scap/xccdf/resolve-profile.js';
import { parseXml, type XmlElement } from '../../../src/scap/xml/xml-tree.js';
import { haveOscap, oscap } from './oscap.js';

const DS = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';
const PROFILE = 'xccdf_org.ssgproject.content_profile_standard';
const enabled = haveOscap && existsSync(DS);
if (!enabled) console.warn(`skipping SSG writer tests: needs oscap and ${DS}`);

let dir: string;
let oscapTestResult: XmlElement;
let run: XccdfRun;
let resultsXml: string;
let arfXml: string;

beforeAll(async () => {
  if (!enabled) return;
  dir = await mkdtemp(join(tmpdir(), 'vouch-ssg-report-'));
  const evaluated = await oscap(['xccdf', 'eval', '--profile', PROFILE, '--results', 'r.xml', DS], dir);
  expect([0, 2]).toContain(evaluated.code);
  const root = parseXml(await readFile(join(dir, 'r.xml'), 'utf8'));
  oscapTestResult = root.children.find((c) => c.name === 'TestResult') as XmlElement;
  const source = await loadScapSource(DS);
  const report = await loadReportSource(source);
  const content = [...source.components.values()].find((c) => c.content.kind === 'xccdf')?.content;
  if (content?.kind !== 'xccdf') throw new Error('no benchmark');
  run = runFromOscap(content.benchmark, oscapTestResult);
  resultsXml = writeXccdfResults(run, report);
  await writeFile(join(dir, 'results.xml'), resultsXml);
  arfXml = writeArf(run, report);
  await writeFile(join(dir, 'arf.xml'), arfXml);
}, 120_000);

afterAll(async () => {
  if (process.env.VOUCH_KEEP_REPORT) console.warn(`report documents kept in ${dir}`);
  else if (dir) await rm(dir, { recursive: true, force: true });
});

/** Our run with oscap's results, everything else from our own model and profile resolution. */
function runFromOscap(benchmark: XccdfBenchmark, testResult: XmlElement): XccdfRun {
  const resultOf = new Map(
    testResult.children
      .filter((c) => c.name === 'rule-result')
      .map((r) => [r.attrs.idref, r.children.find((c) => c.name === 'result')?.text as XccdfResult]),
  );
  const resolved = resolveProfile(benchmark, PROFILE);
  const rules = [...benchmark.rules.values()].map((rule) => ({
    ruleId: rule.id,
    result: resultOf.get(rule.id) ?? 'error',
    severity: rule.severity,
    role: rule.role,
    weight: rule.weight,
    time: '2026-11-26T00:00:00+00:00',
    check: undefined,
    ovalResult: undefined,
    messages: [],
    idents: rule.idents,
  }));
  return {
    benchmarkId: benchmark.id,
    profileId: PROFILE,
    profileTitle: undefined,
    testResultId: `xccdf_org.open-scap_testresult_${PROFILE}`,
    startTime: '2026-11-26T00:00:00+00:00',
    endTime: '2026-11-26T00:00:01+00:00',
    target: { name: 'vm', addresses: ['127.0.0.1'], facts: [] },
    applicablePlatforms: [],
    setValues: [...resolved.values.values()].map((v) => ({ valueId: v.id, value: v.value })),
    rules,
    scores: computeScores(benchmark, rules),
    // Main OVAL with nothing evaluated, CPE OVAL (reached through the CPE dictionary's catalog) with
    // the one definition a non-Debian-11 host answers.
    oval: new Map([
      ['ssg-debian11-oval.xml', emptyOvalRun('ssg-debian11-oval.xml')],
      [
        'ssg-debian11-cpe-oval.xml',
        {
          ...emptyOvalRun('ssg-debian11-cpe-oval.xml'),
          definitions: new Map([['oval:ssg-installed_OS_is_debian11:def:1', 'false' as const]]),
        },
      ],
    ]),
    tailoring: undefined,
  };
}

function emptyOvalRun(href: string): OvalRun {
  return { href, definitions: new Map(), tests: new Map(), objects: new Map(), items: new Map() };
}

describe.skipIf(!enabled)('writers on SSG debian11', () => {
  it('write the rule-results and set-values oscap writes, in its order', () => {
    const pairs = (t: XmlElement, name: string, key: string) =>
      t.children
        .filter((c) => c.name === name)
        .map((c) => [c.attrs[key], c.name === 'set-value' ? c.text : c.children[0]?.text]);
    const ours = parseXml(resultsXml).children.at(-1) as XmlElement;
    expect(pairs(ours, 'rule-result', 'idref')).toEqual(pairs(oscapTestResult, 'rule-result', 'idref'));
    expect(pairs(ours, 'set-value', 'idref')).toEqual(pairs(oscapTestResult, 'set-value', 'idref'));
    expect(pairs(ours, 'rule-result', 'idref')).toHaveLength(355);
  });

  it('pass oscap xccdf validate (XML Schema) and render a report', async () => {
    // Schematron over the 3.6 MB document takes minutes on a loaded 2-core VM; the schema check is
    // what matters here (the fixture test runs the schematron rules on a small document).
    const validated = await oscap(['xccdf', 'validate', '--skip-schematron', 'results.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const rendered = await oscap(['xccdf', 'generate', 'report', 'results.xml'], dir);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('xccdf_org.ssgproject.content_rule_sshd_disable_root_login');
  }, 180_000);

  it('pass oscap ds rds-validate for the ARF', async () => {
    const validated = await oscap(['ds', 'rds-validate', 'arf.xml'], dir);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  }, 60_000);

  it('put the main and the CPE OVAL into oval0 and oval1, each with its own definitions', () => {
    const arf = parseXml(arfXml);
    const reports = arf.children.find((c) => c.name === 'reports')?.children ?? [];
    expect(reports.map((r) => r.attrs.id)).toEqual(['xccdf1', 'oval0', 'oval1']);
    const definitionCount = (report: XmlElement | undefined) => {
      const results = report?.children[0]?.children[0];
      const copy = results?.children.find((c) => c.name === 'oval_definitions');
      return copy?.children.find((c) => c.name === 'definitions')?.children.length;
    };
    expect(definitionCount(reports[1])).toBeGreaterThan(300);
    expect(definitionCount(reports[2])).toBeLessThan(100);
    // The definition is in both documents: unevaluated in the main OVAL, false in the CPE OVAL.
    const results = [
      ...arfXml.matchAll(
        /<definition definition_id="oval:ssg-installed_OS_is_debian11:def:1" result="([^"]+)"/g,
      ),
    ];
    expect(results.map((m) => m[1])).toEqual(['not evaluated', 'false']);
  });
});
