import type { Selectable } from 'kysely';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { EnrollmentTokensTable } from '../schema.js';
import type { CredentialMatch, EnrollmentToken, NewEnrollmentToken, Page, PageRequest } from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface EnrollmentTokenFilter extends PageRequest {
  orgId: string;
  /** Only tokens that can still be used (not used, not revoked, not expired). */
  usableOnly?: boolean;
}

function toToken(row: Selectable<EnrollmentTokensTable>): EnrollmentToken {
  return {
    id: row.id,
    orgId: row.org_id,
    prefix: row.prefix,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    agentId: row.agent_id,
    revokedAt: row.revoked_at,
  };
}

export function enrollmentTokensRepo(ctx: RepoContext) {
  const get = async (id: string): Promise<EnrollmentToken | undefined> => {
    if (!isId(id)) return undefined;
    const row = await ctx.db
      .selectFrom('enrollment_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toToken(row);
  };

  return {
    get,

    async create(input: NewEnrollmentToken): Promise<EnrollmentToken> {
      const { id, at } = stamp(ctx);
      if (!(input.expiresAt > at))
        throw new StorageError('invalid', 'enrollment token must expire in the future');
      const row = {
        id,
        org_id: input.orgId,
        prefix: input.prefix,
        token_hash: input.tokenHash,
        note: input.note ?? null,
        created_by: input.createdBy,
        created_at: at,
        expires_at: input.expiresAt,
        used_at: null,
        agent_id: null,
        revoked_at: null,
      } satisfies Selectable<EnrollmentTokensTable>;
      try {
        await ctx.db.insertInto('enrollment_tokens').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StorageError('conflict', 'enrollment token prefix collision');
        throw err;
      }
      return toToken(row);
    },

    async findByPrefix(prefix: string): Promise<CredentialMatch<EnrollmentToken> | undefined> {
      const row = await ctx.db
        .selectFrom('enrollment_tokens')
        .selectAll()
        .where('prefix', '=', prefix)
        .executeTakeFirst();
      return row && { row: toToken(row), hash: row.token_hash };
    },

    /**
     * Mark a token used by `agentId`, only if it is still usable at this moment. The condition is
     * in the UPDATE itself, so of two agents racing with one token exactly one gets `true`
     * (PostgreSQL re-checks the WHERE after waiting for the other's row lock; SQLite serialises
     * writers). Call inside the transaction that creates the agent, and roll back on `false`.
     */
    async consume(id: string, agentId: string): Promise<boolean> {
      const now = ctx.clock().toISOString();
      const result = await ctx.db
        .updateTable('enrollment_tokens')
        .set({ used_at: now, agent_id: agentId })
        .where('id', '=', isId(id) ? id : '')
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async revoke(id: string): Promise<EnrollmentToken> {
      await ctx.db
        .updateTable('enrollment_tokens')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('id', '=', isId(id) ? id : '')
        .where('revoked_at', 'is', null)
        .where('used_at', 'is', null)
        .execute();
      const token = await get(id);
      if (token === undefined) throw new StorageError('not_found', `enrollment token ${id} not found`);
      return token;
    },

    /** Newest first. */
    async list(filter: EnrollmentTokenFilter): Promise<Page<EnrollmentToken>> {
      const limit = pageSize(filter);
      const before = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('enrollment_tokens').selectAll().where('org_id', '=', filter.orgId);
      if (filter.usableOnly) {
        query = query
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', ctx.clock().toISOString());
      }
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toToken, (r) => r.id);
    },
  };
}
