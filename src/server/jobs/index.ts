/**
 * The persisted job queue (docs/adr/0006-job-queue.md): `jobQueue(storage)` to enqueue, inspect
 * and cancel; `JobWorker` to run jobs; maintenance handlers for retention and stale scans.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../storage/migrations.js';
import { type JobsRepo, jobsRepo } from '../storage/repos/jobs.js';
import type { Database } from '../storage/schema.js';

export {
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  JOB_STATUSES,
  type Job,
  type JobStatus,
  type JobsRepo,
} from '../storage/repos/jobs.js';
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export {
  JobAbortedError,
  type JobContext,
  type JobHandler,
  JobWorker,
  PermanentJobError,
  type StopResult,
  type WorkerOptions,
} from './worker.js';

/** The queue over a storage (or a `storage.db` transaction handle, to enqueue atomically). */
export function jobQueue(
  storage: { db: Kysely<Database>; dialect: Dialect },
  options: { clock?: () => Date } = {},
): JobsRepo {
  return jobsRepo({ db: storage.db, clock: options.clock ?? (() => new Date()) }, storage.dialect);
}
export * from './handlers/index.js';
