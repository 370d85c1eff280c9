/**
 * `vouch scan --datastream --engine oscap|hybrid` against the real oscap 1.3.7, on the Debian 12
 * fixture roots (read-only bind mounts made by Vouch itself) with the Ubuntu 22.04 CIS level 1
 * server profile, OS platform stripped so the rules apply.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { haveOscap, strippedDatastream } from '../differential/oscap-reference.js';
import { engineOf, verdicts, vouch, vouchJson } from './cli-harness.js';

const RULE = 'xccdf_org.ssgproject.content_rule_';
const hardened = fixtureRoot('hardened');
const broken = fixtureRoot('broken');
const PROFILE = 'cis_level1_server';
/** Two rules whose OVAL uses unix:symlink_object, for which Vouch has no probe. */
const UNSUPPORTED = [`${RULE}disable_ctrlaltdel_reboot`, `${RULE}ensure_rtc_utc_configuration`];

const tailoringSelecting = (rules: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<xccdf-1.2:Tailoring xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.vouch_tailoring_hybrid_test">
  <xccdf-1.2:benchmark href="ssg-ubuntu2204-any-ds.xml"/>
  <xccdf-1.2:version time="2026-11-26T00:00:00">1</xccdf-1.2:version>
  <xccdf-1.2:Profile id="xccdf_org.vouch_profile_hybrid" extends="xccdf_org.ssgproject.content_profile_${PROFILE}">
    <xccdf-1.2:title>hybrid test</xccdf-1.2:title>
    <xccdf-1.2:select idref="xccdf_org.ssgproject.content_group_accounts-physical" selected="true"/>
${rules.map((r) => `    <xccdf-1.2:select idref="${r}" selected="true"/>`).join('\n')}
  </xccdf-1.2:Profile>
</xccdf-1.2:Tailoring>
`;

/** oscap takes 1-30 s per run on this shared VM depending on load; a whole profile twice as long. */
const OSCAP_TIMEOUT = { timeout: 180_000 };

describe.skipIf(!haveOscap() || !hardened || !broken || process.getuid?.() !== 0)(
  '--engine oscap',
  OSCAP_TIMEOUT,
  () => {
    let dir: string;
    let ds: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vouch-oscap-engine-test-'));
      ds = await strippedDatastream('ubuntu2204', dir);
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    const scan = (root: string, profile = PROFILE) => [
      'scan',
      '--datastream',
      ds,
      '--profile',
      profile,
      '--root',
      root,
    ];
    const HYBRID = 'xccdf_org.vouch_profile_hybrid';

    it.each([
      ['hardened', hardened as string],
      ['broken', broken as string],
    ])(
      'agrees with the native engine rule by rule on the %s fixture (whole profile)',
      async (_name, root) => {
        const oscap = await vouchJson([...scan(root), '--engine', 'oscap']);
        const native = await vouchJson(scan(root));
        expect(oscap.result.summary.total).toBe(189);
        expect(verdicts(oscap.result)).toEqual(verdicts(native.result));
        expect(oscap.result.summary.counts).toEqual(native.result.summary.counts);
        expect(oscap.result.summary.score).toEqual(native.result.summary.score);
        expect(oscap.code).toBe(native.code);
        expect(oscap.result.profile).toEqual(native.result.profile);
        // Every result says oscap decided it, and failures carry oscap's OVAL items as evidence.
        expect(oscap.result.results.every((r) => engineOf(r) === 'oscap')).toBe(true);
        const failed = oscap.result.results.filter((r) => r.status === 'fail');
        expect(failed.length).toBeGreaterThan(0);
        expect(
          failed.filter((r) => r.evidence.some((e) => e.source.startsWith('oval:'))).length,
        ).toBeGreaterThan(failed.length / 2);
      },
      600_000,
    );

    it("hands over oscap's own ARF and XCCDF documents with --format arf|xccdf", async () => {
      const rule = ['--rule', 'file_owner_etc_passwd', '--engine', 'oscap'];
      const arf = await vouch([...scan(hardened as string), ...rule, '--format', 'arf']);
      expect(arf.code).not.toBe(1);
      expect(arf.stdout).toContain('<arf:asset-report-collection');
      expect(arf.stdout).toContain('test-system="cpe:/a:redhat:openscap:1.3.7"');
      const xccdf = await vouch([...scan(hardened as string), ...rule, '--format', 'xccdf']);
      expect(xccdf.stdout).toMatch(/<TestResult [^>]*test-system="cpe:\/a:redhat:openscap:1\.3\.7"/);
      expect(xccdf.stdout).not.toContain('<arf:asset-report-collection');
    });

    it.each([
      ['no --var', [], 'pass'],
      [
        '--var below the configured PASS_MAX_DAYS 365',
        ['--var', 'var_accounts_maximum_age_login_defs=90'],
        'fail',
      ],
    ])('passes variables to oscap through a generated tailoring (%s)', async (_name, vars, expected) => {
      const args = [...scan(hardened as string), '--rule', 'accounts_maximum_age_login_defs', ...vars];
      const oscap = await vouchJson([...args, '--engine', 'oscap']);
      const native = await vouchJson(args);
      expect(oscap.result.results.map((r) => r.status)).toEqual([expected]);
      expect(verdicts(oscap.result)).toEqual(verdicts(native.result));
    });

    it('merges --var into a given tailoring file', async () => {
      const tailoring = join(dir, 'select.xml');
      await writeFile(tailoring, tailoringSelecting([UNSUPPORTED[0] as string]));
      const args = [
        ...scan(hardened as string, HYBRID),
        '--tailoring',
        tailoring,
        '--rule',
        'accounts_maximum_age_login_defs',
        '--rule',
        'disable_ctrlaltdel_reboot',
      ];
      const plain = await vouchJson([...args, '--engine', 'oscap']);
      const withVar = await vouchJson([
        ...args,
        '--engine',
        'oscap',
        '--var',
        'var_accounts_maximum_age_login_defs=90',
      ]);
      const status = (r: typeof plain) =>
        Object.fromEntries(r.result.results.map((x) => [x.ruleId, x.status]));
      expect(status(plain)).toEqual({
        [`${RULE}accounts_maximum_age_login_defs`]: 'pass',
        [`${RULE}disable_ctrlaltdel_reboot`]: 'pass',
      });
      expect(status(withVar)).toEqual({
        [`${RULE}accounts_maximum_age_login_defs`]: 'fail',
        [`${RULE}disable_ctrlaltdel_reboot`]: 'pass',
      });
      expect(withVar.result.profile?.id).toBe('xccdf_org.vouch_profile_hybrid');
    });

    it.each([
      ['VOUCH_OSCAP names a missing file', { VOUCH_OSCAP: '/nonexistent/oscap' }],
      ['oscap is not on PATH', { VOUCH_OSCAP: undefined, PATH: '/nonexistent-bin' }],
    ])('says which package to install when %s', async (_name, env) => {
      const r = await vouch(
        [...scan(hardened as string), '--rule', 'file_owner_etc_passwd', '--engine', 'oscap'],
        env,
      );
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/oscap not found .*install the Debian package openscap-scanner/);
    });

    it('rejects an unknown engine and --engine without --datastream', async () => {
      const bad = await vouch([...scan(hardened as string), '--engine', 'fast']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--engine fast: unknown engine (known: native, oscap, hybrid)');
      const noDs = await vouch(['scan', '--root', hardened as string, '--engine', 'oscap']);
      expect(noDs.code).toBe(1);
      expect(noDs.stderr).toContain('--engine oscap needs --datastream');
    });

    it.each([
      ['hardened', hardened as string],
      ['broken', broken as string],
    ])(
      'hybrid: oscap decides only the rules with unsupported constructs (%s fixture)',
      async (_name, root) => {
        const tailoring = join(dir, 'hybrid.xml');
        await writeFile(tailoring, tailoringSelecting(UNSUPPORTED));
        const supported = [
          `${RULE}file_owner_etc_passwd`,
          `${RULE}accounts_maximum_age_login_defs`,
          `${RULE}file_permissions_etc_shadow`,
        ];
        const args = [
          ...scan(root, HYBRID),
          '--tailoring',
          tailoring,
          ...[...supported, ...UNSUPPORTED].flatMap((r) => ['--rule', r]),
        ];
        const hybrid = await vouchJson([...args, '--engine', 'hybrid']);
        const oscap = await vouchJson([...args, '--engine', 'oscap']);
        const native = await vouchJson(args);
        const by = (r: typeof hybrid) => new Map(r.result.results.map((x) => [x.ruleId, x]));
        const h = by(hybrid);
        for (const id of UNSUPPORTED) {
          expect(engineOf(h.get(id) as never)).toBe('oscap');
          expect(h.get(id)?.evidence[0]?.detail).toContain('unix:symlink_object');
          expect(h.get(id)?.status).toBe(by(oscap).get(id)?.status);
          // Natively the rule is an error (no probe): what hybrid exists to fix.
          expect(by(native).get(id)?.status).toBe('error');
          // oscap's OVAL items became evidence (the symlink it looked at).
          expect(h.get(id)?.evidence.some((e) => e.source === 'oval:symlink_test')).toBe(true);
        }
        for (const id of supported) {
          expect(engineOf(h.get(id) as never)).toBe('native');
          expect(h.get(id)?.status).toBe(by(native).get(id)?.status);
        }
        expect(hybrid.result.summary.total).toBe(5);
        expect(hybrid.result.summary.counts.error).toBe(0);
        expect(verdicts(hybrid.result)).toEqual(verdicts(oscap.result));
      },
    );

    it('hybrid runs no oscap when Vouch supports every rule (a missing oscap does not matter)', async () => {
      const r = await vouchJson(
        [
          ...scan(hardened as string),
          '--rule',
          'file_owner_etc_passwd',
          '--rule',
          'accounts_maximum_age_login_defs',
          '--engine',
          'hybrid',
        ],
        { VOUCH_OSCAP: '/nonexistent/oscap' },
      );
      expect(r.result.results.map(engineOf)).toEqual(['native', 'native']);
    });

    it("hybrid --format arf writes one report holding both engines' OVAL results", async () => {
      const tailoring = join(dir, 'hybrid-arf.xml');
      await writeFile(tailoring, tailoringSelecting(UNSUPPORTED));
      const out = join(dir, 'hybrid-arf-out.xml');
      const r = await vouch([
        ...scan(broken as string, HYBRID),
        '--tailoring',
        tailoring,
        '--rule',
        UNSUPPORTED[0] as string,
        '--rule',
        'file_owner_etc_passwd',
        '--engine',
        'hybrid',
        '--format',
        'arf',
        '--output',
        out,
      ]);
      expect(r.code).not.toBe(1);
      const text = await readFile(out, 'utf8');
      expect(text).toContain('test-system="cpe:/a:vouch:vouch');
      expect(text).toMatch(
        /<definition definition_id="oval:ssg-disable_ctrlaltdel_reboot:def:1" result="(true|false)"/,
      );
      expect(text).toMatch(
        /<test test_id="oval:ssg-test_disable_ctrlaltdel_exists:tst:1"[^>]*result="(true|false)"/,
      );
    });
  },
);
