/**
 * The auth services end to end on real databases (SQLite and PostgreSQL): bootstrap, login and
 * sessions, API keys, enrollment and agent credentials, authentication of bearer headers, and the
 * audit entry that goes with every change in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEnrollmentToken,
  enrollAgent,
  revokeAgent,
  revokeEnrollmentToken,
  verifyAgentCredential,
} from '../../../src/server/auth/agents.js';
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from '../../../src/server/auth/api-keys.js';
import { authenticate } from '../../../src/server/auth/authenticate.js';
import { ensureAdmin } from '../../../src/server/auth/bootstrap.js';
import { AuthError } from '../../../src/server/auth/errors.js';
import { login } from '../../../src/server/auth/login.js';
import type { Principal, UserPrincipal } from '../../../src/server/auth/rbac.js';
import { SessionTokens } from '../../../src/server/auth/sessions.js';
import { createUser, disableUser, setPassword, setUserRole } from '../../../src/server/auth/users.js';
import { type Storage, StorageError, type User } from '../../../src/server/storage/index.js';
import { storageBackends, type TestClock, testClock } from '../storage/backends.js';
import type { OpenedStorage } from '../storage/contract.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

async function expectAuthError(promise: Promise<unknown>, code: AuthError['code']): Promise<void> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
}

async function expectStorageError(promise: Promise<unknown>, code: StorageError['code']): Promise<void> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
}

const asPrincipal = (u: User): UserPrincipal => ({
  kind: 'user',
  userId: u.id,
  orgId: u.orgId,
  role: u.role,
});
const bearer = (token: string) => `Bearer ${token}`;

describe.each(await storageBackends())('auth services: $name', ({ open }) => {
  let opened: OpenedStorage;
  let s: Storage;
  let clock: TestClock;
  let sessions: SessionTokens;
  let admin: User;
  let adminP: UserPrincipal;

  const auditActions = async () => (await s.audit.list({ limit: 500 })).items.map((e) => e.action).reverse();

  beforeEach(async () => {
    clock = testClock();
    opened = await open({ clock });
    s = opened.storage;
    await s.migrate();
    sessions = new SessionTokens(randomBytes(32), { clock });
    const boot = await ensureAdmin(s, { password: 'first-admin-pass' });
    if (!boot.created) throw new Error('bootstrap did not create the admin');
    admin = boot.user;
    adminP = asPrincipal(admin);
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('bootstrap', () => {
    it('creates the default organisation and an admin from VOUCH_ADMIN_PASSWORD, once', async () => {
      expect(admin).toMatchObject({
        email: 'admin@localhost',
        name: 'admin',
        role: 'admin',
        disabledAt: null,
      });
      expect((await s.organisations.get(admin.orgId))?.name).toBe('default');
      expect(await ensureAdmin(s, { password: 'another-password' })).toEqual({ created: false });
      expect(await login(s, sessions, { login: 'admin', password: 'first-admin-pass' })).toBeDefined();
      expect(await login(s, sessions, { login: 'admin', password: 'another-password' })).toBeUndefined();
      const [entry] = (await s.audit.list({ action: 'user.create' })).items;
      expect(entry).toMatchObject({
        actor: 'system',
        subject: `user:${admin.id}`,
        details: { bootstrap: true, passwordSource: 'VOUCH_ADMIN_PASSWORD', role: 'admin' },
      });
      // Neither the password nor its hash reaches the audit log.
      expect(JSON.stringify(entry)).not.toMatch(/first-admin-pass|argon2/);
    });

    it('generates a password when none is given, returned once, and settles racing first starts', async () => {
      const fresh = await open({ clock });
      try {
        await fresh.storage.migrate();
        const results = await Promise.all([
          ensureAdmin(fresh.storage),
          ensureAdmin(fresh.storage),
          ensureAdmin(fresh.storage),
        ]);
        const created = results.filter((r) => r.created);
        expect(created).toHaveLength(1);
        const winner = created[0]!;
        if (!winner.created) throw new Error('unreachable');
        expect(winner.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
        expect(
          await login(fresh.storage, sessions, {
            login: 'admin@localhost',
            password: winner.generatedPassword!,
          }),
        ).toBeDefined();
        expect((await fresh.storage.users.list({ orgId: winner.user.orgId })).items).toHaveLength(1);
      } finally {
        await fresh.dispose();
      }
    });
  });

  describe('users and login', () => {
    it('creates a user with its audit entry; non-admins cannot; a failed create leaves no entry', async () => {
      const op = await createUser(s, adminP, {
        email: 'op@example.com',
        name: 'op',
        role: 'operator',
        password: 'operator-pass',
      });
      expect(op).toMatchObject({ orgId: admin.orgId, role: 'operator' });
      const entry = (await s.audit.list({ action: 'user.create', subject: `user:${op.id}` })).items[0];
      expect(entry).toMatchObject({
        actor: `user:${admin.id}`,
        details: { email: 'op@example.com', role: 'operator', password: true },
      });

      await expectAuthError(
        createUser(s, asPrincipal(op), { email: 'x@example.com', role: 'auditor' }),
        'forbidden',
      );
      const before = await auditActions();
      await expectStorageError(
        createUser(s, adminP, { email: 'OP@example.com', role: 'auditor' }),
        'conflict',
      );
      expect(await auditActions()).toEqual(before);
      await expect(
        createUser(s, adminP, { email: 'weak@example.com', role: 'auditor', password: 'short' }),
      ).rejects.toThrow(/at least 8/);
      expect(await s.users.findByEmail('x@example.com')).toBeUndefined();
    });

    it('logs in by name or email; one answer for unknown user, wrong password and disabled account', async () => {
      const op = await createUser(s, adminP, {
        email: 'op@example.com',
        name: 'op',
        role: 'operator',
        password: 'operator-pass',
      });
      const ok = await login(s, sessions, { login: 'OP@example.com', password: 'operator-pass' });
      expect(ok?.user.id).toBe(op.id);
      expect(await sessions.verify(ok!.token)).toMatchObject({
        userId: op.id,
        orgId: op.orgId,
        role: 'operator',
      });
      expect(await authenticate({ storage: s, sessions }, bearer(ok!.token))).toEqual(asPrincipal(op));

      expect(await login(s, sessions, { login: 'op', password: 'operator-pasS' })).toBeUndefined();
      expect(await login(s, sessions, { login: 'nobody', password: 'operator-pass' })).toBeUndefined();

      await disableUser(s, adminP, op.id);
      expect(await login(s, sessions, { login: 'op', password: 'operator-pass' })).toBeUndefined();
      // The session issued before disabling stops working at once.
      expect(await authenticate({ storage: s, sessions }, bearer(ok!.token))).toBeUndefined();

      const failures = (await s.audit.list({ action: 'auth.login_failed' })).items.map((e) => e.details);
      expect(failures).toEqual([{ reason: 'disabled' }, { reason: 'password' }]);
      expect(
        (await s.audit.list({ action: 'auth.login_failed' })).items.every((e) => e.actor === 'anonymous'),
      ).toBe(true);
      expect(await auditActions()).toContain('user.disable');
    });

    it('applies a role change to existing sessions at the next request', async () => {
      const op = await createUser(s, adminP, {
        email: 'op@example.com',
        role: 'operator',
        password: 'operator-pass',
      });
      const { token } = (await login(s, sessions, { login: 'op@example.com', password: 'operator-pass' }))!;
      await s.users.setRole(op.id, 'auditor');
      expect(await authenticate({ storage: s, sessions }, bearer(token))).toMatchObject({ role: 'auditor' });
    });

    it('lets users set their own password and admins anyone’s; nobody disables themselves', async () => {
      const op = await createUser(s, adminP, {
        email: 'op@example.com',
        role: 'operator',
        password: 'operator-pass',
      });
      await setPassword(s, asPrincipal(op), op.id, 'new-operator-pass');
      expect(
        await login(s, sessions, { login: 'op@example.com', password: 'new-operator-pass' }),
      ).toBeDefined();
      await expectAuthError(setPassword(s, asPrincipal(op), admin.id, 'hijacked-pass'), 'forbidden');
      await setPassword(s, adminP, op.id, 'reset-by-admin');
      expect(await login(s, sessions, { login: 'op@example.com', password: 'reset-by-admin' })).toBeDefined();
      await expectAuthError(disableUser(s, adminP, admin.id), 'invalid');
      expect((await s.audit.list({ action: 'user.password_set' })).items).toHaveLength(2);
    });

    it('changes roles with an audit entry and never leaves an organisation without an admin', async () => {
      const op = await createUser(s, adminP, { email: 'op@example.com', role: 'operator' });
      await expectAuthError(setUserRole(s, asPrincipal(op), op.id, 'admin'), 'forbidden');
      const promoted = await setUserRole(s, adminP, op.id, 'admin');
      expect(promoted.role).toBe('admin');
      expect((await s.audit.list({ action: 'user.role_change' })).items[0]).toMatchObject({
        actor: `user:${admin.id}`,
        subject: `user:${op.id}`,
        details: { from: 'operator', to: 'admin' },
      });
      // Two admins: one may demote or disable the other, not the last one standing.
      await disableUser(s, asPrincipal(promoted), admin.id);
      await expectAuthError(setUserRole(s, asPrincipal(promoted), promoted.id, 'auditor'), 'invalid');
      expect((await s.users.get(promoted.id))?.role).toBe('admin');
      expect(await s.users.countActiveAdmins(admin.orgId)).toBe(1);
    });

    it('keeps organisations apart: another organisation’s user is not found', async () => {
      const globex = await s.organisations.create({ name: 'globex' });
      const stranger = await s.users.create({ orgId: globex.id, email: 'boss@globex.com', role: 'admin' });
      const strangerP = asPrincipal(stranger);
      await expectStorageError(disableUser(s, strangerP, admin.id), 'not_found');
      await expectStorageError(setPassword(s, strangerP, admin.id, 'takeover-pass'), 'not_found');
      // Users an admin creates land in the admin's own organisation.
      const made = await createUser(s, strangerP, { email: 'new@globex.com', role: 'auditor' });
      expect(made.orgId).toBe(globex.id);
    });
  });

  describe('API keys', () => {
    let op: User;
    let opP: UserPrincipal;
    beforeEach(async () => {
      op = await createUser(s, adminP, {
        email: 'op@example.com',
        role: 'operator',
        password: 'operator-pass',
      });
      opP = asPrincipal(op);
    });

    it('returns the token once, stores only a hash, and authenticates with the owner’s role', async () => {
      const { apiKey, token } = await createApiKey(s, opP, { name: 'ci' }, clock);
      expect(token.startsWith(`${apiKey.prefix}_`)).toBe(true);
      expect(apiKey).toMatchObject({ role: 'operator', userId: op.id });
      const stored = await s.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', apiKey.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(token.slice(apiKey.prefix.length + 1));
      expect(JSON.stringify(await listApiKeys(s, opP))).not.toContain(stored.key_hash);

      const principal = await authenticate({ storage: s, sessions, clock }, bearer(token));
      expect(principal).toEqual({
        kind: 'apikey',
        keyId: apiKey.id,
        userId: op.id,
        orgId: op.orgId,
        role: 'operator',
        userRole: 'operator',
      });
      expect((await s.apiKeys.get(apiKey.id))?.lastUsedAt).not.toBeNull();

      // One character off, or another kind of token with the same secret: rejected.
      const last = token.at(-1) === 'A' ? 'B' : 'A';
      expect(await verifyApiKey(s, token.slice(0, -1) + last, clock)).toBeUndefined();
      expect(
        await authenticate({ storage: s, sessions }, bearer(token.replace('vouch_key_', 'vouch_agent_'))),
      ).toBeUndefined();
      const entry = (await s.audit.list({ action: 'api_key.create' })).items[0];
      expect(entry).toMatchObject({
        actor: `user:${op.id}`,
        subject: `apikey:${apiKey.id}`,
        details: { role: 'operator' },
      });
      expect(JSON.stringify(entry)).not.toContain(token);
    });

    it('scopes keys: narrower roles allowed, wider refused, keys cannot mint keys', async () => {
      const { token } = await createApiKey(s, opP, { name: 'read-only', role: 'auditor' }, clock);
      expect(await verifyApiKey(s, token, clock)).toMatchObject({ role: 'auditor', userRole: 'operator' });
      await expectAuthError(createApiKey(s, opP, { name: 'escalate', role: 'admin' }, clock), 'forbidden');
      const keyPrincipal = (await verifyApiKey(s, token, clock))!;
      await expectAuthError(createApiKey(s, keyPrincipal, { name: 'successor' }, clock), 'forbidden');
      expect((await s.apiKeys.list({ orgId: op.orgId })).items).toHaveLength(1);
    });

    it('stops a key when it is revoked, expires, or its owner is disabled or demoted', async () => {
      const revoked = await createApiKey(s, opP, { name: 'a' }, clock);
      await revokeApiKey(s, opP, revoked.apiKey.id);
      expect(await verifyApiKey(s, revoked.token, clock)).toBeUndefined();
      expect((await s.audit.list({ action: 'api_key.revoke' })).items[0]).toMatchObject({
        actor: `user:${op.id}`,
        subject: `apikey:${revoked.apiKey.id}`,
      });

      const expiring = await createApiKey(
        s,
        opP,
        { name: 'b', expiresAt: new Date(clock().getTime() + 60_000).toISOString() },
        clock,
      );
      expect(await verifyApiKey(s, expiring.token, clock)).toBeDefined();
      clock.advance(60_000);
      expect(await verifyApiKey(s, expiring.token, clock)).toBeUndefined();
      await expectAuthError(
        createApiKey(s, opP, { name: 'c', expiresAt: '2020-01-01T00:00:00Z' }, clock),
        'invalid',
      );
      await expectAuthError(createApiKey(s, opP, { name: 'c', expiresAt: 'tomorrow' }, clock), 'invalid');

      const kept = await createApiKey(s, opP, { name: 'd' }, clock);
      await s.users.setRole(op.id, 'auditor');
      expect(await verifyApiKey(s, kept.token, clock)).toMatchObject({
        role: 'operator',
        userRole: 'auditor',
      });
      await disableUser(s, adminP, op.id);
      expect(await verifyApiKey(s, kept.token, clock)).toBeUndefined();
    });

    it('lets only the owner or an admin of the same organisation list and revoke', async () => {
      const mine = await createApiKey(s, opP, { name: 'mine' }, clock);
      const auditor = await createUser(s, adminP, { email: 'au@example.com', role: 'auditor' });
      await expectAuthError(revokeApiKey(s, asPrincipal(auditor), mine.apiKey.id), 'forbidden');
      await expectAuthError(listApiKeys(s, asPrincipal(auditor), { all: true }), 'forbidden');
      expect((await listApiKeys(s, asPrincipal(auditor))).items).toEqual([]);
      expect((await listApiKeys(s, adminP, { all: true })).items.map((k) => k.id)).toEqual([mine.apiKey.id]);

      const globex = await s.organisations.create({ name: 'globex' });
      const stranger = asPrincipal(
        await s.users.create({ orgId: globex.id, email: 'boss@globex.com', role: 'admin' }),
      );
      await expectStorageError(revokeApiKey(s, stranger, mine.apiKey.id), 'not_found');
      expect((await listApiKeys(s, stranger, { all: true })).items).toEqual([]);

      await revokeApiKey(s, adminP, mine.apiKey.id);
      expect(await verifyApiKey(s, mine.token, clock)).toBeUndefined();
    });
  });

  describe('agents', () => {
    it('enrolls with a one-time token: target, agent, credential and audit entries in one go', async () => {
      const { enrollmentToken, token } = await createEnrollmentToken(s, adminP, { note: 'rack 4' }, clock);
      expect(token.startsWith(`${enrollmentToken.prefix}_`)).toBe(true);
      const { agent, target, credential } = await enrollAgent(s, {
        token,
        name: 'web-1',
        version: '0.1.0',
        facts: { os: 'debian' },
        labels: { env: 'prod' },
      });
      expect(target).toMatchObject({
        kind: 'host',
        name: 'web-1',
        orgId: admin.orgId,
        labels: { env: 'prod' },
      });
      expect(agent).toMatchObject({ targetId: target.id, name: 'web-1', version: '0.1.0' });
      expect(await s.enrollmentTokens.get(enrollmentToken.id)).toMatchObject({ agentId: agent.id });

      const principal = await authenticate({ storage: s, sessions }, bearer(credential));
      expect(principal).toEqual({
        kind: 'agent',
        agentId: agent.id,
        orgId: admin.orgId,
        targetId: target.id,
      });

      await expectAuthError(enrollAgent(s, { token, name: 'web-2' }), 'unauthenticated');
      expect(await s.targets.list({ orgId: admin.orgId }).then((p) => p.items.map((t) => t.name))).toEqual([
        'web-1',
      ]);
      expect(await auditActions()).toEqual(
        expect.arrayContaining(['enrollment_token.create', 'agent.enroll']),
      );
      const enrollEntry = (await s.audit.list({ action: 'agent.enroll' })).items[0];
      expect(enrollEntry).toMatchObject({
        actor: `agent:${agent.id}`,
        details: { enrollmentTokenId: enrollmentToken.id, targetId: target.id },
      });
      // The enrollment token itself is not a bearer credential for anything else.
      expect(await authenticate({ storage: s, sessions }, bearer(token))).toBeUndefined();
    });

    it('refuses expired, revoked and forged tokens with one answer', async () => {
      const expiring = await createEnrollmentToken(s, adminP, { ttlSeconds: 60 }, clock);
      clock.advance(61_000);
      await expectAuthError(enrollAgent(s, { token: expiring.token, name: 'late' }), 'unauthenticated');

      const revoked = await createEnrollmentToken(s, adminP, {}, clock);
      await revokeEnrollmentToken(s, adminP, revoked.enrollmentToken.id);
      await expectAuthError(enrollAgent(s, { token: revoked.token, name: 'nope' }), 'unauthenticated');

      const real = await createEnrollmentToken(s, adminP, {}, clock);
      const forged = `${real.enrollmentToken.prefix}_${'A'.repeat(43)}`;
      await expectAuthError(enrollAgent(s, { token: forged, name: 'forged' }), 'unauthenticated');
      await expectAuthError(enrollAgent(s, { token: 'garbage', name: 'garbage' }), 'unauthenticated');
      expect((await s.targets.list({ orgId: admin.orgId })).items).toEqual([]);
      expect((await s.agents.list({ orgId: admin.orgId })).items).toEqual([]);
      await expectAuthError(createEnrollmentToken(s, adminP, { ttlSeconds: 10 }, clock), 'invalid');
    });

    it('leaves the token usable when enrollment fails, and lets only one racing agent use it', async () => {
      await s.targets.create({ orgId: admin.orgId, kind: 'host', name: 'taken' });
      const { token, enrollmentToken } = await createEnrollmentToken(s, adminP, {}, clock);
      await expectStorageError(enrollAgent(s, { token, name: 'taken' }), 'conflict');
      expect((await s.enrollmentTokens.get(enrollmentToken.id))?.usedAt).toBeNull();
      expect((await s.agents.list({ orgId: admin.orgId })).items).toEqual([]);

      const outcomes = await Promise.allSettled(
        ['r1', 'r2', 'r3'].map((name) => enrollAgent(s, { token, name })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(AuthError);
      expect((await s.agents.list({ orgId: admin.orgId })).items).toHaveLength(1);
      expect((await s.targets.list({ orgId: admin.orgId })).items).toHaveLength(2);
    });

    it('revokes an agent credential; only admins enroll or revoke', async () => {
      const { token } = await createEnrollmentToken(s, adminP, {}, clock);
      const { agent, credential } = await enrollAgent(s, { token, name: 'db-1' });
      const op = asPrincipal(await createUser(s, adminP, { email: 'op@example.com', role: 'operator' }));
      await expectAuthError(createEnrollmentToken(s, op, {}, clock), 'forbidden');
      await expectAuthError(revokeAgent(s, op, agent.id), 'forbidden');
      const agentP = (await verifyAgentCredential(s, credential)) as Principal;
      await expectAuthError(createEnrollmentToken(s, agentP, {}, clock), 'forbidden');

      await revokeAgent(s, adminP, agent.id);
      expect(await verifyAgentCredential(s, credential)).toBeUndefined();
      expect((await s.audit.list({ action: 'agent.revoke' })).items[0]).toMatchObject({
        subject: `agent:${agent.id}`,
      });
    });
  });

  it('authenticates nothing from a missing or malformed Authorization header', async () => {
    const auth = { storage: s, sessions };
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Basic YWRtaW46cGFzcw==',
      'Bearer a b',
      'Bearer not.a.jwt',
      'Bearer vouch_key_x',
    ]) {
      expect(await authenticate(auth, header)).toBeUndefined();
    }
    const { token } = (await login(s, sessions, { login: 'admin', password: 'first-admin-pass' }))!;
    expect(await authenticate(auth, `bearer  ${token}`)).toEqual(adminP);
  });
});
