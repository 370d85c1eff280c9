/** `POST /auth/login`: email or user name plus password -> a session token. */
import type { Storage, User } from '../storage/index.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { SessionTokens } from './sessions.js';

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

/**
 * A session for valid credentials of an enabled user, else undefined — one answer for unknown
 * user, wrong password and disabled account, taking the same time (an unknown user still costs
 * one argon2 verification), so the endpoint does not reveal which accounts exist.
 * Failed attempts on a known account are audited; rate limiting is the HTTP layer's job.
 */
export async function login(
  storage: Storage,
  sessions: SessionTokens,
  credentials: { login: string; password: string },
): Promise<LoginResult | undefined> {
  const match = await storage.users.findForLogin(credentials.login);
  if (match === undefined) {
    await burnPasswordCheck(credentials.password);
    return undefined;
  }
  const { row: user, hash } = match;
  const ok = await verifyPassword(hash, credentials.password);
  if (!ok || user.disabledAt !== null) {
    await storage.audit.append({
      orgId: user.orgId,
      // Whoever tried is not known to be that user.
      actor: 'anonymous',
      action: 'auth.login_failed',
      subject: `user:${user.id}`,
      details: { reason: ok ? 'disabled' : 'password' },
    });
    return undefined;
  }
  if (needsRehash(hash)) {
    // Parameters were raised since this hash was made; the plain password is only here now.
    // A password that no longer meets the policy keeps its old hash rather than failing the login.
    const fresh = await hashPassword(credentials.password).catch(() => undefined);
    if (fresh !== undefined) await storage.users.setPasswordHash(user.id, fresh);
  }
  const { token, expiresAt } = await sessions.issue(user);
  await storage.audit.append({
    orgId: user.orgId,
    actor: `user:${user.id}`,
    action: 'auth.login',
    subject: `user:${user.id}`,
  });
  return { token, expiresAt, user };
}
