/**
 * Several server processes on one database: a scan queued while its agent is connected to ANOTHER
 * server process reaches the agent through that process's sweep (AgentHub.sweep), once. Two
 * server instances share the storage here, as two `vouch serve` processes share a PostgreSQL;
 * the agent side is a plain WebSocket client speaking protocol v1.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AGENT_SOCKET_PATH } from '../../../src/agent/protocol.js';
import { SessionTokens } from '../../../src/server/auth/sessions.js';
import { SecretBox } from '../../../src/server/crypto/secrets.js';
import { buildServer } from '../../../src/server/http/server.js';
import { storageBackends } from '../storage/backends.js';
import { type ApiHarness, openApi } from './harness.js';

const backends = await storageBackends();

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe.each(backends)('agent scan sweep on $name', (backend) => {
  let api: ApiHarness;
  let other: FastifyInstance;
  let socket: WebSocket | undefined;

  beforeAll(async () => {
    api = await openApi(backend);
    // The second "process": its own hub, same database, a short sweep interval.
    other = await buildServer({
      storage: api.storage,
      secrets: new SecretBox({ current: randomBytes(32), old: [] }),
      sessions: new SessionTokens(randomBytes(32)),
      agentSweepMs: 100,
    });
  }, 60_000);

  afterAll(async () => {
    socket?.terminate();
    await other?.close();
    await api?.dispose();
  });

  it('sends a scan queued through one server to the agent connected to the other, once', async () => {
    const enrollment = await api.request('POST', '/api/v1/agents/enrollment-tokens', {
      token: api.tokens.admin,
      body: {},
    });
    const enrolled = await api.request('POST', '/api/v1/agents/enroll', {
      body: { token: enrollment.json().token, name: 'swept-host', version: '0.1.0' },
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const { credential, targetId } = enrolled.json();

    const base = await other.listen({ host: '127.0.0.1', port: 0 });
    const received: Array<{ type: string; scanId?: string }> = [];
    socket = new WebSocket(`${base.replace(/^http/, 'ws')}${AGENT_SOCKET_PATH}`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    socket.on('message', (data) => received.push(JSON.parse(data.toString())));
    await new Promise((done, fail) => {
      socket!.once('open', done);
      socket!.once('error', fail);
    });
    socket.send(
      JSON.stringify({ v: 1, type: 'hello', version: '0.1.0', hostname: 'h', os: null, kernel: null }),
    );
    await waitFor(() => (other.deps.agents.isConnected(enrolled.json().agentId) ? true : undefined), 5_000);

    // Queued through the first server, whose hub has no connection to this agent: nothing is
    // sent from there; the other server's sweep finds the queued scan.
    const started = await api.request('POST', '/api/v1/scans', {
      token: api.tokens.operator,
      body: { targetId },
    });
    expect(started.statusCode, started.body).toBe(202);
    const scanId = started.json().id as string;
    expect(await api.app.deps.agents.dispatch(scanId)).toBe(false);

    const message = await waitFor(
      () => received.find((m) => m.type === 'scan' && m.scanId === scanId),
      5_000,
    );
    expect(message).toMatchObject({ v: 1, type: 'scan', scanId });
    expect((await api.storage.scans.get(scanId))?.status).toBe('running');

    // Running now: later sweeps leave it alone.
    await new Promise((done) => setTimeout(done, 400));
    expect(received.filter((m) => m.type === 'scan' && m.scanId === scanId)).toHaveLength(1);
  });
});
