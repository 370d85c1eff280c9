/**
 * `vouch content generate` on the real SSG ubuntu2204 data stream: what the generated stream holds,
 * that oscap validates it and evaluates it exactly as the original with the same tailoring (on the
 * Debian 12 fixture roots, through oscap-chroot and a read-only bind mount), that Vouch's native
 * scan agrees too, the cache, and the one-line errors.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { VouchError } from '../../../src/core/errors.js';
import { runScapScan } from '../../../src/scan/run-scap-scan.js';
import { parseScapSource } from '../../../src/scap/datastream/parse-source.js';
import { benchmarksOf, ovalFor } from '../../../src/scap/datastream/resolve.js';
import { loadScapSourceCached } from '../../../src/scap/datastream/source-cache.js';
import { generateCacheStats, generateDatastream } from '../../../src/scap/generate/generate.js';
import { ovalClosure } from '../../../src/scap/inventory/oval-closure.js';
import type { ScapSource } from '../../../src/scap/model/datastream.js';
import { resolveProfile } from '../../../src/scap/xccdf/resolve-profile.js';
import { applyTailoring, loadTailoring } from '../../../src/scap/xccdf/tailoring.js';
import { importIntoStore } from '../../../src/store/index.js';
import { openTarget } from '../../../src/targets/index.js';
import { haveOscap, readOnlyBindMount, strippedDatastream } from '../differential/oscap-reference.js';
import {
  BENCHMARK,
  CIS_L1,
  oscapResults,
  rule,
  sdsValidate,
  TAILORED,
  TAILORED_RULES,
  tailoringXml,
  value,
  writeTemp,
} from './fixtures.js';

const ROOTFS = join(import.meta.dirname, '../../../fixtures/build/rootfs');
const runnable = haveOscap() && existsSync(join(ROOTFS, 'hardened/etc'));
const asRoot = process.getuid?.() === 0;

let dir: string;
let cacheDir: string;
let original: string;
let tailoring: string;
let source: ScapSource;
/** The generated stream for the tailoring, and its parse. */
let generated: string;
let parsed: ScapSource;

beforeAll(async () => {
  if (!runnable) return;
  dir = await mkdtemp(join(tmpdir(), 'vouch-generate-'));
  cacheDir = join(dir, 'cache');
  original = await strippedDatastream('ubuntu2204', dir);
  tailoring = await writeTemp(dir, 'tailoring.xml', tailoringXml());
  source = await loadScapSourceCached(original, { cacheDir });
  generated = join(dir, 'generated-ds.xml');
  await generateDatastream({
    datastream: original,
    profile: TAILORED,
    tailoring,
    output: generated,
    cacheDir,
    source,
  });
  parsed = parseScapSource(await readFile(generated, 'utf8'), generated);
});

/** Vouch's native rule results (notselected dropped) for a data stream on a fixture root. */
async function nativeResults(
  datastream: string,
  root: string,
  extra: { tailoring?: string; vars?: string[]; rules?: string[]; profile?: string },
): Promise<Record<string, string>> {
  const transport = await openTarget({ root });
  try {
    const s = await runScapScan({
      transport,
      datastream,
      profile: extra.profile ?? TAILORED,
      cacheDir,
      ...extra,
    });
    return Object.fromEntries(
      s.evaluation.run.rules.filter((r) => r.result !== 'notselected').map((r) => [r.ruleId, r.result]),
    );
  } finally {
    await transport.close();
  }
}

