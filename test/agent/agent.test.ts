/**
 * `vouch agent` end to end (issue 5, "Agents"): real agent processes against a real server on
 * 127.0.0.1 (in this process, startServer), on SQLite and on PostgreSQL (skipped locally when
 * PostgreSQL is not reachable). Agents scan the fixture root filesystems (read-only) via --root.
 *
 * - two agents with different roots enroll; a scan started through the API for each agent's
 *   target runs on that agent and its result comes back through the API;
 * - a later start reuses the stored credential (0600) and needs no token;
 * - an agent cannot upload a result for another agent's scan; a revoked credential is refused;
 * - spool: the server goes away while an agent scans; the result is spooled, and arrives exactly
 *   once when the server is back on the same database; the spool is then empty.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AGENT_SOCKET_PATH, CLOSE_FORBIDDEN, CLOSE_REVOKED } from '../../src/agent/protocol.js';
import { type RunningServer, startServer } from '../../src/server/http/runtime.js';
import { Api, type Child, fixtureRoot, freshPostgres, PASSWORD, spawnVouch, until } from './helpers.js';

const base = fixtureRoot('base');
const hardened = fixtureRoot('hardened');
const children: Child[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function serve(dataDir: string, env: NodeJS.ProcessEnv, port = 0): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1',
    port,
    dataDir,
    env: { VOUCH_ADMIN_PASSWORD: PASSWORD, ...env },
    logger: false,
    print: () => undefined,
    worker: { pollMs: 50 },
    shutdownTimeoutMs: 5_000,
  });
}

function agent(url: string, stateDir: string, root: string, extra: string[] = []): Child {
  const child = spawnVouch(['agent', '--server', url, '--state-dir', stateDir, '--root', root, ...extra]);
  children.push(child);
  return child;
}

async function ruleResultCount(server: RunningServer, scanId: string): Promise<number> {
  const row = await server.app.deps.storage.db
    .selectFrom('rule_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scan_id', '=', scanId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The HTTP status an upgrade with this credential gets when it is refused (0 when it is not). */
