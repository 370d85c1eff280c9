/**
 * The server as it runs: `startServer` (what `vouch serve` calls) listening on 127.0.0.1:0 over
 * real HTTP on SQLite and on PostgreSQL (DATABASE_URL), first-start admin creation, a scan run by
 * the real worker, graceful close; plus the error handler's 500s, log redaction and rate limits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../src/server/http/runtime.js';
import { makeTree, removeTree } from '../../../src/targets/temp-tree.js';
import { storageBackends } from '../storage/backends.js';
import { type ApiHarness, openApi, PASSWORD } from './harness.js';

const backends = await storageBackends();
const ADMIN_URL = process.env.VOUCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Environment for one server run: SQLite in the data dir, or a fresh PostgreSQL database. */
async function serverEnv(
  kind: 'sqlite' | 'postgres',
): Promise<{ env: NodeJS.ProcessEnv; dispose: () => Promise<void> }> {
  if (kind === 'sqlite') return { env: {}, dispose: async () => {} };
  const name = `vouch_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const quoted = pg.escapeIdentifier(name);
  await adminQuery(`create database ${quoted}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    dispose: () => adminQuery(`drop database if exists ${quoted} with (force)`),
  };
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

describe.each(backends)('vouch serve runtime on $name', (backend) => {
  let dataDir: string;
  let db: Awaited<ReturnType<typeof serverEnv>>;
  let root: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vouch-serve-'));
    db = await serverEnv(backend.name);
    root = await makeTree({
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    });
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(dataDir, { recursive: true, force: true });
    if (root) await removeTree(root);
  });

  it('first start prints a generated admin password once; it logs in over real HTTP and a scan runs', async () => {
    const printed: string[] = [];
    let server: RunningServer | undefined = await startServer({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      env: db.env,
      print: (line) => printed.push(line),
      logger: false,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(printed).toHaveLength(1);
      const password = /with password (\S+) \(shown once/.exec(printed[0]!)?.[1];
      expect(password).toHaveLength(24);
      expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
      if (backend.name === 'sqlite') expect((await stat(join(dataDir, 'vouch.db'))).isFile()).toBe(true);

      const health = await call(server.url, 'GET', '/health');
      expect(health.json()).toMatchObject({ status: 'ok', storage: { dialect: backend.name, ok: true } });
      const login = await call(server.url, 'POST', '/api/v1/auth/login', undefined, {
        username: 'admin',
        password,
      });
      expect(login.status).toBe(200);
      const token = login.json().token as string;

      const target = await call(server.url, 'POST', '/api/v1/targets', token, {
        name: 'box',
        connection: { root },
      });
      expect(target.status, target.text).toBe(201);
      const started = await call(server.url, 'POST', '/api/v1/scans', token, { targetId: target.json().id });
      expect(started.status).toBe(202);
      await server.worker.drain();
      const scan = await call(server.url, 'GET', `/api/v1/scans/${started.json().id}`, token);
      expect(scan.json()).toMatchObject({ status: 'completed' });
      const html = await call(
        server.url,
        'GET',
        `/api/v1/scans/${started.json().id}/report?format=html`,
        token,
      );
      expect(html.headers.get('content-type')).toContain('text/html');

      // The maintenance schedules are registered at start.
      const metrics = await call(server.url, 'GET', '/metrics');
      expect(metrics.text).toContain('vouch_scans{status="completed"} 1');

      await server.close();
      // Closed means closed: the port no longer answers.
      await expect(fetch(new URL('/health', server.url))).rejects.toThrow();

      // A second start on the same database creates no admin and prints nothing.
      printed.length = 0;
      server = await startServer({
        host: '127.0.0.1',
        port: 0,
        dataDir,
        env: db.env,
        print: (l) => printed.push(l),
        logger: false,
      });
      expect(printed).toEqual([]);
      const again = await call(server.url, 'POST', '/api/v1/auth/login', undefined, {
        username: 'admin',
        password,
      });
      expect(again.status).toBe(200);
    } finally {
      await server?.close();
    }
  }, 120_000);
});

describe('server behaviour (SQLite)', () => {
  const sqlite = backends.find((b) => b.name === 'sqlite')!;
  let api: ApiHarness;
  const logLines: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    api = await openApi(
      sqlite,
      { logger: { level: 'info', stream }, rateLimit: { max: 100_000, loginMax: 8 } },
      (app) => {
        app.get('/boom', { config: { public: true } }, async () => {
          throw new Error('connect ECONNREFUSED postgres://vouch:hunter2@db/prod');
        });
      },
    );
  }, 60_000);
  afterAll(async () => {
    await api?.dispose();
  });

  it('answers an unexpected error with a 500 carrying only the request id, and logs it', async () => {
    const res = await api.request('GET', '/boom');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({
      error: 'internal',
      message: 'internal server error',
      requestId: expect.any(String),
    });
    expect(res.body).not.toContain('hunter2');
    const logged = logLines.filter((l) => l.includes(body.requestId));
    expect(logged.some((l) => l.includes('unhandled error'))).toBe(true);
  });

  it('never logs passwords, tokens or authorization headers', async () => {
    const login = await api.request('POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: PASSWORD },
    });
    const token = login.json().token as string;
    await api.request('GET', '/api/v1/targets', { token });
    api.app.log.info(
      {
        headers: { authorization: `Bearer ${token}` },
        body: { password: PASSWORD, token, variables: { secret: 'x' } },
      },
      'redaction probe',
    );
    const text = logLines.join('');
    expect(text).toContain('redaction probe');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(token);
  });

  it('rate-limits logins per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await api.request('POST', '/api/v1/auth/login', {
        body: { username: 'nobody', password: 'wrong password' },
        headers: { 'x-test': String(i) },
      });
      statuses.push(res.statusCode);
    }
    // 8 a minute, two were used by the harness and the redaction test already.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 401)).toBe(true);
    const limited = await api.request('POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: PASSWORD },
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe('rate_limited');
  });

  it('protects /metrics with a bearer token when one is configured', async () => {
    const guarded = await openApi(sqlite, { metricsToken: 'scrape-me-please' });
    try {
      expect((await guarded.request('GET', '/metrics')).statusCode).toBe(401);
      expect((await guarded.request('GET', '/metrics', { token: 'wrong' })).statusCode).toBe(401);
      const ok = await guarded.request('GET', '/metrics', { token: 'scrape-me-please' });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('vouch_agents_connected 0');
    } finally {
      await guarded.dispose();
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.request('GET', '/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /api/v1/nope' });
  });
});
