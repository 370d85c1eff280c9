import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JWT_KEY_FILE, loadJwtKey, SessionTokens } from '../../../src/server/auth/sessions.js';

const user = {
  id: '0190a0b0-0000-7000-8000-000000000001',
  orgId: '0190a0b0-0000-7000-8000-0000000000aa',
  role: 'operator' as const,
};

function movableClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (seconds: number) => (t += seconds * 1000) };
}

describe('session tokens (HS256 JWT)', () => {
  const key = randomBytes(32);

  it('issues a token carrying user, organisation and role that verifies until it expires', async () => {
    const clock = movableClock();
    const sessions = new SessionTokens(key, { clock: clock.now, ttlSeconds: 900 });
    const { token, expiresAt } = await sessions.issue(user);
    expect(expiresAt).toBe('2026-03-01T12:15:00.000Z');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = await sessions.verify(token);
    expect(claims).toEqual({
      userId: user.id,
      orgId: user.orgId,
      role: 'operator',
      issuedAt: Date.parse('2026-03-01T12:00:00Z') / 1000,
      expiresAt: Date.parse('2026-03-01T12:15:00Z') / 1000,
    });
    clock.advance(899);
    expect(await sessions.verify(token)).toBeDefined();
    clock.advance(1);
    expect(await sessions.verify(token)).toBeUndefined();
  });

  it('defaults to one hour', async () => {
    const clock = movableClock();
    const { expiresAt } = await new SessionTokens(key, { clock: clock.now }).issue(user);
    expect(expiresAt).toBe('2026-03-01T13:00:00.000Z');
  });

  it('rejects tokens signed with another key, tampered, unsigned or for another audience', async () => {
    const clock = movableClock();
    const sessions = new SessionTokens(key, { clock: clock.now });
    const other = new SessionTokens(randomBytes(32), { clock: clock.now });
    const { token } = await sessions.issue(user);
    expect(await other.verify(token)).toBeUndefined();

    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    expect(await sessions.verify(`${h}.${promoted}.${s}`)).toBeUndefined();

    const unsecured = new UnsecuredJWT({ org: user.orgId, role: 'admin' })
      .setSubject(user.id)
      .setIssuer('vouch')
      .setAudience('vouch-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    expect(await sessions.verify(unsecured)).toBeUndefined();

    const wrongAudience = await new SignJWT({ org: user.orgId, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('vouch')
      .setAudience('something-else')
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(key);
    expect(await sessions.verify(wrongAudience)).toBeUndefined();

    const unknownRole = await new SignJWT({ org: user.orgId, role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('vouch')
      .setAudience('vouch-api')
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(key);
    expect(await sessions.verify(unknownRole)).toBeUndefined();

    for (const garbage of ['', 'a.b.c', 'not a token', `${h}.${p}`]) {
      expect(await sessions.verify(garbage)).toBeUndefined();
    }
  });

  it('refuses short keys', () => {
    expect(() => new SessionTokens(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});

describe('session signing key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-jwt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is created 0600 in the data directory on first start and kept', async () => {
    const first = await loadJwtKey(dir, {});
    expect(first).toMatchObject({ source: 'file', created: true, file: join(dir, JWT_KEY_FILE) });
    expect((await stat(join(dir, JWT_KEY_FILE))).mode & 0o777).toBe(0o600);
    const second = await loadJwtKey(dir, {});
    expect(Buffer.from(second.key).equals(Buffer.from(first.key))).toBe(true);
    // A token from before a restart still verifies after it.
    const { token } = await new SessionTokens(first.key).issue(user);
    expect(await new SessionTokens(second.key).verify(token)).toBeDefined();
  });

  it('comes from VOUCH_JWT_SECRET when set (at least 32 bytes), writing nothing', async () => {
    const secret = randomBytes(48).toString('base64');
    const loaded = await loadJwtKey(dir, { VOUCH_JWT_SECRET: secret });
    expect(loaded.source).toBe('env');
    expect(Buffer.from(loaded.key).toString()).toBe(secret);
    expect(await readdir(dir)).toEqual([]);
    await expect(loadJwtKey(dir, { VOUCH_JWT_SECRET: 'too-short' })).rejects.toThrow(
      /VOUCH_JWT_SECRET must be at least 32 bytes/,
    );
  });
});
