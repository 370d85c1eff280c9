/**
 * Retention purge: delete what is older than the configured number of days, in small batches so
 * no transaction holds the (SQLite) write lock long and a cancelled job stops between batches.
 *
 * Three horizons, because their value differs: rule results (evidence, the bulk of the data) go
 * first; scan rows (score and summary, which feed trends) can be kept longer; finished job rows
 * are only operational history. Only finished scans are touched; stuck ones are the stale-scan
 * cleanup's business. The audit log is append-only and never purged.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditRepo } from '../../storage/repos/audit.js';
import type { Database } from '../../storage/schema.js';
import type { JobHandler } from '../worker.js';

const FINISHED_SCANS = ['completed', 'failed', 'cancelled'];
const DAY_MS = 86_400_000;

const days = z.number().int().min(1).nullable();

/** Days to keep each kind of row; null keeps it forever. */
export const retentionPolicySchema = z.object({
  resultDays: days.optional(),
  scanDays: days.optional(),
  jobDays: days.optional(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const DEFAULT_RETENTION: Required<RetentionPolicy> = { resultDays: 90, scanDays: 365, jobDays: 30 };

export interface PurgeCounts {
  ruleResults: number;
  scans: number;
  jobs: number;
}

export interface PurgeOptions {
  batchSize?: number;
  signal?: AbortSignal;
}

function cutoff(now: Date, keepDays: number): string {
  return new Date(now.getTime() - keepDays * DAY_MS).toISOString();
}

export async function purgeExpired(
  db: Kysely<Database>,
  now: Date,
  policy: RetentionPolicy,
  options: PurgeOptions = {},
): Promise<PurgeCounts> {
  const batch = options.batchSize ?? 500;
  const counts: PurgeCounts = { ruleResults: 0, scans: 0, jobs: 0 };
  const { resultDays, scanDays, jobDays } = { ...DEFAULT_RETENTION, ...policy };

  const deleteResultsOf = async (scanIds: string[]) => {
    const deleted = await db.deleteFrom('rule_results').where('scan_id', 'in', scanIds).executeTakeFirst();
    counts.ruleResults += Number(deleted.numDeletedRows);
  };

  if (resultDays !== null) {
    const before = cutoff(now, resultDays);
    for (;;) {
      options.signal?.throwIfAborted();
      const ids = await db
        .selectFrom('scans')
        .select('id')
        .where('status', 'in', FINISHED_SCANS)
        .where('created_at', '<', before)
        .where((eb) =>
          eb.exists(eb.selectFrom('rule_results').select('seq').whereRef('scan_id', '=', 'scans.id')),
        )
        .limit(batch)
        .execute();
      if (ids.length === 0) break;
      await deleteResultsOf(ids.map((r) => r.id));
    }
  }

  if (scanDays !== null) {
    const before = cutoff(now, scanDays);
    for (;;) {
      options.signal?.throwIfAborted();
      const ids = (
        await db
          .selectFrom('scans')
          .select('id')
          .where('status', 'in', FINISHED_SCANS)
          .where('created_at', '<', before)
          .limit(batch)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) break;
      // Results first (counted), then the scans; the foreign key would cascade anyway.
      await db.transaction().execute(async (trx) => {
        const results = await trx.deleteFrom('rule_results').where('scan_id', 'in', ids).executeTakeFirst();
        counts.ruleResults += Number(results.numDeletedRows);
        const scans = await trx.deleteFrom('scans').where('id', 'in', ids).executeTakeFirst();
        counts.scans += Number(scans.numDeletedRows);
      });
    }
  }

  if (jobDays !== null) {
    const deleted = await db
      .deleteFrom('jobs')
      .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
      .where('finished_at', '<', cutoff(now, jobDays))
      .executeTakeFirst();
    counts.jobs = Number(deleted.numDeletedRows);
  }
  return counts;
}

/**
 * The handler: `defaults` come from the server configuration; a job payload may override any
 * horizon (e.g. an admin-triggered purge). Records what it deleted in the audit log.
 */
export function retentionPurgeHandler(
  storage: { db: Kysely<Database> },
  defaults: RetentionPolicy = {},
  clock: () => Date = () => new Date(),
): JobHandler<RetentionPolicy> {
  const checkedDefaults = retentionPolicySchema.parse(defaults);
  return {
    concurrency: 1,
    parse: (payload) => retentionPolicySchema.parse(payload ?? {}),
    async run({ payload, signal }) {
      const policy = { ...DEFAULT_RETENTION, ...checkedDefaults, ...payload };
      const counts = await purgeExpired(storage.db, clock(), policy, { signal });
      if (counts.ruleResults + counts.scans + counts.jobs > 0) {
        await auditRepo({ db: storage.db, clock }).append({
          actor: 'system',
          action: 'retention.purge',
          details: { ...counts, policy },
        });
      }
      return counts;
    },
  };
}