function upgradeStatus(url: URL, credential: string): Promise<number> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${credential}` } });
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('open', () => {
      resolve(0);
      ws.close();
    });
  });
}

const backends = [
  { name: 'sqlite', env: async () => ({ env: {}, drop: async () => undefined }) },
  {
    name: 'postgres',
    env: async () => {
      const db = await freshPostgres();
      return db && { env: { DATABASE_URL: db.url }, drop: db.drop };
    },
  },
];

describe.each(backends)('vouch agent ($name)', (backend) => {
  it.skipIf(base === undefined || hardened === undefined)(
    'two agents run the scans of their own targets; results come back through the API; the spool survives a server outage',
    async () => {
      const storageEnv = await backend.env();
      if (storageEnv === undefined) {
        if (process.env.CI === 'true') throw new Error('PostgreSQL not reachable');
        console.warn('PostgreSQL not reachable: agent suite on postgres skipped');
        return;
      }
      cleanups.push(storageEnv.drop);
      const dataDir = await mkdtemp(join(tmpdir(), 'vouch-agent-server-'));
      const stateA = await mkdtemp(join(tmpdir(), 'vouch-agent-a-'));
      const stateB = await mkdtemp(join(tmpdir(), 'vouch-agent-b-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      cleanups.push(() => rm(stateA, { recursive: true, force: true }));
      cleanups.push(() => rm(stateB, { recursive: true, force: true }));

      let server = await serve(dataDir, storageEnv.env);
      cleanups.push(() => server.close());
      const url = server.url;
      const api = new Api(url);
      await api.login();

      // (a) Two agents with different roots enroll with one-time tokens.
      let a = agent(url, stateA, base!, ['--enroll', await api.enrollmentToken(), '--name', 'host-a']);
      const b = agent(url, stateB, hardened!, ['--enroll', await api.enrollmentToken(), '--name', 'host-b']);
      const [, agentA, targetA] = await a.waitFor(/enrolled as agent (\S+) \(target (\S+)\)/);
      const [, agentB, targetB] = await b.waitFor(/enrolled as agent (\S+) \(target (\S+)\)/);
      await Promise.all([a.waitFor(/connected/), b.waitFor(/connected/)]);
      expect((await stat(join(stateA, 'credential.json'))).mode & 0o777).toBe(0o600);
      const listed = await until('both agents connected', async () => {
        const res = await api.call('GET', '/api/v1/agents');
        const items = res.json.items as { id: string; connected: boolean; version: string | null }[];
        return items.filter((i) => i.connected).length === 2 ? items : undefined;
      });
      expect(listed.map((i) => i.id).sort()).toEqual([agentA, agentB].sort());
      const metrics = await (await fetch(new URL('/metrics', url))).text();
      expect(metrics).toMatch(/^vouch_agents_connected 2$/m);

      const scanA = await api.startScan(targetA!);
      const scanB = await api.startScan(targetB!);
      const [doneA, doneB] = await Promise.all([api.completed(scanA), api.completed(scanB)]);
      expect(a.output()).toContain(`scan ${scanA} received`);
      expect(b.output()).toContain(`scan ${scanB} received`);
      expect(a.output()).not.toContain(scanB);
      expect(b.output()).not.toContain(scanA);
      expect(doneA).toMatchObject({ targetId: targetA, agentId: agentA });
      expect(doneB).toMatchObject({ targetId: targetB, agentId: agentB });
      // Different roots, different results: the hardened fixture scores higher than the base one.
      expect(doneB.score!).toBeGreaterThan(doneA.score!);
      const results = await api.call('GET', `/api/v1/scans/${scanA}/results`);
      expect(results.status).toBe(200);
      expect(results.json.items.length).toBeGreaterThan(0);
      expect(await ruleResultCount(server, scanA)).toBeGreaterThan(100);

      // (b) An auditor cannot start a scan of an agent's target.
      await api.call('POST', '/api/v1/users', {
        email: 'aud@example.com',
        name: 'aud',
        role: 'auditor',
        password: PASSWORD,
      });
      const auditor = new Api(url);
      await auditor.login('aud@example.com');
      expect((await auditor.call('POST', '/api/v1/scans', { targetId: targetA })).status).toBe(403);

      // An agent cannot upload a result for another agent's scan: the socket is closed.
      const credentialA = JSON.parse(await readFile(join(stateA, 'credential.json'), 'utf8')).credential;
      const wsUrl = new URL(AGENT_SOCKET_PATH, url.replace('http', 'ws'));
      const intruder = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${credentialA}` } });
      const intruderClosed = new Promise<number>((resolve) => intruder.on('close', (code) => resolve(code)));
      await new Promise((resolve) => intruder.on('open', resolve));
      intruder.send(
        JSON.stringify({
          v: 1,
          type: 'result',
          scanId: scanB,
          idempotencyKey: 'x',
          result: { startedAt: 'x', finishedAt: 'x', summary: { score: { default: 1 } }, results: [] },
        }),
      );
      expect(await intruderClosed).toBe(CLOSE_FORBIDDEN);
      // A wrong credential never gets a socket.
      const refused = await upgradeStatus(wsUrl, 'vouch_agent_nope');
      expect(refused).toBe(401);

      // A second start reuses the stored credential: no token needed.
      await a.stop();
      expect(await a.exited).toBe(0);
      a = agent(url, stateA, base!);
      await a.waitFor(/connected/);
      expect(a.output()).not.toContain('enrolled');

      // (c) Spool: the server goes away while agent A scans; the result waits in the spool.
      const port = Number(new URL(url).port);
      const scanC = await api.startScan(targetA!);
      await a.waitFor(new RegExp(`scan ${scanC} received`));
      await server.close();
      await a.waitFor(new RegExp(`scan ${scanC} finished, spooled as (\\S+)`));
      const spoolA = join(stateA, 'spool');
      expect(await readdir(spoolA)).toEqual([`scan-${scanC}.json`]);
      server = await serve(dataDir, storageEnv.env, port);
      await api.login();
      await api.completed(scanC);
      await until('spool empty', async () => ((await readdir(spoolA)).length === 0 ? true : undefined));
      expect(a.output()).toMatch(new RegExp(`acked scan-${scanC}`));
      // Exactly once: one scan row for it, and as many rule results as its summary counts.
      const scanCRow = await server.app.deps.storage.scans.get(scanC);
      expect(scanCRow?.status).toBe('completed');
      expect(await ruleResultCount(server, scanC)).toBe(scanCRow!.summary!.total);
      const rows = await server.app.deps.storage.db
        .selectFrom('scans')
        .select('id')
        .where('target_id', '=', targetA!)
        .execute();
      expect(rows.map((r) => r.id).sort()).toEqual([scanA, scanC].sort());

      // Scheduled scans on a one-minute schedule (`* * * * *`, as a user would set it) go to both
      // agents, with the configuration's profile and variables; the schedule is removed once each
      // target has a scheduled result (the first one fires at the next minute boundary).
      const config = await api.call('POST', '/api/v1/scan-configs', {
        name: 'fleet',
        profileId: 'cis-debian12-level1-server',
        targetIds: [targetA, targetB],
        variables: { sshd_max_auth_tries: 3 },
        schedule: '* * * * *',
      });
      expect(config.status, JSON.stringify(config.json)).toBe(201);
      for (const target of [targetA, targetB]) {
        await until(
          `a scheduled scan of ${target} completed`,
          async () => {
            const res = await api.call(
              'GET',
              `/api/v1/scans?trigger=schedule&status=completed&targetId=${target}`,
            );
            return res.json.items.length > 0 ? true : undefined;
          },
          150_000,
        );
      }
      expect((await api.call('DELETE', `/api/v1/scan-configs/${config.json.id}`)).status).toBeLessThan(300);
      expect(a.output()).toMatch(
        /received \(profile cis-debian12-level1-server; variables sshd_max_auth_tries\)/,
      );

      // A revoked agent is refused at its next connection.
      const credentialB = JSON.parse(await readFile(join(stateB, 'credential.json'), 'utf8')).credential;
      const open = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${credentialB}` } });
      const openClosed = new Promise<number>((resolve) => open.on('close', (code) => resolve(code)));
      await new Promise((resolve) => open.on('open', resolve));
      await server.app.deps.storage.agents.revoke(agentB!);
      expect(await upgradeStatus(wsUrl, credentialB)).toBe(401);
      // ... and a socket opened before the revocation is closed at its next message.
      open.send(JSON.stringify({ v: 1, type: 'heartbeat' }));
      expect(await openClosed).toBe(CLOSE_REVOKED);

      // The revoked agent, restarted, is refused and exits with an error instead of retrying.
      await b.stop();
      const refusedAgent = agent(url, stateB, hardened!);
      expect(await refusedAgent.exited).toBe(1);
      expect(refusedAgent.output()).toMatch(/the server refused this agent/);

      await a.stop();
    },
    300_000,
  );
});
