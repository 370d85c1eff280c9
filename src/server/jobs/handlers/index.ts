import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { WorkerOptions } from '../worker.js';
import { MAINTENANCE_JOB_KINDS } from './kinds.js';
import { type RetentionPolicy, retentionPurgeHandler } from './retention.js';
import { type StaleScanPolicy, staleScanCleanupHandler } from './stale-scans.js';

export { MAINTENANCE_JOB_KINDS } from './kinds.js';
export {
  DEFAULT_RETENTION,
  type PurgeCounts,
  purgeExpired,
  type RetentionPolicy,
  retentionPolicySchema,
  retentionPurgeHandler,
} from './retention.js';
export {
  DEFAULT_MAX_RUNNING_MINUTES,
  failStaleScans,
  type StaleScanPolicy,
  staleScanCleanupHandler,
  staleScanPolicySchema,
} from './stale-scans.js';

/** Handlers for the maintenance kinds, to spread into a JobWorker's `handlers`. */
export function maintenanceHandlers(
  storage: { db: Kysely<Database> },
  config: { retention?: RetentionPolicy; staleScans?: StaleScanPolicy; clock?: () => Date } = {},
): WorkerOptions['handlers'] {
  const clock = config.clock ?? (() => new Date());
  return {
    [MAINTENANCE_JOB_KINDS.retentionPurge]: retentionPurgeHandler(storage, config.retention, clock),
    [MAINTENANCE_JOB_KINDS.staleScanCleanup]: staleScanCleanupHandler(storage, config.staleScans, clock),
  };
}
