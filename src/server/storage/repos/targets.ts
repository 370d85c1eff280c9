import type { Selectable } from 'kysely';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { TargetsTable } from '../schema.js';
import { inTransaction } from '../tx.js';
import {
  type Labels,
  type NewTarget,
  type Page,
  type PageRequest,
  TARGET_KINDS,
  type Target,
} from '../types.js';
import { type RepoContext, stamp } from './context.js';

export interface TargetFilter extends PageRequest {
  orgId: string;
  /** Every label must match (a label selector: AND of equalities). */
  labels?: Labels;
  kind?: string;
}

/**
 * The sealed credentials never leave the row: readers of an SSH connection learn only whether a
 * private key is stored (`hasPrivateKey`).
 */
function toConnection(row: Selectable<TargetsTable>): Record<string, unknown> | null {
  const connection = fromJson<Record<string, unknown>>(row.connection);
  if (connection?.type !== 'ssh') return connection;
  return { ...connection, hasPrivateKey: row.credentials_encrypted !== null };
}

function toTarget(row: Selectable<TargetsTable>): Target {
  return {
    id: row.id,
    orgId: row.org_id,
    kind: row.kind as Target['kind'],
    name: row.name,
    labels: fromJson<Labels>(row.labels),
    connection: toConnection(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkLabels(labels: Labels): void {
  for (const [key, value] of Object.entries(labels)) {
    if (key === '' || typeof value !== 'string') {
      throw new StorageError('invalid', `label "${key}" must have a non-empty key and a string value`);
    }
  }
}

export function targetsRepo(ctx: RepoContext) {
  return {
    async create(input: NewTarget): Promise<Target> {
      if (!(TARGET_KINDS as readonly string[]).includes(input.kind)) {
        throw new StorageError(
          'invalid',
          `unknown target kind "${input.kind}" (known: ${TARGET_KINDS.join(', ')})`,
        );
      }
      if (input.name.trim() === '') throw new StorageError('invalid', 'target name must not be empty');
      const labels = input.labels ?? {};
      checkLabels(labels);
      const { id, at: now } = stamp(ctx);
      const target: Target = {
        id,
        orgId: input.orgId,
        kind: input.kind,
        name: input.name,
        labels,
        connection: input.connection ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await inTransaction(ctx.db, async (trx) => {
          await trx
            .insertInto('targets')
            .values({
              id: target.id,
              org_id: target.orgId,
              kind: target.kind,
              name: target.name,
              labels: toJson(labels),
              connection: target.connection === null ? null : toJson(target.connection),
              created_at: now,
              updated_at: now,
            })
            .execute();
          const rows = Object.entries(labels).map(([key, value]) => ({ target_id: target.id, key, value }));
          if (rows.length > 0) await trx.insertInto('target_labels').values(rows).execute();
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new StorageError('conflict', `target "${input.name}" exists`);
        throw err;
      }
      return target;
    },

    async get(id: string): Promise<Target | undefined> {
      if (!isId(id)) return undefined;
      const row = await ctx.db.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTarget(row);
    },

    /** The target's sealed connection secrets (SECRET_PLACES.targetCredentials), for the scan that uses them. */
    async sealedCredentials(id: string): Promise<string | null> {
      if (!isId(id)) return null;
      const row = await ctx.db
        .selectFrom('targets')
        .select('credentials_encrypted')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.credentials_encrypted ?? null;
    },

    /** Oldest first (ids are time-ordered), so a walk through the pages sees new targets at the end. */
    async list(filter: TargetFilter): Promise<Page<Target>> {
      const limit = pageSize(filter);
      const after = decodeStringCursor(filter.cursor);
      let query = ctx.db
        .selectFrom('targets')
        .selectAll('targets')
        .where('targets.org_id', '=', filter.orgId);
      if (filter.kind !== undefined) query = query.where('targets.kind', '=', filter.kind);
      if (after !== undefined) query = query.where('targets.id', '>', after);
      for (const [key, value] of Object.entries(filter.labels ?? {})) {
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('target_labels')
              .select('target_labels.target_id')
              .whereRef('target_labels.target_id', '=', 'targets.id')
              .where('target_labels.key', '=', key)
              .where('target_labels.value', '=', value),
          ),
        );
      }
      const rows = await query
        .orderBy('targets.id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toTarget, (r) => r.id);
    },
  };
}
