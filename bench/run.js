#!/usr/bin/env node
/**
 * `npm run bench`: Vouch's scan speed next to the reference it must beat, in one run, as ratios.
 *
 * - live machine: full default profile vs `find / -xdev \( -perm -0002 -o -nouser \)` over the same
 *   filesystems (the walk is the floor of any scan that answers filesystem-wide rules);
 * - everything but the walk: the same profile without the rules that need the walk;
 * - rescan after one configuration file changed (walk reused from cache);
 * - the hardened Debian 12 fixture (VOUCH_FIXTURES or fixtures/build/rootfs), the same three ways.
 *
 * Each figure is the median of RUNS runs (default 3). Results go to stdout as a table and to
 * bench/results.json.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { openScanSession, runSessionScan } = await import(new URL('scan/run-scan.js', dist).href);
const { openTarget } = await import(new URL('targets/index.js', dist).href);

const RUNS = Number(process.env.RUNS ?? 3);
const fixtures =
  process.env.VOUCH_FIXTURES ?? fileURLToPath(new URL('../fixtures/build/rootfs', import.meta.url));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The reference: `find ROOTS -xdev \( -perm -0002 -o -nouser \)`; `bare` times a plain traversal. */
function timeFind(roots, bare = false) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const args = bare
      ? [...roots, '-xdev']
      : [...roots, '-xdev', '(', '-perm', '-0002', '-o', '-nouser', ')', '-print'];
    execFile('find', args, { maxBuffer: 256 * 1024 * 1024 }, (error) => {
      // find exits 1 when some directories are unreadable; the timing still stands.
      if (error && typeof error.code !== 'number') reject(error);
      else resolve(performance.now() - start);
    });
  });
}

async function scan(root, rules) {
  const transport = await openTarget({ root });
  try {
    const session = await openScanSession({ transport, rules });
    const start = performance.now();
    const { result, scan: engineScan } = await runSessionScan(session);
    return { ms: performance.now() - start, result, stats: engineScan.stats, session };
  } finally {
    await transport.close();
  }
}

async function walkRoots(root) {
  if (root) return [root];
  // The same filesystems the local walk visits: local, non-pseudo mounts.
  const text = await readFile('/proc/mounts', 'utf8');
  const pseudo = new Set([
    'proc',
    'sysfs',
    'devtmpfs',
    'devpts',
    'tmpfs',
    'cgroup',
    'cgroup2',
    'securityfs',
    'debugfs',
    'tracefs',
    'pstore',
    'bpf',
    'mqueue',
    'hugetlbfs',
    'configfs',
    'fusectl',
    'autofs',
    'binfmt_misc',
    'nsfs',
    'overlay',
    'nfs',
    'nfs4',
    'cifs',
    'fuse',
    'ramfs',
    'rpc_pipefs',
    'efivarfs',
    'squashfs',
  ]);
  const roots = text
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, , type]) => !pseudo.has(type))
    .map(([, mount]) => mount.replace(/\\040/g, ' '));
  return roots.length > 0 ? [...new Set(roots)] : ['/'];
}

async function measure(label, root) {
  const roots = await walkRoots(root);
  const findMs = [];
  const bareFindMs = [];
  const fullMs = [];
  const noWalkMs = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    findMs.push(await timeFind(roots));
    bareFindMs.push(await timeFind(roots, true));
    last = await scan(root);
    fullMs.push(last.ms);
  }
  const withoutWalk = last.session.selected
    .filter((rule) => rule.check.type !== 'fs-query')
    .map((rule) => rule.id);
  for (let i = 0; i < RUNS; i++) noWalkMs.push((await scan(root, withoutWalk)).ms);

  // Rescan: same session, one configuration file touched in between.
  let rescanMs;
  const transport = await openTarget({ root });
  try {
    const session = await openScanSession({ transport });
    await runSessionScan(session);
    const file = root ? join(root, 'etc/ssh/sshd_config') : undefined;
    const samples = [];
    for (let i = 0; i < RUNS; i++) {
      if (file && existsSync(file)) {
        const text = await readFile(file, 'utf8');
        await writeFile(file, text); // same content, new mtime: the fact must be re-collected
      }
      const start = performance.now();
      const { scan: rescan } = await runSessionScan(session);
      samples.push({
        ms: performance.now() - start,
        collected: rescan.stats.factsCollected,
        evaluated: rescan.stats.rulesEvaluated,
      });
    }
    rescanMs = {
      ms: median(samples.map((s) => s.ms)),
      collected: samples.at(-1).collected,
      evaluated: samples.at(-1).evaluated,
    };
  } finally {
    await transport.close();
  }

  const row = {
    target: label,
    rules: last.result.summary.total,
    facts: last.stats.factsPlanned,
    findMs: median(findMs),
    bareFindMs: median(bareFindMs),
    vouchMs: median(fullMs),
    ratio: median(fullMs) / median(findMs),
    withoutWalkMs: median(noWalkMs),
    rescanMs: rescanMs.ms,
    rescanFactsCollected: rescanMs.collected,
    rescanRulesEvaluated: rescanMs.evaluated,
    phases: last.result.summary.timings,
    collectMsByKind: last.stats.collectMsByKind,
  };
  return row;
}

const rows = [await measure('live machine', undefined)];
const hardened = join(fixtures, 'hardened');
if (existsSync(join(hardened, 'etc/os-release'))) rows.push(await measure('fixture (hardened)', hardened));
else console.error(`bench: no fixture at ${hardened}; run scripts/build-fixture.sh to include it`);

const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(
  '| target | rules | facts | find -perm -0002 -o -nouser | bare find | vouch full | vouch/find | vouch/bare find | without walk | rescan after 1 change |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.target} | ${row.rules} | ${row.facts} | ${fmt(row.findMs)} | ${fmt(row.bareFindMs)} | ${fmt(row.vouchMs)} | ${row.ratio.toFixed(2)}x | ${(row.vouchMs / row.bareFindMs).toFixed(2)}x | ${fmt(row.withoutWalkMs)} | ${row.rescanMs.toFixed(1)} ms (${row.rescanFactsCollected} facts, ${row.rescanRulesEvaluated} rules) |`,
  );
}
for (const row of rows) console.log(`${row.target} phases: ${JSON.stringify(row.phases)}`);
await writeFile(
  new URL('results.json', import.meta.url),
  `${JSON.stringify({ runs: RUNS, date: new Date().toISOString(), rows }, null, 2)}\n`,
);
