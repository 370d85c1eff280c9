/**
 * The RBAC walk (issue 5): EVERY route of the API, for every role (admin, operator, auditor), an
 * operator-role API key, without a token, and with another organisation's admin token. Expectations are written out per
 * route (not derived from the RBAC table), and the walk checks that it covers every route the
 * server registers (from its OpenAPI document), so a new route without a row here fails the test.
 * Each call gets fresh resources, so destructive routes do not change what the next call sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/index.js';
import { storageBackends } from '../storage/backends.js';
import { scanResult } from '../storage/fixtures.js';
import { type ApiHarness, openApi, ROLE_NAMES, type RoleName } from './harness.js';

const backends = await storageBackends();

/** `operatorKey`: an API key with the operator role, made by the operator. */
type Caller = RoleName | 'operatorKey' | 'none' | 'otherOrg';
const CALLERS: Caller[] = [...ROLE_NAMES, 'operatorKey', 'none', 'otherOrg'];

interface Fixture {
  targetId: string;
  scanId: string;
  scanConfigId: string;
  /** An API key of the calling role's user (of org A's admin for callers outside org A). */
  apiKeyId: string;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI path, to check coverage. */
  path: string;
  url: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Roles of organisation A that may call it, and the status they get. */
  allowed: readonly RoleName[];
  ok: number;
  /** What another organisation's admin gets: 404 for org A's rows, success for own-org lists/creates. */
  otherOrg: number;
}

const ALL = ROLE_NAMES;
const WRITERS = ['admin', 'operator'] as const;
const ADMIN = ['admin'] as const;

