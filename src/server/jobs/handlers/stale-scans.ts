/**
 * Stale-scan cleanup: a scan that has been `running` longer than the limit lost its runner (agent
 * gone, server killed mid-scan); mark it failed with a reason so it stops showing as running and
 * can be retried. Each change gets an audit entry, in the same transaction.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditRepo } from '../../storage/repos/audit.js';
import type { Database } from '../../storage/schema.js';
import { inTransaction } from '../../storage/tx.js';
import type { JobHandler } from '../worker.js';

export const staleScanPolicySchema = z.object({
  /** A running scan older than this (by started_at) is failed. */
  maxRunningMinutes: z.number().int().min(1).optional(),
});
export type StaleScanPolicy = z.infer<typeof staleScanPolicySchema>;

export const DEFAULT_MAX_RUNNING_MINUTES = 120;

export async function failStaleScans(
  db: Kysely<Database>,
  clock: () => Date,
  maxRunningMinutes: number,
): Promise<string[]> {
  const now = clock();
  const before = new Date(now.getTime() - maxRunningMinutes * 60_000).toISOString();
  const error = `stale: running since before ${before}, longer than the ${maxRunningMinutes} min limit; marked failed by the stale-scan cleanup`;
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .updateTable('scans')
      .set({ status: 'failed', finished_at: now.toISOString(), error })
      .where('status', '=', 'running')
      .where('started_at', '<', before)
      .returning(['id', 'org_id'])
      .execute();
    const audit = auditRepo({ db: trx, clock });
    for (const row of rows) {
      await audit.append({
        orgId: row.org_id,
        actor: 'system',
        action: 'scan.failed_stale',
        subject: `scan:${row.id}`,
        details: { maxRunningMinutes },
      });
    }
    return rows.map((r) => r.id).sort();
  });
}

export function staleScanCleanupHandler(
  storage: { db: Kysely<Database> },
  defaults: StaleScanPolicy = {},
  clock: () => Date = () => new Date(),
): JobHandler<StaleScanPolicy> {
  const checkedDefaults = staleScanPolicySchema.parse(defaults);
  return {
    concurrency: 1,
    parse: (payload) => staleScanPolicySchema.parse(payload ?? {}),
    async run({ payload }) {
      const limit =
        payload.maxRunningMinutes ?? checkedDefaults.maxRunningMinutes ?? DEFAULT_MAX_RUNNING_MINUTES;
      const failed = await failStaleScans(storage.db, clock, limit);
      return { failed };
    },
  };
}
