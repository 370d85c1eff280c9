/**
 * The worker pool of one server process: claims due jobs of the kinds it has handlers for, runs
 * them with a per-kind concurrency limit, keeps their leases alive with heartbeats, retries
 * failures with backoff, and shuts down gracefully. Several processes may each run one on the
 * same database; the claim (src/server/storage/repos/jobs.ts) hands every job to one of them.
 *
 * Delivery is at-least-once: a job whose worker dies is run again after its lease expires, so
 * handlers must be idempotent (scans check their scan row's status, purges are naturally so).
 */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Dialect } from '../storage/migrations.js';
import { type Job, type JobsRepo, jobsRepo } from '../storage/repos/jobs.js';
import type { Database } from '../storage/schema.js';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

export interface JobContext<P> {
  job: Job<P>;
  payload: P;
  /**
   * Fires when the job is no longer this worker's: cancelled, its lease was taken over, or the
   * pool is shutting down and ran out of time. The handler should stop soon; what it returns or
   * throws afterwards is ignored.
   */
  signal: AbortSignal;
}

export interface JobHandler<P = unknown> {
  run(ctx: JobContext<P>): Promise<unknown> | unknown;
  /** Check and convert the stored payload (e.g. a zod schema's parse); throwing fails the job for good. */
  parse?(payload: unknown): P;
  /** At most this many jobs of this kind at once in this pool; default: the pool's concurrency. */
  concurrency?: number;
}

/** Throw from a handler when retrying cannot help (bad input, deleted target): no more attempts. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** The AbortSignal reason a handler sees. */
export class JobAbortedError extends Error {
  override name = 'JobAbortedError';
  constructor(readonly reason: 'cancelled' | 'lease_lost' | 'shutdown') {
    super(
      reason === 'cancelled'
        ? 'job cancelled'
        : reason === 'lease_lost'
          ? 'job lease lost (expired and reclaimed by another worker)'
          : 'worker pool shutting down',
    );
  }
}

export interface WorkerOptions {
  // biome-ignore lint/suspicious/noExplicitAny: handlers of different payload types share the map
  handlers: Record<string, JobHandler<any>>;
  /** Shown in jobs.locked_by; default host:pid:random. */
  id?: string;
  /** Lease length; a job is reclaimed this long after its worker's last heartbeat. Default 30 s. */
  leaseMs?: number;
  /** Default a third of the lease, so two heartbeats can be lost before the lease ends. */
  heartbeatMs?: number;
  /** How often an idle pool looks for due jobs; default 1 s. */
  pollMs?: number;
  /** Jobs at once across all kinds; default 4. */
  concurrency?: number;
  backoff?: Partial<BackoffPolicy>;
  clock?: () => Date;
  /** [0, 1] for the backoff jitter; tests pin it. */
  random?: () => number;
  /** Errors the pool cannot hand to a job (database down while polling): log them. */
  onError?: (err: unknown, job?: Job) => void;
}

export interface StopResult {
  /** Jobs that finished (either way) during the graceful wait. */
  finished: number;
  /** Jobs still running at the timeout: aborted and put back in the queue for another worker. */
  released: string[];
}

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

const MAX_ERROR_LENGTH = 4000;

