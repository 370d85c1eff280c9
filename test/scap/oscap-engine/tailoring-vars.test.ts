/**
 * The tailoring that carries `--var` to oscap: generated, or merged into the user's file. Each
 * output is read back with Vouch's own XCCDF parser; oscap's acceptance of it is checked end to end
 * in oscap-engine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { varTailoring } from '../../../src/scap/oscap-engine/tailoring-vars.js';
import { parseTailoring } from '../../../src/scap/xccdf/parse-benchmark.js';
import { parseXml } from '../../../src/scap/xml/xml-tree.js';

const P = 'xccdf_org.ssgproject.content_profile_cis_level1_server';
const V = 'xccdf_org.ssgproject.content_value_var_accounts_maximum_age_login_defs';
const W = 'xccdf_org.ssgproject.content_value_login_banner_text';
const read = (xml: string) => parseTailoring(parseXml(xml));
const clock = () => new Date('2026-11-26T06:00:00.000Z');

/** A tailoring written on one line, as some tools do (oscap 1.3.7 drops elements in it). */
const oneLine = `<?xml version="1.0"?><t:Tailoring xmlns:t="http://checklists.nist.gov/xccdf/1.2" id="xccdf_x_tailoring_one"><t:benchmark href="ds.xml"/><t:version time="2026-01-01T00:00:00">1</t:version><t:Profile id="xccdf_x_profile_mine" extends="${P}"><t:title>mine</t:title><t:select idref="xccdf_r_rule_a" selected="false"/><t:select idref="xccdf_r_rule_b" selected="false"/><t:refine-value idref="${V}" selector="90"/><t:set-value idref="${W}">keep</t:set-value></t:Profile></t:Tailoring>`;

describe('varTailoring', () => {
  it('generates a profile extending the one asked for, one element per line, values escaped', () => {
    const out = varTailoring({
      profileId: P,
      profileTitle: 'CIS <L1>',
      values: new Map([
        [V, '90'],
        [W, 'a <b> & "c"'],
      ]),
      benchmarkHref: '/content/ds.xml',
      clock,
    });
    expect(out.profileId).toBe(`${P}_vouch_vars`);
    const parsed = read(out.xml);
    expect(parsed.benchmarkHref).toBe('/content/ds.xml');
    expect(parsed.profiles).toHaveLength(1);
    expect(parsed.profiles[0]?.extends).toBe(P);
    expect(parsed.profiles[0]?.setValues.map((s) => [s.idref, s.value])).toEqual([
      [V, '90'],
      [W, 'a <b> & "c"'],
    ]);
    expect(out.xml).not.toMatch(/\/></);
  });

  it.each([
    [
      'the profile is in the file: its own entries for the Value give way',
      'xccdf_x_profile_mine',
      'xccdf_x_profile_mine',
      1,
    ],
    ['the profile is a benchmark profile: a new profile extends it', P, `${P}_vouch_vars`, 2],
  ])('merges into a given file when %s', (_name, profileId, expectedProfile, profiles) => {
    const out = varTailoring({
      profileId,
      profileTitle: 't',
      values: new Map([[V, '30']]),
      benchmarkHref: 'ds.xml',
      given: { text: oneLine, path: 'one-line.xml' },
      clock,
    });
    expect(out.profileId).toBe(expectedProfile);
    const parsed = read(out.xml);
    expect(parsed.profiles).toHaveLength(profiles);
    const target = parsed.profiles.find((p) => p.id === expectedProfile);
    expect(target?.setValues.filter((s) => s.idref === V).map((s) => s.value)).toEqual(['30']);
    expect(target?.refineValues.filter((r) => r.idref === V)).toEqual([]);
    // Everything else of the user's file is kept: both selects, the other Value.
    const mine = parsed.profiles.find((p) => p.id === 'xccdf_x_profile_mine');
    expect(mine?.selects.map((s) => s.idref)).toEqual(['xccdf_r_rule_a', 'xccdf_r_rule_b']);
    expect(mine?.setValues.find((s) => s.idref === W)?.value).toBe('keep');
    // No empty element directly followed by another: oscap 1.3.7 would skip the second.
    expect(out.xml).not.toMatch(/\/></);
  });

  it('refuses a file that is not an XCCDF 1.2 Tailoring, naming it', () => {
    expect(() =>
      varTailoring({
        profileId: P,
        profileTitle: undefined,
        values: new Map([[V, '1']]),
        benchmarkHref: 'ds.xml',
        given: { text: '<Benchmark/>', path: '/x/t.xml' },
      }),
    ).toThrow('/x/t.xml: not an XCCDF 1.2 Tailoring document');
  });
});
