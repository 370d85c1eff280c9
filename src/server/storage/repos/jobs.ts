/**
 * The persisted job queue's rows: enqueue, claim, lease upkeep and the end states. The worker pool
 * (src/server/jobs/worker.ts) drives these; nothing here keeps state between calls, so several
 * server processes on one database share the queue. See docs/adr/0006-job-queue.md.
 *
 * Ownership rule: every change to a running job is guarded by its `lease_id` (a fresh token per
 * claim). A worker that lost its lease (expired and reclaimed, or cancelled) matches no row, so a
 * late completion, retry or heartbeat from it changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import { StorageError } from '../errors.js';
import { isId, newId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import type { Dialect } from '../migrations.js';
import type { JobsTable } from '../schema.js';
import type { RepoContext } from './context.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
const FINISHED: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  dedupeKey: string | null;
  lockedBy: string | null;
  leaseId: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Higher first among due jobs; default 0. */
  priority?: number;
  /** Claims allowed before the job is failed for good; default 5. */
  maxAttempts?: number;
  /**
   * At most one job per key, ever (like an idempotency key): enqueueing an existing key returns
   * the job already stored (`created: false`). Schedules use "schedule:<id>:<time>".
   */
  dedupeKey?: string;
}

export interface ClaimRequest {
  /** Kinds this worker may take now (those with a handler and a free slot). */
  kinds: readonly string[];
  workerId: string;
  leaseMs: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: fromJson(row.payload),
    status: row.status as JobStatus,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    dedupeKey: row.dedupe_key,
    lockedBy: row.locked_by,
    leaseId: row.lease_id,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    result: fromJson(row.result),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function checkOptions(kind: string, options: EnqueueOptions): void {
  if (kind.trim() === '') throw new StorageError('invalid', 'job kind: must not be empty');
  const { priority, maxAttempts, runAt } = options;
  if (priority !== undefined && !Number.isSafeInteger(priority)) {
    throw new StorageError('invalid', `job priority: must be an integer, got ${priority}`);
  }
  if (maxAttempts !== undefined && (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)) {
    throw new StorageError('invalid', `job maxAttempts: must be an integer >= 1, got ${maxAttempts}`);
  }
  if (runAt !== undefined && Number.isNaN(runAt.getTime())) {
    throw new StorageError('invalid', 'job runAt: invalid date');
  }
}

export function jobsRepo(ctx: RepoContext, dialect: Dialect) {
  const now = () => ctx.clock();
  const iso = (d: Date) => d.toISOString();
  const later = (ms: number) => new Date(now().getTime() + ms).toISOString();

  const get = async (id: string): Promise<Job | undefined> => {
    if (!isId(id)) return undefined;
    const row = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  };

  const byDedupeKey = async (key: string): Promise<Job | undefined> => {
    const row = await ctx.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
    return row && toJob(row);
  };

  /** Claim order: highest priority, then earliest due, then oldest (ids are time-ordered). */
  const claimable = (db: RepoContext['db'], kinds: readonly string[], at: string) =>
    db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'queued')
      .where('run_at', '<=', at)
      .where('kind', 'in', kinds)
      .orderBy('priority', 'desc')
      .orderBy('run_at', 'asc')
      .orderBy('id', 'asc')
      .limit(1);

  /** Change a job we hold the lease of; false when it is no longer ours. */
  const whileLeased = async (job: Pick<Job, 'id' | 'leaseId'>, set: Partial<Selectable<JobsTable>>) => {
    const result = await ctx.db
      .updateTable('jobs')
      .set({ ...set, updated_at: iso(now()) })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('lease_id', '=', job.leaseId ?? '')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };

