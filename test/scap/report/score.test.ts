/**
 * XCCDF scoring as oscap 1.3.7 does it (src/scap/report/score.ts).
 * - Table cases worked out by hand (hierarchy, ignored results, weights, empty benchmark).
 * - Cross-checks: oscap evaluates the fixture data stream (three profiles) and generated benchmarks
 *   with random nesting and fractional weights (seeded); Benchmarks name all four `<model>`s so oscap
 *   writes every score. computeScores, given the rule-results oscap wrote, must print the very same
 *   numbers (float32 arithmetic included: e.g. 16.666666, not 16.666667).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScapSource } from '../../../src/scap/datastream/parse-source.js';
import type { XccdfBenchmark, XccdfGroup, XccdfItem, XccdfRule } from '../../../src/scap/model/xccdf.js';
import { computeScores, SCORING } from '../../../src/scap/report/score.js';
import { formatFixed6 } from '../../../src/scap/report/xml-writer.js';
import type { XccdfResult } from '../../../src/scap/results/model.js';
import { parseXml, type XmlElement } from '../../../src/scap/xml/xml-tree.js';
import { haveOscap, oscap } from './oscap.js';

const ALL = [SCORING.default, SCORING.flat, SCORING.flatUnweighted, SCORING.absolute];

// ---- hand-worked cases ----

function rule(id: string, weight = 1): XccdfRule {
  return { kind: 'rule', id, weight } as XccdfRule;
}
function group(id: string, weight: number, children: XccdfItem[]): XccdfGroup {
  return { kind: 'group', id, weight, children } as XccdfGroup;
}
const results = (entries: [string, XccdfResult, number?][]) =>
  entries.map(([ruleId, result, weight]) => ({ ruleId, result, weight: weight ?? 1 }));
const printed = (benchmark: Pick<XccdfBenchmark, 'items'>, r: ReturnType<typeof results>) =>
  computeScores(benchmark, r, ALL).map((s) => `${formatFixed6(s.score)}/${formatFixed6(s.maximum)}`);

describe('computeScores (hand-worked)', () => {
  it.each([
    {
      name: 'hierarchical, not pass/total: a small group weighs as much as a big one',
      items: [group('g1', 1, [rule('a'), rule('b'), rule('c')]), group('g2', 1, [rule('d')])],
      results: results([
        ['a', 'pass'],
        ['b', 'fail'],
        ['c', 'fail'],
        ['d', 'pass'],
      ]),
      // default: (33.33 + 100) / 2; flat: 2 of 4
      expected: ['66.666664/100.000000', '2.000000/4.000000', '2.000000/4.000000', '0.000000/4.000000'],
    },
    {
      name: 'notselected, notapplicable, informational and notchecked are not scored; fixed passes',
      items: [rule('a'), rule('b'), rule('c'), rule('d'), rule('e'), rule('f', 3)],
      results: results([
        ['a', 'notselected'],
        ['b', 'notapplicable'],
        ['c', 'informational'],
        ['d', 'notchecked'],
        ['e', 'fixed'],
        ['f', 'pass', 3],
      ]),
      expected: ['100.000000/100.000000', '4.000000/4.000000', '2.000000/2.000000', '1.000000/4.000000'],
    },
    {
      name: 'error and unknown count as failures',
      items: [rule('a'), rule('b'), rule('c')],
      results: results([
        ['a', 'error'],
        ['b', 'unknown'],
        ['c', 'pass'],
      ]),
      expected: ['33.333332/100.000000', '1.000000/3.000000', '1.000000/3.000000', '0.000000/3.000000'],
    },
    {
      name: 'a group with nothing scored is left out of its parent',
      items: [group('g1', 5, [rule('a')]), rule('b')],
      results: results([
        ['a', 'notselected'],
        ['b', 'fail'],
      ]),
      expected: ['0.000000/100.000000', '0.000000/1.000000', '0.000000/1.000000', '0.000000/1.000000'],
    },
    {
      name: 'nothing scored at all',
      items: [rule('a')],
      results: results([['a', 'notapplicable']]),
      // absolute: 0 == 0, so "everything passed".
      expected: ['0.000000/100.000000', '0.000000/0.000000', '0.000000/0.000000', '1.000000/0.000000'],
    },
    {
      name: 'rule weights from the results, group weights from the benchmark',
      items: [group('g1', 2, [rule('a', 1), rule('b', 1)]), group('g2', 0.5, [rule('c', 1)])],
      results: results([
        ['a', 'pass', 3],
        ['b', 'fail', 1],
        ['c', 'fail', 0.5],
      ]),
      // g1 = 75, g2 = 0; (75*2 + 0*0.5) / 2.5 = 60
      expected: ['60.000000/100.000000', '3.000000/4.500000', '1.000000/3.000000', '0.000000/4.500000'],
    },
  ])('$name', ({ items, results: r, expected }) => {
    expect(printed({ items }, r)).toEqual(expected);
  });

  it('computes in float32 like oscap (double would print 16.666667)', () => {
    const items = [group('g1', 2, [rule('a'), rule('b', 3)]), group('g2', 1, [rule('c')])];
    const r = results([
      ['a', 'pass'],
      ['b', 'fail', 3],
      ['c', 'fail'],
    ]);
    expect(formatFixed6(computeScores({ items }, r)[0]?.score ?? Number.NaN)).toBe('16.666666');
    expect(formatFixed6(((25 * 2 + 0) / 3) as number)).toBe('16.666667');
  });

  it('refuses an unknown model', () => {
    expect(() => computeScores({ items: [] }, [], ['urn:xccdf:scoring:nope'])).toThrow(/nope/);
  });
});

// ---- cross-checks against oscap ----

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-score-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface OscapScores {
  rules: { ruleId: string; result: XccdfResult; weight: number }[];
  scores: string[];
}

async function oscapEval(args: string[], resultsFile: string): Promise<OscapScores> {
  const evaluated = await oscap(['xccdf', 'eval', ...args], dir);
  if (evaluated.code !== 0 && evaluated.code !== 2) throw new Error(evaluated.stderr);
  const root = parseXml(await readFile(join(dir, resultsFile), 'utf8'));
  const testResult = root.children.find((c) => c.name === 'TestResult') as XmlElement;
  return {
    rules: testResult.children
      .filter((c) => c.name === 'rule-result')
      .map((r) => ({
        ruleId: r.attrs.idref ?? '',
        result: (r.children.find((c) => c.name === 'result')?.text ?? '') as XccdfResult,
        weight: Number(r.attrs.weight),
      })),
    scores: testResult.children
      .filter((c) => c.name === 'score')
      .map((s) => `${s.attrs.system} ${s.text}/${s.attrs.maximum}`),
  };
}

function ours(benchmark: XccdfBenchmark, rules: OscapScores['rules']): string[] {
  return computeScores(benchmark, rules, ALL).map(
    (s) => `${s.system} ${formatFixed6(s.score)}/${formatFixed6(s.maximum)}`,
  );
}

describe.skipIf(!haveOscap)('computeScores against oscap', () => {
  it.each(['main', 'pass_only', 'uneven'])('fixture data stream, profile %s', async (profile) => {
    await copyFile(join(import.meta.dirname, 'fixtures', 'report-ds.xml'), join(dir, 'report-ds.xml'));
    const source = await loadScapSource(join(dir, 'report-ds.xml'));
    const content = [...source.components.values()].find((c) => c.content.kind === 'xccdf')?.content;
    if (content?.kind !== 'xccdf') throw new Error('no benchmark');
    const file = `r-${profile}.xml`;
    const theirs = await oscapEval(
      ['--profile', `xccdf_org.vouch_profile_${profile}`, '--results', file, 'report-ds.xml'],
      file,
    );
    expect(theirs.scores).toHaveLength(4);
    expect(ours(content.benchmark, theirs.rules)).toEqual(theirs.scores);
  });

  it.each([1, 2, 3, 4])(
    'generated benchmark, seed %i (nested groups, fractional weights)',
    async (seed) => {
      const { xccdf, ruleCount } = generatedBenchmark(seed);
      const name = `gen-${seed}`;
      await writeFile(join(dir, `${name}-xccdf.xml`), xccdf);
      await writeFile(join(dir, 'gen-oval.xml'), GENERATED_OVAL);
      const theirs = await oscapEval(['--results', `${name}-r.xml`, `${name}-xccdf.xml`], `${name}-r.xml`);
      expect(theirs.rules).toHaveLength(ruleCount);
      const source = await loadScapSource(join(dir, `${name}-xccdf.xml`));
      const content = [...source.components.values()][0]?.content;
      if (content?.kind !== 'xccdf') throw new Error('no benchmark');
      expect(ours(content.benchmark, theirs.rules)).toEqual(theirs.scores);
    },
    60_000,
  );
});

// ---- generated content ----

const GENERATED_OVAL = `<?xml version="1.0" encoding="UTF-8"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
    xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
    xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
  <generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2026-11-26T00:00:00</oval:timestamp></generator>
  <definitions>
    <definition class="compliance" id="oval:gen:def:1" version="1">
      <metadata><title>true</title><description>x</description></metadata>
      <criteria><criterion test_ref="oval:gen:tst:1"/></criteria>
    </definition>
    <definition class="compliance" id="oval:gen:def:2" version="1">
      <metadata><title>false</title><description>x</description></metadata>
      <criteria><criterion test_ref="oval:gen:tst:2"/></criteria>
    </definition>
  </definitions>
  <tests>
    <unix:file_test check="all" check_existence="all_exist" id="oval:gen:tst:1" version="1" comment="t1"><unix:object object_ref="oval:gen:obj:1"/></unix:file_test>
    <unix:file_test check="all" check_existence="all_exist" id="oval:gen:tst:2" version="1" comment="t2"><unix:object object_ref="oval:gen:obj:2"/></unix:file_test>
  </tests>
  <objects>
    <unix:file_object id="oval:gen:obj:1" version="1"><unix:filepath>/etc/passwd</unix:filepath></unix:file_object>
    <unix:file_object id="oval:gen:obj:2" version="1"><unix:filepath>/nonexistent/vouch-score</unix:filepath></unix:file_object>
  </objects>
</oval_definitions>
`;

/** Deterministic PRNG (mulberry32) so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A Benchmark of nested Groups (depth up to 3) and ~120 Rules: weights like 0.3, 1.7 or 0 (float32
 * rounding matters), results pass/fail from two OVAL definitions, some rules deselected
 * (notselected) and some with a check system oscap does not know (notchecked).
 */
