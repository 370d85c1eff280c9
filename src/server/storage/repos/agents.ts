import type { Selectable } from 'kysely';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { AgentsTable } from '../schema.js';
import type { Agent, CredentialMatch, NewAgent, Page, PageRequest } from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface AgentFilter extends PageRequest {
  orgId: string;
  includeRevoked?: boolean;
}

function toAgent(row: Selectable<AgentsTable>): Agent {
  return {
    id: row.id,
    orgId: row.org_id,
    targetId: row.target_id,
    name: row.name,
    version: row.version,
    facts: fromJson<Record<string, unknown>>(row.facts),
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

/** Agents and their credentials (one per agent; revoking the agent revokes it). */
export function agentsRepo(ctx: RepoContext) {
  const get = async (id: string): Promise<Agent | undefined> => {
    if (!isId(id)) return undefined;
    const row = await ctx.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAgent(row);
  };

  return {
    get,

    async create(input: NewAgent): Promise<Agent> {
      if (input.name.trim() === '') throw new StorageError('invalid', 'agent name must not be empty');
      const { id, at } = stamp(ctx);
      const row = {
        id,
        org_id: input.orgId,
        target_id: input.targetId,
        name: input.name,
        credential_prefix: input.credentialPrefix,
        credential_hash: input.credentialHash,
        version: input.version ?? null,
        facts: input.facts == null ? null : toJson(input.facts),
        enrolled_at: at,
        last_seen_at: null,
        revoked_at: null,
      } satisfies Selectable<AgentsTable>;
      try {
        await ctx.db.insertInto('agents').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StorageError('conflict', 'agent credential prefix collision');
        throw err;
      }
      return toAgent(row);
    },

    async findByCredentialPrefix(prefix: string): Promise<CredentialMatch<Agent> | undefined> {
      const row = await ctx.db
        .selectFrom('agents')
        .selectAll()
        .where('credential_prefix', '=', prefix)
        .executeTakeFirst();
      if (row === undefined || row.credential_hash === null) return undefined;
      return { row: toAgent(row), hash: row.credential_hash };
    },

    /** Oldest first. */
    async list(filter: AgentFilter): Promise<Page<Agent>> {
      const limit = pageSize(filter);
      const after = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('agents').selectAll().where('org_id', '=', filter.orgId);
      if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
      if (after !== undefined) query = query.where('id', '>', after);
      const rows = await query
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toAgent, (r) => r.id);
    },

    /** Heartbeat: last seen, and the version and host facts the agent reports. */
    async touch(
      id: string,
      report: { version?: string | null; facts?: Record<string, unknown> | null } = {},
    ): Promise<void> {
      await ctx.db
        .updateTable('agents')
        .set({
          last_seen_at: ctx.clock().toISOString(),
          ...(report.version !== undefined ? { version: report.version } : {}),
          ...(report.facts !== undefined
            ? { facts: report.facts === null ? null : toJson(report.facts) }
            : {}),
        })
        .where('id', '=', isId(id) ? id : '')
        .execute();
    },

    /** Revoke the agent and its credential; revoking twice keeps the first time. */
    async revoke(id: string): Promise<Agent> {
      await ctx.db
        .updateTable('agents')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('id', '=', isId(id) ? id : '')
        .where('revoked_at', 'is', null)
        .execute();
      const agent = await get(id);
      if (agent === undefined) throw new StorageError('not_found', `agent ${id} not found`);
      return agent;
    },
  };
}
