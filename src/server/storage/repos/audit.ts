import type { Selectable } from 'kysely';
import { StorageError } from '../errors.js';
import { fromJson, toJson } from '../json.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { AuditLogTable } from '../schema.js';
import type { AuditEntry, NewAuditEntry, Page, PageRequest } from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface AuditFilter extends PageRequest {
  orgId?: string;
  actor?: string;
  action?: string;
  subject?: string;
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    orgId: row.org_id,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: fromJson<Record<string, unknown>>(row.details),
    at: row.at,
  };
}

/**
 * Append-only: there is no update or delete here, and the database refuses them (migration
 * triggers). To record a change atomically with the change, call append inside
 * storage.transaction().
 */
export function auditRepo(ctx: RepoContext) {
  return {
    async append(input: NewAuditEntry): Promise<AuditEntry> {
      if (input.actor === '' || input.action === '') {
        throw new StorageError('invalid', 'audit entries need an actor and an action');
      }
      const { id, at } = stamp(ctx);
      const entry: AuditEntry = {
        id,
        orgId: input.orgId ?? null,
        actor: input.actor,
        action: input.action,
        subject: input.subject ?? null,
        details: input.details ?? {},
        at,
      };
      await ctx.db
        .insertInto('audit_log')
        .values({
          id: entry.id,
          org_id: entry.orgId,
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject,
          details: toJson(entry.details),
          at: entry.at,
        })
        .execute();
      return entry;
    },

    /** Newest first. */
    async list(filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
      const limit = pageSize(filter);
      const before = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('audit_log').selectAll();
      if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toEntry, (r) => r.id);
    },
  };
}
