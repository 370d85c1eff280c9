import type { Selectable } from 'kysely';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { ApiKeysTable } from '../schema.js';
import {
  type ApiKey,
  type CredentialMatch,
  type NewApiKey,
  type Page,
  type PageRequest,
  ROLES,
  type Role,
} from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface ApiKeyFilter extends PageRequest {
  orgId: string;
  /** Only this user's keys. */
  userId?: string;
  /** Include revoked keys (default: only active and expired ones). */
  includeRevoked?: boolean;
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    orgId: row.org_id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
  };
}

/** API key rows. Hashing and token formats live in src/server/auth; this stores what it is given. */
export function apiKeysRepo(ctx: RepoContext) {
  const get = async (id: string): Promise<ApiKey | undefined> => {
    if (!isId(id)) return undefined;
    const row = await ctx.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  };

  return {
    get,

    async create(input: NewApiKey): Promise<ApiKey> {
      if (input.name.trim() === '') throw new StorageError('invalid', 'API key name must not be empty');
      if (!(ROLES as readonly string[]).includes(input.role)) {
        throw new StorageError('invalid', `unknown role "${input.role}"`);
      }
      const { id, at } = stamp(ctx);
      const row = {
        id,
        org_id: input.orgId,
        user_id: input.userId,
        name: input.name,
        prefix: input.prefix,
        key_hash: input.keyHash,
        role: input.role,
        created_at: at,
        last_used_at: null,
        revoked_at: null,
        expires_at: input.expiresAt ?? null,
      } satisfies Selectable<ApiKeysTable>;
      try {
        await ctx.db.insertInto('api_keys').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StorageError('conflict', 'API key prefix collision');
        throw err;
      }
      return toApiKey(row);
    },

    /** The key whose token starts with `prefix`, with the hash to verify the secret against. */
    async findByPrefix(prefix: string): Promise<CredentialMatch<ApiKey> | undefined> {
      const row = await ctx.db
        .selectFrom('api_keys')
        .selectAll()
        .where('prefix', '=', prefix)
        .executeTakeFirst();
      return row && { row: toApiKey(row), hash: row.key_hash };
    },

    /** Oldest first. Never returns secrets or hashes. */
    async list(filter: ApiKeyFilter): Promise<Page<ApiKey>> {
      const limit = pageSize(filter);
      const after = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('api_keys').selectAll().where('org_id', '=', filter.orgId);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
      if (after !== undefined) query = query.where('id', '>', after);
      const rows = await query
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toApiKey, (r) => r.id);
    },

    /** Revoke; revoking twice keeps the first time. */
    async revoke(id: string): Promise<ApiKey> {
      await ctx.db
        .updateTable('api_keys')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('id', '=', isId(id) ? id : '')
        .where('revoked_at', 'is', null)
        .execute();
      const key = await get(id);
      if (key === undefined) throw new StorageError('not_found', `API key ${id} not found`);
      return key;
    },

    /**
     * Record use, at most once a minute per key: a write per request would turn every read-only
     * API call into a write (and on SQLite serialise them all behind the one writer).
     */
    async touch(id: string, at: string = ctx.clock().toISOString()): Promise<void> {
      const oneMinuteEarlier = new Date(Date.parse(at) - 60_000).toISOString();
      await ctx.db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('id', '=', isId(id) ? id : '')
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', oneMinuteEarlier)]))
        .execute();
    },
  };
}
