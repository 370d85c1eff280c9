#!/usr/bin/env node
/**
 * `npm run bench` (SCAP part): Vouch's native SCAP evaluator next to oscap 1.3.7 on the same SSG
 * profile, same machine, same run, as ratios of wall time and of peak memory.
 *
 * - live: `oscap xccdf eval` vs `vouch scan --datastream` on this machine;
 * - fixture: `oscap-chroot` on a read-only bind mount of the hardened Debian 12 fixture vs
 *   `vouch scan --datastream --root` on the same tree.
 * Both tools run as separate processes under GNU time (wall seconds, max RSS). Vouch is run once
 * to fill its parsed-content cache, then timed (the cold parse is reported too). The SSG data
 * streams have their OS platform stripped so the rules apply on Debian 12 (as in the test suite).
 *
 * Env: SCAP_PROFILES (default "ubuntu2204:cis_level1_server"), SCAP_MODES ("live,fixture"),
 * RUNS (Vouch runs per case, median; oscap runs once per case: its live run takes minutes).
 * Results: stdout table and bench/scap-results.json.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SSG = '/usr/share/xml/scap/ssg/content';
const VOUCH = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const PROFILES = (process.env.SCAP_PROFILES ?? 'ubuntu2204:cis_level1_server').split(',');
const MODES = (process.env.SCAP_MODES ?? 'live,fixture').split(',');
const fixtures =
  process.env.VOUCH_FIXTURES ?? fileURLToPath(new URL('../fixtures/build/rootfs', import.meta.url));

if (!existsSync('/usr/bin/oscap') || !existsSync(join(SSG, 'ssg-ubuntu2204-ds.xml'))) {
  console.log('scap bench: oscap or SSG content missing (scripts/install-deps.sh installs them); skipped');
  process.exit(0);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs argv under GNU time; returns wall seconds and max RSS in MB. Exit 2 (= rule failed) is fine. */
async function timed(argv, env = {}) {
  const out = await mkdtemp(join(tmpdir(), 'vouch-bench-'));
  const timeFile = join(out, 'time');
  try {
    await run('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, ...argv], {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, ...env },
    }).catch((error) => {
      if (error.code !== 2) throw error;
    });
    const [wall, rssKb] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ');
    return { seconds: Number(wall), rssMb: Number(rssKb) / 1024 };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function stripped(name, dir) {
  const text = await readFile(join(SSG, `ssg-${name}-ds.xml`), 'utf8');
  const path = join(dir, `ssg-${name}-any-ds.xml`);
  await writeFile(path, text.replace(/<xccdf-1\.2:platform idref="cpe:\/o:[^"]*"\/>/g, ''));
  return path;
}

async function roMount(source) {
  const path = await mkdtemp(join(tmpdir(), 'vouch-bench-ro-'));
  await run('mount', ['--bind', source, path]);
  await run('mount', ['-o', 'remount,bind,ro', path]);
  return {
    path,
    release: async () => {
      await run('umount', [path]).catch(() => undefined);
      await rm(path, { recursive: true, force: true });
    },
  };
}

const work = await mkdtemp(join(tmpdir(), 'vouch-bench-scap-'));
const cacheDir = join(work, 'cache');
await mkdir(cacheDir);
const rows = [];
try {
  for (const spec of PROFILES) {
    const [dsName, profile] = spec.split(':');
    const ds = await stripped(dsName, work);
    const fullProfile = `xccdf_org.ssgproject.content_profile_${profile}`;
    for (const mode of MODES) {
      const root = mode === 'fixture' ? join(fixtures, 'hardened') : undefined;
      if (mode === 'fixture' && !existsSync(join(root, 'etc/os-release'))) {
        console.log(`scap bench: no fixture at ${root}; fixture mode skipped`);
        continue;
      }
      const mount = root ? await roMount(root) : undefined;
      try {
        const results = join(work, 'oscap-results.xml');
        const oscapArgv = mount
          ? ['oscap-chroot', mount.path, 'xccdf', 'eval', '--profile', fullProfile, '--results', results, ds]
          : ['oscap', 'xccdf', 'eval', '--profile', fullProfile, '--results', results, ds];
        process.stderr.write(`scap bench: oscap ${dsName} ${profile} ${mode} ...\n`);
        const oscap = await timed(oscapArgv);
        const vouchArgv = [
          process.execPath,
          VOUCH,
          'scan',
          '--datastream',
          ds,
          '--profile',
          profile,
          '--format',
          'json',
          '--output',
          join(work, 'vouch.json'),
          '--no-progress',
          ...(root ? ['--root', root] : []),
        ];
        const env = { VOUCH_CACHE_DIR: cacheDir };
        await rm(cacheDir, { recursive: true, force: true });
        const cold = await timed(vouchArgv, env);
        const warm = [];
        for (let i = 0; i < RUNS; i++) warm.push(await timed(vouchArgv, env));
        const vouchSeconds = median(warm.map((w) => w.seconds));
        const vouchRss = Math.max(...warm.map((w) => w.rssMb), cold.rssMb);
        rows.push({
          datastream: dsName,
          profile,
          mode,
          oscapSeconds: oscap.seconds,
          oscapRssMb: Math.round(oscap.rssMb),
          vouchSeconds,
          vouchColdSeconds: cold.seconds,
          vouchRssMb: Math.round(vouchRss),
          speedup: Math.round((oscap.seconds / vouchSeconds) * 10) / 10,
          speedupCold: Math.round((oscap.seconds / cold.seconds) * 10) / 10,
          memoryRatio: Math.round((vouchRss / oscap.rssMb) * 100) / 100,
        });
      } finally {
        await mount?.release();
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

console.log('\nSCAP: Vouch native evaluator vs oscap 1.3.7 (same profile, same machine, same run)');
console.log(
  'case'.padEnd(44) +
    'oscap s'.padStart(9) +
    'vouch s'.padStart(9) +
    'cold s'.padStart(8) +
    'speedup'.padStart(9) +
    'oscap MB'.padStart(10) +
    'vouch MB'.padStart(10),
);
for (const r of rows) {
  console.log(
    `${r.datastream} ${r.profile} ${r.mode}`.padEnd(44) +
      r.oscapSeconds.toFixed(2).padStart(9) +
      r.vouchSeconds.toFixed(2).padStart(9) +
      r.vouchColdSeconds.toFixed(2).padStart(8) +
      `${r.speedup}x`.padStart(9) +
      String(r.oscapRssMb).padStart(10) +
      String(r.vouchRssMb).padStart(10),
  );
}
await writeFile(
  new URL('./scap-results.json', import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), runs: RUNS, rows }, null, 2)}\n`,
);
