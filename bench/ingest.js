#!/usr/bin/env node
/**
 * `npm run bench` (server): how fast the storage layer ingests agent uploads, and how fast the
 * dashboard answers over a realistic history, on SQLite and on PostgreSQL.
 *
 * - Ingest: AGENTS (default 20) simulated agents upload concurrently, each SCANS (default 25) scans
 *   of RESULTS (default 200) rule results through `scans.record` (the agent-upload method: scan row,
 *   results, idempotency key, one transaction). The results are a real scan of the Debian 12
 *   fixture when it is built (VOUCH_FIXTURES or fixtures/build/rootfs), else synthetic ones of the
 *   same evidence sizes. Reported: rule results/s over the wall time, p50/p95 per-scan latency.
 *   Each run starts from an empty database (SQLite: a file in a temp dir; PostgreSQL: a fresh
 *   database on PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards).
 * - Dashboard: TARGETS (default 1,000) targets x DAYS (default 30) daily scans of SEED_RESULTS
 *   (default RESULTS) results, seeded through the same ingest path, then QUERY_RUNS (default 100)
 *   times the dashboard query set (`dashboard.summary`: targets, average latest score, score
 *   distribution, recent activity, top failing rules) and a 30-day trend of one target
 *   (`dashboard.trend`, a different target each run). Reported: p50/p95/max per query. Then the
 *   same over HTTP: the real `vouch serve` app listening on loopback, an auditor's session token
 *   from POST /auth/login, QUERY_RUNS times `GET /api/v1/dashboard` with fetch (routing, auth,
 *   RBAC, validation, JSON serialisation and the socket included).
 *
 * Ingest figures are the median of RUNS runs (default 3). BACKENDS=sqlite,postgres selects the
 * backends, SKIP_DASHBOARD=1 the ingest part only. Results: stdout (tables) and
 * bench/ingest-results.json.
 *
 * The dashboard part takes a few minutes a backend and ~4.5 GB of disk at a time (each backend's
 * database is removed before the next); TARGETS/DAYS/SEED_RESULTS make it smaller.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const { openStorage } = await import(new URL('server/storage/index.js', dist).href);
const { buildServer } = await import(new URL('server/http/server.js', dist).href);
const { SecretBox } = await import(new URL('server/crypto/secrets.js', dist).href);
const { SessionTokens } = await import(new URL('server/auth/sessions.js', dist).href);
const { hashPassword } = await import(new URL('server/auth/passwords.js', dist).href);

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const RUNS = num('RUNS', 3);
const AGENTS = num('AGENTS', 20);
const SCANS = num('SCANS', 25);
const RESULTS = num('RESULTS', 200);
const TARGETS = num('TARGETS', 1000);
const DAYS = num('DAYS', 30);
const SEED_RESULTS = num('SEED_RESULTS', RESULTS);
const QUERY_RUNS = num('QUERY_RUNS', 100);
const BACKENDS = (process.env.BACKENDS ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const fixtures =
  process.env.VOUCH_FIXTURES ?? fileURLToPath(new URL('../fixtures/build/rootfs', import.meta.url));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

// ---------------------------------------------------------------------------------------------
// Sample results: a real scan when the fixture is there, else synthetic ones of the same shape.

const STATUSES = [
  'pass',
  'fail',
  'error',
  'unknown',
  'notapplicable',
  'notchecked',
  'notselected',
  'informational',
  'fixed',
];

async function realResults() {
  const root = join(fixtures, 'base');
  if (!existsSync(join(root, 'etc/os-release'))) return undefined;
  const { openScanSession, runSessionScan } = await import(new URL('scan/run-scan.js', dist).href);
  const { openTarget } = await import(new URL('targets/index.js', dist).href);
  const transport = await openTarget({ root });
  try {
    const { result } = await runSessionScan(await openScanSession({ transport }));
    return { source: `scan of ${root}`, result };
  } finally {
    await transport.close();
  }
}

/** Evidence of the sizes a real profile scan produces (median ~150, p90 ~320 bytes of JSON). */
function syntheticResult(i) {
  const status = i % 3 === 0 ? 'fail' : i % 9 === 0 ? 'notapplicable' : 'pass';
  const evidence = [
    {
      source: 'file',
      resource: `/etc/ssh/sshd_config.d/${i % 7}.conf`,
      line: i + 1,
      expected: 'PermitRootLogin no',
      found: status === 'fail' ? 'PermitRootLogin yes' : 'PermitRootLogin no',
    },
  ];
  if (i % 4 === 0)
    evidence.push({ source: 'package', resource: 'openssh-server', detail: 'x'.repeat(40 + (i % 200)) });
  return {
    ruleId: `xccdf_org.vouch_rule_${String(i).padStart(4, '0')}_sshd_disable_root_login`,
    title: `Rule ${i}: disable SSH root login`,
    severity: ['low', 'medium', 'high'][i % 3],
    status,
    message: status === 'fail' ? 'PermitRootLogin is yes, expected no' : 'ok',
    evidence,
    references: { cis: [`5.2.${i % 30}`], nist: ['AC-17', 'CM-6'] },
    durationMs: (i % 10) / 10,
    check: { type: 'file_line', version: 1 },
  };
}

