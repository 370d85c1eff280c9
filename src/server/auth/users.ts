/**
 * User management as the API calls it: authorisation, password hashing and the audit entry,
 * with the change and its audit entry in one transaction.
 */
import { type Storage, StorageError, type User } from '../storage/index.js';
import type { Role } from '../storage/types.js';
import { AuthError } from './errors.js';
import { hashPassword } from './passwords.js';
import { actorOf, can, type Principal } from './rbac.js';

export interface CreateUserInput {
  email: string;
  name?: string | null;
  role: Role;
  /** Absent: the user cannot log in with a password until one is set. */
  password?: string;
}

function requireAdmin(actor: Principal, orgId: string): void {
  if (!can(actor, 'users:admin', { orgId }))
    throw new AuthError('forbidden', 'managing users needs the admin role');
}

/** Create a user in the actor's organisation (a principal never reaches another organisation). */
export async function createUser(storage: Storage, actor: Principal, input: CreateUserInput): Promise<User> {
  requireAdmin(actor, actor.orgId);
  // Hash before the transaction: ~50 ms of CPU should not hold a write lock.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return storage.transaction(async (tx) => {
    const user = await tx.users.create({
      orgId: actor.orgId,
      email: input.email,
      name: input.name ?? null,
      role: input.role,
      passwordHash,
    });
    await tx.audit.append({
      orgId: user.orgId,
      actor: actorOf(actor),
      action: 'user.create',
      subject: `user:${user.id}`,
      details: { email: user.email, name: user.name, role: user.role, password: passwordHash !== null },
    });
    return user;
  });
}

/** A user of the actor's organisation; another organisation's user is "not found", not "forbidden". */
async function userInOrg(storage: Storage, actor: Principal, userId: string): Promise<User> {
  const user = await storage.users.get(userId);
  if (user === undefined || user.orgId !== actor.orgId)
    throw new StorageError('not_found', `user ${userId} not found`);
  return user;
}

/**
 * Disable a user: logins, sessions and their API keys stop working at the next request. Admins
 * cannot disable themselves, so an organisation is not locked out by one click.
 */
export async function disableUser(storage: Storage, actor: Principal, userId: string): Promise<User> {
  requireAdmin(actor, actor.orgId);
  const user = await userInOrg(storage, actor, userId);
  if (actor.kind !== 'agent' && actor.userId === user.id) {
    throw new AuthError('invalid', 'you cannot disable your own account');
  }
  return storage.transaction(async (tx) => {
    if (
      user.role === 'admin' &&
      user.disabledAt === null &&
      (await tx.users.countActiveAdmins(user.orgId)) <= 1
    ) {
      throw new AuthError('invalid', 'the last admin of an organisation cannot be disabled');
    }
    const disabled = await tx.users.disable(user.id);
    await tx.audit.append({
      orgId: user.orgId,
      actor: actorOf(actor),
      action: 'user.disable',
      subject: `user:${user.id}`,
    });
    return disabled;
  });
}

/**
 * Change a user's role. Takes effect at their next request (sessions and keys re-read the user).
 * The organisation's last enabled admin cannot be demoted.
 */
export async function setUserRole(
  storage: Storage,
  actor: Principal,
  userId: string,
  role: Role,
): Promise<User> {
  requireAdmin(actor, actor.orgId);
  const user = await userInOrg(storage, actor, userId);
  if (user.role === role) return user;
  return storage.transaction(async (tx) => {
    if (
      user.role === 'admin' &&
      user.disabledAt === null &&
      (await tx.users.countActiveAdmins(user.orgId)) <= 1
    ) {
      throw new AuthError('invalid', 'the last admin of an organisation cannot be demoted');
    }
    const changed = await tx.users.setRole(user.id, role);
    await tx.audit.append({
      orgId: user.orgId,
      actor: actorOf(actor),
      action: 'user.role_change',
      subject: `user:${user.id}`,
      details: { from: user.role, to: role },
    });
    return changed;
  });
}

/** Set a password: admins for anyone in their organisation, every user for themselves. */
export async function setPassword(
  storage: Storage,
  actor: Principal,
  userId: string,
  password: string,
): Promise<void> {
  const self = actor.kind === 'user' && actor.userId === userId;
  if (!self) requireAdmin(actor, actor.orgId);
  const user = await userInOrg(storage, actor, userId);
  const passwordHash = await hashPassword(password);
  await storage.transaction(async (tx) => {
    await tx.users.setPasswordHash(user.id, passwordHash);
    await tx.audit.append({
      orgId: user.orgId,
      actor: actorOf(actor),
      action: 'user.password_set',
      subject: `user:${user.id}`,
    });
  });
}