const ROUTES: RouteCase[] = [
  {
    method: 'GET',
    path: '/api/v1/users',
    url: () => '/api/v1/users',
    allowed: ADMIN,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    url: () => '/api/v1/users',
    body: () => ({ email: `u-${Math.random().toString(36).slice(2)}@example.com`, role: 'auditor' }),
    allowed: ADMIN,
    ok: 201,
    otherOrg: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/api-keys',
    url: () => '/api/v1/api-keys',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/api-keys',
    url: () => '/api/v1/api-keys',
    body: () => ({ name: 'k', role: 'auditor' }),
    allowed: ALL,
    ok: 201,
    otherOrg: 201,
  },
  {
    method: 'DELETE',
    path: '/api/v1/api-keys/{id}',
    url: (f) => `/api/v1/api-keys/${f.apiKeyId}`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'GET',
    path: '/api/v1/targets',
    url: () => '/api/v1/targets',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/targets',
    url: () => '/api/v1/targets',
    body: () => ({ name: `t-${Math.random().toString(36).slice(2)}` }),
    allowed: WRITERS,
    ok: 201,
    otherOrg: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/targets/{id}',
    url: (f) => `/api/v1/targets/${f.targetId}`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'PATCH',
    path: '/api/v1/targets/{id}',
    url: (f) => `/api/v1/targets/${f.targetId}`,
    body: () => ({ labels: { env: 'test' } }),
    allowed: WRITERS,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'DELETE',
    path: '/api/v1/targets/{id}',
    url: (f) => `/api/v1/targets/${f.targetId}`,
    allowed: WRITERS,
    ok: 204,
    otherOrg: 404,
  },
  {
    method: 'GET',
    path: '/api/v1/targets/{id}/trend',
    url: (f) => `/api/v1/targets/${f.targetId}/trend?days=3`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'POST',
    path: '/api/v1/agents/enrollment-tokens',
    url: () => '/api/v1/agents/enrollment-tokens',
    body: () => ({}),
    allowed: ADMIN,
    ok: 201,
    otherOrg: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/agents',
    url: () => '/api/v1/agents',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/scan-configs',
    url: () => '/api/v1/scan-configs',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/scan-configs',
    url: () => '/api/v1/scan-configs',
    body: () => ({
      name: `c-${Math.random().toString(36).slice(2)}`,
      profileId: 'cis-debian12-level1-server',
      labelSelector: { env: 'prod' },
    }),
    allowed: WRITERS,
    ok: 201,
    otherOrg: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/scan-configs/{id}',
    url: (f) => `/api/v1/scan-configs/${f.scanConfigId}`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'PATCH',
    path: '/api/v1/scan-configs/{id}',
    url: (f) => `/api/v1/scan-configs/${f.scanConfigId}`,
    body: () => ({ schedule: '*/30 * * * *' }),
    allowed: WRITERS,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'DELETE',
    path: '/api/v1/scan-configs/{id}',
    url: (f) => `/api/v1/scan-configs/${f.scanConfigId}`,
    allowed: WRITERS,
    ok: 204,
    otherOrg: 404,
  },
  {
    method: 'POST',
    path: '/api/v1/scans',
    url: () => '/api/v1/scans',
    body: (f) => ({ targetId: f.targetId }),
    allowed: WRITERS,
    ok: 202,
    otherOrg: 404,
  },
  { method: 'GET', path: '/api/v1/scans', url: () => '/api/v1/scans', allowed: ALL, ok: 200, otherOrg: 200 },
  {
    method: 'GET',
    path: '/api/v1/scans/{id}',
    url: (f) => `/api/v1/scans/${f.scanId}`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'POST',
    path: '/api/v1/scans/{id}/cancel',
    url: (f) => `/api/v1/scans/${f.scanId}/cancel`,
    allowed: WRITERS,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'GET',
    path: '/api/v1/scans/{id}/results',
    url: (f) => `/api/v1/scans/${f.scanId}/results?status=fail`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'GET',
    path: '/api/v1/scans/{id}/report',
    url: (f) => `/api/v1/scans/${f.scanId}/report?format=sarif`,
    allowed: ALL,
    ok: 200,
    otherOrg: 404,
  },
  {
    method: 'GET',
    path: '/api/v1/dashboard',
    url: () => '/api/v1/dashboard',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  // The RBAC table (src/server/auth/rbac.ts) gives every role audit:read, operators included.
  { method: 'GET', path: '/api/v1/audit', url: () => '/api/v1/audit', allowed: ALL, ok: 200, otherOrg: 200 },
  {
    method: 'GET',
    path: '/api/v1/rules',
    url: () => '/api/v1/rules?q=sshd',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/rules/{id}',
    url: () => '/api/v1/rules/sshd-max-auth-tries',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/profiles',
    url: () => '/api/v1/profiles',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/profiles/{id}',
    url: () => '/api/v1/profiles/cis-debian12-level1-server',
    allowed: ALL,
    ok: 200,
    otherOrg: 200,
  },
];

/** Reachable without credentials by design. */
const PUBLIC_ROUTES = [
  'POST /api/v1/auth/login',
  'POST /api/v1/agents/enroll',
  'GET /health',
  'GET /metrics',
];

async function freshFixture(api: ApiHarness, caller: Caller): Promise<Fixture> {
  const storage: Storage = api.storage;
  const suffix = Math.random().toString(36).slice(2);
  const target = await storage.targets.create({
    orgId: api.orgId,
    kind: 'host',
    name: `target-${suffix}`,
    labels: { env: 'prod' },
  });
  const { scan } = await storage.scans.record(
    { orgId: api.orgId, targetId: target.id, trigger: 'agent' },
    scanResult(5),
  );
  // A running scan can be cancelled; the completed one above serves results and reports.
  const running = await storage.scans.create({ orgId: api.orgId, targetId: target.id, trigger: 'manual' });
  await storage.scans.updateStatus(running.id, 'running');
  const config = await api.request('POST', '/api/v1/scan-configs', {
    token: api.tokens.admin,
    body: { name: `config-${suffix}`, profileId: 'cis-debian12-level1-server', targetIds: [target.id] },
  });
  if (config.statusCode !== 201) throw new Error(config.body);
  const keyOwner =
    caller === 'admin' || caller === 'operator' || caller === 'auditor'
      ? caller
      : caller === 'operatorKey'
        ? 'operator'
        : 'admin';
  const key = await api.request('POST', '/api/v1/api-keys', {
    token: api.tokens[keyOwner],
    body: { name: `key-${suffix}` },
  });
  if (key.statusCode !== 201) throw new Error(key.body);
  return {
    targetId: target.id,
    scanId: scan.id,
    scanConfigId: config.json().id,
    apiKeyId: key.json().id,
    ...{ running: running.id },
  };
}

describe.each(backends)('RBAC walk on $name', (backend) => {
  let api: ApiHarness;
  let operatorKey: string;

  beforeAll(async () => {
    api = await openApi(backend);
    const key = await api.request('POST', '/api/v1/api-keys', {
      token: api.tokens.operator,
      body: { name: 'walker' },
    });
    operatorKey = key.json().token;
  }, 60_000);
  afterAll(async () => {
    await api?.dispose();
  });

  it('covers every route the server registers', async () => {
    const doc = (await api.request('GET', '/api/docs')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const registered = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const walked = [...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC_ROUTES];
    expect(registered.sort()).toEqual([...new Set(walked)].sort());
  });

  it.each(ROUTES)('$method $path', async (route) => {
    const answers: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of CALLERS) {
      const fixture = await freshFixture(api, caller);
      // The cancel route needs a scan that is still running.
      const f =
        route.path === '/api/v1/scans/{id}/cancel'
          ? { ...fixture, scanId: (fixture as Fixture & { running: string }).running }
          : fixture;
      const token =
        caller === 'none'
          ? null
          : caller === 'otherOrg'
            ? api.tokens.otherAdmin
            : caller === 'operatorKey'
              ? operatorKey
              : api.tokens[caller];
      const url = route.url(f);
      const body = route.body?.(f);
      const res = await api.request(route.method, url, { token, ...(body !== undefined ? { body } : {}) });
      answers[caller] = res.statusCode;
      const role = caller === 'operatorKey' ? 'operator' : caller;
      expected[caller] =
        caller === 'none'
          ? 401
          : caller === 'otherOrg'
            ? route.otherOrg
            : // A key acts with its role, except that keys never manage keys (a leaked key
              // must not mint a successor that survives its revocation).
              caller === 'operatorKey' && route.path.startsWith('/api/v1/api-keys')
              ? 403
              : (route.allowed as readonly string[]).includes(role)
                ? route.ok
                : 403;
      if (caller === 'otherOrg') {
        // Whatever it answers, another organisation never sees organisation A's rows (an id it
        // sent itself may be echoed in a "not found").
        const sent = url + JSON.stringify(body ?? null);
        for (const id of [f.targetId, f.scanId, f.scanConfigId, f.apiKeyId]) {
          if (!sent.includes(id)) expect(res.body).not.toContain(id);
        }
      }
    }
    expect(answers).toEqual(expected);
  });

  it('an auditor cannot start a scan, and nothing is stored', async () => {
    const f = await freshFixture(api, 'auditor');
    const before = await api.storage.db.selectFrom('jobs').select('id').execute();
    const res = await api.request('POST', '/api/v1/scans', {
      token: api.tokens.auditor,
      body: { targetId: f.targetId },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'forbidden', message: 'your role does not allow this' });
    expect(await api.storage.db.selectFrom('jobs').select('id').execute()).toEqual(before);
  });
});
