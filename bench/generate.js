#!/usr/bin/env node
/**
 * `npm run bench` (generation part): `vouch content generate` on the SSG ubuntu2204 data stream
 * (OS platform stripped, as in the tests) for a 500-rule selection and for cis_level1_server.
 *
 * Figures (median of RUNS, wall and CPU time of this process):
 * - cold parse: the data stream parsed and written to the parsed-source cache (once per run);
 * - warm load: the parsed source read back from that cache;
 * - generate, uncached: source already loaded, generated-stream cache off (what the 1 s target is about);
 * - generate, cached: the same request served from the generated-stream cache;
 * - CLI: `node bin/vouch.js content generate --no-cache` as a process (warm source cache).
 * Reference in the same run: `oscap ds sds-compose` of the SSG component files (the only oscap
 * command that writes a source data stream; it copies everything and selects nothing, so the
 * ratio says "same order of work", not "same work"), and `oscap ds sds-validate` of the output.
 *
 * Env: RUNS (default 5); GENERATE_BENCH_JSON=path also writes the figures as JSON.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SSG = '/usr/share/xml/scap/ssg/content';
const VOUCH = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 5);

if (!existsSync(join(SSG, 'ssg-ubuntu2204-ds.xml'))) {
  console.log('generate bench: SSG content missing (scripts/install-deps.sh installs it); skipped');
  process.exit(0);
}
const { generateDatastream } = await import('../dist/scap/generate/generate.js');
const { loadScapSourceCached } = await import('../dist/scap/datastream/source-cache.js');
const { benchmarksOf } = await import('../dist/scap/datastream/resolve.js');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Wall and CPU (user + system) milliseconds of `fn`. */
async function measure(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function repeat(fn) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure(fn));
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    buildMs: median(samples.map((s) => s.value?.timings?.buildMs ?? 0)),
    value: samples[0].value,
  };
}

