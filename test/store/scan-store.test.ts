/**
 * `vouch scan --store DIR --profile P`: a profile of imported content is evaluated from the stored
 * data stream, and the variables the user marked sensitive at import (`--sensitive`) are masked in
 * the outputs, as secret-named ones are; the same scan from the data stream file shows the value
 * (the control: the mark, not the name, is what masks it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../helpers/fixtures.js';
import { vouch } from '../helpers/run-cli.js';
import { haveOscap, strippedDatastream } from '../scap/differential/oscap-reference.js';

const root = fixtureRoot('hardened');
const SECRET_PATH = '/var/log/sudo-io-7f3a9c.log';

describe.skipIf(!haveOscap() || !root)('vouch scan --store', () => {
  let dir: string;
  let ds: string;
  let store: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-scan-store-'));
    ds = await strippedDatastream('ubuntu2204', dir);
    store = join(dir, 'store');
    const r = await vouch(['content', 'import', ds, '--store', store, '--sensitive', 'var_sudo_logfile']);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const scan = ['--profile', 'cis_level1_server', '--rule', 'sudo_custom_logfile', '--root', root as string];
  const vars = ['--var', `var_sudo_logfile=${SECRET_PATH}`, '--no-progress'];

  it('evaluates the stored profile and masks the marked variable in json and xccdf', async () => {
    const json = join(dir, 'r.json');
    const r = await vouch(['scan', '--store', store, ...scan, ...vars, '--format', 'json', '--output', json]);
    expect([0, 2], r.stderr).toContain(r.code);
    const text = await readFile(json, 'utf8');
    const result = JSON.parse(text);
    expect(result.results.map((x: { ruleId: string }) => x.ruleId)).toEqual([
      'xccdf_org.ssgproject.content_rule_sudo_custom_logfile',
    ]);
    expect(result.variables['xccdf_org.ssgproject.content_value_var_sudo_logfile']).toBe('********');
    expect(text).not.toContain(SECRET_PATH);

    const xml = join(dir, 'r.xml');
    await vouch(['scan', '--store', store, ...scan, ...vars, '--format', 'xccdf', '--output', xml]);
    const results = await readFile(xml, 'utf8');
    expect(results).toMatch(/<set-value idref="[^"]*var_sudo_logfile">\*{8}<\/set-value>/);
    expect(results).not.toContain(SECRET_PATH);
  }, 120_000);

  it('the same scan from the data stream file, without the store, shows the value', async () => {
    const json = join(dir, 'plain.json');
    await vouch(['scan', '--datastream', ds, ...scan, ...vars, '--format', 'json', '--output', json]);
    const result = JSON.parse(await readFile(json, 'utf8'));
    expect(result.variables['xccdf_org.ssgproject.content_value_var_sudo_logfile']).toBe(SECRET_PATH);
  }, 120_000);

  it('--store needs --profile', async () => {
    const r = await vouch(['scan', '--store', store, '--root', root as string]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vouch: --store needs --profile\n');
  });
});
