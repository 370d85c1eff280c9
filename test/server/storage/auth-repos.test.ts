/**
 * Contract for the auth repositories (users, API keys, agents, enrollment tokens, migration
 * 0002), run on SQLite and on PostgreSQL like the main storage contract.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Storage, StorageError } from '../../../src/server/storage/index.js';
import { storageBackends, type TestClock, testClock } from './backends.js';
import type { OpenedStorage } from './contract.js';

async function storageError(promise: Promise<unknown>): Promise<StorageError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  return err as StorageError;
}

const MISSING = '00000000-0000-7000-8000-000000000000';

describe.each(await storageBackends())('auth repositories: $name', ({ open }) => {
  let opened: OpenedStorage;
  let s: Storage;
  let clock: TestClock;
  let orgId: string;
  let otherOrgId: string;

  beforeEach(async () => {
    clock = testClock();
    opened = await open({ clock });
    s = opened.storage;
    await s.migrate();
    orgId = (await s.organisations.create({ name: 'acme' })).id;
    otherOrgId = (await s.organisations.create({ name: 'globex' })).id;
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('users', () => {
    it('creates users with a lowercased email and finds them by email, name and login', async () => {
      expect(await s.users.any()).toBe(false);
      const alice = await s.users.create({
        orgId,
        email: ' Alice@Example.COM ',
        name: 'alice',
        role: 'operator',
        passwordHash: '$argon2id$fake',
      });
      expect(alice).toEqual({
        id: alice.id,
        orgId,
        email: 'alice@example.com',
        name: 'alice',
        role: 'operator',
        createdAt: alice.createdAt,
        disabledAt: null,
      });
      expect(await s.users.any()).toBe(true);
      expect(await s.users.get(alice.id)).toEqual(alice);
      expect(await s.users.findByEmail('ALICE@example.com')).toEqual(alice);
      expect(await s.users.findByName('alice')).toEqual(alice);
      expect(await s.users.findByName('Alice')).toBeUndefined();
      expect(await s.users.findForLogin('alice')).toEqual({ row: alice, hash: '$argon2id$fake' });
      expect(await s.users.findForLogin('Alice@example.com')).toEqual({ row: alice, hash: '$argon2id$fake' });
      expect(await s.users.findForLogin('nobody')).toBeUndefined();
      expect(await s.users.get('not-an-id')).toBeUndefined();
      // No read but findForLogin exposes the hash.
      expect(JSON.stringify(await s.users.list({ orgId }))).not.toContain('argon2');
    });

    it('keeps a user without a password out of password login', async () => {
      await s.users.create({ orgId, email: 'sso@example.com', role: 'auditor' });
      expect(await s.users.findForLogin('sso@example.com')).toBeUndefined();
    });

    it('makes emails and names unique across all organisations', async () => {
      await s.users.create({ orgId, email: 'bob@example.com', name: 'bob', role: 'auditor' });
      for (const dup of [
        { orgId, email: 'BOB@example.com', role: 'auditor' as const },
        { orgId: otherOrgId, email: 'bob@example.com', role: 'auditor' as const },
        { orgId: otherOrgId, email: 'other@example.com', name: 'bob', role: 'auditor' as const },
      ]) {
        expect((await storageError(s.users.create(dup))).code).toBe('conflict');
      }
      // Users without names never clash on the name.
      await s.users.create({ orgId, email: 'a@example.com', role: 'auditor' });
      await s.users.create({ orgId, email: 'b@example.com', role: 'auditor' });
      expect((await s.users.list({ orgId })).items).toHaveLength(3);
    });

    it.each([
      ['an email without @', { email: 'bob', role: 'auditor' }],
      ['a name that looks like an email', { email: 'x@example.com', name: 'x@y', role: 'auditor' }],
      ['a name with spaces', { email: 'x@example.com', name: 'x y', role: 'auditor' }],
      ['an unknown role', { email: 'x@example.com', role: 'root' }],
    ])('rejects %s', async (_name, input) => {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      const err = await storageError(s.users.create({ orgId, ...(input as any) }));
      expect(err.code).toBe('invalid');
      expect(await s.users.any()).toBe(false);
    });

    it('lists an organisation’s users oldest first, in pages', async () => {
      for (let i = 0; i < 5; i++)
        await s.users.create({ orgId, email: `u${i}@example.com`, role: 'auditor' });
      await s.users.create({ orgId: otherOrgId, email: 'x@globex.com', role: 'admin' });
      const first = await s.users.list({ orgId, limit: 3 });
      const second = await s.users.list({ orgId, limit: 3, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((u) => u.email)).toEqual([
        'u0@example.com',
        'u1@example.com',
        'u2@example.com',
        'u3@example.com',
        'u4@example.com',
      ]);
      expect(second.nextCursor).toBeNull();
    });

    it('disables once, changes roles and password hashes', async () => {
      const u = await s.users.create({ orgId, email: 'c@example.com', role: 'operator', passwordHash: 'h1' });
      const disabled = await s.users.disable(u.id);
      expect(disabled.disabledAt).not.toBeNull();
      clock.advance(60_000);
      expect((await s.users.disable(u.id)).disabledAt).toBe(disabled.disabledAt);
      expect((await s.users.setRole(u.id, 'auditor')).role).toBe('auditor');
      await s.users.setPasswordHash(u.id, 'h2');
      expect((await s.users.findForLogin('c@example.com'))?.hash).toBe('h2');
      expect((await storageError(s.users.disable(MISSING))).code).toBe('not_found');
      expect((await storageError(s.users.setPasswordHash(MISSING, 'h'))).code).toBe('not_found');
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      expect((await storageError(s.users.setRole(u.id, 'root' as any))).code).toBe('invalid');
    });
  });

  describe('API keys', () => {
    let userId: string;
    beforeEach(async () => {
      userId = (await s.users.create({ orgId, email: 'k@example.com', role: 'admin' })).id;
    });

    const newKey = (n: number, extra: { expiresAt?: string; userId?: string } = {}) =>
      s.apiKeys.create({
        orgId,
        userId: extra.userId ?? userId,
        name: `key ${n}`,
        prefix: `vouch_key_${String(n).padStart(16, '0')}`,
        keyHash: 'ab'.repeat(32),
        role: 'operator',
        ...(extra.expiresAt ? { expiresAt: extra.expiresAt } : {}),
      });

    it('stores keys, finds them by prefix with the hash, and never lists the hash', async () => {
      const key = await newKey(1, { expiresAt: '2027-01-01T00:00:00.000Z' });
      expect(key).toMatchObject({
        orgId,
        userId,
        name: 'key 1',
        prefix: 'vouch_key_0000000000000001',
        role: 'operator',
        lastUsedAt: null,
        revokedAt: null,
        expiresAt: '2027-01-01T00:00:00.000Z',
      });
      expect(await s.apiKeys.get(key.id)).toEqual(key);
      expect(await s.apiKeys.findByPrefix(key.prefix)).toEqual({ row: key, hash: 'ab'.repeat(32) });
      expect(await s.apiKeys.findByPrefix('vouch_key_ffffffffffffffff')).toBeUndefined();
      expect(JSON.stringify(await s.apiKeys.list({ orgId }))).not.toContain('abab');
      expect((await storageError(newKey(1))).code).toBe('conflict');
    });

    it('lists by user, hides revoked keys unless asked, and revokes once', async () => {
      const other = (await s.users.create({ orgId, email: 'o@example.com', role: 'auditor' })).id;
      const a = await newKey(1);
      const b = await newKey(2, { userId: other });
      const c = await newKey(3);
      const revoked = await s.apiKeys.revoke(a.id);
      expect(revoked.revokedAt).not.toBeNull();
      clock.advance(60_000);
      expect((await s.apiKeys.revoke(a.id)).revokedAt).toBe(revoked.revokedAt);
      const ids = async (f: Parameters<Storage['apiKeys']['list']>[0]) =>
        (await s.apiKeys.list(f)).items.map((k) => k.id);
      expect(await ids({ orgId })).toEqual([b.id, c.id]);
      expect(await ids({ orgId, userId })).toEqual([c.id]);
      expect(await ids({ orgId, includeRevoked: true })).toEqual([a.id, b.id, c.id]);
      expect(await ids({ orgId: otherOrgId })).toEqual([]);
      expect((await storageError(s.apiKeys.revoke(MISSING))).code).toBe('not_found');
    });

    it('records use at most once a minute', async () => {
      const key = await newKey(1);
      await s.apiKeys.touch(key.id, '2026-03-01T12:10:00.000Z');
      await s.apiKeys.touch(key.id, '2026-03-01T12:10:30.000Z');
      expect((await s.apiKeys.get(key.id))?.lastUsedAt).toBe('2026-03-01T12:10:00.000Z');
      await s.apiKeys.touch(key.id, '2026-03-01T12:11:01.000Z');
      expect((await s.apiKeys.get(key.id))?.lastUsedAt).toBe('2026-03-01T12:11:01.000Z');
    });

    it('rejects empty names and unknown roles', async () => {
      const base = { orgId, userId, prefix: 'vouch_key_x', keyHash: 'h', role: 'auditor' as const };
      expect((await storageError(s.apiKeys.create({ ...base, name: ' ' }))).code).toBe('invalid');
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      expect((await storageError(s.apiKeys.create({ ...base, name: 'k', role: 'root' as any }))).code).toBe(
        'invalid',
      );
    });

    it('goes away with its user', async () => {
      const key = await newKey(1);
      await s.db.deleteFrom('users').where('id', '=', userId).execute();
      expect(await s.apiKeys.get(key.id)).toBeUndefined();
    });
  });

  describe('agents', () => {
    it('stores an agent with its credential hash, reports heartbeats and revokes', async () => {
      const target = await s.targets.create({ orgId, kind: 'host', name: 'web-1' });
      const agent = await s.agents.create({
        orgId,
        targetId: target.id,
        name: 'web-1',
        credentialPrefix: 'vouch_agent_0000000000000001',
        credentialHash: 'cd'.repeat(32),
        version: '0.1.0',
        facts: { os: 'debian 12' },
      });
      expect(agent).toMatchObject({
        orgId,
        targetId: target.id,
        name: 'web-1',
        version: '0.1.0',
        lastSeenAt: null,
      });
      expect(await s.agents.findByCredentialPrefix('vouch_agent_0000000000000001')).toEqual({
        row: agent,
        hash: 'cd'.repeat(32),
      });
      await s.agents.touch(agent.id, { version: '0.2.0', facts: { os: 'debian 12', kernel: '6.1' } });
      const seen = await s.agents.get(agent.id);
      expect(seen).toMatchObject({ version: '0.2.0', facts: { os: 'debian 12', kernel: '6.1' } });
      expect(seen?.lastSeenAt).not.toBeNull();
      await s.agents.touch(agent.id);
      expect((await s.agents.get(agent.id))?.version).toBe('0.2.0');

      expect((await s.agents.list({ orgId })).items.map((a) => a.id)).toEqual([agent.id]);
      const revoked = await s.agents.revoke(agent.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect((await s.agents.list({ orgId })).items).toEqual([]);
      expect((await s.agents.list({ orgId, includeRevoked: true })).items).toHaveLength(1);
      expect((await s.agents.list({ orgId: otherOrgId, includeRevoked: true })).items).toEqual([]);
      expect(JSON.stringify(await s.agents.list({ orgId, includeRevoked: true }))).not.toContain('cdcd');
      expect((await storageError(s.agents.revoke(MISSING))).code).toBe('not_found');
    });

    it('rejects duplicate credential prefixes', async () => {
      const input = {
        orgId,
        targetId: null,
        name: 'a',
        credentialPrefix: 'vouch_agent_1',
        credentialHash: 'h',
      };
      await s.agents.create(input);
      expect((await storageError(s.agents.create({ ...input, name: 'b' }))).code).toBe('conflict');
    });
  });

  describe('enrollment tokens', () => {
    const inOneHour = () => new Date(clock().getTime() + 3_600_000).toISOString();
    const newToken = (n: number, expiresAt = inOneHour()) =>
      s.enrollmentTokens.create({
        orgId,
        prefix: `vouch_enroll_${n}`,
        tokenHash: 'ef'.repeat(32),
        createdBy: 'user:x',
        expiresAt,
        note: `token ${n}`,
      });
    const agentFor = (name: string) =>
      s.agents.create({
        orgId,
        targetId: null,
        name,
        credentialPrefix: `vouch_agent_${name}`,
        credentialHash: 'h',
      });

    it('is used once, never after expiry or revocation', async () => {
      const token = await newToken(1);
      expect(token).toMatchObject({
        orgId,
        note: 'token 1',
        createdBy: 'user:x',
        usedAt: null,
        agentId: null,
      });
      expect(await s.enrollmentTokens.findByPrefix('vouch_enroll_1')).toEqual({
        row: token,
        hash: 'ef'.repeat(32),
      });
      const a1 = await agentFor('a1');
      const a2 = await agentFor('a2');
      expect(await s.enrollmentTokens.consume(token.id, a1.id)).toBe(true);
      expect(await s.enrollmentTokens.consume(token.id, a2.id)).toBe(false);
      expect(await s.enrollmentTokens.get(token.id)).toMatchObject({ agentId: a1.id });

      const expiring = await newToken(2);
      clock.advance(3_600_000);
      expect(await s.enrollmentTokens.consume(expiring.id, a2.id)).toBe(false);

      const revoked = await newToken(3);
      await s.enrollmentTokens.revoke(revoked.id);
      expect(await s.enrollmentTokens.consume(revoked.id, a2.id)).toBe(false);
      expect(await s.enrollmentTokens.consume(MISSING, a2.id)).toBe(false);
    });

    it('lets exactly one of two racing enrollments use a token', async () => {
      const token = await newToken(1);
      const agents = [await agentFor('r1'), await agentFor('r2'), await agentFor('r3')];
      const outcomes = await Promise.all(
        agents.map((agent) => s.transaction((tx) => tx.enrollmentTokens.consume(token.id, agent.id))),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it('refuses an expiry in the past and lists usable tokens newest first', async () => {
      expect((await storageError(newToken(9, '2020-01-01T00:00:00.000Z'))).code).toBe('invalid');
      const a = await newToken(1);
      const b = await newToken(2);
      const c = await newToken(3);
      await s.enrollmentTokens.revoke(a.id);
      await s.enrollmentTokens.consume(b.id, (await agentFor('x')).id);
      expect((await s.enrollmentTokens.list({ orgId })).items.map((t) => t.id)).toEqual([c.id, b.id, a.id]);
      expect((await s.enrollmentTokens.list({ orgId, usableOnly: true })).items.map((t) => t.id)).toEqual([
        c.id,
      ]);
      expect((await s.enrollmentTokens.list({ orgId: otherOrgId })).items).toEqual([]);
      // A used token cannot be revoked after the fact (the record of its use stays as it was).
      expect((await s.enrollmentTokens.revoke(b.id)).revokedAt).toBeNull();
    });
  });
});
