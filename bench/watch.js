#!/usr/bin/env node
/**
 * `npm run bench` (drift detection): how fast `vouch watch` turns a change on disk into an alert, and
 * what it costs while nothing happens.
 *
 * - A copy of the hardened Debian 12 fixture (VOUCH_FIXTURES or fixtures/build/rootfs) is watched
 *   with the default settings (100 ms debounce, 30 s poll sweep).
 * - A minimal webhook channel (a DriftSink POSTing the event as JSON with fetch) delivers to an
 *   HTTP receiver on 127.0.0.1 started here.
 * - CHANGES (default 100) changes, one at a time, cycling through four kinds, each breaking then
 *   restoring one rule: chmod of /etc/shadow, sshd_config replaced by rename, a sysctl.d drop-in
 *   created/removed, a telnetd stanza added to /var/lib/dpkg/status (replaced by rename, as dpkg does).
 *   Latency = receiver's arrival time of the POST - time just before the write; p50, p99, max.
 * - Idle CPU: process.cpuUsage over IDLE_MS (default 30 s, one whole poll interval, so the sweep's
 *   cost is included) after the last change, as % of one core.
 *
 * Everything stays on loopback and in a temporary directory. Results: stdout and bench/watch-results.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { startWatch } = await import(new URL('watch/index.js', dist).href);

const CHANGES = Number(process.env.CHANGES ?? 100);
const IDLE_MS = Number(process.env.IDLE_MS ?? 30_000);
const TIMEOUT_MS = 5000;
const fixtures =
  process.env.VOUCH_FIXTURES ?? fileURLToPath(new URL('../fixtures/build/rootfs', import.meta.url));
const hardened = join(fixtures, 'hardened');
if (!existsSync(join(hardened, 'etc/os-release'))) {
  console.log(`bench/watch.js: no fixture at ${hardened} (scripts/build-fixture.sh builds it); skipped`);
  process.exit(0);
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

// The receiver: resolves the waiter of each delivered event at the moment its body has arrived.
const waiters = [];
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const arrivedAt = performance.now();
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(204).end();
    const index = waiters.findIndex((w) => w.ruleId === event.rule.id && w.kind === event.kind);
    if (index >= 0) waiters.splice(index, 1)[0].resolve(arrivedAt);
    else unexpected.push(`${event.kind} ${event.rule.id}`);
  });
});
const unexpected = [];
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/hook`;

/** The smallest webhook channel: one POST per event, no retries (the alert channels add those). */
const webhook = {
  name: `webhook ${url}`,
  async deliver(event) {
    event.timestamps.alertSentAt = new Date().toISOString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  },
};

const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-watch-'));
const root = join(dir, 'rootfs');
execFileSync('cp', ['-a', hardened, root]);
const at = (path) => join(root, path);

async function replaceFile(path, text) {
  const stats = await stat(path);
  const temp = `${path}.vouch-new`;
  await writeFile(temp, text);
  await chmod(temp, stats.mode & 0o7777);
  await chown(temp, stats.uid, stats.gid).catch(() => {});
  await rename(temp, path);
}

const sshd = await readFile(at('etc/ssh/sshd_config'), 'utf8');
const dpkg = await readFile(at('var/lib/dpkg/status'), 'utf8');
const telnetd =
  'Package: telnetd\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.17+2.4-2+deb12u1\n';
const KINDS = [
  {
    name: 'chmod /etc/shadow',
    ruleId: 'file-perm-etc-shadow',
    break: () => chmod(at('etc/shadow'), 0o644),
    restore: () => chmod(at('etc/shadow'), 0o640),
  },
  {
    name: 'sshd_config rename-replace',
    ruleId: 'sshd-permit-root-login-disabled',
    break: () => replaceFile(at('etc/ssh/sshd_config'), `PermitRootLogin yes\n${sshd}`),
    restore: () => replaceFile(at('etc/ssh/sshd_config'), sshd),
  },
  {
    name: 'sysctl.d drop-in',
    ruleId: 'sysctl-net-ipv4-ip-forward',
    break: () => writeFile(at('etc/sysctl.d/99-x.conf'), 'net.ipv4.ip_forward=1\n'),
    restore: () => unlink(at('etc/sysctl.d/99-x.conf')),
  },
  {
    name: 'dpkg status (package install)',
    ruleId: 'pkg-telnet-server-absent',
    break: () => replaceFile(at('var/lib/dpkg/status'), `${dpkg.trimEnd()}\n\n${telnetd}`),
    restore: () => replaceFile(at('var/lib/dpkg/status'), dpkg),
  },
];

