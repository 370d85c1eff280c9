/**
 * `vouch content info` in-process (main() with stdout/stderr captured): table and JSON output on the
 * hand-written fixtures, and on ubuntu2204 when the SSG content is installed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const U2204 = '/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml';

async function vouch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('vouch content info', () => {
  it('lists profiles with selected-rule counts (table)', async () => {
    const r = await vouch(['content', 'info', join(FIXTURES, 'profiles-xccdf.xml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('standalone XCCDF document');
    expect(r.stdout).toContain('Benchmark xccdf_org.example_benchmark_test version 1.0: Test benchmark');
    expect(r.stdout).toContain('7 rules, 3 groups, 3 values; platform cpe:/o:example:os');
    expect(r.stdout).toContain('    base           3 rules  Base  (1 complex-check only, native 0/2)\n');
    expect(r.stdout).toContain(
      '    child          2 rules  Child  (1 complex-check only, extends xccdf_org.example_profile_base, native 0/1)\n',
    );
    expect(r.stdout).toContain(
      '    groups         3 rules  Group selection  (1 complex-check only, 2 without check, native 0/0)\n',
    );
  });

  it('--format json carries every profile and its inventory', async () => {
    const r = await vouch(['content', 'info', join(FIXTURES, 'profiles-xccdf.xml'), '--format', 'json']);
    const info = JSON.parse(r.stdout);
    expect(info.kind).toBe('xccdf');
    expect(
      info.benchmarks[0].profiles.map((p: { shortId: string; selectedRules: number }) => [
        p.shortId,
        p.selectedRules,
      ]),
    ).toEqual([
      ['base', 3],
      ['child', 2],
      ['groups', 3],
    ]);
    // Standalone XCCDF: the OVAL href (oval.xml) is not part of this file, so it is reported unresolved.
    expect(info.benchmarks[0].profiles[0].inventory.unresolved).toContainEqual({
      ruleId: 'xccdf_org.example_rule_a',
      reference: 'href oval.xml',
    });
  });

  it('an unknown profile exits 1 and lists the known ones', async () => {
    const r = await vouch(['content', 'info', join(FIXTURES, 'profiles-xccdf.xml'), '--profile', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vouch: unknown profile nope in xccdf_org.example_benchmark_test (known: base, child, groups)\n',
    );
  });

  it('a missing file and an unknown format are one-line errors', async () => {
    expect((await vouch(['content', 'info', '/nonexistent.xml'])).stderr).toMatch(
      /^vouch: \/nonexistent\.xml: ENOENT/,
    );
    const r = await vouch(['content', 'info', join(FIXTURES, 'profiles-xccdf.xml'), '--format', 'xml']);
    expect([r.code, r.stderr]).toEqual([1, 'vouch: --format xml: unknown format (known: table, json)\n']);
  });

  it('summarises a standalone OVAL file', async () => {
    const r = await vouch(['content', 'info', join(FIXTURES, 'constructs-oval.xml')]);
    expect(r.stdout).toContain('2 definitions, 3 tests, 7 objects, 4 states, 5 variables');
    expect(r.stdout).toContain('no XCCDF benchmark in this file');
  });

  it.skipIf(!existsSync(U2204))('ubuntu2204 cis_level1_server: the construct inventory', async () => {
    const r = await vouch(['content', 'info', U2204, '--profile', 'cis_level1_server']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /cis_level1_server +189 rules {2}CIS Ubuntu 22\.04 Level 1 Server Benchmark {2}\(2 OCIL-only, native 187\/187\)/,
    );
    expect(r.stdout).toContain('187 with an OVAL check');
    // Every object type SSG's CIS profile reaches has a probe.
    expect(r.stdout).toContain('native coverage: 187 of 187 OVAL-checked rules evaluated fully (100.0 %)');
    expect(r.stdout).not.toContain('OVAL object type without a probe');
    expect(r.stdout).toMatch(/ind:textfilecontent54_test +69\n/);
    expect(r.stdout).toMatch(/unix:file_object +75\n/);
    expect(r.stdout).not.toContain('cis_level2_server');
  });
});
