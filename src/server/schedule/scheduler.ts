/**
 * The scheduler tick: turns due schedules into jobs. Every `vouch serve` process runs one; with
 * several processes on one PostgreSQL database every scheduled run still fires exactly once.
 *
 * How: a run is identified by (schedule id, due time). For each due schedule a tick
 *   1. enqueues the job with dedupe key "schedule:<id>:<due time>" (INSERT ... ON CONFLICT DO
 *      NOTHING on a unique index): however many processes try, one row exists;
 *   2. moves next_run_at from that due time to the next one with a compare-and-set UPDATE
 *      (WHERE next_run_at = <due time>): only one process moves it, the others match nothing.
 * Both steps are idempotent, so no transaction or lock is needed and a process dying between
 * them loses nothing: the next tick (here or elsewhere) finds the schedule still due, its enqueue
 * is a no-op, and it advances the schedule. Works the same on SQLite.
 *
 * Missed runs (server down across several due times): ONE run, for the first missed due time;
 * the next due time is computed from now, so a week of downtime does not fire 2,016 five-minute
 * scans at once.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../storage/migrations.js';
import { type JobsRepo, jobsRepo } from '../storage/repos/jobs.js';
import type { Database } from '../storage/schema.js';
import { nextRunAfter } from './cron.js';
import { type ScheduleStore, scheduleStore } from './store.js';

export interface FiredRun {
  scheduleId: string;
  scheduleName: string;
  /** The due time this run stands for. */
  scheduledFor: string;
  jobId: string;
}

export interface SchedulerOptions {
  clock?: () => Date;
  /** How often start() ticks; default 1 s (cron has minute or second resolution). */
  tickMs?: number;
  /** Schedules handled per query; a tick keeps going until none is due. */
  batchSize?: number;
  onError?: (err: unknown) => void;
}

export function scheduleDedupeKey(scheduleId: string, scheduledFor: string): string {
  return `schedule:${scheduleId}:${scheduledFor}`;
}

export class Scheduler {
  readonly store: ScheduleStore;
  private readonly jobs: JobsRepo;
  private readonly clock: () => Date;
  private readonly tickMs: number;
  private readonly batchSize: number;
  private readonly onError: (err: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<FiredRun[]> | undefined;
  private stopped = false;

  constructor(storage: { db: Kysely<Database>; dialect: Dialect }, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.tickMs = options.tickMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.onError = options.onError ?? (() => {});
    this.store = scheduleStore({ db: storage.db, clock: this.clock });
    this.jobs = jobsRepo({ db: storage.db, clock: this.clock }, storage.dialect);
  }

  /** Enqueue every due run; returns the runs THIS call created (others may have fired the rest). */
  tick(): Promise<FiredRun[]> {
    this.ticking ??= this.fireDue().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    const loop = () => {
      this.tick()
        .catch((err) => this.onError(err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.tickMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking?.catch(() => []);
  }

  private async fireDue(): Promise<FiredRun[]> {
    const now = this.clock();
    const fired: FiredRun[] = [];
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.store.due(now, this.batchSize)).filter((s) => !seen.has(s.id));
      if (due.length === 0) return fired;
      for (const schedule of due) {
        seen.add(schedule.id);
        const scheduledFor = schedule.nextRunAt!;
        let next: string | null;
        try {
          next = nextRunAfter(schedule, now, `schedule ${schedule.name}`)?.toISOString() ?? null;
        } catch (err) {
          // Stored before a croner upgrade changed what it accepts, or a zone that vanished:
          // report it and park the schedule (next_run_at null) instead of failing every tick.
          this.onError(err);
          next = null;
        }
        const { job, created } = await this.jobs.enqueue(
          schedule.jobKind,
          { ...schedule.payload, scheduleId: schedule.id, scheduledFor },
          { dedupeKey: scheduleDedupeKey(schedule.id, scheduledFor) },
        );
        await this.store.advance(schedule.id, scheduledFor, next);
        if (created) {
          fired.push({ scheduleId: schedule.id, scheduleName: schedule.name, scheduledFor, jobId: job.id });
        }
      }
    }
  }
}