function generatedBenchmark(seed: number): { xccdf: string; ruleCount: number } {
  const random = prng(seed);
  const weight = () => {
    const r = random();
    if (r < 0.05) return '0';
    if (r < 0.4) return '1';
    return (Math.floor(random() * 50) / 10 + 0.1).toFixed(1);
  };
  let rules = 0;
  let groups = 0;
  const ruleXml = (): string => {
    rules++;
    const id = `xccdf_org.vouch_rule_r${rules}`;
    const kind = random();
    const selected = kind < 0.1 ? 'false' : 'true';
    const check =
      kind > 0.93
        ? '<check system="urn:vouch:no-such-system"><check-content-ref href="none.xml"/></check>'
        : `<check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref name="oval:gen:def:${random() < 0.6 ? 1 : 2}" href="gen-oval.xml"/></check>`;
    return `<Rule id="${id}" selected="${selected}" weight="${weight()}"><title>r${rules}</title>${check}</Rule>`;
  };
  const groupXml = (depth: number): string => {
    groups++;
    const id = groups;
    const children: string[] = [];
    const count = 1 + Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      children.push(depth < 3 && random() < 0.35 ? groupXml(depth + 1) : ruleXml());
    }
    return `<Group id="xccdf_org.vouch_group_g${id}" weight="${weight()}"><title>g${id}</title>\n${children.join('\n')}\n</Group>`;
  };
  const top: string[] = [];
  while (rules < 120) top.push(random() < 0.8 ? groupXml(1) : ruleXml());
  const xccdf = `<?xml version="1.0" encoding="UTF-8"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.vouch_benchmark_gen${seed}" resolved="1" xml:lang="en-US">
  <status>draft</status><title>generated</title><version>1</version>
  ${ALL.map((s) => `<model system="${s}"/>`).join('\n  ')}
  ${top.join('\n  ')}
</Benchmark>
`;
  return { xccdf, ruleCount: rules };
}
