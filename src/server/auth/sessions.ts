/**
 * Session tokens for `POST /auth/login`: HS256 JWTs signed with one server key (jose).
 *
 * - HS256 (HMAC-SHA256) because the server is both issuer and only verifier: there is no third
 *   party that needs a public key, and a symmetric key is one secret to manage.
 * - Verification pins the algorithm (no `alg: none`, no RS/HS confusion), issuer and audience.
 * - Short-lived (1 hour by default, no refresh tokens): a stolen token is useful only briefly.
 *   Revocation is not done with the token: authentication re-reads the user on every request
 *   (one primary-key lookup), so a disabled user or a changed role takes effect immediately.
 * - Claims: `sub` user id, `org` organisation id, `role` (informational; the stored role wins),
 *   `jti` random id for log correlation.
 *
 * The key is VOUCH_JWT_SECRET (at least 32 bytes) or `<dataDir>/jwt.key`, created 0600 on first
 * start. Servers sharing a database behind a load balancer must share the key (env or copied
 * file) or a token issued by one is rejected by the others. Changing the key logs everyone out.
 */
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { loadOrCreateKeyFile } from '../crypto/key-file.js';
import { ROLES, type Role } from '../storage/types.js';

export const JWT_KEY_FILE = 'jwt.key';
export const DEFAULT_SESSION_TTL_SECONDS = 3600;
const ISSUER = 'vouch';
const AUDIENCE = 'vouch-api';
const MIN_KEY_BYTES = 32;

export interface SessionClaims {
  userId: string;
  orgId: string;
  role: Role;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export interface SessionTokenOptions {
  ttlSeconds?: number;
  /** Tests move time; defaults to the system clock. */
  clock?: () => Date;
}

export class SessionTokens {
  private readonly ttlSeconds: number;
  private readonly clock: () => Date;

  constructor(
    private readonly key: Uint8Array,
    options: SessionTokenOptions = {},
  ) {
    if (key.length < MIN_KEY_BYTES)
      throw new Error(`session signing key must be at least ${MIN_KEY_BYTES} bytes`);
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1)
      throw new Error('session ttl must be >= 1 second');
    this.clock = options.clock ?? (() => new Date());
  }

  async issue(user: {
    id: string;
    orgId: string;
    role: Role;
  }): Promise<{ token: string; expiresAt: string }> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ org: user.orgId, role: user.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The claims of a valid, unexpired token; undefined for anything else (never throws on input). */
  async verify(token: string): Promise<SessionClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, org, role, iat, exp } = payload;
      if (typeof sub !== 'string' || typeof org !== 'string') return undefined;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return undefined;
      return { userId: sub, orgId: org, role: role as Role, issuedAt: iat!, expiresAt: exp! };
    } catch (err) {
      if (err instanceof errors.JOSEError) return undefined;
      throw err;
    }
  }
}

export interface LoadedJwtKey {
  key: Uint8Array;
  source: 'env' | 'file';
  file?: string;
  created: boolean;
}

export async function loadJwtKey(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedJwtKey> {
  const fromEnv = env.VOUCH_JWT_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'utf8');
    if (key.length < MIN_KEY_BYTES) {
      throw new Error(
        `VOUCH_JWT_SECRET must be at least ${MIN_KEY_BYTES} bytes (e.g. openssl rand -base64 48)`,
      );
    }
    return { key, source: 'env', created: false };
  }
  const { key, file, created } = await loadOrCreateKeyFile(dataDir, JWT_KEY_FILE, MIN_KEY_BYTES);
  return { key, source: 'file', file, created };
}