function withResults(base, results) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const r of results) counts[r.status]++;
  const scored = counts.pass + counts.fail;
  const score = scored === 0 ? 100 : Math.round((1000 * counts.pass) / scored) / 10;
  return {
    ...base,
    summary: {
      ...base.summary,
      total: results.length,
      counts,
      score: { default: score, flat: score, flatUnweighted: score },
    },
    results,
  };
}

const real = await realResults().catch((err) => {
  console.error(`bench/ingest.js: fixture scan failed (${err.message}); using synthetic results`);
  return undefined;
});
/** RESULTS results: the real scan's, repeated with distinct rule ids if it has fewer. */
function sampleResult(i) {
  if (!real) return syntheticResult(i);
  const scanned = real.result.results;
  const r = scanned[i % scanned.length];
  return i < scanned.length ? r : { ...r, ruleId: `${r.ruleId}_${i}` };
}
const baseResults = Array.from({ length: RESULTS }, (_, i) => sampleResult(i));
const baseScan = real?.result ?? {
  schema: 'vouch.scan-result/v1',
  tool: { name: 'vouch', version: '0.1.0' },
  target: { kind: 'root', description: 'synthetic' },
  profile: { id: 'cis_debian12_level1_server', title: 'CIS Debian 12 Level 1 Server' },
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:02.500Z',
  variables: {},
  summary: {
    factsCollected: 150,
    factsFromCache: 0,
    timings: { loadMs: 30, planMs: 20, collectMs: 150, evaluateMs: 20, totalMs: 220 },
  },
  results: [],
};
const uploadScan = withResults(baseScan, baseResults);
const evidenceBytes = baseResults.map((r) => JSON.stringify(r.evidence).length);
const sample = {
  source: real?.source ?? 'synthetic',
  results: RESULTS,
  evidenceBytesMedian: median(evidenceBytes),
  evidenceBytesP90: quantile(evidenceBytes, 0.9),
  resultJsonBytesMean: Math.round(baseResults.reduce((n, r) => n + JSON.stringify(r).length, 0) / RESULTS),
};

// ---------------------------------------------------------------------------------------------
// Backends: a fresh database per use.

// Seeding stamps scans with the simulated day's time, across awaits (AsyncLocalStorage).
const simulatedNow = new AsyncLocalStorage();
const clock = () => new Date(simulatedNow.getStore() ?? Date.now());

