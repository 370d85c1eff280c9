/**
 * A real API over a real database for the HTTP suites: fresh storage (SQLite file or a new
 * PostgreSQL database, test/server/storage/backends.ts), migrated, with two organisations:
 * `default` with an admin, an operator and an auditor, and `other` with an admin. Each user has
 * logged in through POST /auth/login. The job worker runs the real scan handler; tests call
 * `drain()` to run what is queued (no timers, no sleeps).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ensureAdmin } from '../../../src/server/auth/bootstrap.js';
import { hashPassword } from '../../../src/server/auth/passwords.js';
import { SessionTokens } from '../../../src/server/auth/sessions.js';
import { createUser } from '../../../src/server/auth/users.js';
import { SecretBox } from '../../../src/server/crypto/secrets.js';
import { reportJobHandlers } from '../../../src/server/http/report-jobs.js';
import { scanJobHandlers } from '../../../src/server/http/scan-jobs.js';
import { type BuildServerOptions, buildServer } from '../../../src/server/http/server.js';
import { JobWorker } from '../../../src/server/jobs/index.js';
import type { Storage } from '../../../src/server/storage/index.js';
import type { StorageBackend } from '../storage/backends.js';

export const PASSWORD = 'correct horse battery staple';
export const ROLE_NAMES = ['admin', 'operator', 'auditor'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface ApiHarness {
  app: FastifyInstance;
  storage: Storage;
  worker: JobWorker;
  tokens: Record<RoleName | 'otherAdmin', string>;
  userIds: Record<RoleName | 'otherAdmin', string>;
  orgId: string;
  otherOrgId: string;
  cacheDir: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    options?: { token?: string | null; body?: unknown; payload?: string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  drain(): Promise<void>;
  dispose(): Promise<void>;
}

/** One content cache for every harness of the run: content is validated once, not per test file. */
const CACHE_DIR = join(tmpdir(), 'vouch-http-test-content-cache');

export async function openApi(
  backend: StorageBackend,
  overrides: Partial<Omit<BuildServerOptions, 'storage' | 'secrets' | 'sessions'>> = {},
  /** Extra routes for a test, added before the server is ready. */
  extend?: (app: FastifyInstance) => void,
): Promise<ApiHarness> {
  const opened = await backend.open({});
  const storage = opened.storage;
  await storage.migrate();
  const secrets = new SecretBox({ current: randomBytes(32), old: [] });
  const sessions = new SessionTokens(randomBytes(32));
  const scratch = await mkdtemp(join(tmpdir(), 'vouch-http-'));
  const content = { cacheDir: CACHE_DIR };
  const app = await buildServer({
    storage,
    secrets,
    sessions,
    content,
    rateLimit: { max: 100_000, loginMax: 1000 },
    ...overrides,
  });
  extend?.(app);
  const worker = new JobWorker(storage, {
    handlers: {
      ...scanJobHandlers({
        storage,
        secrets,
        clock: () => new Date(),
        content: app.deps.content,
        metrics: app.deps.metrics,
      }),
      ...reportJobHandlers({ storage, content: app.deps.content }),
    },
    // Never polls on its own: tests drive it with drain().
    pollMs: 3_600_000,
    backoff: { baseMs: 1, maxMs: 1 },
  });

  // Report requests wake the worker as in `vouch serve` (the job runs while the request waits).
  app.deps.wakeJobs = () => void worker.tick();

  const bootstrap = await ensureAdmin(storage, { password: PASSWORD });
  if (!bootstrap.created) throw new Error('fresh database expected');
  const admin = bootstrap.user;
  const actor = { kind: 'user' as const, userId: admin.id, orgId: admin.orgId, role: 'admin' as const };
  const operator = await createUser(storage, actor, {
    email: 'op@example.com',
    name: 'op',
    role: 'operator',
    password: PASSWORD,
  });
  const auditor = await createUser(storage, actor, {
    email: 'aud@example.com',
    name: 'aud',
    role: 'auditor',
    password: PASSWORD,
  });
  const other = await storage.organisations.create({ name: 'other' });
  const otherAdmin = await storage.users.create({
    orgId: other.id,
    email: 'root@other.example',
    name: 'other-admin',
    role: 'admin',
    passwordHash: await hashPassword(PASSWORD),
  });

  const request: ApiHarness['request'] = (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.payload !== undefined) {
      headers['content-type'] ??= 'application/json';
      return app.inject({ method, url, headers, payload: options.payload });
    }
    return app.inject({
      method,
      url,
      headers,
      ...(options.body !== undefined ? { payload: options.body as object } : {}),
    });
  };

  const loginAs = async (username: string) => {
    const res = await request('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    return res.json<{ token: string }>().token;
  };

  return {
    app,
    storage,
    worker,
    orgId: admin.orgId,
    otherOrgId: other.id,
    cacheDir: CACHE_DIR,
    tokens: {
      admin: await loginAs('admin'),
      operator: await loginAs('op'),
      auditor: await loginAs('aud'),
      otherAdmin: await loginAs('other-admin'),
    },
    userIds: { admin: admin.id, operator: operator.id, auditor: auditor.id, otherAdmin: otherAdmin.id },
    request,
    drain: () => worker.drain(),
    dispose: async () => {
      await worker.stop({ timeoutMs: 5000 });
      await app.close();
      await opened.dispose();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Row counts of the tables a rejected request must not have written to. */
export async function tableCounts(storage: Storage): Promise<Record<string, number>> {
  const tables = [
    'targets',
    'scan_configs',
    'scans',
    'jobs',
    'schedules',
    'users',
    'api_keys',
    'audit_log',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await storage.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
