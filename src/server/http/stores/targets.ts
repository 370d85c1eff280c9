/**
 * What the targets repository does not do: create with connection secrets, update and delete.
 * Labels are stored twice (JSON on the row for reads, `target_labels` rows for selectors, ADR
 * 0004), so an update rewrites both in the caller's transaction. Connection secrets (an SSH
 * private key) are sealed here, bound to the row's id, and never put into the `connection` JSON.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secrets.js';
import { isUniqueViolation, StorageError } from '../../storage/errors.js';
import { targetsRepo } from '../../storage/repos/targets.js';
import type { Database } from '../../storage/schema.js';
import type { Labels, NewTarget, Target } from '../../storage/types.js';
import { type CredentialsChange, sealCredentials, withoutDerived } from './target-connection.js';

interface StoreContext {
  trx: Kysely<Database>;
  clock: () => Date;
  secrets: SecretBox;
}

async function writeCredentials(ctx: StoreContext, id: string, change: CredentialsChange): Promise<void> {
  if (change === 'keep') return;
  await ctx.trx
    .updateTable('targets')
    .set({ credentials_encrypted: change === 'remove' ? null : sealCredentials(ctx.secrets, id, change.set) })
    .where('id', '=', id)
    .execute();
}

async function reread(ctx: StoreContext, id: string): Promise<Target> {
  const target = await targetsRepo({ db: ctx.trx, clock: ctx.clock }).get(id);
  if (target === undefined) throw new StorageError('not_found', `target ${id} not found`);
  return target;
}

/** A new target and its sealed credentials, in the caller's transaction. */
export async function createTarget(
  ctx: StoreContext,
  input: NewTarget,
  credentials: CredentialsChange,
): Promise<Target> {
  const created = await targetsRepo({ db: ctx.trx, clock: ctx.clock }).create(input);
  await writeCredentials(ctx, created.id, credentials);
  return reread(ctx, created.id);
}

export async function updateTarget(
  ctx: StoreContext,
  target: Target,
  change: { name?: string; labels?: Labels; connection?: Record<string, unknown> | null },
  credentials: CredentialsChange = 'keep',
): Promise<Target> {
  const { trx } = ctx;
  const now = ctx.clock().toISOString();
  const name = change.name ?? target.name;
  const labels = change.labels ?? target.labels;
  const connection = change.connection !== undefined ? change.connection : target.connection;
  try {
    await trx
      .updateTable('targets')
      .set({
        name,
        labels: JSON.stringify(labels),
        connection: connection === null ? null : JSON.stringify(withoutDerived(connection)),
        updated_at: now,
      })
      .where('id', '=', target.id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new StorageError('conflict', `name: target "${name}" exists`);
    throw err;
  }
  if (change.labels !== undefined) {
    await trx.deleteFrom('target_labels').where('target_id', '=', target.id).execute();
    const rows = Object.entries(change.labels).map(([key, value]) => ({ target_id: target.id, key, value }));
    if (rows.length > 0) await trx.insertInto('target_labels').values(rows).execute();
  }
  await writeCredentials(ctx, target.id, credentials);
  return reread(ctx, target.id);
}

/** Scans and results of the target go with it (foreign keys cascade); the audit log keeps the trail. */
export async function deleteTarget(trx: Kysely<Database>, id: string): Promise<void> {
  await trx.deleteFrom('targets').where('id', '=', id).execute();
}