async function pgAdmin(text) {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function freshStorage(kind) {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-ingest-'));
    const file = join(dir, 'vouch.db');
    const storage = openStorage({ kind: 'sqlite', file }, { clock });
    await storage.migrate();
    return {
      storage,
      size: async () =>
        (await stat(file)).size +
        (await stat(`${file}-wal`).then(
          (s) => s.size,
          () => 0,
        )),
      dispose: async () => {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  // Generated here, never from input.
  const name = `vouch_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`create database ${pg.escapeIdentifier(name)}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const storage = openStorage({ kind: 'postgres', url: url.toString() }, { clock });
  await storage.migrate();
  return {
    storage,
    size: async () => Number((await pgAdmin(`select pg_database_size('${name}') as n`)).rows[0].n),
    dispose: async () => {
      await storage.close();
      await pgAdmin(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    },
  };
}

async function pgReachable() {
  try {
    await pgAdmin('select 1');
    return undefined;
  } catch (err) {
    return err.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Ingest: AGENTS concurrent uploaders.

async function ingestRun(kind) {
  const { storage, dispose } = await freshStorage(kind);
  try {
    const org = await storage.organisations.create({ name: 'bench' });
    const targets = [];
    for (let a = 0; a < AGENTS; a++) {
      targets.push(await storage.targets.create({ orgId: org.id, kind: 'host', name: `agent-host-${a}` }));
    }
    const latencies = [];
    const start = performance.now();
    await Promise.all(
      targets.map(async (target, a) => {
        for (let k = 0; k < SCANS; k++) {
          const t0 = performance.now();
          const { created } = await storage.scans.record(
            {
              orgId: org.id,
              targetId: target.id,
              trigger: 'agent',
              idempotencyKey: `agent-${a}:upload-${k}`,
            },
            uploadScan,
          );
          latencies.push(performance.now() - t0);
          if (!created) throw new Error('bench: an upload was not stored');
        }
      }),
    );
    const wallMs = performance.now() - start;
    const stored = await storage.db
      .selectFrom('rule_results')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const expected = AGENTS * SCANS * RESULTS;
    if (Number(stored.n) !== expected)
      throw new Error(`bench: ${stored.n} rule results stored, expected ${expected}`);
    return {
      wallMs,
      resultsPerSecond: expected / (wallMs / 1000),
      p50Ms: quantile(latencies, 0.5),
      p95Ms: quantile(latencies, 0.95),
    };
  } finally {
    await dispose();
  }
}

async function ingest(kind) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await ingestRun(kind));
  return {
    backend: kind,
    agents: AGENTS,
    scansPerAgent: SCANS,
    resultsPerScan: RESULTS,
    resultsPerSecond: median(runs.map((r) => r.resultsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p95Ms: median(runs.map((r) => r.p95Ms)),
    runs,
  };
}

// ---------------------------------------------------------------------------------------------
// Dashboard: seed TARGETS x DAYS daily scans, then time the queries.

/** Deterministic pseudo-random in [0, 1) from integers (no Math.random: runs compare). */
function hash01(a, b, c) {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

const seedBase = baseResults.slice(0, SEED_RESULTS);
const DAY_MS = 86_400_000;

/** Target t on day d: each rule fails with the target's own rate, which improves a little daily. */
function seededScan(t, d, at) {
  const failRate = 0.05 + 0.5 * hash01(t, 0, 0) - d * 0.003;
  const results = seedBase.map((r, i) => ({
    ...r,
    status: hash01(t, i + 1, d) < failRate * (1 + (i % 5) / 5) ? 'fail' : 'pass',
  }));
  const iso = new Date(at).toISOString();
  return { ...withResults(baseScan, results), startedAt: iso, finishedAt: new Date(at + 2500).toISOString() };
}

/** GET /api/v1/dashboard through the real app on loopback, as an auditor would call it. */
async function dashboardOverHttp(storage, orgId) {
  const password = randomBytes(12).toString('hex');
  await storage.users.create({
    orgId,
    email: 'auditor@bench.example',
    name: 'bench-auditor',
    role: 'auditor',
    passwordHash: await hashPassword(password),
  });
  const app = await buildServer({
    storage,
    secrets: new SecretBox({ current: randomBytes(32), old: [] }),
    sessions: new SessionTokens(randomBytes(32)),
    rateLimit: { max: 1_000_000, loginMax: 100 },
  });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-auditor', password }),
    });
    if (!login.ok) throw new Error(`bench: login answered ${login.status}`);
    const { token } = await login.json();
    const times = [];
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/dashboard`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      times.push(performance.now() - t0);
      if (res.status !== 200 || body.targets !== TARGETS) {
        throw new Error(`bench: GET /dashboard answered ${res.status} with ${body.targets} targets`);
      }
    }
    return times;
  } finally {
    await app.close();
  }
}

async function dashboardBench(kind) {
  const { storage, size, dispose } = await freshStorage(kind);
  try {
    const org = await storage.organisations.create({ name: 'bench' });
    const targets = [];
    for (let t = 0; t < TARGETS; t++) {
      targets.push(
        await storage.targets.create({
          orgId: org.id,
          kind: 'host',
          name: `host-${String(t).padStart(5, '0')}`,
        }),
      );
    }
    const firstDay = Date.parse(new Date(Date.now() - (DAYS - 1) * DAY_MS).toISOString().slice(0, 10));
    // PostgreSQL gains from parallel sessions; SQLite has one writer (more would only queue).
    const workers = kind === 'postgres' ? Math.max(4, cpus().length * 2) : 1;
    const seedStart = performance.now();
    for (let d = 0; d < DAYS; d++) {
      let next = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let t = next++; t < TARGETS; t = next++) {
            const at = firstDay + d * DAY_MS + Math.floor((t / TARGETS) * (DAY_MS - 60_000));
            await simulatedNow.run(at, () =>
              storage.scans.record(
                { orgId: org.id, targetId: targets[t].id, trigger: 'schedule' },
                seededScan(t, d, at),
              ),
            );
          }
        }),
      );
    }
    const seedMs = performance.now() - seedStart;
    // What autovacuum / `PRAGMA optimize` do on a live server: planner statistics (and on
    // PostgreSQL the visibility map that lets index-only scans skip the heap).
    await (kind === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(storage.db);

    const summaryMs = [];
    const trendMs = [];
    let last;
    let lastTrend;
    for (let i = 0; i < QUERY_RUNS; i++) {
      let t0 = performance.now();
      last = await storage.dashboard.summary(org.id);
      summaryMs.push(performance.now() - t0);
      t0 = performance.now();
      lastTrend = await storage.dashboard.trend(targets[(i * 7919) % TARGETS].id, { days: 30 });
      trendMs.push(performance.now() - t0);
    }
    if (last.targets !== TARGETS || last.scannedTargets !== TARGETS) {
      throw new Error(`bench: dashboard saw ${last.targets} targets, ${last.scannedTargets} scanned`);
    }
    if (lastTrend.filter((p) => p.scans > 0).length < Math.min(DAYS, 30) - 1) {
      throw new Error(`bench: trend has ${lastTrend.filter((p) => p.scans > 0).length} days with scans`);
    }
    const stats = (ms) => ({ p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), maxMs: Math.max(...ms) });
    const httpMs = await dashboardOverHttp(storage, org.id);
    return {
      backend: kind,
      targets: TARGETS,
      days: DAYS,
      scans: TARGETS * DAYS,
      ruleResults: TARGETS * DAYS * SEED_RESULTS,
      seedSeconds: seedMs / 1000,
      seedResultsPerSecond: (TARGETS * DAYS * SEED_RESULTS) / (seedMs / 1000),
      databaseBytes: await size(),
      summary: stats(summaryMs),
      trend: stats(trendMs),
      http: stats(httpMs),
      example: {
        averageScore: last.averageScore,
        scoreDistribution: last.scoreDistribution,
        topFailingRule: last.topFailingRules[0],
      },
    };
  } finally {
    await dispose();
  }
}

// ---------------------------------------------------------------------------------------------

const pgProblem = BACKENDS.includes('postgres') ? await pgReachable() : undefined;
if (pgProblem)
  console.error(`bench/ingest.js: PostgreSQL not reachable at ${PG_URL} (${pgProblem}); SQLite only`);
const backends = BACKENDS.filter((b) => b === 'sqlite' || (b === 'postgres' && !pgProblem));

const ingestRows = [];
const dashboardRows = [];
for (const kind of backends) {
  const row = await ingest(kind);
  ingestRows.push(row);
  console.error(`bench/ingest.js: ${kind} ingest ${Math.round(row.resultsPerSecond)} results/s`);
  if (process.env.SKIP_DASHBOARD !== '1') {
    const dash = await dashboardBench(kind);
    dashboardRows.push(dash);
    console.error(
      `bench/ingest.js: ${kind} dashboard seeded in ${Math.round(dash.seedSeconds)} s, summary p95 ${dash.summary.p95Ms.toFixed(1)} ms`,
    );
  }
}

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(1)} ms`;
console.log(
  `\ningest: ${AGENTS} agents x ${SCANS} scans x ${RESULTS} results (${sample.source}), median of ${RUNS} runs`,
);
console.log('| backend | rule results/s | p50 per scan | p95 per scan | goal (SQLite) |');
console.log('|---|---|---|---|---|');
for (const r of ingestRows) {
  console.log(
    `| ${r.backend} | ${int(r.resultsPerSecond)} | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${r.backend === 'sqlite' ? (r.resultsPerSecond >= 50_000 ? '>= 50,000: met' : '>= 50,000: NOT met') : '-'} |`,
  );
}
if (dashboardRows.length > 0) {
  console.log(
    `\ndashboard: ${TARGETS} targets x ${DAYS} days x ${SEED_RESULTS} results, ${QUERY_RUNS} runs each`,
  );
  console.log(
    '| backend | seeded (results/s) | database | summary p50 | summary p95 | trend p50 | trend p95 | GET /dashboard p50 (HTTP) | GET /dashboard p95 (HTTP) | goal p95 < 100 ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of dashboardRows) {
    const met = r.summary.p95Ms < 100 && r.trend.p95Ms < 100 && r.http.p95Ms < 100;
    console.log(
      `| ${r.backend} | ${int(r.ruleResults)} in ${r.seedSeconds.toFixed(0)} s (${int(r.seedResultsPerSecond)}/s) | ${(r.databaseBytes / 2 ** 30).toFixed(2)} GiB | ${ms(r.summary.p50Ms)} | ${ms(r.summary.p95Ms)} | ${ms(r.trend.p50Ms)} | ${ms(r.trend.p95Ms)} | ${ms(r.http.p50Ms)} | ${ms(r.http.p95Ms)} | ${met ? 'met' : 'NOT met'} |`,
    );
  }
}
await writeFile(
  new URL('ingest-results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, cpus: cpus().length, sample, ingest: ingestRows, dashboard: dashboardRows }, null, 2)}\n`,
);