function describeError(err: unknown): string {
  const text =
    err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

export class JobWorker {
  readonly id: string;
  private readonly repo: JobsRepo;
  private readonly handlers: WorkerOptions['handlers'];
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly onError: (err: unknown, job?: Job) => void;
  private readonly running = new Map<string, Running>();
  private readonly perKind = new Map<string, number>();
  private ticking: Promise<number> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private started = false;
  /** Jobs finished so far; lets claim rounds and drain() notice slots freed while they ran. */
  private completions = 0;
  private stopping = false;

  constructor(storage: { db: Kysely<Database>; dialect: Dialect }, options: WorkerOptions) {
    this.handlers = options.handlers;
    this.id = options.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.onError = options.onError ?? (() => {});
    this.repo = jobsRepo({ db: storage.db, clock: this.clock }, storage.dialect);
    for (const [kind, handler] of Object.entries(this.handlers)) {
      const limit = handler.concurrency;
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
        throw new Error(`job handler ${kind}: concurrency must be an integer >= 1, got ${limit}`);
      }
    }
  }

  /** Jobs running in this pool now. */
  get active(): number {
    return this.running.size;
  }

  /** Poll for jobs and heartbeat on timers until stop(). */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.heartbeatTimer = setInterval(() => {
      this.heartbeat().catch((err) => this.onError(err));
    }, this.heartbeatMs);
    this.schedulePoll(0);
  }

  /**
   * One round: return expired leases to the queue, then claim and start jobs until the pool or
   * every kind's limit is full or nothing is due. Resolves when the jobs have STARTED (not
   * finished) with how many were started. Rounds never overlap.
   */
  tick(): Promise<number> {
    if (this.stopping) return Promise.resolve(0);
    this.ticking ??= this.claimRound().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /**
   * Run until nothing is due and nothing runs (tests and one-shot maintenance; a server uses
   * start()). Jobs retried into the future are not waited for.
   */
  async drain(): Promise<void> {
    for (;;) {
      // A job finishing during the tick frees a slot the tick may already have passed over.
      const before = this.completions;
      const started = await this.tick();
      if (this.running.size === 0) {
        if (started === 0 && this.completions === before) return;
        continue;
      }
      await Promise.race([...this.running.values()].map((r) => r.done));
    }
  }

  /** Extend the lease of every running job; abort those that are no longer ours. */
  async heartbeat(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async ({ job, controller }) => {
        if (controller.signal.aborted) return;
        const owned = await this.repo.heartbeat(job, this.leaseMs);
        if (owned) return;
        const current = await this.repo.get(job.id);
        controller.abort(new JobAbortedError(current?.status === 'cancelled' ? 'cancelled' : 'lease_lost'));
      }),
    );
  }

  /**
   * Graceful shutdown: stop claiming, keep heartbeating while running jobs finish, for at most
   * `timeoutMs`. Jobs still running then are aborted and released to the queue (their attempt
   * not counted), so another process picks them up at once instead of after a lease timeout.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<StopResult> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    await this.ticking?.catch(() => 0);
    const pending = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.allSettled(pending.map((r) => r.done)).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), options.timeoutMs ?? 30_000);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(this.heartbeatTimer);
    const released: string[] = [];
    if (timedOut) {
      for (const { job, controller } of this.running.values()) {
        controller.abort(new JobAbortedError('shutdown'));
        try {
          if (await this.repo.release(job, `released: worker ${this.id} shut down before it finished`)) {
            released.push(job.id);
          }
        } catch (err) {
          // The lease will expire and another worker reclaims it: slower, still correct.
          this.onError(err, job);
        }
      }
    }
    return { finished: pending.length - released.length, released };
  }

  private schedulePoll(delayMs: number): void {
    if (!this.started || this.stopping) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.tick()
        .catch((err) => this.onError(err))
        .finally(() => this.schedulePoll(this.pollMs));
    }, delayMs);
  }

  private freeKinds(): string[] {
    return Object.entries(this.handlers)
      .filter(([kind, h]) => (this.perKind.get(kind) ?? 0) < (h.concurrency ?? this.concurrency))
      .map(([kind]) => kind);
  }

  private async claimRound(): Promise<number> {
    await this.repo.reapExpired();
    let started = 0;
    for (;;) {
      const before = this.completions;
      while (!this.stopping && this.running.size < this.concurrency) {
        const kinds = this.freeKinds();
        if (kinds.length === 0) break;
        const job = await this.repo.claim({ kinds, workerId: this.id, leaseMs: this.leaseMs });
        if (job === undefined) break;
        this.launch(job);
        started++;
      }
      // Jobs that finished while we were claiming freed slots of kinds this round skipped as
      // full: go again rather than leave them idle until the next poll.
      if (this.stopping || this.completions === before) return started;
    }
  }

  private launch(job: Job): void {
    const controller = new AbortController();
    this.perKind.set(job.kind, (this.perKind.get(job.kind) ?? 0) + 1);
    const done = this.execute(job, controller.signal)
      .catch((err) => this.onError(err, job))
      .finally(() => {
        this.running.delete(job.id);
        this.perKind.set(job.kind, (this.perKind.get(job.kind) ?? 1) - 1);
        this.completions++;
        // A slot is free: look for the next job now rather than at the next poll.
        this.schedulePoll(0);
      });
    this.running.set(job.id, { job, controller, done });
  }

  private async execute(job: Job, signal: AbortSignal): Promise<void> {
    const handler = this.handlers[job.kind];
    if (handler === undefined) {
      // Cannot happen (we only claim our kinds); fail loudly rather than loop.
      await this.repo.fail(job, `no handler for job kind ${job.kind}`);
      return;
    }
    let payload: unknown;
    try {
      payload = handler.parse ? handler.parse(job.payload) : job.payload;
    } catch (err) {
      await this.repo.fail(job, `invalid payload: ${describeError(err)}`);
      return;
    }
    let result: unknown;
    try {
      result = await handler.run({ job, payload, signal });
    } catch (err) {
      // Aborted: the job is someone else's now (or released); its row is not ours to touch.
      if (signal.aborted) return;
      const message = describeError(err);
      if (err instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
        await this.repo.fail(job, message);
      } else {
        const delay = backoffDelay(job.attempts, this.backoff, this.random);
        await this.repo.retry(job, message, new Date(this.clock().getTime() + delay));
      }
      return;
    }
    if (signal.aborted) return;
    await this.repo.succeed(job, result);
  }
}
