/**
 * API keys: for scripts and CI. A key belongs to the user who made it, acts with a role no wider
 * than that user's (checked at creation and again on every request, see ApiKeyPrincipal), and is
 * shown once: only the SHA-256 of its secret is stored (opaque-token.ts explains why not argon2).
 */
import { type ApiKey, type Page, type PageRequest, type Storage, StorageError } from '../storage/index.js';
import type { Role } from '../storage/types.js';
import { AuthError } from './errors.js';
import { issueToken, parseToken, secretMatches } from './opaque-token.js';
import { type ApiKeyPrincipal, actorOf, can, type Principal, rolesWithin } from './rbac.js';

export interface CreateApiKeyInput {
  name: string;
  /** Defaults to the creator's role; may be narrower, never wider. */
  role?: Role;
  /** ISO time; absent: the key does not expire. */
  expiresAt?: string | null;
}

/** Create a key for the acting user. The token is in the answer once and nowhere else. */
export async function createApiKey(
  storage: Storage,
  actor: Principal,
  input: CreateApiKeyInput,
  clock: () => Date = () => new Date(),
): Promise<{ apiKey: ApiKey; token: string }> {
  if (
    actor.kind !== 'user' ||
    !can(actor, 'api-keys:manage', { orgId: actor.orgId, ownerUserId: actor.userId })
  ) {
    throw new AuthError('forbidden', 'API keys are created from a login session');
  }
  const role = input.role ?? actor.role;
  if (!rolesWithin(actor.role).includes(role)) {
    throw new AuthError('forbidden', `a ${actor.role} cannot create a key with the ${role} role`);
  }
  if (input.expiresAt != null) {
    if (Number.isNaN(Date.parse(input.expiresAt)))
      throw new AuthError('invalid', 'expiresAt must be an ISO date-time');
    if (Date.parse(input.expiresAt) <= clock().getTime())
      throw new AuthError('invalid', 'expiresAt must be in the future');
  }
  const issued = issueToken('key');
  const apiKey = await storage.transaction(async (tx) => {
    const key = await tx.apiKeys.create({
      orgId: actor.orgId,
      userId: actor.userId,
      name: input.name,
      prefix: issued.prefix,
      keyHash: issued.hash,
      role,
      expiresAt: input.expiresAt == null ? null : new Date(input.expiresAt).toISOString(),
    });
    await tx.audit.append({
      orgId: key.orgId,
      actor: actorOf(actor),
      action: 'api_key.create',
      subject: `apikey:${key.id}`,
      details: { name: key.name, role: key.role, prefix: key.prefix, expiresAt: key.expiresAt },
    });
    return key;
  });
  return { apiKey, token: issued.token };
}

/** The actor's own keys; admins may ask for the whole organisation's with `all`. */
export async function listApiKeys(
  storage: Storage,
  actor: Principal,
  options: PageRequest & { all?: boolean; includeRevoked?: boolean } = {},
): Promise<Page<ApiKey>> {
  if (actor.kind === 'agent') throw new AuthError('forbidden', 'agents have no API keys');
  const all = options.all === true;
  if (all && !can(actor, 'users:admin', { orgId: actor.orgId })) {
    throw new AuthError('forbidden', "listing other users' API keys needs the admin role");
  }
  return storage.apiKeys.list({
    orgId: actor.orgId,
    ...(all ? {} : { userId: actor.userId }),
    ...(options.includeRevoked ? { includeRevoked: true } : {}),
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
}

/** Revoke one's own key, or (admins) any key of the organisation. */
export async function revokeApiKey(storage: Storage, actor: Principal, keyId: string): Promise<ApiKey> {
  const key = await storage.apiKeys.get(keyId);
  // Another organisation's key is "not found": its existence is none of the actor's business.
  if (key === undefined || key.orgId !== actor.orgId)
    throw new StorageError('not_found', `API key ${keyId} not found`);
  if (!can(actor, 'api-keys:manage', { orgId: key.orgId, ownerUserId: key.userId })) {
    throw new AuthError('forbidden', 'you may only revoke your own API keys');
  }
  return storage.transaction(async (tx) => {
    const revoked = await tx.apiKeys.revoke(key.id);
    await tx.audit.append({
      orgId: key.orgId,
      actor: actorOf(actor),
      action: 'api_key.revoke',
      subject: `apikey:${key.id}`,
      details: { name: key.name, prefix: key.prefix },
    });
    return revoked;
  });
}

// Compared against when no row matches, so an unknown prefix costs the same as a wrong secret.
const NO_SUCH_HASH = '0'.repeat(64);

/**
 * The principal an API key token stands for, or undefined when the key is unknown, wrong,
 * revoked, expired, or its owner is gone or disabled.
 */
export async function verifyApiKey(
  storage: Storage,
  token: string,
  clock: () => Date = () => new Date(),
): Promise<ApiKeyPrincipal | undefined> {
  const parsed = parseToken(token);
  if (parsed === undefined || parsed.kind !== 'key') return undefined;
  const match = await storage.apiKeys.findByPrefix(parsed.prefix);
  const ok = secretMatches(parsed.secret, match?.hash ?? NO_SUCH_HASH);
  if (match === undefined || !ok) return undefined;
  const key = match.row;
  const now = clock();
  if (key.revokedAt !== null) return undefined;
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) return undefined;
  if (key.userId === null) return undefined;
  const owner = await storage.users.get(key.userId);
  if (owner === undefined || owner.disabledAt !== null || owner.orgId !== key.orgId) return undefined;
  await storage.apiKeys.touch(key.id, now.toISOString());
  return {
    kind: 'apikey',
    keyId: key.id,
    userId: owner.id,
    orgId: key.orgId,
    role: key.role,
    userRole: owner.role,
  };
}