async function timedProcess(argv, env = {}) {
  const out = await mkdtemp(join(tmpdir(), 'vouch-bench-'));
  const timeFile = join(out, 'time');
  try {
    await run('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, ...argv], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env },
    });
    const [wall, user, sys, rssKb] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ');
    return {
      wallMs: Number(wall) * 1000,
      cpuMs: (Number(user) + Number(sys)) * 1000,
      rssMb: Number(rssKb) / 1024,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const work = await mkdtemp(join(tmpdir(), 'vouch-bench-generate-'));
try {
  const cacheDir = join(work, 'cache');
  const text = await readFile(join(SSG, 'ssg-ubuntu2204-ds.xml'), 'utf8');
  const ds = join(work, 'ssg-ubuntu2204-any-ds.xml');
  await writeFile(ds, text.replace(/<xccdf-1\.2:platform idref="cpe:\/o:[^"]*"\/>/g, ''));

  const cold = await measure(() => loadScapSourceCached(ds, { cacheDir }));
  const warm = await repeat(() => loadScapSourceCached(ds, { cacheDir }));
  const source = warm.value;

  // A tailoring profile selecting the first 500 rules of the benchmark, in document order.
  const benchmark = benchmarksOf(source)[0].benchmark;
  const ids = [...benchmark.rules.keys()].slice(0, 500);
  const tailoring = join(work, 'tailoring-500.xml');
  await writeFile(
    tailoring,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<xccdf-1.2:Tailoring xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2" id="xccdf_vouch-bench_tailoring_500">',
      '  <xccdf-1.2:benchmark href="ssg-ubuntu2204-ds.xml"/>',
      '  <xccdf-1.2:version time="2026-11-26T00:00:00">1</xccdf-1.2:version>',
      '  <xccdf-1.2:Profile id="xccdf_vouch-bench_profile_rules500">',
      '    <xccdf-1.2:title>500 rules</xccdf-1.2:title>',
      ...ids.map((id) => `    <xccdf-1.2:select idref="${id}" selected="true"/>`),
      '  </xccdf-1.2:Profile>',
      '</xccdf-1.2:Tailoring>',
      '',
    ].join('\n'),
  );

  const cases = [
    { name: '500 rules (tailoring)', profile: 'xccdf_vouch-bench_profile_rules500', tailoring },
    { name: 'cis_level1_server (189 rules)', profile: 'cis_level1_server' },
  ];
  const rows = [];
  for (const c of cases) {
    const request = { datastream: ds, profile: c.profile, tailoring: c.tailoring, source };
    const uncached = await repeat(() => generateDatastream({ ...request, cacheDir, useCache: false }));
    const out = join(work, `${c.profile}.xml`);
    await generateDatastream({ ...request, cacheDir, output: out });
    const cached = await repeat(() =>
      generateDatastream({ ...request, cacheDir, output: join(work, 'hit.xml') }),
    );
    const cli = await timedProcess(
      [
        process.execPath,
        VOUCH,
        'content',
        'generate',
        '--datastream',
        ds,
        '--profile',
        c.profile,
        ...(c.tailoring ? ['--tailoring', c.tailoring] : []),
        '--no-cache',
        '-o',
        join(work, 'cli.xml'),
      ],
      { VOUCH_CACHE_DIR: cacheDir },
    );
    const validate = await timedProcess(['oscap', 'ds', 'sds-validate', out]);
    const size = (await readFile(out)).length;
    rows.push({
      case: c.name,
      rules: uncached.value.rules,
      outputMb: size / 1e6,
      uncached: { wallMs: uncached.wallMs, cpuMs: uncached.cpuMs, buildMs: uncached.buildMs },
      cached: { wallMs: cached.wallMs, cpuMs: cached.cpuMs, hit: cached.value.cached },
      cli,
      sdsValidateMs: validate.wallMs,
    });
  }

  // oscap reference: compose the SSG component files into a data stream (same run, same machine).
  let compose;
  if (existsSync('/usr/bin/oscap')) {
    for (const part of ['xccdf', 'oval', 'ocil', 'cpe-dictionary', 'cpe-oval']) {
      await copyFile(join(SSG, `ssg-ubuntu2204-${part}.xml`), join(work, `ssg-ubuntu2204-${part}.xml`));
    }
    compose = await timedProcess([
      'oscap',
      'ds',
      'sds-compose',
      join(work, 'ssg-ubuntu2204-xccdf.xml'),
      join(work, 'composed-ds.xml'),
    ]);
  }

  const f = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`\ncontent generate (SSG ubuntu2204, RUNS=${RUNS}, load average ${loadavg()[0].toFixed(1)})`);
  console.log(`  cold parse + cache write   ${f(cold.wallMs)} wall, ${f(cold.cpuMs)} CPU`);
  console.log(`  warm load (parsed cache)   ${f(warm.wallMs)} wall, ${f(warm.cpuMs)} CPU`);
  for (const r of rows) {
    console.log(`  ${r.case}: ${r.rules} rules, ${r.outputMb.toFixed(2)} MB`);
    console.log(
      `    generate, uncached       ${f(r.uncached.wallMs)} wall, ${f(r.uncached.cpuMs)} CPU (build ${f(r.uncached.buildMs)})`,
    );
    console.log(`    generate, cache hit      ${f(r.cached.wallMs)} wall, ${f(r.cached.cpuMs)} CPU`);
    console.log(
      `    CLI process, --no-cache  ${f(r.cli.wallMs)} wall, ${f(r.cli.cpuMs)} CPU, ${r.cli.rssMb.toFixed(0)} MB RSS`,
    );
    console.log(`    oscap ds sds-validate    ${f(r.sdsValidateMs)} wall (of the output)`);
    if (compose) {
      console.log(
        `    ratio oscap sds-compose / vouch CLI: ${(compose.wallMs / r.cli.wallMs).toFixed(2)}x wall, ${(compose.cpuMs / r.cli.cpuMs).toFixed(2)}x CPU`,
      );
    }
  }
  if (compose) {
    console.log(
      `  oscap ds sds-compose (all components, no selection): ${f(compose.wallMs)} wall, ${f(compose.cpuMs)} CPU, ${compose.rssMb.toFixed(0)} MB RSS`,
    );
  } else {
    console.log('  oscap missing: no reference figure');
  }
  if (process.env.GENERATE_BENCH_JSON)
    await writeFile(
      process.env.GENERATE_BENCH_JSON,
      `${JSON.stringify({ runs: RUNS, loadAverage: loadavg()[0], coldParse: cold, warmLoad: { wallMs: warm.wallMs, cpuMs: warm.cpuMs }, rows, compose }, (k, v) => (k === 'value' ? undefined : v), 2)}\n`,
    );
} finally {
  await rm(work, { recursive: true, force: true });
}