  return {
    get,

    /**
     * Store a queued job. Works inside `storage.transaction`, so a scan row and the job that runs
     * it commit together or not at all.
     */
    async enqueue<P>(
      kind: string,
      payload: P,
      options: EnqueueOptions = {},
    ): Promise<{ job: Job<P>; created: boolean }> {
      checkOptions(kind, options);
      const at = now();
      const row = {
        id: newId(at.getTime()),
        kind,
        payload: toJson(payload ?? null),
        status: 'queued',
        priority: options.priority ?? 0,
        attempts: 0,
        max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        run_at: iso(options.runAt ?? at),
        dedupe_key: options.dedupeKey ?? null,
        locked_by: null,
        lease_id: null,
        locked_until: null,
        last_error: null,
        result: null,
        created_at: iso(at),
        updated_at: iso(at),
        started_at: null,
        finished_at: null,
      } satisfies Selectable<JobsTable>;
      if (row.dedupe_key === null) {
        await ctx.db.insertInto('jobs').values(row).execute();
        return { job: toJob(row) as Job<P>, created: true };
      }
      // ON CONFLICT DO NOTHING rather than catching the error: in PostgreSQL a failed INSERT
      // would abort a caller's surrounding transaction.
      const inserted = await ctx.db
        .insertInto('jobs')
        .values(row)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return { job: toJob(row) as Job<P>, created: true };
      const existing = await byDedupeKey(row.dedupe_key);
      if (existing === undefined) throw new Error(`job with dedupe key ${row.dedupe_key} vanished`);
      return { job: existing as Job<P>, created: false };
    },

    /**
     * Take the next due job of one of `kinds` and lease it to `workerId`: status running, one more
     * attempt, a fresh lease token, lease end = now + leaseMs.
     */
    async claim(request: ClaimRequest): Promise<Job | undefined> {
      if (request.kinds.length === 0) return undefined;
      const at = iso(now());
      const lease = {
        status: 'running',
        locked_by: request.workerId,
        lease_id: randomUUID(),
        locked_until: later(request.leaseMs),
        updated_at: at,
      };
      if (dialect === 'postgres') {
        // Several processes poll the same rows. FOR UPDATE SKIP LOCKED makes each skip the rows
        // another transaction is claiming instead of queueing behind it (or double-claiming
        // after it commits): each job goes to exactly one claimer, and claimers never block.
        const run = (trx: RepoContext['db']) =>
          (async () => {
            const next = await claimable(trx, request.kinds, at).forUpdate().skipLocked().executeTakeFirst();
            if (next === undefined) return undefined;
            return trx
              .updateTable('jobs')
              .set((eb) => ({
                ...lease,
                attempts: eb('attempts', '+', 1),
                started_at: eb.fn.coalesce('started_at', eb.val(at)),
              }))
              .where('id', '=', next.id)
              .returningAll()
              .executeTakeFirstOrThrow();
          })();
        const row = ctx.db.isTransaction
          ? await run(ctx.db)
          : await ctx.db.transaction().execute((trx) => run(trx));
        return row && toJob(row);
      }
      // SQLite: one UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING * statement. SQLite
      // serialises writers: the statement takes the database write lock before it reads, so the
      // sub-select and the update see the same snapshot and no other connection or process can
      // claim the row in between. (A two-statement SELECT-then-UPDATE transaction would not be safe
      // across processes without BEGIN IMMEDIATE.) The status guard is belt and braces.
      const row = await ctx.db
        .updateTable('jobs')
        .set((eb) => ({
          ...lease,
          attempts: eb('attempts', '+', 1),
          started_at: eb.fn.coalesce('started_at', eb.val(at)),
        }))
        .where('id', '=', (eb) => eb.selectFrom(claimable(ctx.db, request.kinds, at).as('c')).select('c.id'))
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      return row && toJob(row);
    },

    /** Extend the lease; false means the job is no longer ours (cancelled or reclaimed). */
    heartbeat(job: Pick<Job, 'id' | 'leaseId'>, leaseMs: number): Promise<boolean> {
      return whileLeased(job, { locked_until: later(leaseMs) });
    },

    succeed(job: Pick<Job, 'id' | 'leaseId'>, result: unknown): Promise<boolean> {
      const at = iso(now());
      return whileLeased(job, {
        status: 'succeeded',
        result: result === undefined ? null : toJson(result),
        finished_at: at,
        locked_by: null,
        lease_id: null,
        locked_until: null,
      });
    },

    /** Back to the queue for another attempt at `runAt`, keeping the error. */
    retry(job: Pick<Job, 'id' | 'leaseId'>, error: string, runAt: Date): Promise<boolean> {
      return whileLeased(job, {
        status: 'queued',
        run_at: iso(runAt),
        last_error: error,
        locked_by: null,
        lease_id: null,
        locked_until: null,
      });
    },

    /** Dead: no more attempts. The last error stays on the row. */
    fail(job: Pick<Job, 'id' | 'leaseId'>, error: string): Promise<boolean> {
      return whileLeased(job, {
        status: 'failed',
        last_error: error,
        finished_at: iso(now()),
        locked_by: null,
        lease_id: null,
        locked_until: null,
      });
    },

    /**
     * Give a job back untouched (graceful shutdown ran out of time): queued again, due now, and
     * the attempt it used is not counted against it.
     */
    async release(job: Pick<Job, 'id' | 'leaseId'>, reason: string): Promise<boolean> {
      const result = await ctx.db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued',
          attempts: eb('attempts', '-', 1),
          run_at: iso(now()),
          last_error: reason,
          locked_by: null,
          lease_id: null,
          locked_until: null,
          updated_at: iso(now()),
        }))
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('lease_id', '=', job.leaseId ?? '')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Running jobs whose lease ended (their worker stopped heartbeating: killed, hung, cut off)
     * go back to the queue, due now — or to `failed` when they used their last attempt, so a job
     * that kills its worker every time cannot loop forever. One UPDATE: concurrent reapers in
     * other processes cannot both move a row (the second re-checks the WHERE after the first).
     */
    async reapExpired(): Promise<number> {
      const at = iso(now());
      const result = await ctx.db
        .updateTable('jobs')
        .set((eb) => ({
          status: eb
            .case()
            .when('attempts', '>=', eb.ref('max_attempts'))
            .then('failed')
            .else('queued')
            .end(),
          finished_at: eb.case().when('attempts', '>=', eb.ref('max_attempts')).then(at).else(null).end(),
          last_error: sql<string>`'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped heartbeating (attempt ' || cast(attempts as text) || ')'`,
          run_at: at,
          locked_by: null,
          lease_id: null,
          locked_until: null,
          updated_at: at,
        }))
        .where('status', '=', 'running')
        .where('locked_until', '<', at)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Cancel a queued or running job. A running job's worker learns it at its next heartbeat
     * (the lease no longer matches) and its handler's AbortSignal fires.
     */
    async cancel(id: string, reason = 'cancelled'): Promise<Job> {
      const at = iso(now());
      const result = await ctx.db
        .updateTable('jobs')
        .set({
          status: 'cancelled',
          last_error: reason,
          finished_at: at,
          locked_by: null,
          lease_id: null,
          locked_until: null,
          updated_at: at,
        })
        .where('id', '=', isId(id) ? id : '')
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      const job = await get(id);
      if (job === undefined) throw new StorageError('not_found', `job ${id} not found`);
      if (Number(result.numUpdatedRows) === 0) {
        throw new StorageError('invalid_transition', `job ${id} is ${job.status}, cannot be cancelled`);
      }
      return job;
    },

    /** Jobs by status and kind, newest first (admin views, tests). */
    async list(filter: { status?: JobStatus; kind?: string; limit?: number } = {}): Promise<Job[]> {
      let query = ctx.db.selectFrom('jobs').selectAll();
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(filter.limit ?? 100, 1), 10_000))
        .execute();
      return rows.map(toJob);
    },

    /** Counts by kind and status: queue depth for /metrics. */
    async stats(): Promise<Array<{ kind: string; status: JobStatus; count: number }>> {
      const rows = await ctx.db
        .selectFrom('jobs')
        .select((eb) => ['kind', 'status', eb.fn.countAll<number | string>().as('count')])
        .groupBy(['kind', 'status'])
        .orderBy('kind')
        .orderBy('status')
        .execute();
      return rows.map((r) => ({ kind: r.kind, status: r.status as JobStatus, count: Number(r.count) }));
    },

    /** Delete finished jobs that ended before `before` (retention); returns how many. */
    async purgeFinished(before: Date): Promise<number> {
      const result = await ctx.db
        .deleteFrom('jobs')
        .where('status', 'in', FINISHED)
        .where('finished_at', '<', iso(before))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type JobsRepo = ReturnType<typeof jobsRepo>;
