/**
 * Bad input on both backends: oversized bodies, malformed JSON, unknown fields, invalid cron
 * expressions, variable overrides outside their constraints. Each answer is a 4xx whose message
 * names the field, and nothing is stored (the tables are counted before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageBackends } from '../storage/backends.js';
import { type ApiHarness, openApi, tableCounts } from './harness.js';

const backends = await storageBackends();
const PROFILE = 'cis-debian12-level1-server';

describe.each(backends)('bad input on $name', (backend) => {
  let api: ApiHarness;
  let targetId: string;

  beforeAll(async () => {
    api = await openApi(backend);
    const target = await api.request('POST', '/api/v1/targets', {
      token: api.tokens.admin,
      body: { name: 'web-1' },
    });
    targetId = target.json().id;
  }, 60_000);
  afterAll(async () => {
    await api?.dispose();
  });

  const config = (over: Record<string, unknown>) => ({
    name: 'nightly',
    profileId: PROFILE,
    targetIds: [targetId],
    ...over,
  });

  const cases: Array<{
    name: string;
    method: 'POST' | 'PATCH';
    url: () => string;
    body?: () => unknown;
    payload?: () => string;
    status: number;
    message: string | RegExp;
  }> = [
    {
      name: 'an oversized body (413)',
      method: 'POST',
      url: () => '/api/v1/targets',
      payload: () => JSON.stringify({ name: 'big', labels: { blob: 'x'.repeat(1024 * 1024) } }),
      status: 413,
      message: 'request body is larger than 1048576 bytes',
    },
    {
      name: 'malformed JSON',
      method: 'POST',
      url: () => '/api/v1/targets',
      payload: () => '{"name": "web-2",',
      status: 400,
      message: 'body: malformed JSON',
    },
    {
      name: 'an unknown field',
      method: 'POST',
      url: () => '/api/v1/targets',
      body: () => ({ name: 'web-2', colour: 'red' }),
      status: 400,
      message: 'body.colour: unknown field',
    },
    {
      name: 'an unknown nested field',
      method: 'POST',
      url: () => '/api/v1/targets',
      body: () => ({ name: 'web-2', connection: { root: '/srv/root', port: 22 } }),
      status: 400,
      message: 'body.connection.port: unknown field',
    },
    {
      name: 'a wrong type',
      method: 'POST',
      url: () => '/api/v1/targets',
      body: () => ({ name: 42 }),
      status: 400,
      message: /^body\.name: /,
    },
    {
      name: 'an invalid cron expression',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ schedule: '61 * * * *' }),
      status: 400,
      message: /^schedule: invalid cron expression "61 \* \* \* \*"/,
    },
    {
      name: 'a variable above its maximum',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ variables: { sshd_max_auth_tries: 11 } }),
      status: 400,
      message: 'variables.sshd_max_auth_tries: must be <= 10',
    },
    {
      name: 'a variable of the wrong type',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ variables: { sshd_max_auth_tries: 'four' } }),
      status: 400,
      message: 'variables.sshd_max_auth_tries: expected a number, got string',
    },
    {
      name: 'a variable the profile does not have',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ variables: { no_such_var: 1 } }),
      status: 400,
      message: `variables.no_such_var: not a variable of profile "${PROFILE}"`,
    },
    {
      name: 'an unknown profile',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ profileId: 'nope' }),
      status: 400,
      message: /^profileId: unknown profile "nope"/,
    },
    {
      name: 'both targetIds and a label selector',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ labelSelector: { env: 'prod' } }),
      status: 400,
      message: /^targetIds: /,
    },
    {
      name: 'an unknown target in a scan configuration',
      method: 'POST',
      url: () => '/api/v1/scan-configs',
      body: () => config({ targetIds: ['01a21500-0000-7000-8000-000000000000'] }),
      status: 400,
      message: 'targetIds: unknown target 01a21500-0000-7000-8000-000000000000',
    },
    {
      name: 'a scan of an unknown target',
      method: 'POST',
      url: () => '/api/v1/scans',
      body: () => ({ targetId: '01a21500-0000-7000-8000-000000000000' }),
      status: 404,
      message: 'target not found',
    },
    {
      name: 'a scan with neither target nor configuration',
      method: 'POST',
      url: () => '/api/v1/scans',
      body: () => ({}),
      status: 400,
      message: 'body.targetId: give exactly one of targetId or scanConfigId',
    },
    {
      name: 'a user with a bad role',
      method: 'POST',
      url: () => '/api/v1/users',
      body: () => ({ email: 'x@example.com', role: 'root' }),
      status: 400,
      message: /^body\.role: /,
    },
    {
      name: 'a user with a too short password',
      method: 'POST',
      url: () => '/api/v1/users',
      body: () => ({ email: 'x@example.com', role: 'auditor', password: 'short' }),
      status: 400,
      message: /^password: /,
    },
    {
      name: 'a target update with an unknown field',
      method: 'PATCH',
      url: () => `/api/v1/targets/${targetId}`,
      body: () => ({ owner: 'me' }),
      status: 400,
      message: 'body.owner: unknown field',
    },
  ];

  it.each(cases)('rejects $name with nothing stored', async (c) => {
    const before = await tableCounts(api.storage);
    const res = await api.request(c.method, c.url(), {
      token: api.tokens.admin,
      ...(c.payload ? { payload: c.payload() } : { body: c.body?.() }),
    });
    expect(res.statusCode, res.body).toBe(c.status);
    const message = res.json().message as string;
    if (typeof c.message === 'string') expect(message).toBe(c.message);
    else expect(message).toMatch(c.message);
    expect(await tableCounts(api.storage)).toEqual(before);
  });

  it('rejects a variable update outside its constraints and keeps the stored configuration', async () => {
    const created = await api.request('POST', '/api/v1/scan-configs', {
      token: api.tokens.operator,
      body: config({ name: 'kept', variables: { sshd_max_auth_tries: 3 }, schedule: '0 1 * * *' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const before = await tableCounts(api.storage);
    const bad = await api.request('PATCH', `/api/v1/scan-configs/${id}`, {
      token: api.tokens.operator,
      body: { variables: { sshd_max_auth_tries: 0 }, schedule: 'every day' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^schedule: /);
    const bad2 = await api.request('PATCH', `/api/v1/scan-configs/${id}`, {
      token: api.tokens.operator,
      body: { variables: { sshd_max_auth_tries: 0 } },
    });
    expect(bad2.json().message).toBe('variables.sshd_max_auth_tries: must be >= 1');
    expect(await tableCounts(api.storage)).toEqual(before);
    const stored = await api.request('GET', `/api/v1/scan-configs/${id}`, { token: api.tokens.auditor });
    expect(stored.json()).toMatchObject({ variables: { sshd_max_auth_tries: 3 }, schedule: '0 1 * * *' });
  });

  it('rejects unknown query parameters and bad cursors', async () => {
    const unknown = await api.request('GET', '/api/v1/scans?sort=asc', { token: api.tokens.auditor });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe('querystring.sort: unknown field');
    const cursor = await api.request('GET', '/api/v1/scans?cursor=garbage', { token: api.tokens.auditor });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toEqual({ error: 'invalid', message: 'invalid cursor' });
    const limit = await api.request('GET', '/api/v1/scans?limit=501', { token: api.tokens.auditor });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().message).toMatch(/^querystring\.limit: /);
  });
});
