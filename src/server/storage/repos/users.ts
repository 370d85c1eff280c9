import type { Selectable } from 'kysely';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { UsersTable } from '../schema.js';
import {
  type CredentialMatch,
  type NewUser,
  type Page,
  type PageRequest,
  ROLES,
  type Role,
  type User,
} from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface UserFilter extends PageRequest {
  orgId: string;
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

// Deliberately loose: one "@" with something on both sides. Real validation of an address is
// sending it mail; this only keeps obvious garbage (and user names) out of the email column.
const EMAIL = /^[^\s@]+@[^\s@]+$/;
// A login name must not look like an email, so `findByLogin` can tell them apart.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new StorageError('invalid', `unknown role "${role}" (known: ${ROLES.join(', ')})`);
  }
}

/**
 * Users. Password hashes go in (create, setPasswordHash) and come out only through
 * `findForLogin`, so no other read can leak them into an API response.
 */
export function usersRepo(ctx: RepoContext) {
  const getRow = async (id: string) => {
    if (!isId(id)) return undefined;
    return ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  };

  const byLogin = async (login: string) => {
    const trimmed = login.trim();
    if (trimmed.includes('@')) {
      return ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', normaliseEmail(trimmed))
        .executeTakeFirst();
    }
    return ctx.db.selectFrom('users').selectAll().where('name', '=', trimmed).executeTakeFirst();
  };

  return {
    async create(input: NewUser): Promise<User> {
      const email = normaliseEmail(input.email);
      if (!EMAIL.test(email))
        throw new StorageError('invalid', `email "${input.email}" is not an email address`);
      const name = input.name ?? null;
      if (name !== null && !NAME.test(name)) {
        throw new StorageError(
          'invalid',
          `user name "${name}" must be 1-64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit`,
        );
      }
      checkRole(input.role);
      const { id, at } = stamp(ctx);
      const row = {
        id,
        org_id: input.orgId,
        email,
        name,
        role: input.role,
        password_hash: input.passwordHash ?? null,
        created_at: at,
        disabled_at: null,
      } satisfies Selectable<UsersTable>;
      try {
        await ctx.db.insertInto('users').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new StorageError(
            'conflict',
            `a user with email "${email}"${name ? ` or name "${name}"` : ''} exists`,
          );
        }
        throw err;
      }
      return toUser(row);
    },

    async get(id: string): Promise<User | undefined> {
      const row = await getRow(id);
      return row && toUser(row);
    },

    async findByEmail(email: string): Promise<User | undefined> {
      const row = await ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', normaliseEmail(email))
        .executeTakeFirst();
      return row && toUser(row);
    },

    async findByName(name: string): Promise<User | undefined> {
      const row = await ctx.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toUser(row);
    },

    /** The user a login form names (an email when it contains "@", else a user name), with the hash. */
    async findForLogin(login: string): Promise<CredentialMatch<User> | undefined> {
      const row = await byLogin(login);
      if (row === undefined || row.password_hash === null) return undefined;
      return { row: toUser(row), hash: row.password_hash };
    },

    /** Enabled admins of an organisation (so the last one is not disabled or demoted). */
    async countActiveAdmins(orgId: string): Promise<number> {
      const row = await ctx.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .executeTakeFirstOrThrow();
      // pg returns count(*) as a string (bigint); SQLite as a number.
      return Number(row.n);
    },

    /** Whether any user exists at all (first-start bootstrap). */
    async any(): Promise<boolean> {
      const row = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },

    /** Oldest first. */
    async list(filter: UserFilter): Promise<Page<User>> {
      const limit = pageSize(filter);
      const after = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('users').selectAll().where('org_id', '=', filter.orgId);
      if (after !== undefined) query = query.where('id', '>', after);
      const rows = await query
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toUser, (r) => r.id);
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      const result = await ctx.db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', isId(id) ? id : '')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new StorageError('not_found', `user ${id} not found`);
    },

    async setRole(id: string, role: Role): Promise<User> {
      checkRole(role);
      await ctx.db
        .updateTable('users')
        .set({ role })
        .where('id', '=', isId(id) ? id : '')
        .execute();
      const row = await getRow(id);
      if (row === undefined) throw new StorageError('not_found', `user ${id} not found`);
      return toUser(row);
    },

    /**
     * Disable a user: no more logins, and their sessions and API keys stop working at the next
     * request (authentication re-reads the user). Disabling twice keeps the first time.
     */
    async disable(id: string): Promise<User> {
      await ctx.db
        .updateTable('users')
        .set({ disabled_at: ctx.clock().toISOString() })
        .where('id', '=', isId(id) ? id : '')
        .where('disabled_at', 'is', null)
        .execute();
      const row = await getRow(id);
      if (row === undefined) throw new StorageError('not_found', `user ${id} not found`);
      return toUser(row);
    },
  };
}
