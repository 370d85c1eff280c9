/**
 * Importing the real SSG Debian 11 data stream into a temporary store: counts against the XML
 * itself, a known rule's references, variables and remediations, profile resolution, the verbatim
 * copy, sensitive marks, and the diff a re-import of a modified copy reports.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoStore, openRuleStore, type RuleStore } from '../../src/store/index.js';
import { countElements, DEBIAN11, haveSsg, RULE, VALUE } from './helpers.js';

describe.skipIf(!haveSsg)('import of ssg-debian11-ds.xml', () => {
  let dir: string;
  let storeDir: string;
  let xml: string;
  let store: RuleStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-store-ds-'));
    storeDir = join(dir, 'store');
    xml = await readFile(DEBIAN11, 'utf8');
    const result = await importIntoStore(DEBIAN11, {
      store: storeDir,
      sensitive: ['login_banner_text'],
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    expect(result.diff).toBeUndefined();
    store = await openRuleStore(storeDir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records the source in the manifest, counts equal to the data stream', () => {
    expect(store.sources()).toEqual([
      {
        id: 'ssg-debian11',
        kind: 'datastream',
        origin: DEBIAN11,
        sha256: createHash('sha256').update(xml).digest('hex'),
        benchmarkIds: ['xccdf_org.ssgproject.content_benchmark_DEBIAN-11'],
        version: '0.1.65',
        title: expect.stringContaining('Debian 11'),
        importedAt: '2026-01-02T03:04:05.000Z',
        counts: {
          rules: countElements(xml, 'Rule'),
          variables: countElements(xml, 'Value'),
          profiles: countElements(xml, 'Profile'),
        },
      },
    ]);
    expect(store.rules()).toHaveLength(countElements(xml, 'Rule'));
    expect(store.variables('ssg-debian11')).toHaveLength(countElements(xml, 'Value'));
    expect(store.profiles('ssg-debian11').map((p) => p.shortId)).toEqual([
      'anssi_np_nt28_average',
      'anssi_np_nt28_high',
      'anssi_np_nt28_minimal',
      'anssi_np_nt28_restrictive',
      'standard',
    ]);
  });

  it('keeps the data stream verbatim, addressed by its sha256', async () => {
    const path = store.datastreamPath('ssg-debian11');
    expect(path).toBe(join(storeDir, 'datastreams', `${store.source('ssg-debian11').sha256}.xml`));
    expect(await readFile(path, 'utf8')).toBe(xml);
  });

  it('groups references by framework, SSG hrefs and empty-href ISM/SRG alike', () => {
    const rule = store.rule('sshd_set_idle_timeout');
    expect(rule.id).toBe(`${RULE}sshd_set_idle_timeout`);
    expect(rule.references.nist).toEqual(['CM-6(a)', 'AC-17(a)', 'AC-2(5)', 'AC-12', 'SC-10']);
    expect(rule.references.pcidss).toEqual(['Req-8.1.8']);
    expect(rule.references.srg).toEqual([
      'SRG-OS-000126-GPOS-00066',
      'SRG-OS-000163-GPOS-00072',
      'SRG-OS-000279-GPOS-00109',
      'SRG-OS-000395-GPOS-00175',
      'SRG-OS-000480-VMM-002000',
    ]);
    expect(rule.references.cjis).toEqual(['5.5.6']);
    expect(rule.references.anssi).toEqual(['BP28(R29)']);
    // No reference of this content falls through to its raw href.
    const keys = new Set(store.rules().flatMap((r) => Object.keys(r.references)));
    expect([...keys].filter((k) => k.includes('://') || k === 'other')).toEqual([]);
  });

  it('links the values a rule exports to its checks, with the check references', () => {
    const rule = store.rule('sudo_custom_logfile');
    expect(rule.checks).toEqual([
      {
        system: 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
        href: 'ssg-debian11-oval.xml',
        name: 'oval:ssg-sudo_custom_logfile:def:1',
        exports: [`${VALUE}var_sudo_logfile`],
      },
      {
        system: 'http://scap.nist.gov/schema/ocil/2',
        href: 'ssg-debian11-ocil.xml',
        name: 'ocil:ssg-sudo_custom_logfile_ocil:questionnaire:1',
        exports: [],
      },
    ]);
    expect(rule.variables).toEqual([`${VALUE}var_sudo_logfile`]);
    expect(store.variable('var_sudo_logfile')).toMatchObject({ type: 'string', sourceId: 'ssg-debian11' });
  });

  it('keeps bash and Ansible fixes with their <sub> placeholders, other systems verbatim', () => {
    const rule = store.rule('sudo_custom_logfile');
    expect(rule.fixes.map((f) => [f.kind, f.system])).toEqual([
      ['ansible', 'urn:xccdf:fix:script:ansible'],
      ['bash', 'urn:xccdf:fix:script:sh'],
    ]);
    const bash = rule.fixes[1]!;
    expect(bash).toMatchObject({ complexity: 'low', disruption: 'low', reboot: false, strategy: 'restrict' });
    expect(bash.content[0]).toMatch(/var_sudo_logfile='$/);
    expect(bash.content[1]).toEqual({ sub: `${VALUE}var_sudo_logfile` });
    expect(bash.content[2]).toMatch(/^'\n/);
    const aide = store.rule('package_aide_installed');
    expect(aide.fixes.map((f) => [f.kind, f.system])).toEqual([
      ['other', 'urn:redhat:osbuild:blueprint'],
      ['other', 'urn:xccdf:fix:script:puppet'],
      ['ansible', 'urn:xccdf:fix:script:ansible'],
    ]);
    expect(aide.fixes[0]!.content.join('')).toContain('aide');
  });

  it('records platforms and the profiles that select each rule', () => {
    expect(store.rule('service_auditd_enabled').platforms).toEqual(['#audit']);
    const standard = store.findProfile('standard');
    expect(standard.sourceId).toBe('ssg-debian11');
    for (const id of standard.profile.selectedRules) expect(store.rule(id).profiles).toContain('standard');
    const unselected = store.rules().filter((r) => r.profiles.length === 0);
    expect(unselected.length).toBeGreaterThan(0);
    expect(standard.profile.values[`${VALUE}sshd_idle_timeout_value`]).toEqual({
      value: '300',
      selector: '5_minutes',
      source: 'selector',
    });
  });

  it('types variables with selectors, and masks the sensitive ones', () => {
    expect(store.variable('sshd_idle_timeout_value')).toMatchObject({
      type: 'number',
      default: '300',
      selectors: { '10_minutes': '600', '5_minutes': '300', '60_minutes': '3600' },
      interactive: false,
      sensitive: false,
    });
    expect(store.variable('login_banner_text').sensitive).toBe(true);
    expect(store.sensitiveMarks()).toEqual(['login_banner_text']);
  });

  it('filters rules by framework control, severity, search, source and profile', () => {
    const ids = (filter: Parameters<RuleStore['rules']>[0]) => store.rules(filter).map((r) => r.shortId);
    expect(ids({ framework: 'nist', control: 'AC-17' })).toContain('sshd_set_idle_timeout');
    expect(ids({ framework: 'nist', control: 'AC-1' })).not.toContain('sshd_set_idle_timeout');
    expect(ids({ framework: 'stig', control: 'SRG-OS-000126-GPOS-00066' })).toContain(
      'sshd_set_idle_timeout',
    );
    expect(ids({ search: 'IDLE_TIMEOUT' })).toEqual(['sshd_set_idle_timeout']);
    expect(new Set(store.rules({ severity: 'high' }).map((r) => r.severity))).toEqual(new Set(['high']));
    expect(ids({ profile: 'standard' })).toHaveLength(
      store.findProfile('standard').profile.selectedRules.length,
    );
    expect(() => store.rules({ framework: 'nosuch' })).toThrow(/unknown framework.*cis/);
    expect(() => store.findProfile('cis_level1_server')).toThrow(
      /unknown profile cis_level1_server.*standard/,
    );
    expect(() => store.rules({ source: 'nosuch' })).toThrow(/unknown source nosuch.*ssg-debian11/);
  });

  it('reports what a newer version changed: rule removed, title changed, a default changed', async () => {
    const modified = xml
      .replace(
        /<xccdf-1\.2:Rule [^>]*id="xccdf_org\.ssgproject\.content_rule_sudo_custom_logfile"[\s\S]*?<\/xccdf-1\.2:Rule>/,
        '',
      )
      .replace(
        '<xccdf-1.2:title>Disable SSH Root Login</xccdf-1.2:title>',
        '<xccdf-1.2:title>Disable SSH login as root</xccdf-1.2:title>',
      )
      .replace(
        /(<xccdf-1\.2:Value id="xccdf_org\.ssgproject\.content_value_sshd_idle_timeout_value"[\s\S]*?)<xccdf-1\.2:value>300</,
        '$1<xccdf-1.2:value>600<',
      )
      .replace(/(<xccdf-1\.2:version update="[^"]*">)0\.1\.65/, '$10.1.66');
    expect(modified).not.toBe(xml);
    const copy = join(dir, 'newer', 'ssg-debian11-ds.xml');
    await mkdir(join(dir, 'newer'));
    await writeFile(copy, modified);
    const result = await importIntoStore(copy, { store: storeDir });
    expect(result.unchanged).toBe(false);
    expect(result.diff).toMatchObject({
      sourceId: 'ssg-debian11',
      previousVersion: '0.1.65',
      version: '0.1.66',
      rulesAdded: [],
      rulesRemoved: [`${RULE}sudo_custom_logfile`],
      rulesChanged: [{ id: `${RULE}sshd_disable_root_login`, fields: ['title'] }],
      variablesAdded: [],
      variablesRemoved: [],
      variableDefaultsChanged: [{ id: `${VALUE}sshd_idle_timeout_value`, from: '300', to: '600' }],
      profilesAdded: [],
      profilesRemoved: [],
    });
    // The old copy went with the version that needed it; the mark survived without --sensitive.
    const after = await openRuleStore(storeDir);
    expect(await readFile(after.datastreamPath('ssg-debian11'), 'utf8')).toBe(modified);
    expect(await readdir(join(storeDir, 'datastreams'))).toEqual([`${result.source.sha256}.xml`]);
    expect(after.variable('login_banner_text').sensitive).toBe(true);
    expect(after.rules()).toHaveLength(countElements(xml, 'Rule') - 1);
  });
});
