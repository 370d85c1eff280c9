/**
 * Agent enrollment and credentials.
 *
 * An admin creates a one-time enrollment token (shown once, expires, single use). `vouch agent
 * --enroll TOKEN` exchanges it for the agent's own long-lived credential (also shown once), and
 * the agent becomes a host target. Token use, agent creation and target creation happen in one
 * transaction: a failed enrollment leaves the token usable, and one token can never enroll two
 * agents, even when both race (enrollmentTokens.consume guards the UPDATE).
 */
import type { Agent, EnrollmentToken, Storage, Target } from '../storage/index.js';
import { StorageError } from '../storage/index.js';
import { AuthError } from './errors.js';
import { issueToken, parseToken, secretMatches } from './opaque-token.js';
import { type AgentPrincipal, actorOf, can, type Principal } from './rbac.js';

export const DEFAULT_ENROLLMENT_TTL_SECONDS = 24 * 3600;
export const MAX_ENROLLMENT_TTL_SECONDS = 30 * 24 * 3600;
const NO_SUCH_HASH = '0'.repeat(64);

export async function createEnrollmentToken(
  storage: Storage,
  actor: Principal,
  input: { ttlSeconds?: number; note?: string | null } = {},
  clock: () => Date = () => new Date(),
): Promise<{ enrollmentToken: EnrollmentToken; token: string }> {
  if (!can(actor, 'agents:enroll', { orgId: actor.orgId })) {
    throw new AuthError('forbidden', 'creating enrollment tokens needs the admin role');
  }
  const ttl = input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_ENROLLMENT_TTL_SECONDS) {
    throw new AuthError('invalid', `ttlSeconds must be an integer from 60 to ${MAX_ENROLLMENT_TTL_SECONDS}`);
  }
  const issued = issueToken('enroll');
  const expiresAt = new Date(clock().getTime() + ttl * 1000).toISOString();
  const enrollmentToken = await storage.transaction(async (tx) => {
    const row = await tx.enrollmentTokens.create({
      orgId: actor.orgId,
      prefix: issued.prefix,
      tokenHash: issued.hash,
      createdBy: actorOf(actor),
      expiresAt,
      note: input.note ?? null,
    });
    await tx.audit.append({
      orgId: row.orgId,
      actor: actorOf(actor),
      action: 'enrollment_token.create',
      subject: `enrollment_token:${row.id}`,
      details: { prefix: row.prefix, expiresAt: row.expiresAt, note: row.note },
    });
    return row;
  });
  return { enrollmentToken, token: issued.token };
}

export async function revokeEnrollmentToken(
  storage: Storage,
  actor: Principal,
  id: string,
): Promise<EnrollmentToken> {
  const token = await storage.enrollmentTokens.get(id);
  if (token === undefined || token.orgId !== actor.orgId) {
    throw new StorageError('not_found', `enrollment token ${id} not found`);
  }
  if (!can(actor, 'agents:enroll', { orgId: token.orgId })) {
    throw new AuthError('forbidden', 'revoking enrollment tokens needs the admin role');
  }
  return storage.transaction(async (tx) => {
    const revoked = await tx.enrollmentTokens.revoke(token.id);
    await tx.audit.append({
      orgId: token.orgId,
      actor: actorOf(actor),
      action: 'enrollment_token.revoke',
      subject: `enrollment_token:${token.id}`,
    });
    return revoked;
  });
}

export interface EnrollInput {
  token: string;
  /** Becomes the target's name (the agent defaults it to its hostname). */
  name: string;
  version?: string | null;
  facts?: Record<string, unknown> | null;
  labels?: Record<string, string>;
}

const UNUSABLE = 'enrollment token is invalid, used, revoked or expired';

/**
 * Exchange an enrollment token for an agent credential. Unauthenticated by nature (the token is
 * the authentication); every way a token can be bad gives the same answer.
 */
export async function enrollAgent(
  storage: Storage,
  input: EnrollInput,
): Promise<{ agent: Agent; target: Target; credential: string }> {
  const parsed = parseToken(input.token);
  if (parsed === undefined || parsed.kind !== 'enroll') throw new AuthError('unauthenticated', UNUSABLE);
  const match = await storage.enrollmentTokens.findByPrefix(parsed.prefix);
  const ok = secretMatches(parsed.secret, match?.hash ?? NO_SUCH_HASH);
  if (match === undefined || !ok) throw new AuthError('unauthenticated', UNUSABLE);
  const enrollment = match.row;
  const credential = issueToken('agent');

  return storage.transaction(async (tx) => {
    const target = await tx.targets.create({
      orgId: enrollment.orgId,
      kind: 'host',
      name: input.name,
      labels: input.labels ?? {},
    });
    const agent = await tx.agents.create({
      orgId: enrollment.orgId,
      targetId: target.id,
      name: input.name,
      credentialPrefix: credential.prefix,
      credentialHash: credential.hash,
      version: input.version ?? null,
      facts: input.facts ?? null,
    });
    // Throwing rolls back the target and agent: the token stays as it was.
    if (!(await tx.enrollmentTokens.consume(enrollment.id, agent.id))) {
      throw new AuthError('unauthenticated', UNUSABLE);
    }
    await tx.audit.append({
      orgId: enrollment.orgId,
      actor: `agent:${agent.id}`,
      action: 'agent.enroll',
      subject: `agent:${agent.id}`,
      details: {
        name: agent.name,
        targetId: target.id,
        enrollmentTokenId: enrollment.id,
        version: agent.version,
      },
    });
    return { agent, target, credential: credential.token };
  });
}

/** The principal an agent credential stands for; undefined when unknown, wrong or revoked. */
export async function verifyAgentCredential(
  storage: Storage,
  token: string,
): Promise<AgentPrincipal | undefined> {
  const parsed = parseToken(token);
  if (parsed === undefined || parsed.kind !== 'agent') return undefined;
  const match = await storage.agents.findByCredentialPrefix(parsed.prefix);
  const ok = secretMatches(parsed.secret, match?.hash ?? NO_SUCH_HASH);
  if (match === undefined || !ok || match.row.revokedAt !== null) return undefined;
  return { kind: 'agent', agentId: match.row.id, orgId: match.row.orgId, targetId: match.row.targetId };
}

/** Revoke an agent: its credential stops working at the next request. */
export async function revokeAgent(storage: Storage, actor: Principal, agentId: string): Promise<Agent> {
  const agent = await storage.agents.get(agentId);
  if (agent === undefined || agent.orgId !== actor.orgId)
    throw new StorageError('not_found', `agent ${agentId} not found`);
  if (!can(actor, 'agents:manage', { orgId: agent.orgId })) {
    throw new AuthError('forbidden', 'revoking agents needs the admin role');
  }
  return storage.transaction(async (tx) => {
    const revoked = await tx.agents.revoke(agent.id);
    await tx.audit.append({
      orgId: agent.orgId,
      actor: actorOf(actor),
      action: 'agent.revoke',
      subject: `agent:${agent.id}`,
    });
    return revoked;
  });
}