async function vouch(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stderr };
  } finally {
    err.mockRestore();
  }
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(runnable)('generated data stream contents', () => {
  it('holds one Profile (the requested id) selecting exactly the tailored selection', async () => {
    const [ctx] = benchmarksOf(parsed);
    expect(ctx?.benchmark.id).toBe(BENCHMARK);
    expect(ctx?.benchmark.profiles.map((p) => p.id)).toEqual([TAILORED]);
    const tailored = applyTailoring(benchmarksOf(source)[0]!.benchmark, await loadTailoring(tailoring));
    const expected = resolveProfile(tailored, TAILORED).selectedRules.map((r) => r.id);
    expect(expected.length).toBe(TAILORED_RULES);
    // Only the selected rules are in the Benchmark at all, and the profile selects all of them.
    expect([...ctx!.benchmark.rules.keys()]).toEqual(expected);
    const resolved = resolveProfile(ctx!.benchmark, TAILORED);
    expect(resolved.selectedRules.map((r) => r.id)).toEqual(expected);
    // Tailored values are set-values, profile selectors refine-values; both resolve as in the original.
    expect(resolved.values.get(value('var_sshd_set_keepalive'))?.value).toBe('0');
    expect(resolved.values.get(value('var_accounts_maximum_age_login_defs'))?.value).toBe('99999');
    const original = resolveProfile(tailored, TAILORED).values;
    for (const [id, v] of resolved.values) expect([id, v.value]).toEqual([id, original.get(id)?.value]);
  });

  it('keeps only the Values, OVAL items and CPE items the rules reach', () => {
    const [ctx] = benchmarksOf(parsed);
    const benchmark = ctx!.benchmark;
    const exported = new Set(
      [...benchmark.rules.values()].flatMap((r) => r.checks.flatMap((c) => c.exports.map((e) => e.valueId))),
    );
    for (const id of exported) expect(benchmark.values.has(id)).toBe(true);
    expect(benchmark.values.size).toBeLessThan(benchmarksOf(source)[0]!.benchmark.values.size);
    // The OVAL component is exactly the union of the closures of the rules' definitions.
    const oval = ovalFor(ctx!, 'ssg-ubuntu2204-oval.xml')!;
    const originalOval = ovalFor(benchmarksOf(source)[0]!, 'ssg-ubuntu2204-oval.xml')!;
    const want = new Set<string>();
    for (const r of benchmark.rules.values()) {
      for (const c of r.checks) {
        for (const ref of c.contentRefs) {
          if (!ref.name || !ref.href.endsWith('-oval.xml')) continue;
          for (const id of ovalClosure(originalOval, ref.name).definitions) want.add(id);
        }
      }
    }
    expect(new Set(oval.definitions.keys())).toEqual(want);
    expect(oval.definitions.size).toBeLessThan(originalOval.definitions.size);
    // Platforms in use: #machine and the package ones; CPE items only those.
    const spec = [...benchmark.platformSpecification.platforms.keys()];
    expect(spec).toContain('machine');
    expect(spec.length).toBeLessThan(benchmarksOf(source)[0]!.benchmark.platformSpecification.platforms.size);
  });

  it('oscap ds sds-validate accepts it', async () => {
    const r = await sdsValidate(generated);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});

describe.runIf(runnable && asRoot)('oscap on a fixture root: generated == original + tailoring', () => {
  it.each(['hardened', 'broken'])(
    '%s',
    async (fixture) => {
      const mount = await readOnlyBindMount(join(ROOTFS, fixture));
      try {
        const want = await oscapResults(original, TAILORED, { root: mount.path, tailoring });
        const got = await oscapResults(generated, TAILORED, { root: mount.path });
        expect(want.size).toBe(TAILORED_RULES);
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
        // The round trip: and Vouch's native scan of the generated stream says the same.
        expect(await nativeResults(generated, join(ROOTFS, fixture), {})).toEqual(Object.fromEntries(got));
        // The overrides matter: on the broken root (PASS_MAX_DAYS 99999) the tailored value flips
        // accounts_maximum_age_login_defs against the profile's own 365.
        if (fixture === 'broken') {
          const id = rule('accounts_maximum_age_login_defs');
          const untailored = await oscapResults(original, CIS_L1, { root: mount.path, rules: [id] });
          expect([untailored.get(id), got.get(id)]).toEqual(['fail', 'pass']);
        }
      } finally {
        await mount.release();
      }
    },
    600_000,
  );
});

describe.runIf(runnable)('Vouch native scan: generated == original + tailoring', () => {
  it.each(['hardened', 'broken'])(
    '%s',
    async (fixture) => {
      const root = join(ROOTFS, fixture);
      const want = await nativeResults(original, root, { tailoring });
      const got = await nativeResults(generated, root, {});
      expect(Object.keys(want).length).toBe(TAILORED_RULES);
      expect(got).toEqual(want);
    },
    600_000,
  );
});

describe.runIf(runnable)('--rule and --var', () => {
  it('keeps just the named rules, with the override baked in (native scan agrees with the original)', async () => {
    const rules = [
      'sshd_set_keepalive',
      'accounts_maximum_age_login_defs',
      'sysctl_kernel_randomize_va_space',
    ];
    const vars = ['var_sshd_set_keepalive=0', 'var_accounts_maximum_age_login_defs=99999'];
    const out = join(dir, 'rules-ds.xml');
    const r = await generateDatastream({
      datastream: original,
      profile: 'cis_level1_server',
      rules,
      vars,
      output: out,
      cacheDir,
      source,
    });
    expect(r.rules).toBe(3);
    const [ctx] = benchmarksOf(parseScapSource(await readFile(out, 'utf8'), out));
    expect([...ctx!.benchmark.rules.keys()]).toEqual(
      [
        rule('accounts_maximum_age_login_defs'),
        rule('sysctl_kernel_randomize_va_space'),
        rule('sshd_set_keepalive'),
      ].sort(
        (a, b) =>
          [...benchmarksOf(source)[0]!.benchmark.rules.keys()].indexOf(a) -
          [...benchmarksOf(source)[0]!.benchmark.rules.keys()].indexOf(b),
      ),
    );
    expect((await sdsValidate(out)).code).toBe(0);
    const root = join(ROOTFS, 'hardened');
    const want = await nativeResults(original, root, { profile: CIS_L1, vars, rules });
    expect(await nativeResults(out, root, { profile: CIS_L1 })).toEqual(want);
    expect(want[rule('sshd_set_keepalive')]).toBe('fail');
  }, 120_000);
});

describe.runIf(runnable)('cache', () => {
  it('serves a second identical request from the cache, untouched; another selection misses', async () => {
    const out1 = join(dir, 'cached-1.xml');
    const out2 = join(dir, 'cached-2.xml');
    const request = { datastream: original, profile: TAILORED, tailoring, cacheDir, source };
    // The beforeAll generation already built this selection.
    const hitsBefore = generateCacheStats.hits;
    const first = await generateDatastream({ ...request, output: out1 });
    expect(first.cached).toBe(true);
    const entry = await stat(first.cachePath!);
    const second = await generateDatastream({ ...request, output: out2 });
    expect(second.cached).toBe(true);
    expect(second.key).toBe(first.key);
    expect(generateCacheStats.hits).toBe(hitsBefore + 2);
    const after = await stat(first.cachePath!);
    expect([after.ino, after.mtimeMs]).toEqual([entry.ino, entry.mtimeMs]);
    expect(await readFile(out2, 'utf8')).toBe(await readFile(generated, 'utf8'));
    // The same selection through --var instead of a tailoring set-value would differ (no deselects),
    // and another value is another key.
    const other = await generateDatastream({
      ...request,
      vars: ['var_sshd_set_keepalive=1'],
      output: join(dir, 'other.xml'),
    });
    expect(other.cached).toBe(false);
    expect(other.key).not.toBe(first.key);
  });

  it('misses when the source changes', async () => {
    const copy = join(dir, 'changed-ds.xml');
    const text = await readFile(original, 'utf8');
    await writeTemp(dir, 'changed-ds.xml', `${text}<!-- one byte more is another source -->\n`);
    const a = await generateDatastream({
      datastream: original,
      profile: 'cis_level1_server',
      cacheDir,
      source,
      rules: ['sshd_set_keepalive'],
    });
    const b = await generateDatastream({
      datastream: copy,
      profile: 'cis_level1_server',
      cacheDir,
      rules: ['sshd_set_keepalive'],
    });
    expect(b.key).not.toBe(a.key);
    expect(b.cached).toBe(false);
  });
});

describe.runIf(runnable)('vouch content generate (CLI)', () => {
  it('writes the data stream and says where it came from; an error is one line and exit 1', async () => {
    const out = join(dir, 'cli-ds.xml');
    const argv = ['content', 'generate', '--datastream', original, '--profile', 'cis_level1_server'];
    const ok = await vouch([
      ...argv,
      '--rule',
      'sshd_set_keepalive',
      '--var',
      'var_sshd_set_keepalive=5',
      '-o',
      out,
    ]);
    expect(ok.stderr).toMatch(
      /cli-ds\.xml: 1 rules of xccdf_org\.ssgproject\.content_profile_cis_level1_server \((built in \d+ ms|from the cache)/,
    );
    expect(ok.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toContain(
      `<xccdf-1.2:set-value idref="${value('var_sshd_set_keepalive')}">5</xccdf-1.2:set-value>`,
    );
    const bad = await vouch([...argv, '--var', 'var_sshd_set_keepalive=x', '-o', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--var var_sshd_set_keepalive=x');
  });
});

describe.runIf(runnable)('vouch tailor -> vouch content generate', () => {
  it('a tailoring written by vouch tailor bakes in; native scans of both agree on the broken root', async () => {
    const written = join(dir, 'vouch-tailoring.xml');
    const tailor = await vouch([
      'tailor',
      '--datastream',
      original,
      '--profile',
      'cis_level1_server',
      '--var',
      'var_accounts_maximum_age_login_defs=99999',
      '--var',
      'var_sshd_set_keepalive=0',
      '--deselect',
      'package_telnet_removed',
      '-o',
      written,
    ]);
    expect(tailor.code).toBe(0);
    const out = join(dir, 'from-vouch-tailoring.xml');
    const r = await generateDatastream({
      datastream: original,
      profile: TAILORED,
      tailoring: written,
      output: out,
      cacheDir,
      source,
    });
    expect(r.rules).toBe(188);
    expect((await sdsValidate(out)).code).toBe(0);
    const root = join(ROOTFS, 'broken');
    const want = await nativeResults(original, root, {
      tailoring: written,
      rules: ['accounts_maximum_age_login_defs', 'sshd_set_keepalive', 'sysctl_kernel_randomize_va_space'],
    });
    const got = await nativeResults(out, root, {
      rules: ['accounts_maximum_age_login_defs', 'sshd_set_keepalive', 'sysctl_kernel_randomize_va_space'],
    });
    expect(got).toEqual(want);
    expect(got[rule('accounts_maximum_age_login_defs')]).toBe('pass');
  });
});

describe.runIf(runnable)('--store', () => {
  it('generates from the data stream the store imported, the same bytes as from the file', async () => {
    const store = join(dir, 'store');
    await importIntoStore(original, { store, sourceId: 'u2204' });
    const fromFile = join(dir, 'from-file.xml');
    const fromStore = join(dir, 'from-store.xml');
    const args = [
      '--profile',
      TAILORED,
      '--tailoring',
      tailoring,
      '--rule',
      'sshd_set_keepalive',
      '--no-cache',
    ];
    expect(
      (await vouch(['content', 'generate', '--datastream', original, ...args, '-o', fromFile])).code,
    ).toBe(0);
    const r = await vouch(['content', 'generate', '--store', store, ...args, '-o', fromStore]);
    expect(r.stderr).toContain('1 rules of');
    expect(r.code).toBe(0);
    expect(await readFile(fromStore, 'utf8')).toBe(await readFile(fromFile, 'utf8'));
    const unknown = await vouch([
      'content',
      'generate',
      '--store',
      store,
      '--profile',
      'nope',
      '-o',
      fromStore,
    ]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/unknown profile nope/)]);
  });
});

describe.runIf(runnable)('errors: one line naming the field', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    [
      'unknown profile',
      () => generateDatastream({ datastream: original, profile: 'no_such_profile', cacheDir, source }),
      /unknown profile no_such_profile/,
    ],
    [
      'unknown rule',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          rules: ['no_such_rule'],
          cacheDir,
          source,
        }),
      /^--rule no_such_rule: no Rule/,
    ],
    [
      'rule outside the profile',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          rules: ['audit_rules_dac_modification_chmod'],
          cacheDir,
          source,
        }),
      /^--rule audit_rules_dac_modification_chmod: \S+ is not selected by profile \S+cis_level1_server$/,
    ],
    [
      'bad --var type',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          vars: ['var_sshd_set_keepalive=abc'],
          cacheDir,
          source,
        }),
      /^--var var_sshd_set_keepalive=abc: .* must be a number/,
    ],
    [
      'unknown --var',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          vars: ['var_nope=1'],
          cacheDir,
          source,
        }),
      /^--var var_nope: no XCCDF Value/,
    ],
    [
      '--var without =',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          vars: ['var_sshd_set_keepalive'],
          cacheDir,
          source,
        }),
      /^--var "var_sshd_set_keepalive": expected name=value/,
    ],
    [
      '--benchmark-id',
      () =>
        generateDatastream({
          datastream: original,
          profile: 'cis_level1_server',
          benchmarkId: 'xccdf_x_benchmark_nope',
          cacheDir,
          source,
        }),
      /^--benchmark-id xccdf_x_benchmark_nope: no such benchmark/,
    ],
  ];
  it.each(cases)('%s', async (_name, call, message) => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VouchError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    [
      'benchmark id',
      { benchmarkId: 'xccdf_org.ssgproject.content_benchmark_DEBIAN-11' },
      /<benchmark id="xccdf_org.ssgproject.content_benchmark_DEBIAN-11">: the tailoring is for another benchmark/,
    ],
    [
      'extends',
      { extends: 'xccdf_org.ssgproject.content_profile_anssi_np_nt28_high' },
      /extends="xccdf_org.ssgproject.content_profile_anssi_np_nt28_high": no such profile/,
    ],
    [
      'set-value type',
      { setValues: [['var_sshd_set_keepalive', 'many']] as [string, string][] },
      /set-value var_sshd_set_keepalive=many: .* must be a number/,
    ],
  ])('a tailoring for another benchmark / with a bad value (%s)', async (name, options, message) => {
    const path = await writeTemp(dir, `bad-${name.replace(/\W/g, '-')}.xml`, tailoringXml(options));
    const error = await generateDatastream({
      datastream: original,
      profile: TAILORED,
      tailoring: path,
      cacheDir,
      source,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VouchError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(path)).toBe(true);
  });
});
