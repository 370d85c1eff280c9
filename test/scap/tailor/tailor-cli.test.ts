/**
 * `vouch tailor` on a small hand-written XCCDF 1.2 + OVAL benchmark (fixtures/app-*.xml) whose
 * Values carry what SSG never uses: bounds, a closed choice list, a pattern, and a secret
 * (var_app_api_token, sensitive by name). Covers the file written (shape, what oscap and Vouch
 * read back), every kind of bad override, `--show`, a base tailoring, and masking of sensitive
 * values in the tailor command and in the outputs of `vouch scan --datastream`.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/results.js';
import { SENSITIVE_MASK } from '../../../src/core/rules/sensitive.js';
import { loadTailoring } from '../../../src/scap/xccdf/tailoring.js';
import { OSCAP } from '../differential/oscap-reference.js';
import { oscap, vouch } from './cli.js';

const XCCDF = new URL('./fixtures/app-xccdf.xml', import.meta.url).pathname;
const NS = 'xccdf_com.example.vouch';
const SECRET = 's3cr3t-Value-42';
const PROFILE = `${NS}_profile_default_customized`;

let dir: string;
let root: string;
const tailor = (...args: string[]) =>
  vouch(['tailor', '--datastream', XCCDF, '--profile', 'default', ...args]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-tailor-'));
  // A target whose app.conf holds the secret: the token check's evidence is the line with it.
  root = join(dir, 'root');
  await mkdir(join(root, 'etc/example-app'), { recursive: true });
  await writeFile(join(root, 'etc/hostname'), 'app-host\n');
  await writeFile(join(root, 'etc/example-app/app.conf'), `token=${SECRET}\nmax_sessions=8\nmode=strict\n`);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('vouch tailor: the file written', () => {
  it('writes a Profile extending the base with selects and set-values, one element per line', async () => {
    const out = join(dir, 'shape.xml');
    const r = await tailor(
      '--var',
      'var_app_max_sessions=12',
      '--var',
      `${NS}_value_var_app_mode=relaxed`,
      '--deselect',
      'app_token_configured',
      '--select',
      `${NS}_rule_app_mode`,
      '-o',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const xml = await readFile(out, 'utf8');
    // oscap 1.3.7 drops the element right after a <select/> with no whitespace before it.
    expect(xml).not.toMatch(/\/></);
    expect(xml).toMatch(/<version time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">1<\/version>/);
    expect(xml).toContain(
      `<Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="${NS}_tailoring_default_customized">`,
    );
    expect(xml).toContain(`<benchmark href="${XCCDF}"/>`);
    expect(xml).toContain('<title>Default [CUSTOMIZED]</title>');

    const back = await loadTailoring(out);
    expect(back.profiles).toHaveLength(1);
    const [profile] = back.profiles;
    expect(profile?.id).toBe(PROFILE);
    expect(profile?.extends).toBe(`${NS}_profile_default`);
    expect(profile?.selects).toEqual([
      { idref: `${NS}_rule_app_mode`, selected: true },
      { idref: `${NS}_rule_app_token_configured`, selected: false },
    ]);
    expect(profile?.setValues).toEqual([
      { idref: `${NS}_value_var_app_max_sessions`, value: '12' },
      { idref: `${NS}_value_var_app_mode`, value: 'relaxed' },
    ]);
    expect(r.stderr).toContain(`--profile ${PROFILE}`);
  });

  it.skipIf(!existsSync(OSCAP))('is a schema-valid XCCDF 1.2 tailoring for oscap', async () => {
    const out = join(dir, 'valid.xml');
    expect(
      (await tailor('--var', 'var_app_mode=relaxed', '--id', 'lenient', '--title', 'Lenient', '-o', out))
        .code,
    ).toBe(0);
    const r = await oscap(OSCAP, ['xccdf', 'validate', '--skip-schematron', out]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await readFile(out, 'utf8')).toContain(`<Profile id="${NS}_profile_lenient"`);
  });

  it('prints to stdout with -o - or no -o', async () => {
    for (const extra of [[], ['-o', '-']]) {
      const r = await tailor('--var', 'var_app_max_sessions=2', ...extra);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Tailoring /);
      expect(r.stdout).toContain(`<set-value idref="${NS}_value_var_app_max_sessions">2</set-value>`);
    }
  });

  it('edits a profile of a base tailoring in place (--tailoring), keeping its id, bumping the version', async () => {
    const first = join(dir, 'base.xml');
    const second = join(dir, 'edited.xml');
    expect((await tailor('--id', 'site', '--var', 'var_app_max_sessions=10', '-o', first)).code).toBe(0);
    const r = await vouch([
      'tailor',
      '--datastream',
      XCCDF,
      '--tailoring',
      first,
      '--profile',
      'site',
      '--var',
      'var_app_max_sessions=20',
      '--deselect',
      'app_mode',
      '-o',
      second,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const back = await loadTailoring(second);
    expect(back.id).toBe(`${NS}_tailoring_site`);
    expect(back.version).toBe('2');
    expect(back.profiles.map((p) => p.id)).toEqual([`${NS}_profile_site`]);
    expect(back.profiles[0]?.extends).toBe(`${NS}_profile_default`);
    expect(back.profiles[0]?.setValues).toEqual([{ idref: `${NS}_value_var_app_max_sessions`, value: '20' }]);
    expect(back.profiles[0]?.selects).toEqual([{ idref: `${NS}_rule_app_mode`, selected: false }]);
  });
  it('with --tailoring and a benchmark profile, adds a new profile next to the base ones', async () => {
    const first = join(dir, 'keep.xml');
    const second = join(dir, 'added.xml');
    expect((await tailor('--id', 'one', '--var', 'var_app_max_sessions=10', '-o', first)).code).toBe(0);
    const r = await vouch([
      'tailor',
      '--datastream',
      XCCDF,
      '--tailoring',
      first,
      '--profile',
      'default',
      '--id',
      'two',
      '--deselect',
      'app_mode',
      '-o',
      second,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const back = await loadTailoring(second);
    expect(back.profiles.map((p) => [p.id, p.extends])).toEqual([
      [`${NS}_profile_one`, `${NS}_profile_default`],
      [`${NS}_profile_two`, `${NS}_profile_default`],
    ]);
    expect(back.profiles[0]?.setValues).toEqual([{ idref: `${NS}_value_var_app_max_sessions`, value: '10' }]);
  });

  it('warns (without failing) about a variable no selected rule of the new profile reads', async () => {
    const r = await tailor('--deselect', 'app_mode', '--var', 'var_app_mode=relaxed');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'vouch: warning: --var var_app_mode: no selected rule of the profile uses this variable',
    );
  });

  it('--show reads a profile of a base tailoring', async () => {
    const base = join(dir, 'show-base.xml');
    expect((await tailor('--id', 'show', '--var', 'var_app_max_sessions=33', '-o', base)).code).toBe(0);
    const r = await vouch([
      'tailor',
      '--datastream',
      XCCDF,
      '--tailoring',
      base,
      '--profile',
      'show',
      '--show',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as {
      profile: string;
      variables: { name: string; value: string; source: string }[];
    };
    expect(shown.profile).toBe(`${NS}_profile_show`);
    expect(shown.variables.find((v) => v.name === 'var_app_max_sessions')).toMatchObject({
      value: '33',
      source: 'set-value',
    });
  });
});

describe('vouch tailor: bad overrides are one-line errors naming the flag, and write nothing', () => {
  const cases: { name: string; args: string[]; message: RegExp }[] = [
    {
      name: 'wrong type',
      args: ['--var', 'var_app_max_sessions=many'],
      message:
        /^vouch: --var var_app_max_sessions=many: xccdf_com\.example\.vouch_value_var_app_max_sessions must be a number$/,
    },
    {
      name: 'above the upper bound',
      args: ['--var', 'var_app_max_sessions=65'],
      message: /^vouch: --var var_app_max_sessions=65: .* must be <= 64$/,
    },
    {
      name: 'below the lower bound',
      args: ['--var', 'var_app_max_sessions=0'],
      message: /^vouch: --var var_app_max_sessions=0: .* must be >= 1$/,
    },
    {
      name: 'not one of the closed choices',
      args: ['--var', 'var_app_mode=lenient'],
      message: /^vouch: --var var_app_mode=lenient: .* must be one of "strict", "relaxed"$/,
    },
    {
      name: 'not matching the pattern',
      args: ['--var', 'var_app_mode=Strict'],
      message: /^vouch: --var var_app_mode=Strict: .* must match \/\^\[a-z\]\+\$\/$/,
    },
    {
      name: 'unknown variable, with a suggestion',
      args: ['--var', 'var_app_max_sesions=3'],
      message:
        /^vouch: --var var_app_max_sesions: no XCCDF Value with that id in .*; did you mean var_app_max_sessions\?$/,
    },
    {
      name: 'no name=value',
      args: ['--var', 'var_app_mode'],
      message: /^vouch: --var "var_app_mode": expected name=value$/,
    },
    {
      name: 'unknown rule to deselect, with a suggestion',
      args: ['--deselect', 'app_max_session'],
      message:
        /^vouch: --deselect app_max_session: no rule with that id in .*; did you mean app_max_sessions\?$/,
    },
    {
      name: 'unknown rule to select',
      args: ['--select', 'sshd_set_keepalive'],
      message:
        /^vouch: --select sshd_set_keepalive: no rule with that id in xccdf_com\.example\.vouch_benchmark_app$/,
    },
    {
      name: 'a rule both selected and deselected',
      args: ['--select', 'app_mode', '--deselect', 'app_mode'],
      message: /^vouch: --deselect app_mode: app_mode is also given to --select; give it once$/,
    },
    {
      name: 'an id that is not an XML name',
      args: ['--id', 'my profile'],
      message: /^vouch: --id "my profile": use letters, digits/,
    },
    {
      name: 'a sensitive value (by --sensitive) is masked in the error',
      args: ['--sensitive', 'var_app_max_sessions', '--var', 'var_app_max_sessions=987654'],
      message: /^vouch: --var var_app_max_sessions=\*{8}: .* must be <= 64$/,
    },
  ];
  it.each(cases)('$name', async ({ args, message }) => {
    const out = join(dir, 'never.xml');
    const r = await tailor(...args, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toContain('987654');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown profile lists the profiles that exist', async () => {
    const r = await vouch([
      'tailor',
      '--datastream',
      XCCDF,
      '--profile',
      'cis',
      '-o',
      join(dir, 'never.xml'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd()).toBe(
      'vouch: unknown profile cis in xccdf_com.example.vouch_benchmark_app (known: default)',
    );
  });
});

describe('vouch tailor --show', () => {
  it('lists the variables of the selected rules (check-export and fix sub) with current and allowed values', async () => {
    const r = await tailor('--show', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as { profile: string; variables: Record<string, unknown>[] };
    expect(shown.profile).toBe(`${NS}_profile_default`);
    const byName = Object.fromEntries(shown.variables.map((v) => [v.name, v]));
    expect(Object.keys(byName)).toEqual([
      'var_app_api_token',
      'var_app_banner',
      'var_app_max_sessions',
      'var_app_mode',
    ]);
    expect(byName.var_app_max_sessions).toMatchObject({
      type: 'number',
      value: '4',
      source: 'selector',
      selector: 'small',
      default: '16',
      selectors: { small: '4', large: '32' },
      lowerBound: 1,
      upperBound: 64,
      sensitive: false,
    });
    expect(byName.var_app_mode).toMatchObject({ choices: ['strict', 'relaxed'], pattern: '^[a-z]+$' });
    // The banner is used only by the mode rule's fix (<sub idref>).
    expect(byName.var_app_banner).toMatchObject({ value: 'Authorised use only', rules: ['app_mode'] });
    expect(byName.var_app_api_token).toMatchObject({
      value: SENSITIVE_MASK,
      default: SENSITIVE_MASK,
      sensitive: true,
    });
    expect(r.stdout).not.toContain('DEFAULT-TOKEN-0000');
  });

  it('masks sensitive values in the table, also with overrides and --sensitive marks', async () => {
    const r = await tailor(
      '--show',
      '--var',
      `var_app_api_token=${SECRET}`,
      '--var',
      'var_app_max_sessions=9',
      '--sensitive',
      'var_app_banner',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain('Authorised use only');
    expect(r.stdout).toMatch(/^var_app_api_token\s+string\s+\*{8}\s+set-value\s+\*{8}\s+any\s+sensitive$/m);
    expect(r.stdout).toMatch(/^var_app_banner\s+string\s+\*{8}\s+default\s+\*{8}\s+any\s+sensitive$/m);
    expect(r.stdout).toMatch(
      /^var_app_max_sessions\s+number\s+9\s+set-value\s+16\s+1\.\.64; selectors small=4, large=32\s+-$/m,
    );
  });
});

describe('sensitive values', () => {
  let tailoring: string;

  it('the tailoring holds the real value (oscap reads it), mode 0600, with a warning that does not show it', async () => {
    tailoring = join(dir, 'secret.xml');
    const r = await tailor(
      '--var',
      `var_app_api_token=${SECRET}`,
      '--var',
      'var_app_max_sessions=8',
      '-o',
      tailoring,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(tailoring, 'utf8')).toContain(`>${SECRET}</set-value>`);
    expect((await stat(tailoring)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain(
      'vouch: warning: the tailoring holds the value of sensitive variable(s) var_app_api_token; written with mode 0600',
    );
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  });

  it('a variable marked with --sensitive is treated the same way', async () => {
    const out = join(dir, 'banner.xml');
    const r = await tailor(
      '--sensitive',
      'var_app_banner',
      '--var',
      'var_app_banner=Property-of-Example',
      '-o',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('sensitive variable(s) var_app_banner;');
    expect(r.stderr).not.toContain('Property-of-Example');
  });

  it('a tailoring without secrets is written 0644', async () => {
    const out = join(dir, 'plain.xml');
    expect((await tailor('--var', 'var_app_max_sessions=8', '-o', out)).code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o644);
  });

  it('never appears in the json, table, html or xccdf output of vouch scan', async () => {
    const base = [
      'scan',
      '--datastream',
      XCCDF,
      '--tailoring',
      tailoring,
      '--profile',
      PROFILE,
      '--root',
      root,
    ];
    const json = await vouch([...base, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as ScanResult;
    // The check really compared the secret: it passes, and its evidence is the line holding it.
    const token = result.results.find((x) => x.ruleId === `${NS}_rule_app_token_configured`);
    expect(token?.status).toBe('pass');
    expect(JSON.stringify(token?.evidence)).toContain(`token=${SENSITIVE_MASK}`);
    expect(result.variables[`${NS}_value_var_app_api_token`]).toBe(SENSITIVE_MASK);
    expect(result.variables[`${NS}_value_var_app_max_sessions`]).toBe('8');

    for (const format of ['json', 'table', 'html', 'xccdf']) {
      const r = await vouch([...base, '--format', format]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stdout, format).not.toContain(SECRET);
      expect(r.stderr, format).not.toContain(SECRET);
    }
    const xccdf = (await vouch([...base, '--format', 'xccdf'])).stdout;
    expect(xccdf).toContain(`<set-value idref="${NS}_value_var_app_api_token">${SENSITIVE_MASK}</set-value>`);
    expect(xccdf).toContain(`<set-value idref="${NS}_value_var_app_max_sessions">8</set-value>`);
  });

  it.skipIf(!existsSync(OSCAP))(
    'never appears in an ARF report (TestResult, OVAL results, collected items)',
    async () => {
      // ARF needs a source data stream: oscap composes one from the XCCDF and its OVAL.
      const ds = join(dir, 'app-ds.xml');
      const compose = await oscap(OSCAP, ['ds', 'sds-compose', XCCDF, ds]);
      expect(compose.code, compose.stderr).toBe(0);
      const r = await vouch([
        'scan',
        '--datastream',
        ds,
        '--tailoring',
        tailoring,
        '--profile',
        PROFILE,
        '--root',
        root,
        '--format',
        'arf',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        `<set-value idref="${NS}_value_var_app_api_token">${SENSITIVE_MASK}</set-value>`,
      );
      expect(r.stdout).toContain(
        `<tested_variable variable_id="oval:com.example.vouch:var:1">${SENSITIVE_MASK}</tested_variable>`,
      );
      expect(r.stdout).toContain(`token=${SENSITIVE_MASK}</ind-sys:text>`);
      expect(r.stdout).not.toContain(SECRET);
      // Values that are not sensitive are written as they are.
      expect(r.stdout).toContain(`<set-value idref="${NS}_value_var_app_max_sessions">8</set-value>`);
    },
  );
});
