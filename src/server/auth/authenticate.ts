/**
 * One entry point for the HTTP layer: the `Authorization` header -> a principal, or undefined
 * (-> 401). `Bearer vouch_key_…` is an API key, `Bearer vouch_agent_…` an agent credential,
 * anything else a session JWT. Enrollment tokens authenticate nothing here: they are only valid
 * as the body of `POST /agents/enroll`.
 */
import type { Storage } from '../storage/index.js';
import { verifyAgentCredential } from './agents.js';
import { verifyApiKey } from './api-keys.js';
import type { Principal } from './rbac.js';
import type { SessionTokens } from './sessions.js';

export interface Authenticator {
  storage: Storage;
  sessions: SessionTokens;
  clock?: () => Date;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  return match?.[1];
}

export async function authenticate(
  auth: Authenticator,
  authorization: string | undefined,
): Promise<Principal | undefined> {
  const token = bearerToken(authorization);
  if (token === undefined) return undefined;
  if (token.startsWith('vouch_key_')) return verifyApiKey(auth.storage, token, auth.clock);
  if (token.startsWith('vouch_agent_')) return verifyAgentCredential(auth.storage, token);
  if (token.startsWith('vouch_')) return undefined;

  const claims = await auth.sessions.verify(token);
  if (claims === undefined) return undefined;
  // The token proves who logged in; the stored user decides what they may do now.
  const user = await auth.storage.users.get(claims.userId);
  if (user === undefined || user.disabledAt !== null || user.orgId !== claims.orgId) return undefined;
  return { kind: 'user', userId: user.id, orgId: user.orgId, role: user.role };
}
