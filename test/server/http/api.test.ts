/**
 * The API suite, run on SQLite and on PostgreSQL (a fresh database per backend): login, every
 * route's happy path, pagination and filters, a real scan of a small root filesystem run by the
 * job worker, its results and reports, dashboard and trend, metrics, docs, health.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJobHandlers } from '../../../src/server/http/scan-jobs.js';
import { JobWorker } from '../../../src/server/jobs/index.js';
import { Scheduler } from '../../../src/server/schedule/index.js';
import { makeTree, removeTree } from '../../../src/targets/temp-tree.js';
import { storageBackends } from '../storage/backends.js';
import { scanResult } from '../storage/fixtures.js';
import { type ApiHarness, openApi } from './harness.js';

const backends = await storageBackends();

/** A tiny Debian 12 root: enough for the default profile to apply and for rules to pass and fail. */
async function smallRoot(): Promise<string> {
  return makeTree({
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'etc/ssh/sshd_config': 'PermitRootLogin no\nMaxAuthTries 4\nPermitEmptyPasswords no\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/shadow': { text: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
    'etc/group': 'root:x:0:\n',
    'var/lib/dpkg/status':
      'Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:9.2p1-2+deb12u3\n\n',
  });
}

describe.each(backends)('HTTP API on $name', (backend) => {
  let api: ApiHarness;
  let root: string;

  beforeAll(async () => {
    api = await openApi(backend);
    root = await smallRoot();
  }, 60_000);

  afterAll(async () => {
    await api?.dispose();
    if (root) await removeTree(root);
  });

  const as = (role: keyof ApiHarness['tokens']) => api.tokens[role];

  describe('auth', () => {
    it('logs in by user name or email and rejects bad passwords with one answer', async () => {
      const byEmail = await api.request('POST', '/api/v1/auth/login', {
        body: { email: 'op@example.com', password: 'correct horse battery staple' },
      });
      expect(byEmail.statusCode).toBe(200);
      expect(byEmail.json().token).toMatch(/^ey/);
      expect(byEmail.json().user).toMatchObject({ email: 'op@example.com', role: 'operator' });
      expect(JSON.stringify(byEmail.json())).not.toContain('password');

      for (const body of [
        { username: 'op', password: 'wrong password' },
        { username: 'nobody', password: 'wrong password' },
      ]) {
        const res = await api.request('POST', '/api/v1/auth/login', { body });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: 'unauthenticated', message: 'invalid credentials' });
      }
    });

    it('answers 401 without a token and with a forged one', async () => {
      expect((await api.request('GET', '/api/v1/targets')).statusCode).toBe(401);
      expect((await api.request('GET', '/api/v1/targets', { token: 'not-a-jwt' })).statusCode).toBe(401);
      expect(
        (await api.request('GET', '/api/v1/targets', { token: 'vouch_key_0000000000000000_xx' })).statusCode,
      ).toBe(401);
    });
  });

  describe('users and API keys', () => {
    it('admin creates and lists users; the password hash never leaves', async () => {
      const created = await api.request('POST', '/api/v1/users', {
        token: as('admin'),
        body: {
          email: 'new@example.com',
          name: 'newbie',
          role: 'auditor',
          password: 'a long enough password',
        },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ email: 'new@example.com', role: 'auditor', orgId: api.orgId });
      const list = await api.request('GET', '/api/v1/users', { token: as('admin') });
      expect(list.statusCode).toBe(200);
      const emails = list.json().items.map((u: { email: string }) => u.email);
      expect(emails).toEqual(
        expect.arrayContaining(['admin@localhost', 'op@example.com', 'aud@example.com', 'new@example.com']),
      );
      expect(emails).not.toContain('root@other.example');
      expect(list.body).not.toContain('argon2');
    });

    it('creates a key shown once, authenticates with it, lists and revokes it', async () => {
      const created = await api.request('POST', '/api/v1/api-keys', {
        token: as('operator'),
        body: { name: 'ci', role: 'auditor' },
      });
      expect(created.statusCode).toBe(201);
      const { token, id, prefix } = created.json();
      expect(token).toMatch(/^vouch_key_/);
      expect(token.startsWith(prefix)).toBe(true);

      const withKey = await api.request('GET', '/api/v1/targets', { token });
      expect(withKey.statusCode).toBe(200);
      // The key has the auditor role: it may read, not write.
      expect((await api.request('POST', '/api/v1/targets', { token, body: { name: 'x' } })).statusCode).toBe(
        403,
      );
      // A key cannot mint keys.
      expect(
        (await api.request('POST', '/api/v1/api-keys', { token, body: { name: 'child' } })).statusCode,
      ).toBe(403);

      const list = await api.request('GET', '/api/v1/api-keys', { token: as('operator') });
      expect(list.json().items.map((k: { id: string }) => k.id)).toContain(id);
      expect(list.body).not.toContain(token);

      const revoked = await api.request('DELETE', `/api/v1/api-keys/${id}`, { token: as('operator') });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect((await api.request('GET', '/api/v1/targets', { token })).statusCode).toBe(401);
    });
  });

  describe('targets, scans, results and reports', () => {
    let targetId: string;

    it('creates, reads, updates and lists targets with label selectors and pagination', async () => {
      const created = await api.request('POST', '/api/v1/targets', {
        token: as('operator'),
        body: { name: 'web-1', labels: { env: 'prod', tier: 'web' }, connection: { root } },
      });
      expect(created.statusCode, created.body).toBe(201);
      targetId = created.json().id;
      expect(created.json()).toMatchObject({
        kind: 'host',
        labels: { env: 'prod', tier: 'web' },
        connection: { root },
      });

      for (let i = 0; i < 4; i++) {
        const res = await api.request('POST', '/api/v1/targets', {
          token: as('admin'),
          body: { name: `db-${i}`, labels: { env: i % 2 === 0 ? 'prod' : 'dev', tier: 'db' } },
        });
        expect(res.statusCode).toBe(201);
      }
      const patched = await api.request('PATCH', `/api/v1/targets/${targetId}`, {
        token: as('operator'),
        body: { labels: { env: 'prod', tier: 'web', team: 'blue' } },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().labels).toEqual({ env: 'prod', tier: 'web', team: 'blue' });

      const blue = await api.request('GET', '/api/v1/targets?labels=team=blue', { token: as('auditor') });
      expect(blue.json().items.map((t: { name: string }) => t.name)).toEqual(['web-1']);
      const prodDb = await api.request('GET', '/api/v1/targets?labels=env=prod,tier=db', {
        token: as('auditor'),
      });
      expect(prodDb.json().items.map((t: { name: string }) => t.name)).toEqual(['db-0', 'db-2']);

      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await api.request('GET', `/api/v1/targets?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: as('auditor'),
        });
        expect(page.statusCode).toBe(200);
        names.push(...page.json().items.map((t: { name: string }) => t.name));
        cursor = page.json().nextCursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(names).toEqual(['web-1', 'db-0', 'db-1', 'db-2', 'db-3']);

      const one = await api.request('GET', `/api/v1/targets/${targetId}`, { token: as('auditor') });
      expect(one.json()).toMatchObject({ name: 'web-1', latestScan: null, score: null });

      const dup = await api.request('POST', '/api/v1/targets', {
        token: as('admin'),
        body: { name: 'db-0' },
      });
      expect(dup.statusCode).toBe(409);
    });

    it('deletes a target', async () => {
      const created = await api.request('POST', '/api/v1/targets', {
        token: as('admin'),
        body: { name: 'doomed' },
      });
      const id = created.json().id;
      expect(
        (await api.request('DELETE', `/api/v1/targets/${id}`, { token: as('operator') })).statusCode,
      ).toBe(204);
      expect((await api.request('GET', `/api/v1/targets/${id}`, { token: as('admin') })).statusCode).toBe(
        404,
      );
    });

    it('starts a scan (202), the worker runs it on the root directory, results and reports come back', async () => {
      const started = await api.request('POST', '/api/v1/scans', {
        token: as('operator'),
        body: { targetId },
      });
      expect(started.statusCode, started.body).toBe(202);
      const { id, status } = started.json();
      expect(status).toBe('queued');
      const jobs = await api.storage.db.selectFrom('jobs').select(['kind', 'payload', 'status']).execute();
      expect(jobs).toEqual([{ kind: 'scan.run', payload: JSON.stringify({ scanId: id }), status: 'queued' }]);

      await api.drain();

      const scan = await api.request('GET', `/api/v1/scans/${id}`, { token: as('auditor') });
      expect(scan.statusCode).toBe(200);
      expect(scan.json(), scan.body).toMatchObject({
        id,
        status: 'completed',
        trigger: 'manual',
        targetId,
        profileId: 'cis-debian12-level1-server',
      });
      expect(scan.json().score).toBeGreaterThanOrEqual(0);
      const total = scan.json().summary.total as number;
      expect(total).toBeGreaterThan(50);

      // All results in scan order across pages of 50 (the default).
      const all: Array<{ seq: number; status: string; severity: string; ruleId: string }> = [];
      let cursor: string | null = null;
      do {
        const page = await api.request(
          'GET',
          `/api/v1/scans/${id}/results${cursor ? `?cursor=${cursor}` : ''}`,
          { token: as('auditor') },
        );
        expect(page.statusCode).toBe(200);
        expect(page.json().items.length).toBeLessThanOrEqual(50);
        all.push(...page.json().items);
        cursor = page.json().nextCursor;
      } while (cursor !== null);
      expect(all).toHaveLength(total);
      expect(all.map((r) => r.seq)).toEqual([...Array(total).keys()]);

      const failedHigh = await api.request(
        'GET',
        `/api/v1/scans/${id}/results?status=fail&severity=high,medium&limit=500`,
        {
          token: as('auditor'),
        },
      );
      const expected = all.filter(
        (r) => r.status === 'fail' && (r.severity === 'high' || r.severity === 'medium'),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(failedHigh.json().items.map((r: { ruleId: string }) => r.ruleId)).toEqual(
        expected.map((r) => r.ruleId),
      );
      // MaxAuthTries 4 is within the profile's limit (4).
      expect(all.find((r) => r.ruleId === 'sshd-max-auth-tries')?.status).toBe('pass');

      const json = await api.request('GET', `/api/v1/scans/${id}/report?format=json`, {
        token: as('auditor'),
      });
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-type']).toContain('application/json');
      expect(json.json()).toMatchObject({
        schema: 'vouch.scan-result/v1',
        profile: { id: 'cis-debian12-level1-server' },
      });
      expect(json.json().results).toHaveLength(total);
      const html = await api.request('GET', `/api/v1/scans/${id}/report?format=html`, {
        token: as('auditor'),
      });
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.body).toContain('<html');
      const junit = await api.request('GET', `/api/v1/scans/${id}/report?format=junit`, {
        token: as('auditor'),
      });
      expect(junit.body).toContain('<testsuite');
      const sarif = await api.request('GET', `/api/v1/scans/${id}/report?format=sarif`, {
        token: as('auditor'),
      });
      expect(sarif.json().version).toBe('2.1.0');
      expect(
        (await api.request('GET', `/api/v1/scans/${id}/report?format=pdf`, { token: as('auditor') }))
          .statusCode,
      ).toBe(400);

      const target = await api.request('GET', `/api/v1/targets/${targetId}`, { token: as('auditor') });
      expect(target.json()).toMatchObject({
        latestScan: { id, status: 'completed' },
        score: scan.json().score,
      });

      const trend = await api.request('GET', `/api/v1/targets/${targetId}/trend?days=7`, {
        token: as('auditor'),
      });
      expect(trend.statusCode).toBe(200);
      const series = trend.json().series as Array<{ day: string; score: number | null; scans: number }>;
      expect(series).toHaveLength(7);
      expect(series.at(-1)).toEqual({
        day: new Date().toISOString().slice(0, 10),
        score: scan.json().score,
        scans: 1,
      });
      expect(series.slice(0, 6).every((p) => p.score === null && p.scans === 0)).toBe(true);

      const dashboard = await api.request('GET', '/api/v1/dashboard', { token: as('auditor') });
      expect(dashboard.statusCode).toBe(200);
      const d = dashboard.json();
      expect(d.targets).toBe(5);
      expect(d.scannedTargets).toBe(1);
      expect(d.averageScore).toBe(scan.json().score);
      expect(d.scoreDistribution.reduce((a: number, r: { targets: number }) => a + r.targets, 0)).toBe(1);
      expect(d.recentActivity.at(-1)).toMatchObject({ scans: 1, byStatus: { completed: 1 } });
      expect(d.topFailingRules.length).toBeGreaterThan(0);
      expect(d.topFailingRules[0].failingTargets).toBe(1);

      const audit = await api.request('GET', '/api/v1/audit?action=scan.trigger', { token: as('auditor') });
      expect(audit.json().items).toEqual([
        expect.objectContaining({ subject: `scan:${id}`, actor: `user:${api.userIds.operator}` }),
      ]);
    }, 120_000);

    it('lists scans newest first with filters and cursor pagination (50 a page)', async () => {
      const { storage } = api;
      const target = (await storage.targets.list({ orgId: api.orgId, labels: { tier: 'db' } })).items[0]!;
      for (let i = 0; i < 55; i++) {
        await storage.scans.record(
          { orgId: api.orgId, targetId: target.id, trigger: 'agent' },
          scanResult(3),
        );
      }
      await storage.scans.create({ orgId: api.orgId, targetId: target.id, trigger: 'manual' });
      const first = await api.request('GET', `/api/v1/scans?targetId=${target.id}`, { token: as('auditor') });
      expect(first.json().items).toHaveLength(50);
      expect(first.json().items[0].status).toBe('queued');
      const second = await api.request(
        'GET',
        `/api/v1/scans?targetId=${target.id}&cursor=${first.json().nextCursor}`,
        { token: as('auditor') },
      );
      expect(second.json().items).toHaveLength(6);
      expect(second.json().nextCursor).toBeNull();
      const ids = [...first.json().items, ...second.json().items].map((s: { id: string }) => s.id);
      expect(new Set(ids).size).toBe(56);
      expect([...ids].sort().reverse()).toEqual(ids);

      const queued = await api.request('GET', '/api/v1/scans?status=queued', { token: as('auditor') });
      expect(queued.json().items.map((s: { status: string }) => s.status)).toEqual(['queued']);
      const agentScans = await api.request('GET', `/api/v1/scans?trigger=agent&limit=100`, {
        token: as('auditor'),
      });
      expect(agentScans.json().items).toHaveLength(55);
      const bad = await api.request('GET', '/api/v1/scans?status=done', { token: as('auditor') });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('querystring.status');
    });
  });

  describe('scan configurations', () => {
    it('creates a configuration with a schedule and a sealed sensitive variable, runs it on its label selector', async () => {
      const created = await api.request('POST', '/api/v1/scan-configs', {
        token: as('operator'),
        body: {
          name: 'nightly web',
          profileId: 'cis-debian12-level1-server',
          labelSelector: { team: 'blue' },
          variables: { sshd_max_auth_tries: 3 },
          schedule: '0 2 * * *',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const config = created.json();
      expect(config).toMatchObject({
        labelSelector: { team: 'blue' },
        targetIds: null,
        variables: { sshd_max_auth_tries: 3 },
        schedule: '0 2 * * *',
      });
      const schedules = await api.storage.db
        .selectFrom('schedules')
        .select(['name', 'cron', 'job_kind'])
        .where('scan_config_id', '=', config.id)
        .execute();
      expect(schedules).toEqual([
        { name: `scan-config:${config.id}`, cron: '0 2 * * *', job_kind: 'scan.scheduled' },
      ]);

      const list = await api.request('GET', '/api/v1/scan-configs', { token: as('auditor') });
      expect(list.json().items.map((c: { id: string }) => c.id)).toContain(config.id);

      const patched = await api.request('PATCH', `/api/v1/scan-configs/${config.id}`, {
        token: as('operator'),
        body: { schedule: null },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().schedule).toBeNull();
      expect(
        await api.storage.db
          .selectFrom('schedules')
          .select('id')
          .where('scan_config_id', '=', config.id)
          .execute(),
      ).toEqual([]);

      const started = await api.request('POST', '/api/v1/scans', {
        token: as('operator'),
        body: { scanConfigId: config.id },
      });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json().scans).toHaveLength(1);
      await api.drain();
      const scan = await api.request('GET', `/api/v1/scans/${started.json().id}`, { token: as('auditor') });
      expect(scan.json()).toMatchObject({
        status: 'completed',
        scanConfigId: config.id,
        profileId: 'cis-debian12-level1-server',
      });
      const report = await api.request('GET', `/api/v1/scans/${started.json().id}/report?format=json`, {
        token: as('auditor'),
      });
      const maxAuth = report
        .json()
        .results.find((r: { ruleId: string }) => r.ruleId === 'sshd-max-auth-tries');
      // MaxAuthTries 4 is above the override 3 that this configuration sets.
      expect(maxAuth.status).toBe('fail');

      const deleted = await api.request('DELETE', `/api/v1/scan-configs/${config.id}`, {
        token: as('operator'),
      });
      expect(deleted.statusCode).toBe(204);
      expect(
        (await api.request('GET', `/api/v1/scan-configs/${config.id}`, { token: as('auditor') })).statusCode,
      ).toBe(404);
    }, 120_000);
  });

  describe('fixture root filesystem', () => {
    const fixtures = process.env.VOUCH_FIXTURES;
    const hardened =
      fixtures !== undefined && existsSync(join(fixtures, 'hardened', 'etc', 'os-release'))
        ? join(fixtures, 'hardened')
        : undefined;

    it.skipIf(hardened === undefined)(
      'scans the hardened Debian 12 fixture through the API and scores it higher than the small root',
      async () => {
        const target = await api.request('POST', '/api/v1/targets', {
          token: as('operator'),
          body: {
            name: 'hardened-fixture',
            labels: { fixture: 'hardened' },
            connection: { root: hardened! },
          },
        });
        expect(target.statusCode, target.body).toBe(201);
        const started = await api.request('POST', '/api/v1/scans', {
          token: as('operator'),
          body: { targetId: target.json().id },
        });
        expect(started.statusCode).toBe(202);
        await api.drain();
        const scan = (
          await api.request('GET', `/api/v1/scans/${started.json().id}`, { token: as('auditor') })
        ).json();
        expect(scan.status, scan.error).toBe('completed');
        const small = (
          await api.request('GET', '/api/v1/scans?trigger=manual&status=completed&limit=500', {
            token: as('auditor'),
          })
        )
          .json()
          .items.find((s: { targetId: string; id: string }) => s.id !== scan.id);
        expect(scan.score).toBeGreaterThan(small.score);
        const failing = await api.request('GET', `/api/v1/scans/${scan.id}/results?status=fail&limit=500`, {
          token: as('auditor'),
        });
        expect(failing.json().items.every((r: { evidence: unknown[] }) => Array.isArray(r.evidence))).toBe(
          true,
        );
      },
      300_000,
    );
  });

  describe('schedules', () => {
    it('a due schedule starts one scan per target of its configuration, once, and the worker runs them', async () => {
      const created = await api.request('POST', '/api/v1/scan-configs', {
        token: as('operator'),
        body: {
          name: 'every minute',
          profileId: 'cis-debian12-level1-server',
          labelSelector: { tier: 'web' },
          schedule: '* * * * *',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const configId = created.json().id as string;
      // A scheduler whose clock is two minutes ahead finds the schedule due (no waiting).
      const later = () => new Date(Date.now() + 120_000);
      const scheduler = new Scheduler(api.storage, { clock: later });
      const fired = await scheduler.tick();
      expect(fired.filter((f) => f.scheduleName === `scan-config:${configId}`)).toHaveLength(1);
      // A second scheduler at the same instant fires nothing more (exactly once).
      expect((await new Scheduler(api.storage, { clock: later }).tick()).length).toBe(0);

      // A worker on the same clock runs the fired job and the scan it starts.
      const deps = api.app.deps;
      const worker = new JobWorker(api.storage, {
        handlers: scanJobHandlers({ ...deps, clock: later }),
        clock: later,
        pollMs: 3_600_000,
      });
      await worker.drain();
      await worker.stop();
      const scans = await api.request('GET', '/api/v1/scans?trigger=schedule', { token: as('auditor') });
      const items = scans.json().items as Array<{ status: string; scanConfigId: string; targetId: string }>;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ status: 'completed', scanConfigId: configId });
      const scheduledJobs = await api.storage.db
        .selectFrom('jobs')
        .select(['status'])
        .where('kind', '=', 'scan.scheduled')
        .execute();
      expect(scheduledJobs).toEqual([{ status: 'succeeded' }]);
      await api.request('DELETE', `/api/v1/scan-configs/${configId}`, { token: as('operator') });
    }, 120_000);
  });

  describe('agents, content, system', () => {
    it('admin creates an enrollment token, an agent enrolls with it and is listed', async () => {
      const res = await api.request('POST', '/api/v1/agents/enrollment-tokens', {
        token: as('admin'),
        body: { note: 'lab' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { token } = res.json();
      expect(token).toMatch(/^vouch_enroll_/);
      const enrolled = await api.request('POST', '/api/v1/agents/enroll', {
        body: { token, name: 'agent-host', version: '0.1.0' },
      });
      expect(enrolled.statusCode, enrolled.body).toBe(201);
      expect(enrolled.json().credential).toMatch(/^vouch_agent_/);
      const again = await api.request('POST', '/api/v1/agents/enroll', {
        body: { token, name: 'agent-host-2' },
      });
      expect(again.statusCode).toBe(401);
      const agents = await api.request('GET', '/api/v1/agents', { token: as('auditor') });
      expect(agents.json().items).toEqual([
        expect.objectContaining({ name: 'agent-host', version: '0.1.0', lastSeenAt: null, connected: false }),
      ]);
      // An agent credential authenticates, but no human route is an agent's business.
      expect(
        (await api.request('GET', '/api/v1/targets', { token: enrolled.json().credential })).statusCode,
      ).toBe(403);
    });

    it("searches rules and profiles, with a profile's variables", async () => {
      const rules = await api.request('GET', '/api/v1/rules?q=sshd&limit=500', { token: as('auditor') });
      expect(rules.statusCode).toBe(200);
      const items = rules.json().items as Array<{ id: string; title: string }>;
      expect(items.length).toBeGreaterThan(3);
      expect(items.every((r) => r.id.includes('sshd') || r.title.toLowerCase().includes('sshd'))).toBe(true);
      const framework = Object.keys(
        (await api.request('GET', '/api/v1/rules?limit=1', { token: as('auditor') })).json().items[0]
          .references,
      )[0];
      if (framework) {
        const byFramework = await api.request('GET', `/api/v1/rules?framework=${framework}&limit=500`, {
          token: as('auditor'),
        });
        expect(
          byFramework
            .json()
            .items.every(
              (r: { references: Record<string, string[]> }) => r.references[framework]!.length > 0,
            ),
        ).toBe(true);
      }
      const rule = await api.request('GET', `/api/v1/rules/${items[0]!.id}`, { token: as('auditor') });
      expect(rule.json()).toMatchObject({ id: items[0]!.id, check: expect.any(Object) });

      const profiles = await api.request('GET', '/api/v1/profiles?q=debian12', { token: as('auditor') });
      expect(
        profiles
          .json()
          .items.map((p: { id: string }) => p.id)
          .sort(),
      ).toEqual(['cis-debian12-level1-server', 'cis-debian12-level2-server']);
      const profile = await api.request('GET', '/api/v1/profiles/cis-debian12-level1-server', {
        token: as('auditor'),
      });
      const maxAuth = profile
        .json()
        .variables.find((v: { name: string }) => v.name === 'sshd_max_auth_tries');
      expect(maxAuth).toMatchObject({ type: 'number', min: 1, max: 10 });
      expect((await api.request('GET', '/api/v1/profiles/nope', { token: as('auditor') })).statusCode).toBe(
        404,
      );
    });

    it('health checks storage; metrics and the OpenAPI document are served', async () => {
      const health = await api.request('GET', '/health');
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', storage: { dialect: backend.name, ok: true } });

      const metrics = await api.request('GET', '/metrics');
      expect(metrics.statusCode).toBe(200);
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.body).toMatch(/vouch_scans\{status="completed"\} [1-9]/);
      expect(metrics.body).toMatch(/vouch_scan_duration_seconds_count\{status="completed"\} [1-9]/);
      expect(metrics.body).toContain('vouch_target_latest_score{target_id=');
      expect(metrics.body).toContain('vouch_job_queue_depth');
      expect(metrics.body).toContain('vouch_agents_connected 0');
      expect(metrics.body).toMatch(
        /vouch_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/targets",status_code="200"\} [1-9]/,
      );

      const docs = await api.request('GET', '/api/docs');
      expect(docs.statusCode).toBe(200);
      const doc = docs.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/scans', '/api/v1/scans/{id}/report', '/api/v1/auth/login']),
      );
      expect(
        doc.paths['/api/v1/scan-configs'].post.requestBody.content['application/json'].schema
          .additionalProperties,
      ).toBe(false);

      expect(health.headers['x-content-type-options']).toBe('nosniff');
      expect(health.headers['content-security-policy']).toContain("default-src 'none'");
    });
  });
});
