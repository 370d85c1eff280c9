/**
 * `vouch tailor` against real oscap 1.3.7: the SSG Ubuntu 22.04 data stream without its OS
 * platform, CIS Level 1 Server tailored with two variable overrides that flip rule outcomes on the
 * hardened Debian 12 fixture (PASS_MAX_DAYS 365, PASS_MIN_DAYS 1) and four rules deselected in a
 * row (the oscap 1.3.7 layout bug case: a compact file loses every second one). oscap evaluates the
 * fixture through a read-only bind mount with oscap-chroot; Vouch evaluates the same rules natively
 * with the same tailoring. Whole-profile oscap evaluations are kept to one (tens of seconds on a
 * loaded machine); the rest use --rule or `oscap xccdf generate fix`, which needs no probes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/results.js';
import { fixtureRoot } from '../../helpers/fixtures.js';
import {
  haveOscap,
  OSCAP,
  OSCAP_CHROOT,
  parseRuleResults,
  readOnlyBindMount,
  strippedDatastream,
} from '../differential/oscap-reference.js';
import { oscap, vouch } from './cli.js';

const root = fixtureRoot('hardened');
const SSG = 'xccdf_org.ssgproject.content_';
const TAILORED = `${SSG}profile_cis_level1_server_site`;
const MAX_AGE = `${SSG}rule_accounts_maximum_age_login_defs`;
const MIN_AGE = `${SSG}rule_accounts_minimum_age_login_defs`;
const DESELECTED = [
  'file_permissions_etc_shadow',
  'file_permissions_etc_gshadow',
  'file_owner_etc_shadow',
  'file_groupowner_etc_shadow',
];
const SLOW = 600_000;

/** The rule ids whose fixes `oscap xccdf generate fix` writes: the rules the profile selects. */
function fixedRules(script: string): Set<string> {
  return new Set(
    [...script.matchAll(/^# BEGIN fix \(\d+ \/ \d+\) for '([^']+)'$/gm)].map((m) => m[1] as string),
  );
}

describe.skipIf(!haveOscap() || !root)(
  'vouch tailor with oscap 1.3.7 (ssg-ubuntu2204, hardened fixture)',
  () => {
    let dir: string;
    let ds: string;
    let tailoring: string;
    let mount: { path: string; release: () => Promise<void> };

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vouch-tailor-oscap-'));
      ds = await strippedDatastream('ubuntu2204', dir);
      mount = await readOnlyBindMount(root as string);
      tailoring = join(dir, 'tailoring.xml');
      const r = await vouch([
        'tailor',
        '--datastream',
        ds,
        '--profile',
        'cis_level1_server',
        '--id',
        'cis_level1_server_site',
        ...DESELECTED.flatMap((rule) => ['--deselect', rule]),
        '--var',
        'var_accounts_maximum_age_login_defs=90',
        '--var',
        'var_accounts_minimum_age_login_defs=7',
        '-o',
        tailoring,
      ]);
      if (r.code !== 0) throw new Error(r.stderr);
    }, SLOW);
    afterAll(async () => {
      await mount?.release();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('oscap xccdf validate accepts the tailoring', async () => {
      const r = await oscap(OSCAP, ['xccdf', 'validate', '--skip-schematron', tailoring]);
      expect(r.code, r.stderr + r.stdout).toBe(0);
    });

    it(
      'oscap xccdf eval applies every change: four rules notselected, both set-values, both outcomes flip',
      async () => {
        const results = join(dir, 'tailored-results.xml');
        const tailored = await oscap(OSCAP_CHROOT, [
          mount.path,
          'xccdf',
          'eval',
          '--tailoring-file',
          tailoring,
          '--profile',
          TAILORED,
          '--results',
          results,
          ds,
        ]);
        expect([0, 2], tailored.stderr).toContain(tailored.code);
        const xml = await readFile(results, 'utf8');
        const all = new Map(
          [...xml.matchAll(/<rule-result idref="([^"]+)"[^>]*>\s*<result>(\w+)<\/result>/g)].map((m) => [
            m[1],
            m[2],
          ]),
        );
        for (const rule of DESELECTED) expect(all.get(`${SSG}rule_${rule}`), rule).toBe('notselected');
        expect(xml).toContain(
          `<set-value idref="${SSG}value_var_accounts_maximum_age_login_defs">90</set-value>`,
        );
        expect(xml).toContain(
          `<set-value idref="${SSG}value_var_accounts_minimum_age_login_defs">7</set-value>`,
        );
        expect(all.get(MAX_AGE)).toBe('fail');
        expect(all.get(MIN_AGE)).toBe('fail');

        // The same rules under the untailored profile pass: the set-values are what changed them.
        const plainResults = join(dir, 'plain-results.xml');
        const plain = await oscap(OSCAP_CHROOT, [
          mount.path,
          'xccdf',
          'eval',
          '--profile',
          'cis_level1_server',
          '--rule',
          MAX_AGE,
          '--rule',
          MIN_AGE,
          '--results',
          plainResults,
          ds,
        ]);
        expect([0, 2], plain.stderr).toContain(plain.code);
        const untailored = parseRuleResults(await readFile(plainResults, 'utf8'));
        expect(untailored.get(MAX_AGE)).toBe('pass');
        expect(untailored.get(MIN_AGE)).toBe('pass');

        // Vouch, natively, with the same tailoring: identical results for these rules.
        const scan = [
          'scan',
          '--datastream',
          ds,
          '--tailoring',
          tailoring,
          '--profile',
          TAILORED,
          '--root',
          root as string,
        ];
        const native = await vouch([...scan, '--rule', MAX_AGE, '--rule', MIN_AGE, '--format', 'json']);
        expect(native.code, native.stderr).toBe(2);
        const result = JSON.parse(native.stdout) as ScanResult;
        const statuses = new Map(result.results.map((x) => [x.ruleId, x.status]));
        expect(statuses).toEqual(
          new Map([
            [MAX_AGE, all.get(MAX_AGE)],
            [MIN_AGE, all.get(MIN_AGE)],
          ]),
        );
        // ...and the deselected rules are out of its profile too.
        const shadow = `${SSG}rule_${DESELECTED[0]}`;
        const deselected = await vouch([...scan, '--rule', shadow, '--format', 'json']);
        expect(deselected.code).toBe(1);
        expect(deselected.stderr).toContain(`rule ${shadow} is not selected by the profile`);
        expect(result.variables[`${SSG}value_var_accounts_maximum_age_login_defs`]).toBe('90');
      },
      SLOW,
    );

    it(
      'several selects/deselects in a row: all applied pretty-printed, some lost when compacted (oscap 1.3.7 bug)',
      async () => {
        const many = join(dir, 'many.xml');
        const r = await vouch([
          'tailor',
          '--datastream',
          ds,
          '--profile',
          'cis_level1_server',
          ...DESELECTED.flatMap((rule) => ['--deselect', rule]),
          '--select',
          'sshd_set_keepalive',
          '--var',
          'var_sshd_set_keepalive=0',
          '-o',
          many,
        ]);
        expect(r.code, r.stderr).toBe(0);
        const profile = `${SSG}profile_cis_level1_server_customized`;
        const fix = async (file: string) => {
          const out = await oscap(OSCAP, [
            'xccdf',
            'generate',
            'fix',
            '--tailoring-file',
            file,
            '--profile',
            profile,
            ds,
          ]);
          expect(out.code, out.stderr).toBe(0);
          return out.stdout;
        };
        const pretty = await fix(many);
        const selected = fixedRules(pretty);
        for (const rule of DESELECTED) expect(selected.has(`${SSG}rule_${rule}`), rule).toBe(false);
        expect(selected.has(`${SSG}rule_sshd_set_keepalive`)).toBe(true);
        expect(pretty).toContain("var_sshd_set_keepalive='0'");

        // The same document on one line, as autotailor writes it: oscap 1.3.7 skips every element
        // that directly follows a <select/>. This is what the one-element-per-line layout prevents.
        const compact = join(dir, 'compact.xml');
        await writeFile(compact, (await readFile(many, 'utf8')).replace(/>\s+</g, '><'));
        const lost = fixedRules(await fix(compact));
        expect(DESELECTED.filter((rule) => lost.has(`${SSG}rule_${rule}`)).length).toBeGreaterThan(0);
      },
      SLOW,
    );
  },
);
