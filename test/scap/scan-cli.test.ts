/**
 * `vouch scan --datastream` in-process on the SSG Debian 11 data stream (OS platform stripped) and
 * the hardened Debian 12 fixture: formats, exit codes, --rule/--var/--tailoring, and clear errors.
 * The XCCDF output is validated by oscap itself.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '../../src/core/results.js';
import { fixtureRoot } from '../helpers/fixtures.js';
import { vouch } from '../helpers/run-cli.js';
import { haveOscap, SSG_DIR, strippedDatastream } from './differential/oscap-reference.js';

const run = promisify(execFile);
const RULE = 'xccdf_org.ssgproject.content_rule_';
const root = fixtureRoot('hardened');

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!haveOscap() || !root)('vouch scan --datastream', () => {
  let dir: string;
  let ds: string;
  const base = () => ['scan', '--datastream', ds, '--profile', 'standard', '--root', root as string];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-scan-cli-'));
    ds = await strippedDatastream('debian11', dir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('evaluates a profile: JSON with XCCDF rule ids, statuses and OVAL evidence; exit 2 on fail', async () => {
    const r = await vouch([...base(), '--format', 'json']);
    expect(r.code).toBe(2);
    const result = JSON.parse(r.stdout) as ScanResult;
    expect(result.profile?.id).toBe('xccdf_org.ssgproject.content_profile_standard');
    expect(result.summary.total).toBe(44);
    const byId = new Map(result.results.map((x) => [x.ruleId, x]));
    expect(byId.get(`${RULE}file_permissions_etc_shadow`)?.status).toBe('pass');
    expect(byId.get(`${RULE}package_audit_installed`)?.status).toBe('pass');
    // Offline, systemd objects are not collected (no D-Bus), as with oscap-chroot.
    expect(byId.get(`${RULE}service_auditd_enabled`)?.status).toBe('unknown');
    const rootLogin = byId.get(`${RULE}sshd_disable_root_login`);
    expect(rootLogin?.status).toBe('fail');
    expect(rootLogin?.evidence.some((e) => e.resource.includes('/etc/ssh/sshd_config'))).toBe(true);
    expect(result.summary.score.default).toBeGreaterThan(0);
  });

  it('--rule narrows the evaluation; --var binds the Value to its OVAL variable', async () => {
    const r = await vouch([
      ...base(),
      '--rule',
      'sshd_set_idle_timeout',
      '--var',
      'sshd_idle_timeout_value=600',
      '--format',
      'json',
    ]);
    const result = JSON.parse(r.stdout) as ScanResult;
    expect(result.results.map((x) => x.ruleId)).toEqual([`${RULE}sshd_set_idle_timeout`]);
    expect(result.variables['xccdf_org.ssgproject.content_value_sshd_idle_timeout_value']).toBe('600');
  });

  it('rejects a --var that is not of the Value type, naming it', async () => {
    const r = await vouch([...base(), '--var', 'sshd_idle_timeout_value=soon']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sshd_idle_timeout_value=soon');
    expect(r.stderr).toContain('must be a number');
  });

  it('an unknown rule or profile is a one-line error listing what exists', async () => {
    const rule = await vouch([...base(), '--rule', 'no_such_rule']);
    expect(rule.code).toBe(1);
    expect(rule.stderr).toContain('no_such_rule');
    const profile = await vouch(['scan', '--datastream', ds, '--profile', 'nope', '--root', root as string]);
    expect(profile.code).toBe(1);
    expect(profile.stderr).toContain('unknown profile nope');
    expect(profile.stderr).toContain('anssi_np_nt28_high');
  });

  it('applies a tailoring file (deselect, refine through extends)', async () => {
    const tailoring = join(dir, 'tailoring.xml');
    await writeFile(
      tailoring,
      `<?xml version="1.0" encoding="UTF-8"?>
<xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_vouch.test_tailoring_t">
  <xccdf:benchmark href="ssg-debian11-ds.xml"/>
  <xccdf:version time="2026-11-26T00:00:00">1</xccdf:version>
  <xccdf:Profile id="xccdf_vouch.test_profile_standard_tailored" extends="xccdf_org.ssgproject.content_profile_standard">
    <xccdf:title>tailored</xccdf:title>
    <xccdf:select idref="${RULE}package_audit_installed" selected="false"/>
  </xccdf:Profile>
</xccdf:Tailoring>
`,
    );
    const r = await vouch([
      'scan',
      '--datastream',
      ds,
      '--tailoring',
      tailoring,
      '--profile',
      'xccdf_vouch.test_profile_standard_tailored',
      '--root',
      root as string,
      '--format',
      'json',
    ]);
    const result = JSON.parse(r.stdout) as ScanResult;
    expect(result.summary.total).toBe(43);
    expect(result.results.some((x) => x.ruleId === `${RULE}package_audit_installed`)).toBe(false);
  });

  it('writes XCCDF 1.2 results that oscap validates and renders', async () => {
    const out = join(dir, 'results.xml');
    const r = await vouch([...base(), '--format', 'xccdf', '--output', out]);
    expect(r.code).toBe(2);
    await run('oscap', ['xccdf', 'validate', '--skip-schematron', out]);
    const { stdout: html } = await run('oscap', ['xccdf', 'generate', 'report', out], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(html).toContain('sshd_disable_root_login');
    const xml = await readFile(out, 'utf8');
    expect(xml).toMatch(
      /<rule-result idref="xccdf_org\.ssgproject\.content_rule_sshd_disable_root_login"[^>]*>\s*<result>fail<\/result>/,
    );
  });

  it('evaluates the standalone XCCDF + OVAL + CPE files as it evaluates the data stream', async () => {
    const standalone = join(dir, 'standalone');
    await mkdir(standalone);
    for (const part of ['xccdf', 'oval', 'cpe-dictionary', 'cpe-oval']) {
      const text = await readFile(join(SSG_DIR, `ssg-debian11-${part}.xml`), 'utf8');
      // The same OS-platform stripping as the data stream copy.
      await writeFile(
        join(standalone, `ssg-debian11-${part}.xml`),
        part === 'xccdf' ? text.replace(/<(xccdf-1\.2:)?platform idref="cpe:\/o:[^"]*"\/>/g, '') : text,
      );
    }
    const xccdf = join(standalone, 'ssg-debian11-xccdf.xml');
    const cpe = join(standalone, 'ssg-debian11-cpe-dictionary.xml');
    const statuses = (out: string) =>
      (JSON.parse(out) as ScanResult).results.map((x) => [x.ruleId, x.status]);
    const fromDs = await vouch([...base(), '--format', 'json']);
    const fromFiles = await vouch([
      'scan',
      '--datastream',
      xccdf,
      '--cpe',
      cpe,
      '--profile',
      'standard',
      '--root',
      root as string,
      '--format',
      'json',
    ]);
    expect(statuses(fromFiles.stdout)).toEqual(statuses(fromDs.stdout));
    // Without its OVAL file a rule is notchecked (oscap: the same), never a crash.
    await rm(join(standalone, 'ssg-debian11-oval.xml'));
    const noOval = await vouch([
      'scan',
      '--datastream',
      xccdf,
      '--cpe',
      cpe,
      '--profile',
      'standard',
      '--root',
      root as string,
      '--format',
      'json',
    ]);
    const result = JSON.parse(noOval.stdout) as ScanResult;
    const checked = result.results.filter((x) => x.status !== 'notapplicable');
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((x) => x.status === 'notchecked')).toBe(true);
    expect(checked[0]?.message).toContain('ssg-debian11-oval.xml not found');
  });

  it('writes an ARF report that oscap accepts', async () => {
    const out = join(dir, 'arf.xml');
    await vouch([...base(), '--rule', 'file_permissions_etc_shadow', '--format', 'arf', '--output', out]);
    await run('oscap', ['ds', 'rds-validate', out]);
    expect(existsSync(out)).toBe(true);
  });
});
