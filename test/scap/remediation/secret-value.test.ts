/**
 * Fix generation on a small hand-written XCCDF 1.2 benchmark, for what SSG content does not have:
 * a Value named as a secret (sensitive without --sensitive), an Ansible sub outside a "promote to
 * variable" block, a bash sub outside quotes, an `<instance>` in a fix.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateFix } from '../../../src/scap/remediation/generate.js';
import { bashBlock, vouch } from './run-vouch.js';

const run = promisify(execFile);
const SECRET = "s3cr3t 'with' $(quotes)";

const benchmark = `<?xml version="1.0" encoding="UTF-8"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_fix" resolved="1" xml:lang="en-US">
  <status>draft</status>
  <title>Fix benchmark</title>
  <version>2.0</version>
  <Profile id="xccdf_org.example_profile_p">
    <title>P</title>
    <select idref="xccdf_org.example_rule_bootpw" selected="true"/>
    <select idref="xccdf_org.example_rule_nofix" selected="true"/>
    <select idref="xccdf_org.example_rule_motd" selected="true"/>
  </Profile>
  <Profile id="xccdf_org.example_profile_q">
    <title>Q</title>
    <select idref="xccdf_org.example_rule_instance" selected="true"/>
  </Profile>
  <Value id="xccdf_org.example_value_var_grub2_password" type="string">
    <title>Boot loader password</title>
    <value>changeme</value>
  </Value>
  <Value id="xccdf_org.example_value_var_motd" type="string">
    <value>Authorized uses only: all activity # may be monitored</value>
  </Value>
  <Rule id="xccdf_org.example_rule_bootpw" selected="false">
    <title>Boot loader password</title>
    <fix system="urn:xccdf:fix:script:sh">var_grub2_password='<sub idref="xccdf_org.example_value_var_grub2_password"/>'
echo "set the password" &gt;&amp;2
</fix>
  </Rule>
  <Rule id="xccdf_org.example_rule_nofix" selected="false">
    <title>No fix</title>
  </Rule>
  <Rule id="xccdf_org.example_rule_motd" selected="false">
    <title>motd</title>
    <fix system="urn:xccdf:fix:script:sh">echo <sub idref="xccdf_org.example_value_var_motd"/> &gt; /etc/motd
</fix>
    <fix system="urn:xccdf:fix:script:ansible">- name: Set the motd
  copy:
    dest: /etc/motd
    content: <sub idref="xccdf_org.example_value_var_motd"/>
</fix>
  </Rule>
  <Rule id="xccdf_org.example_rule_instance" selected="false">
    <title>instance</title>
    <fix system="urn:xccdf:fix:script:sh">echo <instance/></fix>
  </Rule>
</Benchmark>
`;

describe('fix generation on a hand-written benchmark', () => {
  let dir: string;
  let xccdf: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-fix-mini-'));
    xccdf = join(dir, 'fix-xccdf.xml');
    await writeFile(xccdf, benchmark);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a Value named as a password is sensitive by its name: 0600, masked, still in the script', async () => {
    const out = join(dir, 'fix.sh');
    const r = await vouch([
      'fix',
      'generate',
      '--datastream',
      xccdf,
      '--profile',
      'p',
      '--var',
      `var_grub2_password=${SECRET}`,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('sensitive variable(s) var_grub2_password');
    expect(r.stderr).not.toContain('s3cr3t');
    const script = await readFile(out, 'utf8');
    const header = script.slice(0, script.indexOf('# BEGIN fix'));
    expect(header).not.toContain('s3cr3t');
    expect(header).toContain("'var_grub2_password=********'");
    // The quoted value reads back exactly in bash.
    const line = bashBlock(script, 'xccdf_org.example_rule_bootpw').match(/^var_grub2_password=.*$/m)?.[0];
    const { stdout } = await run('bash', ['-c', `${line}\nprintf '%s' "$var_grub2_password"`]);
    expect(stdout).toBe(SECRET);
  });

  it('a sub outside quotes is inserted as oscap does; one outside a promote block is a YAML scalar', async () => {
    const bash = await generateFix({ format: 'bash', datastream: xccdf, profile: 'p', cacheDir: null });
    expect(bashBlock(bash.text, 'xccdf_org.example_rule_motd')).toContain(
      'echo Authorized uses only: all activity # may be monitored > /etc/motd',
    );
    expect(bash.text).toContain('# Rules without a bash fix (1 of 3, left as they are):');
    expect(bash.plan.sensitiveUsed).toEqual(['var_grub2_password']);

    const ansible = await generateFix({ format: 'ansible', datastream: xccdf, profile: 'p', cacheDir: null });
    const [play] = parse(ansible.text) as { vars?: unknown; tasks: { copy?: { content: string } }[] }[];
    expect(play?.tasks).toHaveLength(1);
    expect(play?.tasks[0]?.copy?.content).toBe('Authorized uses only: all activity # may be monitored');
    expect(play?.vars).toBeUndefined();
    expect(ansible.text).toContain('# Rules without an Ansible fix (2 of 3, left as they are):');
    expect(ansible.plan.sensitiveUsed).toEqual([]);
  });

  it('a fix with <instance> is refused, naming the rule; a rule outside the profile too', async () => {
    await expect(
      generateFix({ format: 'bash', datastream: xccdf, profile: 'q', cacheDir: null }),
    ).rejects.toThrow(
      /^rule xccdf_org\.example_rule_instance: fix uses <instance>, which needs a multi-check result \(not supported\)$/,
    );
    await expect(
      generateFix({
        format: 'bash',
        datastream: xccdf,
        profile: 'p',
        rules: ['xccdf_org.example_rule_instance'],
        cacheDir: null,
      }),
    ).rejects.toThrow(/^--rule xccdf_org\.example_rule_instance: not selected by profile p of /);
  });
});
