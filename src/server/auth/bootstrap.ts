/**
 * First start: an empty database gets one organisation and one admin. VOUCH_ADMIN_PASSWORD sets
 * the password; without it a random one is generated and returned so `vouch serve` prints it once
 * (it is stored only as an argon2id hash, nobody can show it again).
 */
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, StorageError } from '../storage/errors.js';
import type { Storage, User } from '../storage/index.js';
import { hashPassword } from './passwords.js';

export const DEFAULT_ORGANISATION = 'default';
export const DEFAULT_ADMIN_NAME = 'admin';
export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export interface EnsureAdminOptions {
  /** VOUCH_ADMIN_PASSWORD; absent or empty: generate one. */
  password?: string;
  email?: string;
  name?: string;
  organisation?: string;
}

export type EnsureAdminResult =
  | { created: false }
  | {
      created: true;
      user: User;
      /** Set only when generated: print it once, then forget it. */
      generatedPassword?: string;
    };

export async function ensureAdmin(
  storage: Storage,
  options: EnsureAdminOptions = {},
): Promise<EnsureAdminResult> {
  if (await storage.users.any()) return { created: false };
  const given = options.password !== undefined && options.password !== '';
  // 18 random bytes -> 24 base64url characters, 144 bits: no need for a policy check.
  const password = given ? options.password! : randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  try {
    const user = await storage.transaction(async (tx) => {
      // Re-checked inside the transaction; a concurrent first start is settled by the unique
      // indexes below (organisation name, email): the loser's insert fails and it backs off.
      if (await tx.users.any()) return undefined;
      const orgName = options.organisation ?? DEFAULT_ORGANISATION;
      const org =
        (await tx.organisations.findByName(orgName)) ?? (await tx.organisations.create({ name: orgName }));
      const admin = await tx.users.create({
        orgId: org.id,
        email: options.email ?? DEFAULT_ADMIN_EMAIL,
        name: options.name ?? DEFAULT_ADMIN_NAME,
        role: 'admin',
        passwordHash,
      });
      await tx.audit.append({
        orgId: org.id,
        actor: 'system',
        action: 'user.create',
        subject: `user:${admin.id}`,
        details: {
          email: admin.email,
          name: admin.name,
          role: admin.role,
          bootstrap: true,
          passwordSource: given ? 'VOUCH_ADMIN_PASSWORD' : 'generated',
        },
      });
      return admin;
    });
    if (user === undefined) return { created: false };
    return given ? { created: true, user } : { created: true, user, generatedPassword: password };
  } catch (err) {
    // Lost the race: the winner's organisation or admin already holds the unique name/email
    // (repositories report that as a StorageError conflict, raw driver errors as a violation).
    if (isUniqueViolation(err) || (err instanceof StorageError && err.code === 'conflict')) {
      if (await storage.users.any()) return { created: false };
    }
    throw err;
  }
}
