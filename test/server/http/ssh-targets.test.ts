/**
 * Agentless SSH targets in the server, on SQLite and PostgreSQL, against a real OpenSSH server on
 * loopback chrooted into the hardened Debian fixture (test/targets/ssh/sshd-harness.ts), through
 * the real HTTP API and the real scan job handler:
 * - the connection is validated (400 naming the field, nothing stored), the private key is sealed
 *   at rest, bound to its row, never answered, audited or logged;
 * - a scan of the SSH target gives the same result per rule as a scan of a `{root}` target of the
 *   same fixture, except rules that read runtime state (as test/targets/ssh/ssh-scan.test.ts);
 * - a refused key, a changed host key or a wrong fingerprint fail the scan with one clear line;
 * - insecureAcceptNew records the host key seen first, and refuses another one afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/results.js';
import { openScanSession, runSessionScan } from '../../../src/scan/run-scan.js';
import { resealTargetCredentials } from '../../../src/server/crypto/reseal.js';
import { SECRET_PLACES, SecretBox } from '../../../src/server/crypto/secrets.js';
import { sealCredentials } from '../../../src/server/http/stores/target-connection.js';
import { openTarget, type TargetOptions } from '../../../src/targets/index.js';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { type Sshd, sshdAvailable, startSshd } from '../../targets/ssh/sshd-harness.js';
import { storageBackends } from '../storage/backends.js';
import { type ApiHarness, openApi, tableCounts } from './harness.js';

const backends = await storageBackends();
const hardened = fixtureRoot('hardened');
const PROFILE = 'cis-debian12-level2-server';
/** Fact kinds that only a running system answers (see ssh-scan.test.ts). */
const RUNTIME_KINDS = new Set(['command', 'sysctl-runtime', 'loaded-modules', 'mounts']);

interface Keys {
  client: string;
  wrong: string;
  knownHosts: string;
  changedKnownHosts: string;
  /** The host's name with an ECDSA key, while it serves only ed25519. */
  otherTypeKnownHosts: string;
}

/** The base64 body of a PEM/OpenSSH key: what must never show up anywhere. */
function keyBody(pem: string): string[] {
  return pem
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .map((line) => line.slice(0, 40));
}

/** Rules whose facts include a runtime-only kind, from an in-process scan of the same target. */
async function runtimeRules(target: TargetOptions, cacheDir: string): Promise<Set<string>> {
  const transport = await openTarget(target);
  try {
    const session = await openScanSession({ transport, profile: PROFILE, cacheDir });
    await runSessionScan(session);
    const rules = new Set<string>();
    const requests = session.engine.factRequests();
    for (const [key, ruleIds] of session.engine.factIndex()) {
      const kind = requests.get(key)?.kind;
      if (kind !== undefined && RUNTIME_KINDS.has(kind)) for (const id of ruleIds) rules.add(id);
    }
    return rules;
  } finally {
    await transport.close();
  }
}

type Result = Pick<ScanResult['results'][number], 'ruleId' | 'status' | 'message' | 'evidence'>;