const watch = startWatch({ root, sinks: [webhook] });
const warnings = [];
watch.on('warning', (message) => warnings.push(message));
const readyStart = performance.now();
const ready = await watch.ready;
const readyMs = performance.now() - readyStart;
console.log(
  `watching ${root}: ${ready.result.results.length} rules, ${ready.sourcePaths} source paths in ` +
    `${ready.watchedDirs} directories (ready in ${readyMs.toFixed(0)} ms)`,
);

const latencies = [];
const samples = [];
const byKind = Object.fromEntries(KINDS.map((k) => [k.name, []]));
for (let i = 0; i < CHANGES; i++) {
  const kind = KINDS[Math.floor(i / 2) % KINDS.length];
  const breaking = i % 2 === 0;
  const arrived = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`change ${i} (${kind.name}): no alert in ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
    waiters.push({
      ruleId: kind.ruleId,
      kind: breaking ? 'drift' : 'resolved',
      resolve: (t) => {
        clearTimeout(timer);
        resolve(t);
      },
    });
  });
  const start = performance.now();
  await (breaking ? kind.break() : kind.restore());
  const latency = (await arrived) - start;
  latencies.push(latency);
  byKind[kind.name].push(latency);
  samples.push({ change: i, kind: kind.name, ms: Math.round(latency) });
  // Let the watcher finish with this change so the next measurement starts from quiet.
  await watch.settled();
}

const sorted = [...latencies].sort((a, b) => a - b);
const latency = {
  changes: latencies.length,
  p50Ms: quantile(sorted, 0.5),
  p99Ms: quantile(sorted, 0.99),
  maxMs: sorted.at(-1),
  slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5),
  byKindP50Ms: Object.fromEntries(
    Object.entries(byKind).map(([name, values]) => [
      name,
      quantile(
        [...values].sort((a, b) => a - b),
        0.5,
      ),
    ]),
  ),
};

// Idle: nothing changes; the only work is the poll sweep (every 30 s by default).
const sweeps = [];
watch.on('rescan', (info) => {
  if (info.reasons.includes('poll')) sweeps.push(info.durationMs);
});
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
const cpu = process.cpuUsage(cpuStart);
const wallMs = performance.now() - wallStart;
const idle = {
  windowMs: Math.round(wallMs),
  cpuMs: (cpu.user + cpu.system) / 1000,
  cpuPercentOfOneCore: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  pollSweeps: sweeps.length,
  pollSweepMs: sweeps,
};

await watch.stop();
server.close();
await rm(dir, { recursive: true, force: true });

const f = (ms) => `${ms.toFixed(0)} ms`;
console.log(`\nwrite -> webhook delivered, ${latency.changes} changes (debounce 100 ms included):`);
console.log(
  `  p50 ${f(latency.p50Ms)}   p99 ${f(latency.p99Ms)}   max ${f(latency.maxMs)}   (goal: p99 < 1000 ms)`,
);
for (const [name, p50] of Object.entries(latency.byKindP50Ms))
  console.log(`  p50 ${f(p50).padStart(7)}  ${name}`);
console.log(
  `idle CPU over ${(idle.windowMs / 1000).toFixed(0)} s: ${idle.cpuMs.toFixed(0)} ms = ` +
    `${idle.cpuPercentOfOneCore.toFixed(3)} % of one core (${idle.pollSweeps} poll sweep(s)) (goal: < 1 %)`,
);
if (unexpected.length > 0) console.log(`unexpected alerts: ${unexpected.join(', ')}`);
if (warnings.length > 0) console.log(`warnings: ${warnings.join('; ')}`);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  readyMs,
  latency,
  idle,
  unexpectedAlerts: unexpected,
};
await writeFile(new URL('watch-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
if (unexpected.length > 0) process.exitCode = 1;
