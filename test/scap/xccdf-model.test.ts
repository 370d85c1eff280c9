/**
 * Hand-written XCCDF 1.2 (fixtures/profiles-xccdf.xml, schema-valid for oscap): the exact model of each
 * construct, and profile resolution. The expected selections are what oscap 1.3.7 selects for this file
 * (`oscap xccdf generate fix --profile ...` lists the selected rules); the last test re-asks oscap when present.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { VouchError } from '../../src/core/errors.js';
import {
  benchmarksOf,
  loadScapSource,
  resolveProfile,
  type XccdfBenchmark,
  type XccdfRule,
} from '../../src/scap/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'profiles-xccdf.xml');
const P = 'xccdf_org.example_profile_';
const R = 'xccdf_org.example_rule_';
const V = 'xccdf_org.example_value_';

let benchmark: XccdfBenchmark;
beforeAll(async () => {
  const source = await loadScapSource(FIXTURE);
  expect(source.kind).toBe('xccdf');
  benchmark = benchmarksOf(source)[0]!.benchmark;
});

const ids = (rules: XccdfRule[]) => rules.map((r) => r.id.slice(R.length));

describe('XCCDF model', () => {
  it('reads the benchmark header and its platform specification', () => {
    expect(benchmark).toMatchObject({
      id: 'xccdf_org.example_benchmark_test',
      version: '1.0',
      resolved: true,
      status: 'draft',
      title: 'Test benchmark',
      description: 'Profiles, groups and values.',
      platforms: ['cpe:/o:example:os'],
      unknown: [],
    });
    expect([...benchmark.platformSpecification.platforms.values()]).toEqual([
      {
        id: 'machine',
        title: undefined,
        test: {
          kind: 'logical-test',
          operator: 'AND',
          negate: false,
          children: [{ kind: 'fact-ref', name: 'cpe:/a:machine' }],
        },
      },
      {
        id: 'chrony_or_ntp',
        title: undefined,
        test: {
          kind: 'logical-test',
          operator: 'OR',
          negate: false,
          children: [
            { kind: 'fact-ref', name: 'cpe:/a:chrony' },
            { kind: 'fact-ref', name: 'cpe:/a:ntp' },
          ],
        },
      },
    ]);
  });

  it('nests groups and records each item’s ancestors; maps hold every item in document order', () => {
    expect(benchmark.items.map((i) => `${i.kind}:${i.id}`)).toEqual([
      'group:xccdf_org.example_group_outer',
      'group:xccdf_org.example_group_off',
      `rule:${R}top`,
    ]);
    expect([...benchmark.rules.keys()].map((id) => id.slice(R.length))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'top',
    ]);
    expect(benchmark.rules.get(`${R}b`)?.ancestors).toEqual([
      'xccdf_org.example_group_outer',
      'xccdf_org.example_group_inner',
    ]);
    expect(benchmark.groups.get('xccdf_org.example_group_off')).toMatchObject({
      selected: false,
      platforms: [],
    });
    expect(benchmark.groups.get('xccdf_org.example_group_outer')?.platforms).toEqual(['#machine']);
    expect([...benchmark.values.keys()]).toEqual([`${V}len`, `${V}mode`, `${V}name`]);
  });

  it('models a rule with checks, exports, idents, references and a fix with <sub>', () => {
    expect(benchmark.rules.get(`${R}a`)).toEqual({
      kind: 'rule',
      id: `${R}a`,
      title: 'Rule A',
      description: 'Checks a.',
      rationale: 'Because.',
      selected: false,
      weight: 2.5,
      hidden: false,
      abstract: false,
      extends: undefined,
      clusterId: undefined,
      severity: 'high',
      role: 'full',
      platforms: ['#chrony_or_ntp'],
      ancestors: ['xccdf_org.example_group_outer'],
      idents: [{ system: 'https://ncp.nist.gov/cce', value: 'CCE-1234-5' }],
      references: [{ href: 'https://example.org/cis', text: '1.1.1' }],
      checks: [
        {
          kind: 'check',
          system: 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
          selector: undefined,
          negate: false,
          multiCheck: false,
          exports: [{ valueId: `${V}len`, exportName: 'oval:x:var:1' }],
          imports: [],
          contentRefs: [{ href: 'oval.xml', name: 'oval:x:def:1' }],
          hasInlineContent: false,
        },
        {
          kind: 'check',
          system: 'http://scap.nist.gov/schema/ocil/2',
          selector: undefined,
          negate: false,
          multiCheck: false,
          exports: [],
          imports: [],
          contentRefs: [{ href: 'ocil.xml', name: 'a_ocil:questionnaire:1' }],
          hasInlineContent: false,
        },
      ],
      complexCheck: undefined,
      fixes: [
        {
          id: 'fix_a',
          system: 'urn:xccdf:fix:script:sh',
          complexity: 'low',
          disruption: 'low',
          reboot: false,
          strategy: 'configure',
          platform: undefined,
          content: ['echo ', { sub: `${V}len` }, ' > /etc/a'],
        },
      ],
    });
  });

  it('models multi-check, complex-check and XCCDF defaults (selected, weight, severity, role)', () => {
    const b = benchmark.rules.get(`${R}b`)!;
    expect(b.checks[0]).toMatchObject({
      multiCheck: true,
      contentRefs: [{ href: 'oval.xml', name: undefined }],
    });
    const top = benchmark.rules.get(`${R}top`)!;
    expect(top).toMatchObject({ selected: true, weight: 1, severity: 'medium', role: 'full', checks: [] });
    expect(top.complexCheck).toMatchObject({
      kind: 'complex-check',
      operator: 'OR',
      negate: true,
      checks: [{ kind: 'check', contentRefs: [{ href: 'oval.xml', name: 'oval:x:def:2' }] }],
    });
    expect(benchmark.rules.get(`${R}c`)).toMatchObject({ severity: 'unknown', checks: [], fixes: [] });
  });

  it('models Values with selectors, bounds, defaults and choices', () => {
    expect(benchmark.values.get(`${V}len`)).toEqual({
      kind: 'value',
      id: `${V}len`,
      title: 'Length',
      description: undefined,
      type: 'number',
      operator: 'greater than or equal',
      interactive: false,
      hidden: false,
      values: [
        { selector: undefined, value: '8' },
        { selector: 'long', value: '14' },
      ],
      defaults: [],
      lowerBounds: [{ selector: undefined, value: '1' }],
      upperBounds: [{ selector: 'long', value: '64' }],
      matches: [],
      choices: [],
      ancestors: [],
    });
    expect(benchmark.values.get(`${V}mode`)).toMatchObject({
      type: 'string',
      operator: 'equals',
      interactive: true,
      defaults: [{ selector: undefined, value: 'relaxed' }],
      choices: [{ selector: undefined, value: { mustMatch: true, choices: ['relaxed', 'strict'] } }],
      ancestors: ['xccdf_org.example_group_outer'],
    });
  });

  it('models profiles: extends, select, refine-value, set-value', () => {
    expect(benchmark.profiles.find((p) => p.id === `${P}child`)).toEqual({
      id: `${P}child`,
      title: 'Child',
      description: undefined,
      extends: `${P}base`,
      abstract: false,
      platforms: [],
      selects: [
        { idref: `${R}b`, selected: false },
        { idref: `${R}c`, selected: true },
        { idref: 'xccdf_org.example_group_inner', selected: false },
      ],
      refineValues: [{ idref: `${V}mode`, selector: 'strict', operator: undefined }],
      setValues: [{ idref: `${V}name`, value: 'override' }],
      refineRules: [{ idref: `${R}a`, weight: 5, selector: undefined, severity: 'low', role: 'unscored' }],
    });
  });
});

describe('profile resolution', () => {
  it('without a profile uses the items’ own @selected', () => {
    const r = resolveProfile(benchmark);
    // rule e is selected="true" but its group is not: masked.
    expect(ids(r.selectedRules)).toEqual(['top']);
    expect(r.profile).toBeUndefined();
    expect(r.values.get(`${V}len`)).toMatchObject({ value: '8', source: 'default', selector: undefined });
  });

  it('base: selects and a refine-value selector', () => {
    const r = resolveProfile(benchmark, 'base');
    expect(r.chain).toEqual([`${P}base`]);
    expect(ids(r.selectedRules)).toEqual(['a', 'b', 'top']);
    expect(r.values.get(`${V}len`)).toEqual({
      id: `${V}len`,
      value: '14',
      type: 'number',
      operator: 'greater than or equal',
      selector: 'long',
      source: 'selector',
    });
    expect(r.warnings).toEqual([]);
  });

  it('child: extends is flattened parent-first, the child overrides, a deselected group masks its rules', () => {
    const r = resolveProfile(benchmark, `${P}child`);
    expect(r.chain).toEqual([`${P}base`, `${P}child`]);
    // b deselected by the child; c selected but inside the deselected inner group.
    expect(ids(r.selectedRules)).toEqual(['a', 'top']);
    expect(r.values.get(`${V}len`)?.value).toBe('14'); // inherited refine-value
    expect(r.values.get(`${V}mode`)).toMatchObject({ value: 'strict', source: 'selector' });
    expect(r.values.get(`${V}name`)).toMatchObject({ value: 'override', source: 'set-value' });
    expect([...r.refineRules.values()]).toEqual([
      { idref: `${R}a`, weight: 5, selector: undefined, severity: 'low', role: 'unscored' },
    ]);
  });

  it('groups: selecting a group unmasks its rules; only those selected themselves (or by the profile) count', () => {
    const r = resolveProfile(benchmark, 'groups');
    expect(ids(r.selectedRules)).toEqual(['d', 'e', 'top']);
    expect(r.values.get(`${V}len`)).toMatchObject({ value: '8', source: 'default', selector: 'missing' });
    expect(r.warnings).toEqual([`Value ${V}len: selector missing matches no <value>; using the default`]);
  });

  it('an unknown profile id lists the known short ids', () => {
    expect(() => resolveProfile(benchmark, 'nope')).toThrowError(
      new VouchError(
        'UNKNOWN_PROFILE',
        'unknown profile nope in xccdf_org.example_benchmark_test (known: base, child, groups)',
      ),
    );
  });

  const oscap = ['/usr/bin/oscap', '/usr/local/bin/oscap'].some((p) => existsSync(p));
  it.skipIf(!oscap)('agrees with oscap on every profile of the fixture', async () => {
    const run = promisify(execFile);
    for (const profile of ['base', 'child', 'groups']) {
      const { stdout } = await run('oscap', [
        'xccdf',
        'generate',
        'fix',
        '--fix-type',
        'bash',
        '--profile',
        `${P}${profile}`,
        FIXTURE,
      ]);
      const theirs = [...stdout.matchAll(/^# BEGIN fix \(\d+ \/ \d+\) for '([^']+)'$/gm)].map((m) => m[1]);
      expect(
        resolveProfile(benchmark, profile).selectedRules.map((r) => r.id),
        profile,
      ).toEqual(theirs);
    }
  });
});