describe.skipIf(!sshdAvailable() || !hardened)('SSH targets in the server', () => {
  let sshd: Sshd;
  let keys: Keys;
  let runtime: Set<string> | undefined;

  beforeAll(async () => {
    sshd = await startSshd({ chroot: hardened as string });
    keys = {
      client: await readFile(sshd.clientKey, 'utf8'),
      wrong: await readFile(sshd.wrongKey, 'utf8'),
      knownHosts: await readFile(sshd.knownHosts, 'utf8'),
      changedKnownHosts: await readFile(sshd.changedKnownHosts, 'utf8'),
      otherTypeKnownHosts: '',
    };
    const ecdsa = join(sshd.dir, 'ecdsa_key');
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', ecdsa]);
    const [type, blob] = (await readFile(`${ecdsa}.pub`, 'utf8')).split(' ');
    keys.otherTypeKnownHosts = `[127.0.0.1]:${sshd.port} ${type} ${blob}\n`;
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
  });

  describe.each(backends)('on $name', (backend) => {
    let api: ApiHarness;
    let log = '';
    /** Every answer the API gave in this suite: none may carry a key. */
    const answers: string[] = [];

    beforeAll(async () => {
      const stream = new Writable({
        write(chunk, _encoding, done) {
          log += chunk.toString();
          done();
        },
      });
      api = await openApi(backend, { logger: { level: 'trace', stream } });
    }, 60_000);
    afterAll(async () => {
      await api?.dispose();
    });

    const call = async (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      role: keyof ApiHarness['tokens'] = 'operator',
    ) => {
      const res = await api.request(method, url, { token: api.tokens[role], body });
      answers.push(res.body);
      return res;
    };

    const sshConnection = (extra: Record<string, unknown> = {}) => ({
      type: 'ssh',
      url: sshd.url(),
      privateKey: keys.client,
      knownHosts: keys.knownHosts,
      ...extra,
    });

    const createTarget = async (name: string, connection: unknown) => {
      const res = await call('POST', '/api/v1/targets', { name, connection });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; connection: Record<string, unknown> }>();
    };

    /** Starts a scan, runs the queue, and returns the finished scan. */
    const scanOf = async (targetId: string) => {
      const started = await call('POST', '/api/v1/scans', { targetId, profileId: PROFILE });
      expect(started.statusCode, started.body).toBe(202);
      await api.drain();
      const scan = await call('GET', `/api/v1/scans/${started.json().id}`, undefined, 'auditor');
      return scan.json<{ id: string; status: string; error: string | null }>();
    };

    const resultsOf = async (scanId: string): Promise<Map<string, Result>> => {
      const out = new Map<string, Result>();
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await call(
          'GET',
          `/api/v1/scans/${scanId}/results?limit=500${query}`,
          undefined,
          'auditor',
        );
        expect(page.statusCode).toBe(200);
        const body = page.json<{ items: Result[]; nextCursor: string | null }>();
        for (const { ruleId, status, message, evidence } of body.items)
          out.set(ruleId, { ruleId, status, message, evidence });
        cursor = body.nextCursor;
      } while (cursor !== null);
      return out;
    };

    it.each([
      [
        'a URL that is not ssh://',
        { url: 'http://root@127.0.0.1:22' },
        'body.connection.url: unsupported scheme http:',
      ],
      ['a URL without a user', { url: 'ssh://127.0.0.1:22' }, 'body.connection.url: name the user'],
      ['a password in the URL', { url: 'ssh://root:pw@127.0.0.1' }, 'body.connection.url: passwords'],
      ['no key and no agent', { privateKey: undefined }, 'body.connection.privateKey: required'],
      ['a key that is not one', { privateKey: 'not a key' }, 'body.connection.privateKey: not a private key'],
      [
        'a public key',
        { privateKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x' },
        'body.connection.privateKey: ',
      ],
      [
        'key and agent socket',
        { agentSocket: '/run/agent.sock' },
        'body.connection.agentSocket: give privateKey',
      ],
      ['no host key trust', { knownHosts: undefined }, 'body.connection.knownHosts: required'],
      [
        'known hosts of another host',
        {
          knownHosts:
            'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
        },
        'body.connection.knownHosts: no line names [127.0.0.1]:',
      ],
      ['garbage known hosts', { knownHosts: 'nonsense' }, 'body.connection.knownHosts: every line'],
      [
        'a malformed fingerprint',
        { knownHosts: undefined, hostKeyFingerprint: 'MD5:aa:bb' },
        'body.connection.hostKeyFingerprint: must be SHA256:',
      ],
      ['an unknown field', { password: 'hunter2' }, 'body.connection.password: unknown field'],
      ['sudo not a boolean', { sudo: 'yes' }, 'body.connection.sudo:'],
    ])('refuses %s with a 400 naming the field, storing nothing', async (_name, change, message) => {
      const before = await tableCounts(api.storage);
      const res = await call('POST', '/api/v1/targets', { name: 'bad', connection: sshConnection(change) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toContain(message);
      expect(await tableCounts(api.storage)).toEqual(before);
    });

    it('lets only operators and admins create SSH targets', async () => {
      const res = await call(
        'POST',
        '/api/v1/targets',
        { name: 'x', connection: sshConnection() },
        'auditor',
      );
      expect(res.statusCode).toBe(403);
    });

    it('seals the key, answers hasPrivateKey only, and audits without the key', async () => {
      const created = await createTarget('web-ssh-sealed', sshConnection({ sudo: false }));
      expect(created.connection).toEqual({
        type: 'ssh',
        url: sshd.url(),
        knownHosts: keys.knownHosts,
        insecureAcceptNew: false,
        sudo: false,
        hasPrivateKey: true,
      });
      const row = await api.storage.db
        .selectFrom('targets')
        .selectAll()
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(row.credentials_encrypted).toMatch(/^v1:/);
      expect(row.connection).not.toContain('PRIVATE KEY');

      // PATCH without privateKey keeps the stored key (write-only field left blank).
      const patched = await call('PATCH', `/api/v1/targets/${created.id}`, {
        connection: { ...sshConnection({ sudo: true }), privateKey: undefined },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().connection).toMatchObject({ sudo: true, hasPrivateKey: true });
      const kept = await api.storage.db
        .selectFrom('targets')
        .select('credentials_encrypted')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(kept.credentials_encrypted).toBe(row.credentials_encrypted);

      // Turning it into a root target drops the key.
      const root = await call('PATCH', `/api/v1/targets/${created.id}`, {
        connection: { root: hardened },
      });
      expect(root.json().connection).toEqual({ root: hardened });
      const dropped = await api.storage.db
        .selectFrom('targets')
        .select('credentials_encrypted')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(dropped.credentials_encrypted).toBeNull();

      const audit = await call('GET', `/api/v1/audit?subject=target:${created.id}`, undefined, 'auditor');
      const details = audit
        .json()
        .items.map((e: { action: string; details: unknown }) => [e.action, e.details]);
      expect(details).toEqual(
        expect.arrayContaining([
          ['target.create', expect.objectContaining({ privateKey: 'set' })],
          ['target.update', expect.objectContaining({ privateKey: 'removed' })],
        ]),
      );
      await call('DELETE', `/api/v1/targets/${created.id}`);
    });

    it('scans the SSH target with the same results as the root filesystem', async () => {
      const ssh = await createTarget('hardened-ssh', sshConnection());
      const root = await createTarget('hardened-root', { root: hardened });
      const sshScan = await scanOf(ssh.id);
      const rootScan = await scanOf(root.id);
      expect(sshScan, JSON.stringify(sshScan)).toMatchObject({ status: 'completed', error: null });
      expect(rootScan.status).toBe('completed');

      // Rules reading runtime state differ legitimately (ssh-scan.test.ts): take both sides'.
      runtime ??= new Set([
        ...(await runtimeRules({ root: hardened as string }, api.cacheDir)),
        ...(await runtimeRules(
          { ssh: { url: sshd.url(), privateKeyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts } },
          api.cacheDir,
        )),
      ]);
      const overSsh = await resultsOf(sshScan.id);
      const offline = await resultsOf(rootScan.id);
      expect([...overSsh.keys()].sort()).toEqual([...offline.keys()].sort());
      const differing = [...offline.values()]
        .filter((r) => !runtime!.has(r.ruleId))
        .filter((r) => JSON.stringify(r) !== JSON.stringify(overSsh.get(r.ruleId)))
        .map((r) => `${r.ruleId}: ${r.status} <> ${overSsh.get(r.ruleId)?.status}`);
      expect(differing).toEqual([]);
      const compared = [...offline.values()].filter((r) => !runtime!.has(r.ruleId));
      expect(compared.length).toBeGreaterThan(200);
      expect(compared.filter((r) => r.status === 'pass').length).toBeGreaterThan(150);
    }, 300_000);

    it.each([
      ['a key the host refuses', () => ({ privateKey: keys.wrong }), /authentication failed/],
      [
        'a changed host key',
        () => ({ knownHosts: keys.changedKnownHosts }),
        /HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+: it offers ssh-ed25519 SHA256:\S+, but knownHosts:1 holds another/,
      ],
      [
        'a host known only by a key of another type',
        () => ({ knownHosts: keys.otherTypeKnownHosts }),
        /host key of \[127\.0\.0\.1\]:\d+ is unknown \(ssh-ed25519 SHA256:\S+; looked in knownHosts\); add it to the target's knownHosts after checking the fingerprint, or set insecureAcceptNew$/,
      ],
      [
        'a host nobody listens on',
        () => ({ url: 'ssh://root@127.0.0.1:1', knownHosts: undefined, insecureAcceptNew: true }),
        /^ssh root@127\.0\.0\.1:1: host unreachable \(ECONNREFUSED\)$/,
      ],
      [
        'another pinned fingerprint',
        () => ({ knownHosts: undefined, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` }),
        /HOST KEY MISMATCH/,
      ],
    ])(
      'fails the scan with one clear line on %s',
      async (_name, change, message) => {
        const target = await createTarget(`broken-${_name.replaceAll(' ', '-')}`, sshConnection(change()));
        const scan = await scanOf(target.id);
        expect(scan.status).toBe('failed');
        expect(scan.error).toMatch(message);
        expect(scan.error).toMatch(/^ssh root@127\.0\.0\.1:\d+: /);
        expect(scan.error).not.toContain('\n'); // one line, no stack
        // Not retried: a refused connection will not get better by itself.
        const jobs = await api.storage.db.selectFrom('jobs').select(['status', 'attempts']).execute();
        expect(jobs.filter((j) => j.status === 'queued')).toEqual([]);
      },
      60_000,
    );

    it('with insecureAcceptNew, records the first host key and refuses another one later', async () => {
      const target = await createTarget(
        'tofu',
        sshConnection({ knownHosts: undefined, insecureAcceptNew: true }),
      );
      const first = await scanOf(target.id);
      expect(first.status, first.error ?? '').toBe('completed');
      const learned = await call('GET', `/api/v1/targets/${target.id}`, undefined, 'auditor');
      expect(learned.json().connection.knownHosts).toBe(keys.knownHosts);
      const audit = await call('GET', '/api/v1/audit?action=target.host_key_learned', undefined, 'auditor');
      expect(audit.json().items[0]).toMatchObject({
        actor: 'system',
        subject: `target:${target.id}`,
        details: { hostKey: expect.stringMatching(/^SHA256:/) },
      });
      // The host "is reinstalled": the learned key is kept and the new one refused.
      await api.storage.db
        .updateTable('targets')
        .set({
          connection: JSON.stringify({
            ...learned.json().connection,
            hasPrivateKey: undefined,
            knownHosts: keys.changedKnownHosts,
          }),
        })
        .where('id', '=', target.id)
        .execute();
      const second = await scanOf(target.id);
      expect(second.status).toBe('failed');
      expect(second.error).toContain('HOST KEY CHANGED');
    }, 120_000);

    it.skipIf(!existsSync('/usr/bin/ssh-agent'))(
      "authenticates through agentSocket, and never through the server's own SSH_AUTH_SOCK",
      async () => {
        const scratch = await mkdtemp(join(tmpdir(), 'vouch-ssh-agent-'));
        const socket = join(scratch, 'agent.sock');
        const agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
        const saved = process.env.SSH_AUTH_SOCK;
        try {
          for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
          execFileSync('/usr/bin/ssh-add', ['-q', sshd.clientKey], {
            env: { ...process.env, SSH_AUTH_SOCK: socket },
          });
          // The server process has an agent that holds the right key; a target with a refused key
          // must still fail: targets never borrow the server's credentials.
          process.env.SSH_AUTH_SOCK = socket;
          const refused = await createTarget('ambient-agent', sshConnection({ privateKey: keys.wrong }));
          const denied = await scanOf(refused.id);
          expect(denied.status).toBe('failed');
          expect(denied.error).toContain('authentication failed');
          delete process.env.SSH_AUTH_SOCK;

          const viaAgent = await createTarget(
            'via-agent',
            sshConnection({ privateKey: undefined, agentSocket: socket }),
          );
          expect(viaAgent.connection).toMatchObject({ agentSocket: socket, hasPrivateKey: false });
          const scan = await scanOf(viaAgent.id);
          expect(scan.status, scan.error ?? '').toBe('completed');
        } finally {
          if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
          else process.env.SSH_AUTH_SOCK = saved;
          agent.kill('SIGTERM');
          await rm(scratch, { recursive: true, force: true });
        }
      },
      120_000,
    );

    it('documents the SSH connection in the OpenAPI document, the key write-only', async () => {
      const doc = (await call('GET', '/api/docs', undefined, 'auditor')).json();
      const connection =
        doc.paths['/api/v1/targets'].post.requestBody.content['application/json'].schema.properties
          .connection;
      const ssh = JSON.stringify(connection);
      expect(ssh).toContain('"enum":["ssh"]');
      expect(ssh).toMatch(/"privateKey":\{[^}]*"writeOnly":true/);
      for (const field of [
        'url',
        'knownHosts',
        'hostKeyFingerprint',
        'insecureAcceptNew',
        'sudo',
        'agentSocket',
      ])
        expect(ssh).toContain(`"${field}"`);
    });

    it("refuses an SSH connection on an agent's host target", async () => {
      const minted = await call('POST', '/api/v1/agents/enrollment-tokens', { note: 'ssh' }, 'admin');
      const enrolled = await api.request('POST', '/api/v1/agents/enroll', {
        body: { token: minted.json().token, name: 'agent-host-ssh' },
      });
      expect(enrolled.statusCode, enrolled.body).toBe(201);
      const { targetId } = enrolled.json();
      const res = await call('PATCH', `/api/v1/targets/${targetId}`, { connection: sshConnection() });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain("body.connection: this target is an agent's host");
      const row = await api.storage.db
        .selectFrom('targets')
        .select(['connection', 'credentials_encrypted'])
        .where('id', '=', targetId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ connection: null, credentials_encrypted: null });
    });

    it('refuses a sealed key copied from another target (AAD binds it to its row)', async () => {
      const a = await createTarget('aad-a', sshConnection());
      const b = await createTarget('aad-b', sshConnection({ privateKey: keys.wrong }));
      const sealed = await api.storage.db
        .selectFrom('targets')
        .select('credentials_encrypted')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      await api.storage.db
        .updateTable('targets')
        .set({ credentials_encrypted: sealed.credentials_encrypted })
        .where('id', '=', b.id)
        .execute();
      const scan = await scanOf(b.id);
      expect(scan.status).toBe('failed');
      expect(scan.error).toContain('stored private key cannot be opened');
    }, 60_000);

    it('reseals stored keys after a secret key rotation', async () => {
      const target = await createTarget('rotated', sshConnection());
      const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
      const before = sealCredentials(new SecretBox({ current: oldKey, old: [] }), target.id, {
        privateKey: keys.client,
      });
      await api.storage.db
        .updateTable('targets')
        .set({ credentials_encrypted: before })
        .where('id', '=', target.id)
        .execute();
      const rotated = new SecretBox({ current: newKey, old: [oldKey] });
      const report = await resealTargetCredentials(api.storage, rotated);
      // The suite's other targets were sealed under the harness's key, which this box lacks.
      expect(report.resealed).toBe(1);
      expect(report.undecryptable).not.toContain(target.id);
      const after = await api.storage.db
        .selectFrom('targets')
        .select('credentials_encrypted')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      expect(after.credentials_encrypted).not.toBe(before);
      const opened = new SecretBox({ current: newKey, old: [] }).open(
        after.credentials_encrypted as string,
        SECRET_PLACES.targetCredentials(target.id),
      );
      expect(JSON.parse(opened.plaintext)).toEqual({ privateKey: keys.client });
      await call('DELETE', `/api/v1/targets/${target.id}`);
    });

    it('never shows the key in an answer, the audit log, a job row or a log line', async () => {
      const everything: string[] = [...answers, log];
      for (const table of ['targets', 'audit_log', 'jobs', 'scans'] as const) {
        everything.push(JSON.stringify(await api.storage.db.selectFrom(table).selectAll().execute()));
      }
      expect(log).toContain('"statusCode"'); // the capture works
      const text = everything.join('\n');
      for (const fragment of [...keyBody(keys.client), ...keyBody(keys.wrong)]) {
        expect(text).not.toContain(fragment);
      }
      expect(text).not.toContain('PRIVATE KEY');
    });
  });
});
