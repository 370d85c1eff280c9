/**
 * `vouch content import` and `vouch rules list|show` in-process: text and JSON output, filters,
 * sensitive values masked, flag errors; and the time an import and a list over the whole SSG
 * Ubuntu 22.04 content take (figures in docs/rule-store.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN11, haveSsg, RULE, UBUNTU2204, VALUE, vouch } from './helpers.js';

const CAC = join(import.meta.dirname, 'fixtures', 'cac');

let dir: string;
let store: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-store-cli-'));
  store = join(dir, 'store');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!haveSsg)('vouch content import / rules on SSG content', () => {
  it('imports a data stream and says what it holds; a re-import with no change says so', async () => {
    const first = await vouch([
      'content',
      'import',
      DEBIAN11,
      '--store',
      store,
      '--sensitive',
      'var_sudo_logfile',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^imported ssg-debian11 version 0\\.1\\.65 from ${DEBIAN11}: 355 rules, 452 variables, 5 profiles\\n`,
      ),
    );
    const again = await vouch(['content', 'import', DEBIAN11, '--store', store, '--format', 'json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result.unchanged).toBe(true);
    expect(result.diff.rulesChanged).toEqual([]);
  });

  it('lists with filters as a table, with the framework controls as a column', async () => {
    const r = await vouch([
      'rules',
      'list',
      '--store',
      store,
      '--framework',
      'nist',
      '--control',
      'AC-17',
      '--severity',
      'medium',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE\s+SEVERITY\s+SOURCE\s+CONTROLS\s+TITLE$/);
    expect(r.stdout).toMatch(
      /^sshd_set_idle_timeout\s+medium\s+ssg-debian11\s+CM-6\(a\), AC-17\(a\), AC-2\(5\), AC-12, SC-10\s+Set SSH Client Alive Interval$/m,
    );
    expect(lines.at(-1)).toBe(`${lines.length - 2} rule(s)`);
    expect(r.stdout).not.toMatch(/\s(high|low)\s/);
  });

  it('lists as JSON, by profile and search', async () => {
    const r = await vouch([
      'rules',
      'list',
      '--store',
      store,
      '--profile',
      'standard',
      '--search',
      'sshd',
      '--format',
      'json',
    ]);
    const rules = JSON.parse(r.stdout) as { shortId: string; profiles: string[] }[];
    expect(rules.length).toBeGreaterThan(3);
    for (const rule of rules) {
      expect(rule.shortId).toContain('sshd');
      expect(rule.profiles).toContain('standard');
    }
  });

  it('shows a rule with references, variables, checks and fixes; sensitive values masked', async () => {
    const text = await vouch(['rules', 'show', 'sudo_custom_logfile', '--store', store]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^sudo_custom_logfile {2}\(xccdf_org\.ssgproject\.content_rule_sudo_custom_logfile\)$/m,
    );
    expect(text.stdout).toMatch(/^ {4}PCI DSS v3\.2\.1 \[pcidss\]: Req-10\.2\.1\.5$/m);
    // Marked sensitive on import: the value and the selector values are masked.
    expect(text.stdout).toMatch(
      /^ {4}var_sudo_logfile \(string, interactive, sensitive\) = "\*+" {2}Sudo - logfile value$/m,
    );
    expect(text.stdout).toMatch(/^ {6}allowed: selectors var_log_sudo_log="\*+"$/m);
    expect(text.stdout).toMatch(
      /oval-definitions-5 ssg-debian11-oval\.xml#oval:ssg-sudo_custom_logfile:def:1 exports var_sudo_logfile/,
    );
    expect(text.stdout).toContain(
      'var_sudo_logfile=\'<sub idref="xccdf_org.ssgproject.content_value_var_sudo_logfile"/>\'',
    );
    expect(text.stdout).toContain(
      'ansible (urn:xccdf:fix:script:ansible): complexity low, disruption low, reboot false, strategy restrict',
    );
    const json = await vouch([
      'rules',
      'show',
      `${RULE}sudo_custom_logfile`,
      '--store',
      store,
      '--format',
      'json',
    ]);
    const shown = JSON.parse(json.stdout);
    expect(shown.variables).toEqual([
      expect.objectContaining({
        id: `${VALUE}var_sudo_logfile`,
        sensitive: true,
        selectors: { var_log_sudo_log: expect.stringMatching(/^\*+$/) },
      }),
    ]);
    expect(shown.variables[0].default).toMatch(/^\*+$/);
    expect(shown.fixes.map((f: { kind: string }) => f.kind)).toEqual(['ansible', 'bash']);
    // What each profile selecting the rule sets its variables to.
    const idle = await vouch(['rules', 'show', 'sshd_set_idle_timeout', '--store', store]);
    expect(idle.stdout).toMatch(/^ {6}in profiles: .*standard="300" \(5_minutes\)/m);
    const idleJson = JSON.parse(
      (await vouch(['rules', 'show', 'sshd_set_idle_timeout', '--store', store, '--format', 'json'])).stdout,
    );
    expect(
      idleJson.variables.find((v: { name: string }) => v.name === 'sshd_idle_timeout_value').profiles
        .standard,
    ).toEqual({
      value: '300',
      selector: '5_minutes',
    });
  });

  it.each([
    [['rules', 'show', 'no_such_rule'], /vouch: unknown rule no_such_rule/],
    [['rules', 'list', '--format', 'xml'], /--format xml: unknown format \(known: table, json\)/],
    [['rules', 'list', '--severity', 'urgent'], /--severity urgent: unknown severity/],
    [
      ['rules', 'list', '--profile', 'nope'],
      /unknown profile nope \(known: ssg-debian11: anssi_np_nt28_average/,
    ],
    [['content', 'import', join(CAC, 'missing'), '--format', 'yaml'], /--format yaml: unknown format/],
    [['content', 'import', join(CAC, 'missing')], /missing: no such file or directory/],
  ])('%j fails with a one-line error', async (args, message) => {
    const r = await vouch([...args, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('asks for --source when a rule is in two sources', async () => {
    expect((await vouch(['content', 'import', CAC, '--store', store])).code).toBe(0);
    const r = await vouch(['rules', 'show', 'sshd_set_idle_timeout', '--store', store]);
    expect(r.stderr).toMatch(
      /rule sshd_set_idle_timeout is in several sources \(ssg-debian11, cac\)|\(cac, ssg-debian11\)/,
    );
    const ok = await vouch(['rules', 'show', 'sshd_set_idle_timeout', '--store', store, '--source', 'cac']);
    expect(ok.stdout).toContain('  source:    cac');
  });

  it('an empty store lists nothing and says how to fill it', async () => {
    const r = await vouch(['rules', 'list', '--store', join(dir, 'empty')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no rules match\n');
    expect(r.stderr).toMatch(/is empty; import content with vouch content import/);
  });

  it('takes the store from VOUCH_STORE', async () => {
    process.env.VOUCH_STORE = store;
    try {
      const r = await vouch([
        'rules',
        'list',
        '--search',
        'sshd_set_idle_timeout',
        '--source',
        'ssg-debian11',
      ]);
      expect(r.stdout).toMatch(/^sshd_set_idle_timeout\s/m);
    } finally {
      delete process.env.VOUCH_STORE;
    }
  });

  it('vouch tailor without --datastream reads the stored data stream that holds the profile', async () => {
    const out = join(dir, 'from-store.xml');
    const r = await vouch([
      'tailor',
      '--store',
      store,
      '--profile',
      'standard',
      '--var',
      'sshd_idle_timeout_value=600',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(out, 'utf8');
    // The benchmark href names the stored copy, which oscap and vouch scan can read.
    expect(text).toMatch(/<benchmark href="[^"]*\/datastreams\/[0-9a-f]{64}\.xml"\/>/);
    expect(text).toContain('content_value_sshd_idle_timeout_value">600</set-value>');
    const both = await vouch(['tailor', '--store', store, '--datastream', DEBIAN11, '--profile', 'standard']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--datastream and --store: give one source, not both');
  });

  it('imports SSG Ubuntu 22.04 and lists all its rules quickly', async () => {
    const ubuntuStore = join(dir, 'ubuntu');
    let t = performance.now();
    const imported = await vouch(['content', 'import', UBUNTU2204, '--store', ubuntuStore]);
    const importMs = performance.now() - t;
    expect(imported.stdout).toMatch(/592 rules, 452 variables, 5 profiles/);
    t = performance.now();
    const listed = await vouch(['rules', 'list', '--store', ubuntuStore, '--format', 'json']);
    const listMs = performance.now() - t;
    expect(JSON.parse(listed.stdout)).toHaveLength(592);
    t = performance.now();
    const filtered = await vouch([
      'rules',
      'list',
      '--store',
      ubuntuStore,
      '--framework',
      'cis',
      '--control',
      '5.2',
    ]);
    const filterMs = performance.now() - t;
    expect(filtered.stdout).toMatch(/^23 rule\(s\)$/m);
    process.stderr.write(
      `store timings: import ubuntu2204 ${importMs.toFixed(0)} ms, list all ${listMs.toFixed(0)} ms, cis 5.2 ${filterMs.toFixed(0)} ms\n`,
    );
    // Generous bounds for a shared 2-core machine; the measured figures are in docs/rule-store.md.
    expect(listMs).toBeLessThan(2000);
    expect(filterMs).toBeLessThan(2000);
  });
});
