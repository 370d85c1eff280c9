/**
 * Differential suite: Vouch's native SCAP evaluator against real oscap 1.3.7 on the same SSG
 * profiles, on this machine (live) and on the Debian 12 fixture root filesystems (oscap-chroot on
 * a read-only bind mount). Every per-rule difference must be listed, with its reason, in
 * known-differences.yaml; the agreement per profile must be at least 99.5 %.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runScapScan } from '../../../src/scan/run-scap-scan.js';
import { loadScapSource } from '../../../src/scap/datastream/parse-source.js';
import type { ScapSource } from '../../../src/scap/model/datastream.js';
import { openTarget } from '../../../src/targets/index.js';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { haveOscap, readOnlyBindMount, runOscap, strippedDatastream } from './oscap-reference.js';

interface KnownDifference {
  rule: string;
  oscap: string;
  vouch: string;
  reason: string;
  datastream?: string;
  profile?: string;
  mode?: 'live' | 'fixture';
}

const KNOWN: KnownDifference[] =
  parse(readFileSync(new URL('./known-differences.yaml', import.meta.url), 'utf8')) ?? [];

const PROFILES: { datastream: string; profile: string }[] = [
  { datastream: 'ubuntu2204', profile: 'cis_level1_server' },
  { datastream: 'ubuntu2204', profile: 'cis_level2_server' },
  { datastream: 'ubuntu2204', profile: 'standard' },
  { datastream: 'debian11', profile: 'standard' },
  { datastream: 'debian11', profile: 'anssi_np_nt28_high' },
];

const FIXTURES = ['hardened', 'broken'] as const;
const RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';
const PROFILE_PREFIX = 'xccdf_org.ssgproject.content_profile_';
/** Live runs of the ubuntu profiles take oscap 1-3 minutes each (three whole-filesystem walks). */
const TIMEOUT = 15 * 60 * 1000;

const summary: string[] = [];

function explain(
  datastream: string,
  profile: string,
  mode: 'live' | 'fixture',
  rule: string,
  oscap: string,
  vouch: string,
): KnownDifference | undefined {
  const short = rule.startsWith(RULE_PREFIX) ? rule.slice(RULE_PREFIX.length) : rule;
  return KNOWN.find(
    (k) =>
      k.rule === short &&
      k.oscap === oscap &&
      k.vouch === vouch &&
      (k.datastream === undefined || k.datastream === datastream) &&
      (k.profile === undefined || k.profile === profile) &&
      (k.mode === undefined || k.mode === mode),
  );
}

describe.skipIf(!haveOscap())('native SCAP evaluation agrees with oscap', () => {
  let dir: string;
  const datastreams = new Map<string, { path: string; source: ScapSource }>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-diff-'));
    for (const name of new Set(PROFILES.map((p) => p.datastream))) {
      const path = await strippedDatastream(name, dir);
      datastreams.set(name, { path, source: await loadScapSource(path) });
    }
  });

  afterAll(async () => {
    if (summary.length > 0) {
      process.stdout.write(`\nSCAP differential agreement (Vouch vs oscap 1.3.7):\n${summary.join('\n')}\n`);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function compare(
    datastream: string,
    profile: string,
    mode: 'live' | 'fixture',
    label: string,
    root: string | undefined,
    oscapRoot: string | undefined,
  ): Promise<void> {
    const ds = datastreams.get(datastream);
    if (!ds) throw new Error(`no data stream ${datastream}`);
    const reference = await runOscap(ds.path, PROFILE_PREFIX + profile, oscapRoot);
    const transport = await openTarget({ root });
    const start = performance.now();
    let vouch: Map<string, string>;
    try {
      const scan = await runScapScan({ transport, datastream: ds.path, source: ds.source, profile });
      vouch = new Map(scan.result.results.map((r) => [r.ruleId, r.status]));
    } finally {
      await transport.close();
    }
    const vouchMs = performance.now() - start;
    const unexplained: string[] = [];
    let agree = 0;
    let explained = 0;
    for (const [rule, expected] of reference.results) {
      const got = vouch.get(rule) ?? '(missing)';
      if (got === expected) {
        agree++;
        continue;
      }
      if (explain(datastream, profile, mode, rule, expected, got)) explained++;
      else unexplained.push(`${rule.replace(RULE_PREFIX, '')}: oscap ${expected}, vouch ${got}`);
    }
    const total = reference.results.size;
    const pct = (100 * agree) / total;
    summary.push(
      `  ${label.padEnd(38)} ${String(agree).padStart(3)}/${total} = ${pct.toFixed(2)} %` +
        `  (${explained} known differences)  oscap ${(reference.wallMs / 1000).toFixed(1)} s, vouch ${(vouchMs / 1000).toFixed(2)} s`,
    );
    expect(unexplained, `unexplained differences for ${label}`).toEqual([]);
    expect(vouch.size, `${label}: Vouch evaluated a different rule set`).toBe(total);
    expect(pct).toBeGreaterThanOrEqual(99.5);
  }

  for (const { datastream, profile } of PROFILES) {
    it(`${datastream} ${profile} on this machine`, { timeout: TIMEOUT }, async () => {
      await compare(datastream, profile, 'live', `${datastream} ${profile} live`, undefined, undefined);
    });
  }

  for (const variant of FIXTURES) {
    const root = fixtureRoot(variant);
    describe.skipIf(!root || process.getuid?.() !== 0)(`fixture ${variant}`, () => {
      let mount: { path: string; release: () => Promise<void> } | undefined;
      beforeAll(async () => {
        mount = await readOnlyBindMount(root as string);
      });
      afterAll(async () => {
        await mount?.release();
      });
      for (const { datastream, profile } of PROFILES) {
        it(`${datastream} ${profile} on the ${variant} fixture`, { timeout: TIMEOUT }, async () => {
          await compare(
            datastream,
            profile,
            'fixture',
            `${datastream} ${profile} ${variant}`,
            root,
            mount?.path,
          );
        });
      }
    });
  }
});
