/**
 * Shared inputs of the generation tests: the ubuntu2204 data stream without its OS platform (so
 * rules apply on the Debian 12 fixture roots), and the issue's tailoring (cis_level1_server, two
 * Value overrides, one rule deselected; the three whole-filesystem walks are deselected too, which
 * keeps each oscap run on a fixture to seconds).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OSCAP, OSCAP_CHROOT, parseRuleResults } from '../differential/oscap-reference.js';

const run = promisify(execFile);

export const BENCHMARK = 'xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04';
export const CIS_L1 = 'xccdf_org.ssgproject.content_profile_cis_level1_server';
export const TAILORED = `${CIS_L1}_customized`;
export const rule = (name: string): string => `xccdf_org.ssgproject.content_rule_${name}`;
export const value = (name: string): string => `xccdf_org.ssgproject.content_value_${name}`;

/** cis_level1_server selects 189 rules, all four of DESELECTED among them. */
export const TAILORED_RULES = 185;

export const DESELECTED = [
  'package_telnet_removed',
  'file_permissions_unauthorized_world_writable',
  'no_files_unowned_by_user',
  'dir_perms_world_writable_sticky_bits',
];

/** XCCDF 1.2 tailoring, one element per line (oscap 1.3.7 drops elements glued to a `<select/>`). */
export function tailoringXml(
  options: { benchmarkId?: string; extends?: string; setValues?: [string, string][] } = {},
): string {
  const sets = options.setValues ?? [
    ['var_sshd_set_keepalive', '0'],
    ['var_accounts_maximum_age_login_defs', '99999'],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<xccdf-1.2:Tailoring xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2" id="xccdf_vouch-test_tailoring_generate">',
    `  <xccdf-1.2:benchmark href="ssg-ubuntu2204-ds.xml"${options.benchmarkId ? ` id="${options.benchmarkId}"` : ''}/>`,
    '  <xccdf-1.2:version time="2026-11-26T00:00:00">1</xccdf-1.2:version>',
    `  <xccdf-1.2:Profile id="${TAILORED}" extends="${options.extends ?? CIS_L1}">`,
    '    <xccdf-1.2:title>CIS L1 server, tailored</xccdf-1.2:title>',
    ...DESELECTED.map((r) => `    <xccdf-1.2:select idref="${rule(r)}" selected="false"/>`),
    ...sets.map(([name, v]) => `    <xccdf-1.2:set-value idref="${value(name)}">${v}</xccdf-1.2:set-value>`),
    '  </xccdf-1.2:Profile>',
    '</xccdf-1.2:Tailoring>',
    '',
  ].join('\n');
}

export async function writeTemp(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** oscap (or oscap-chroot on `root`) rule results, notselected dropped. */
export async function oscapResults(
  datastream: string,
  profile: string,
  options: { root?: string; tailoring?: string; rules?: string[] } = {},
): Promise<Map<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'vouch-gen-oscap-'));
  const results = join(out, 'results.xml');
  const argv = ['xccdf', 'eval', '--profile', profile, '--results', results];
  if (options.tailoring) argv.push('--tailoring-file', options.tailoring);
  for (const id of options.rules ?? []) argv.push('--rule', id);
  argv.push(datastream);
  try {
    // Exit code 2 means "some rule failed": a normal outcome.
    await run(options.root ? OSCAP_CHROOT : OSCAP, options.root ? [options.root, ...argv] : argv, {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { code?: number }) => {
      if (error.code !== 2) throw error;
    });
    return parseRuleResults(await readFile(results, 'utf8'));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export async function sdsValidate(path: string): Promise<{ code: number; output: string }> {
  try {
    const r = await run(OSCAP, ['ds', 'sds-validate', path]);
    return { code: 0, output: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
