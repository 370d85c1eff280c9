/**
 * What the targets repository does not do yet: update and delete. Labels are stored twice (JSON
 * on the row for reads, `target_labels` rows for selectors, ADR 0004), so an update rewrites both
 * in the caller's transaction.
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation, StorageError } from '../../storage/errors.js';
import type { Database } from '../../storage/schema.js';
import type { Labels, Target } from '../../storage/types.js';

export async function updateTarget(
  trx: Kysely<Database>,
  target: Target,
  change: { name?: string; labels?: Labels; connection?: Record<string, unknown> | null },
  now: string,
): Promise<Target> {
  const next: Target = {
    ...target,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.labels !== undefined ? { labels: change.labels } : {}),
    ...(change.connection !== undefined ? { connection: change.connection } : {}),
    updatedAt: now,
  };
  try {
    await trx
      .updateTable('targets')
      .set({
        name: next.name,
        labels: JSON.stringify(next.labels),
        connection: next.connection === null ? null : JSON.stringify(next.connection),
        updated_at: now,
      })
      .where('id', '=', target.id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new StorageError('conflict', `name: target "${next.name}" exists`);
    throw err;
  }
  if (change.labels !== undefined) {
    await trx.deleteFrom('target_labels').where('target_id', '=', target.id).execute();
    const rows = Object.entries(change.labels).map(([key, value]) => ({ target_id: target.id, key, value }));
    if (rows.length > 0) await trx.insertInto('target_labels').values(rows).execute();
  }
  return next;
}

/** Scans and results of the target go with it (foreign keys cascade); the audit log keeps the trail. */
export async function deleteTarget(trx: Kysely<Database>, id: string): Promise<void> {
  await trx.deleteFrom('targets').where('id', '=', id).execute();
}
