/**
 * `vouch fix generate` against the real SSG Ubuntu 22.04 data stream (OS platform stripped) and the
 * real oscap 1.3.7: the whole cis_level1_server profile in bash and Ansible must match what
 * `oscap xccdf generate fix` writes (after the header), tailored and `--var` values must land in the
 * right rule's block, the outputs must pass `bash -n`, a YAML parser and `ansible-playbook
 * --syntax-check`, and bad input must give one-line errors naming the field.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { haveOscap, OSCAP, strippedDatastream } from '../differential/oscap-reference.js';
import { bashBlock, body, vouch } from './run-vouch.js';

const run = promisify(execFile);
const RULE = 'xccdf_org.ssgproject.content_rule_';
const VALUE = 'xccdf_org.ssgproject.content_value_';
const PROFILE = 'xccdf_org.ssgproject.content_profile_cis_level1_server';
const haveAnsible = existsSync('/usr/bin/ansible-playbook');
const hardened = fixtureRoot('hardened');

async function oscapFix(ds: string, type: 'bash' | 'ansible', extra: string[] = []): Promise<string> {
  const argv = ['xccdf', 'generate', 'fix', '--fix-type', type, '--profile', PROFILE, ...extra, ds];
  const { stdout } = await run(OSCAP, argv, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function bashSyntax(path: string): Promise<void> {
  await run('bash', ['-n', path]);
}

interface Playbook {
  hosts: string;
  vars?: Record<string, unknown>;
  tasks: { name: string; tags?: string[] }[];
}

describe.skipIf(!haveOscap())('vouch fix generate', () => {
  let dir: string;
  let ds: string;
  let tailoring: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-fix-'));
    ds = await strippedDatastream('ubuntu2204', dir);
    // Pretty-printed on purpose: oscap 1.3.7 drops an element that directly follows a <select/>.
    tailoring = join(dir, 'tailoring.xml');
    await writeFile(
      tailoring,
      `<?xml version="1.0" encoding="UTF-8"?>
<xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_vouch.test_tailoring_fix">
  <xccdf:benchmark href="ssg-ubuntu2204-ds.xml"/>
  <xccdf:version time="2026-11-26T00:00:00">1</xccdf:version>
  <xccdf:Profile id="xccdf_vouch.test_profile_cis_tailored" extends="${PROFILE}">
    <xccdf:title>CIS tailored</xccdf:title>
    <xccdf:select idref="${RULE}sshd_disable_root_login" selected="false"/>
    <xccdf:select idref="${RULE}banner_etc_issue_net" selected="true"/>
    <xccdf:set-value idref="${VALUE}var_accounts_maximum_age_login_defs">60</xccdf:set-value>
    <xccdf:refine-value idref="${VALUE}login_banner_text" selector="dod_short"/>
  </xccdf:Profile>
</xccdf:Tailoring>
`,
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const generate = (...args: string[]) =>
    vouch(['fix', 'generate', '--datastream', ds, '--profile', 'cis_level1_server', ...args]);

  it('bash for the whole profile: oscap byte for byte after the header, and bash -n passes', async () => {
    const out = join(dir, 'cis.sh');
    const r = await generate('--format', 'bash', '-o', out);
    expect(r.code).toBe(0);
    const script = await readFile(out, 'utf8');
    const marker =
      '###############################################################################\n# BEGIN fix (1 / 189)';
    expect(body(script, marker)).toBe(body(await oscapFix(ds, 'bash'), marker));
    await bashSyntax(out);
    expect(script).toContain(`# Profile ID:  ${PROFILE}`);
    expect(script).toContain('# Benchmark ID:  xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04');
    // The 19 rules without a bash fix are listed in the header, and marked where they fall, as oscap does.
    expect(script).toContain('# Rules without a bash fix (19 of 189, left as they are):');
    expect(script).toMatch(new RegExp(`^#   ${RULE}partition_for_tmp$`, 'm'));
    expect(bashBlock(script, `${RULE}partition_for_tmp`)).toContain('IS MISSING!');
    expect(r.stderr).toContain('bash fixes for 170 of 189 rules written to');
  });

  it('ansible for the whole profile: oscap’s playbook after the header; one play with vars and tasks', async () => {
    const r = await generate('--format', 'ansible');
    expect(r.code).toBe(0);
    expect(body(r.stdout, '- hosts: all')).toBe(body(await oscapFix(ds, 'ansible'), '- hosts: all'));
    const doc = parse(r.stdout) as Playbook[];
    expect(doc).toHaveLength(1);
    const [play] = doc;
    expect(play?.hosts).toBe('all');
    expect(play?.vars).toMatchObject({
      var_sudo_logfile: '/var/log/sudo.log',
      var_accounts_user_umask: '027',
    });
    expect(play?.tasks.length).toBeGreaterThan(250);
    // The "promote to variable" set_fact tasks became vars.
    expect(play?.tasks.some((t) => t.name.includes('promote to variable'))).toBe(false);
    expect(play?.tasks.every((t) => typeof t.name === 'string')).toBe(true);
  });

  it('--tailoring: oscap --tailoring-file gives the same bash; the set-value lands in its rule', async () => {
    const out = join(dir, 'tailored.sh');
    const r = await vouch([
      'fix',
      'generate',
      '--datastream',
      ds,
      '--tailoring',
      tailoring,
      '--profile',
      'xccdf_vouch.test_profile_cis_tailored',
      '--rule',
      'accounts_maximum_age_login_defs',
      '--rule',
      'sshd_set_idle_timeout',
      '--format',
      'bash',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const script = await readFile(out, 'utf8');
    await bashSyntax(out);
    expect(bashBlock(script, `${RULE}accounts_maximum_age_login_defs`)).toContain(
      "var_accounts_maximum_age_login_defs='60'",
    );
    expect(script).toMatch(/^# {3}var_accounts_maximum_age_login_defs = 60 {2}\(tailoring\)$/m);
    // The whole tailored profile, as oscap writes it with the same tailoring file.
    const all = await vouch([
      'fix',
      'generate',
      '--datastream',
      ds,
      '--tailoring',
      tailoring,
      '--profile',
      'xccdf_vouch.test_profile_cis_tailored',
      '--format',
      'bash',
    ]);
    const reference = await run(
      OSCAP,
      [
        'xccdf',
        'generate',
        'fix',
        '--fix-type',
        'bash',
        '--tailoring-file',
        tailoring,
        '--profile',
        'xccdf_vouch.test_profile_cis_tailored',
        ds,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const ours = body(all.stdout, '# BEGIN fix (1 / 189)');
    const theirs = body(reference.stdout, '# BEGIN fix (1 / 189)');
    expect(ours).not.toContain(`'${RULE}sshd_disable_root_login'`);
    expect(ours).toContain("var_accounts_maximum_age_login_defs='60'");
    // One difference only: SSG's dod_short banner has apostrophes ("I've ... agreem't"); oscap
    // inserts it as is, so bash reads another value (quotes pair up, backslashes vanish). Vouch
    // quotes it; run both assignments and compare with the Value's text.
    const quoted = ours.replace(/^login_banner_text='.*'$/m, (line) => line.replaceAll(`'\\''`, "'"));
    expect(quoted).not.toBe(ours);
    expect(quoted).toBe(theirs);
    const dodShort =
      "^I've[\\s\\n]+read[\\s\\n]+\\&[\\s\\n]+consent[\\s\\n]+to[\\s\\n]+terms[\\s\\n]+in[\\s\\n]+IS[\\s\\n]+user[\\s\\n]+agreem't\\.$";
    const banner = async (script: string) => {
      const line = script.match(/^login_banner_text='.*'$/m)?.[0] ?? '';
      return (await run('bash', ['-c', `${line}\nprintf '%s' "$login_banner_text"`])).stdout;
    };
    expect(await banner(ours)).toBe(dodShort);
    expect(await banner(theirs)).not.toBe(dodShort);
    const oursFile = join(dir, 'vouch-tailored.sh');
    await writeFile(oursFile, all.stdout);
    await bashSyntax(oursFile);

    // A scan of the tailored profile: with the same --tailoring its profile and values are found.
    const scan = join(dir, 'scan-of-tailored.json');
    await writeFile(
      scan,
      JSON.stringify({
        schema: 'vouch.scan-result/v1',
        profile: { id: 'xccdf_vouch.test_profile_cis_tailored', title: 'CIS tailored' },
        variables: {},
        results: [{ ruleId: `${RULE}accounts_maximum_age_login_defs`, status: 'fail' }],
      }),
    );
    const fromScan = await vouch([
      'fix',
      'generate',
      '--scan',
      scan,
      '--datastream',
      ds,
      '--tailoring',
      tailoring,
      '--failed-only',
    ]);
    expect(fromScan.code).toBe(0);
    expect(fromScan.stdout).toContain(`# BEGIN fix (1 / 1) for '${RULE}accounts_maximum_age_login_defs'`);
    expect(bashBlock(fromScan.stdout, `${RULE}accounts_maximum_age_login_defs`)).toContain(
      "var_accounts_maximum_age_login_defs='60'",
    );
  });

  it('--var: the value lands in the block of the rule that uses it, and in the header', async () => {
    const r = await generate(
      '--var',
      'var_accounts_maximum_age_login_defs=90',
      '--var',
      'var_sshd_set_keepalive=5',
    );
    expect(r.code).toBe(0);
    expect(bashBlock(r.stdout, `${RULE}accounts_maximum_age_login_defs`)).toContain(
      "var_accounts_maximum_age_login_defs='90'",
    );
    expect(bashBlock(r.stdout, `${RULE}sshd_set_keepalive`)).toContain("var_sshd_set_keepalive='5'");
    expect(bashBlock(r.stdout, `${RULE}accounts_minimum_age_login_defs`)).not.toContain("'90'");
    expect(r.stdout).toMatch(/^# {3}var_accounts_maximum_age_login_defs = 90 {2}\(--var\)$/m);
    expect(r.stdout).toContain('--var var_accounts_maximum_age_login_defs=90');
    const out = join(dir, 'var.sh');
    await writeFile(out, r.stdout);
    await bashSyntax(out);

    const ansible = await generate('--format', 'ansible', '--var', 'var_sshd_set_keepalive=5');
    const [play] = parse(ansible.stdout) as Playbook[];
    expect(play?.vars?.var_sshd_set_keepalive).toBe('5');
  });

  it.skipIf(!haveAnsible)(
    'ansible-playbook --syntax-check accepts a playbook of core-module rules',
    async () => {
      // The whole profile needs the ansible.posix/community.general collections (sysctl, mount, ...),
      // which ansible-core does not ship; these rules use only ansible.builtin modules.
      const rules = [
        'sudo_add_use_pty',
        'sudo_custom_logfile',
        'accounts_password_pam_minlen',
        'file_permissions_etc_shadow',
        'sshd_set_keepalive',
        'sshd_disable_root_login',
        'kernel_module_cramfs_disabled',
        'accounts_tmout',
      ];
      const out = join(dir, 'playbook.yml');
      const r = await generate(
        '--format',
        'ansible',
        '--var',
        'var_sshd_set_keepalive=7',
        ...rules.flatMap((rule) => ['--rule', rule]),
        '-o',
        out,
      );
      expect(r.code).toBe(0);
      await run('ansible-playbook', ['--syntax-check', '-i', 'localhost,', out], {
        env: { ...process.env, ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_HOME: dir },
      });
      const [play] = parse(await readFile(out, 'utf8')) as Playbook[];
      expect(play?.vars).toMatchObject({
        var_sshd_set_keepalive: '7',
        var_sudo_logfile: '/var/log/sudo.log',
      });
      // accounts_tmout has no Ansible fix in this content: listed in the header, no task.
      const text = await readFile(out, 'utf8');
      expect(text).toContain('# Rules without an Ansible fix (1 of 8, left as they are):');
      expect(text).toMatch(new RegExp(`^#   ${RULE}accounts_tmout$`, 'm'));
      for (const rule of rules.filter((x) => x !== 'accounts_tmout')) {
        expect(play?.tasks.some((t) => t.tags?.includes(rule))).toBe(true);
      }
      expect(play?.tasks.some((t) => t.tags?.includes('accounts_tmout'))).toBe(false);
    },
  );

  it('a sensitive Value: file written 0600, a warning that never shows the value', async () => {
    // Marked with --sensitive: whether typed-variable.ts already counts this name as a secret is
    // its own business (its name rule is tested there).
    const out = join(dir, 'sensitive.sh');
    const r = await generate(
      '--var',
      'var_password_pam_minlen=17',
      '--sensitive',
      'var_password_pam_minlen',
      '--rule',
      'accounts_password_pam_minlen',
      '-o',
      out,
    );
    expect(r.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('sensitive variable(s) var_password_pam_minlen');
    expect(r.stderr).not.toContain('17');
    const script = await readFile(out, 'utf8');
    expect(bashBlock(script, `${RULE}accounts_password_pam_minlen`)).toContain(
      "var_password_pam_minlen='17'",
    );
    expect(script).toMatch(/^# {3}var_password_pam_minlen = \*{8} {2}\(--var\)$/m);
    expect(script).toContain("--var 'var_password_pam_minlen=********' --sensitive var_password_pam_minlen");
    // Without a sensitive Value the file is an ordinary 0644 one.
    const plain = join(dir, 'plain.sh');
    await generate('--rule', 'sshd_set_keepalive', '-o', plain);
    expect((await stat(plain)).mode & 0o777).toBe(0o644);
  });

  it.skipIf(!hardened)(
    '--scan: the rules and values of the scan; --failed-only keeps its failures',
    async () => {
      // A real scan of two rules with a --var: the result records the value its OVAL check used.
      const result = join(dir, 'scan.json');
      const scanned = await vouch([
        'scan',
        '--datastream',
        ds,
        '--profile',
        'cis_level1_server',
        '--root',
        hardened as string,
        '--rule',
        'sshd_set_keepalive',
        '--rule',
        'file_permissions_etc_passwd',
        '--var',
        'var_sshd_set_keepalive=5',
        '--format',
        'json',
        '--output',
        result,
      ]);
      const scan = JSON.parse(await readFile(result, 'utf8')) as {
        results: { ruleId: string; status: string }[];
        variables: Record<string, string>;
      };
      expect(scanned.code).toBe(2);
      const status = new Map(scan.results.map((r) => [r.ruleId.slice(RULE.length), r.status]));
      expect(status).toEqual(
        new Map([
          ['file_permissions_etc_passwd', 'pass'],
          ['sshd_set_keepalive', 'fail'],
        ]),
      );

      const all = await vouch(['fix', 'generate', '--scan', result, '--datastream', ds]);
      expect(all.code).toBe(0);
      expect(all.stdout).toContain(`# BEGIN fix (1 / 2) for '${RULE}file_permissions_etc_passwd'`);
      expect(bashBlock(all.stdout, `${RULE}sshd_set_keepalive`)).toContain("var_sshd_set_keepalive='5'");
      expect(all.stdout).toMatch(/^# {3}var_sshd_set_keepalive = 5 {2}\(scan result\)$/m);
      expect(all.stdout).toContain(`# Profile ID:  ${PROFILE}`);

      const failed = await vouch([
        'fix',
        'generate',
        '--scan',
        result,
        '--datastream',
        ds,
        '--failed-only',
        '--format',
        'ansible',
      ]);
      const [play] = parse(failed.stdout) as Playbook[];
      expect(play?.vars).toEqual({ var_sshd_set_keepalive: '5' });
      expect(play?.tasks.every((t) => t.tags?.includes('sshd_set_keepalive'))).toBe(true);
      expect(failed.stdout).toContain('It fixes the rules whose result was fail.');

      // --var beats the scan's value; a value the result shows masked is not guessed, but named.
      const masked = join(dir, 'scan-masked.json');
      const valueId = `${VALUE}var_sshd_set_keepalive`;
      await writeFile(
        masked,
        JSON.stringify({ ...scan, variables: { ...scan.variables, [valueId]: '********' } }),
      );
      const m = await vouch([
        'fix',
        'generate',
        '--scan',
        masked,
        '--datastream',
        ds,
        '--rule',
        'sshd_set_keepalive',
      ]);
      expect(m.stderr).toContain(
        "the scan result masks sensitive Value var_sshd_set_keepalive; the script uses the profile's value (give --var var_sshd_set_keepalive=... to set it)",
      );
      expect(bashBlock(m.stdout, `${RULE}sshd_set_keepalive`)).toContain("var_sshd_set_keepalive='3'");
      const v = await vouch([
        'fix',
        'generate',
        '--scan',
        masked,
        '--datastream',
        ds,
        '--var',
        'var_sshd_set_keepalive=9',
      ]);
      expect(v.stderr).not.toContain('masks');
      expect(bashBlock(v.stdout, `${RULE}sshd_set_keepalive`)).toContain("var_sshd_set_keepalive='9'");
    },
  );

  describe('errors: one line, naming the field', () => {
    const foreignScan = (profile: string, ruleId: string) =>
      JSON.stringify({
        schema: 'vouch.scan-result/v1',
        profile: { id: profile, title: 'x' },
        variables: {},
        results: [{ ruleId, status: 'fail' }],
      });
    const cases: [string, () => Promise<string[]>, RegExp][] = [
      [
        'unknown profile',
        async () => ['--datastream', ds, '--profile', 'nope'],
        /unknown profile nope in xccdf_org\.ssgproject\.content_benchmark_UBUNTU_22-04/,
      ],
      [
        'unknown rule',
        async () => ['--datastream', ds, '--profile', 'cis_level1_server', '--rule', 'no_such_rule'],
        /--rule no_such_rule: not selected by profile cis_level1_server of .* \(or no such rule\)/,
      ],
      [
        'bad --var value',
        async () => [
          '--datastream',
          ds,
          '--profile',
          'cis_level1_server',
          '--var',
          'var_accounts_maximum_age_login_defs=soon',
        ],
        /--var var_accounts_maximum_age_login_defs=soon: .* must be a number/,
      ],
      [
        'unknown --var',
        async () => ['--datastream', ds, '--profile', 'cis_level1_server', '--var', 'var_nope=1'],
        /--var var_nope: no XCCDF Value/,
      ],
      [
        '--var without =',
        async () => ['--datastream', ds, '--profile', 'cis_level1_server', '--var', 'var_nope'],
        /--var "var_nope": expected name=value/,
      ],
      [
        '--failed-only without --scan',
        async () => ['--datastream', ds, '--profile', 'cis_level1_server', '--failed-only'],
        /--failed-only: needs --scan/,
      ],
      [
        'unknown format',
        async () => ['--datastream', ds, '--profile', 'cis_level1_server', '--format', 'puppet'],
        /--format puppet: unknown fix format \(known: bash, ansible\)/,
      ],
      [
        '--scan without --datastream',
        async () => {
          const scan = join(dir, 'scan-ok.json');
          await writeFile(scan, foreignScan(PROFILE, `${RULE}sshd_set_keepalive`));
          return ['--scan', scan];
        },
        /--scan .*scan-ok\.json: a Vouch scan result does not record which data stream it came from; give --datastream/,
      ],
      [
        'a scan result of another data stream (profile)',
        async () => {
          const scan = join(dir, 'scan-deb.json');
          await writeFile(
            scan,
            foreignScan(
              'xccdf_org.ssgproject.content_profile_anssi_np_nt28_minimal',
              `${RULE}sshd_set_keepalive`,
            ),
          );
          return ['--scan', scan, '--datastream', ds];
        },
        /--scan .*scan-deb\.json: profile\.id xccdf_org\.ssgproject\.content_profile_anssi_np_nt28_minimal is not a profile of/,
      ],
      [
        'a scan result of another data stream (rule)',
        async () => {
          const scan = join(dir, 'scan-rule.json');
          await writeFile(scan, foreignScan(PROFILE, `${RULE}partition_for_var_log_audit`));
          return ['--scan', scan, '--datastream', ds];
        },
        /results\[0\]\.ruleId xccdf_org\.ssgproject\.content_rule_partition_for_var_log_audit is not selected by profile cis_level1_server/,
      ],
      [
        'a scan of a tailored profile without its --tailoring',
        async () => {
          const scan = join(dir, 'scan-tailored.json');
          await writeFile(
            scan,
            foreignScan('xccdf_vouch.test_profile_cis_tailored', `${RULE}sshd_set_keepalive`),
          );
          return ['--scan', scan, '--datastream', ds];
        },
        /profile\.id xccdf_vouch\.test_profile_cis_tailored is not a profile of .*\(if the scan used --tailoring, give the same --tailoring\)/,
      ],
      [
        'a scan value of another data stream',
        async () => {
          const scan = join(dir, 'scan-value.json');
          const doc = JSON.parse(foreignScan(PROFILE, `${RULE}sshd_set_keepalive`)) as object;
          await writeFile(scan, JSON.stringify({ ...doc, variables: { [`${VALUE}var_debian_only`]: '1' } }));
          return ['--scan', scan, '--datastream', ds];
        },
        /--scan .*scan-value\.json: variables\.xccdf_org\.ssgproject\.content_value_var_debian_only names no Value of .*: the scan result comes from other content/,
      ],
      [
        'not a scan result',
        async () => {
          const scan = join(dir, 'not-scan.json');
          await writeFile(scan, '{"schema":"something/else"}');
          return ['--scan', scan, '--datastream', ds];
        },
        /--scan .*not-scan\.json: schema is "something\/else", expected "vouch\.scan-result\/v1"/,
      ],
    ];
    it.each(cases)('%s', async (_name, args, message) => {
      const r = await vouch(['fix', 'generate', ...(await args())]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  });
});
