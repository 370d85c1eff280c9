/**
 * The job-queue contract: one suite every backend must pass (sqlite.test.ts, postgres.test.ts).
 * Time is a manual clock: leases, backoff and due times move only when a test advances it, so
 * nothing here depends on how fast the machine is.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type JobAbortedError,
  type JobHandler,
  type JobsRepo,
  JobWorker,
  jobQueue,
  PermanentJobError,
  type WorkerOptions,
} from '../../../src/server/jobs/index.js';
import { type Storage, StorageError } from '../../../src/server/storage/index.js';
import type { Backend, FreshDatabase } from './backends.js';
import { gate, type ManualClock, manualClock } from './clock.js';
import { runKilledWorker, runWorkerProcesses } from './killed-worker.js';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

export function runQueueContract(name: string, backend: Backend, options: { workers: number; jobs: number }) {
  describe(`job queue: ${name}`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;
    let clock: ManualClock;
    let queue: JobsRepo;
    const workers: JobWorker[] = [];

    beforeEach(async () => {
      fresh = await backend();
      storage = fresh.open();
      await storage.migrate();
      clock = manualClock();
      queue = jobQueue(storage, { clock });
    });

    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 100 })));
      await fresh.dispose();
    });

    function worker(handlers: WorkerOptions['handlers'], extra: Partial<WorkerOptions> = {}, on = storage) {
      const w = new JobWorker(on, { handlers, clock, leaseMs: 30_000, random: () => 1, ...extra });
      workers.push(w);
      return w;
    }

    const ok = (log: string[]): JobHandler<{ n: string }> => ({
      run: ({ payload }) => {
        log.push(payload.n);
        return { done: payload.n };
      },
    });

    it('claims by priority, then due time, then enqueue order; future jobs wait for their time', async () => {
      const log: string[] = [];
      await queue.enqueue('t', { n: 'a' });
      await queue.enqueue('t', { n: 'b' }, { priority: 5 });
      await queue.enqueue('t', { n: 'c' });
      await queue.enqueue('t', { n: 'later' }, { runAt: new Date(clock().getTime() + 60_000), priority: 9 });
      await queue.enqueue('t', { n: 'd' }, { priority: 5 });
      await queue.enqueue('t', { n: 'early' }, { runAt: new Date(clock().getTime() - 60_000) });
      const w = worker({ t: ok(log) }, { concurrency: 1 });
      await w.drain();
      expect(log).toEqual(['b', 'd', 'early', 'a', 'c']);
      clock.advance(60_000);
      await w.drain();
      expect(log.at(-1)).toBe('later');
      const done = await queue.list({ status: 'succeeded' });
      expect(done).toHaveLength(6);
      expect(done.find((j) => j.payload && (j.payload as { n: string }).n === 'b')).toMatchObject({
        attempts: 1,
        result: { done: 'b' },
        lockedBy: null,
        leaseId: null,
      });
    });

    it('only claims kinds it has handlers for', async () => {
      const { job } = await queue.enqueue('other', {});
      await worker({ t: ok([]) }).drain();
      expect((await queue.get(job.id))?.status).toBe('queued');
    });

    it('dedupes by key, and enqueues atomically with the caller transaction', async () => {
      const first = await queue.enqueue('t', { n: '1' }, { dedupeKey: 'k1' });
      const again = await queue.enqueue('t', { n: '2' }, { dedupeKey: 'k1' });
      expect(first.created).toBe(true);
      expect(again).toEqual({ job: first.job, created: false });

      const err = await errorOf(
        storage.db.transaction().execute(async (trx) => {
          await jobQueue({ db: trx, dialect: storage.dialect }, { clock }).enqueue('t', { n: 'tx' });
          throw new Error('roll back');
        }),
      );
      expect((err as Error).message).toBe('roll back');
      expect(await queue.list()).toHaveLength(1);
    });

    it.each([
      [{ maxAttempts: 0 }, 'job maxAttempts: must be an integer >= 1, got 0'],
      [{ priority: 1.5 }, 'job priority: must be an integer, got 1.5'],
      [{ runAt: new Date('nope') }, 'job runAt: invalid date'],
    ])('rejects bad options %o', async (opts, message) => {
      const err = await errorOf(queue.enqueue('t', {}, opts));
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).message).toBe(message);
    });

    it('retries with exponential backoff, then fails for good keeping the last error', async () => {
      let calls = 0;
      const { job } = await queue.enqueue('t', {}, { maxAttempts: 3 });
      const w = worker(
        {
          t: {
            run: () => {
              calls++;
              throw new Error(`boom ${calls}`);
            },
          },
        },
        { backoff: { baseMs: 1000, maxMs: 60_000 } },
      );
      const start = clock().getTime();
      await w.drain();
      let row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: 'boom 1' });
      expect(row.runAt).toBe(new Date(start + 1000).toISOString());

      clock.advance(999);
      await w.drain();
      expect(calls).toBe(1); // not due yet

      clock.advance(1);
      await w.drain();
      row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'queued', attempts: 2, lastError: 'boom 2' });
      expect(row.runAt).toBe(new Date(start + 1000 + 2000).toISOString());

      clock.advance(2000);
      await w.drain();
      row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
      expect(row.finishedAt).toBe(clock().toISOString());
      clock.advance(3_600_000);
      await w.drain();
      expect(calls).toBe(3);
    });

    it('succeeds on a later attempt; permanent errors and bad payloads are not retried', async () => {
      let flaky = 0;
      const a = await queue.enqueue('flaky', {});
      const b = await queue.enqueue('permanent', {});
      const c = await queue.enqueue('typed', { count: 'three' });
      const w = worker({
        flaky: {
          run: () => {
            if (++flaky === 1) throw new Error('transient');
            return 'fine';
          },
        },
        permanent: {
          run: () => {
            throw new PermanentJobError('target deleted');
          },
        },
        typed: {
          parse: (p) => {
            const count = (p as { count: unknown }).count;
            if (typeof count !== 'number') throw new Error('count: expected a number');
            return { count };
          },
          run: () => 'never',
        },
      });
      await w.drain();
      clock.advance(1000);
      await w.drain();
      expect(await queue.get(a.job.id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'fine' });
      expect(await queue.get(b.job.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'PermanentJobError: target deleted',
      });
      expect(await queue.get(c.job.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'invalid payload: count: expected a number',
      });
    });

    it('reclaims a job whose worker stopped heartbeating once the lease expires', async () => {
      const hung = gate<string>();
      let seenSignal: AbortSignal | undefined;
      const a = worker({
        t: {
          run: ({ signal }) => {
            seenSignal = signal;
            return hung.promise;
          },
        },
      });
      const b = worker({ t: { run: () => 'from b' } }, {}, fresh.open());
      const { job } = await queue.enqueue('t', {});
      expect(await a.tick()).toBe(1);
      expect(await queue.get(job.id)).toMatchObject({ status: 'running', lockedBy: a.id, attempts: 1 });

      clock.advance(30_000); // lease end reached, not passed
      expect(await b.tick()).toBe(0);
      clock.advance(1);
      await b.drain();
      const row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'succeeded', attempts: 2, result: 'from b' });

      // A comes back: its heartbeat finds the lease gone and aborts the handler; its late result
      // changes nothing.
      await a.heartbeat();
      expect(seenSignal?.aborted).toBe(true);
      expect((seenSignal!.reason as JobAbortedError).reason).toBe('lease_lost');
      hung.open('from a, too late');
      await a.drain();
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', result: 'from b' });
    });

    it('heartbeats keep a long job leased', async () => {
      const slow = gate<string>();
      const a = worker({ t: { run: () => slow.promise } });
      const b = worker({ t: { run: () => 'stolen' } });
      const { job } = await queue.enqueue('t', {});
      await a.tick();
      for (let i = 0; i < 5; i++) {
        clock.advance(20_000);
        await a.heartbeat();
        await b.tick();
      }
      expect(await queue.get(job.id)).toMatchObject({ status: 'running', lockedBy: a.id, attempts: 1 });
      slow.open('mine');
      await a.drain();
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', result: 'mine' });
    });

    it('fails a job whose lease expired on its last attempt', async () => {
      const a = worker({ t: { run: () => new Promise(() => {}) } });
      const { job } = await queue.enqueue('t', {}, { maxAttempts: 1 });
      await a.tick();
      clock.advance(30_001);
      await worker({ t: { run: () => 'x' } }).tick();
      const row = (await queue.get(job.id))!;
      expect(row.status).toBe('failed');
      expect(row.lastError).toBe(`lease expired: worker ${a.id} stopped heartbeating (attempt 1)`);
    });

    it('reclaims the job of a worker process killed with SIGKILL', async () => {
      const { job } = await queue.enqueue('crashy', { note: 'survives its worker' });
      const child = await runKilledWorker(fresh.config, 5_000);
      expect(child.claimed).toBe(job.id);
      expect(child.signal).toBe('SIGKILL');
      expect(await queue.get(job.id)).toMatchObject({ status: 'running', lockedBy: child.workerId });

      // The child leased it with the real clock; move ours past that lease.
      clock.set(new Date(Date.now() + 5_001));
      const runs: string[] = [];
      await worker({ crashy: { run: ({ job: j }) => runs.push(j.id) } }).drain();
      expect(runs).toEqual([job.id]);
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    });

    it('respects the per-kind concurrency limit', async () => {
      const gates = Array.from({ length: 5 }, () => gate());
      let running = 0;
      let peak = 0;
      const w = worker(
        {
          slow: {
            concurrency: 2,
            run: async ({ payload }) => {
              running++;
              peak = Math.max(peak, running);
              await gates[(payload as { i: number }).i]!.promise;
              running--;
            },
          },
          fast: { run: () => 'ok' },
        },
        { concurrency: 10 },
      );
      for (let i = 0; i < 5; i++) await queue.enqueue('slow', { i });
      for (let i = 0; i < 3; i++) await queue.enqueue('fast', {});
      expect(await w.tick()).toBe(5); // 2 slow + 3 fast
      expect((await queue.list({ status: 'running', kind: 'slow' })).length).toBe(2);
      const done = w.drain();
      for (const g of gates) g.open();
      await done;
      expect(peak).toBe(2);
      expect(
        (await queue.list()).map((j) => `${j.kind}:${j.status}:${j.attempts}:${j.lastError}`).sort(),
      ).toEqual(Array(3).fill('fast:succeeded:1:null').concat(Array(5).fill('slow:succeeded:1:null')));
    });

    it(`runs each job exactly once with ${options.workers} processes claiming concurrently`, async () => {
      const total = options.workers * options.jobs;
      for (let i = 0; i < total; i += 100) {
        await storage.db
          .insertInto('jobs')
          .values(
            Array.from({ length: Math.min(100, total - i) }, (_, j) => ({
              id: crypto.randomUUID(),
              kind: 'count',
              payload: JSON.stringify({ i: i + j }),
              status: 'queued',
              run_at: clock().toISOString(),
              created_at: clock().toISOString(),
              updated_at: clock().toISOString(),
            })),
          )
          .execute();
      }
      const runs = new Map<string, number>();
      const byWorker = new Map<string, number>();
      const pools = Array.from({ length: options.workers }, () => fresh.open());
      const ws = pools.map((pool, n) =>
        worker(
          {
            count: {
              run: async ({ job }) => {
                runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
                byWorker.set(`w${n}`, (byWorker.get(`w${n}`) ?? 0) + 1);
                // Yield so the pools interleave their claims.
                await new Promise((resolve) => setImmediate(resolve));
              },
            },
          },
          { id: `w${n}`, concurrency: 4 },
          pool,
        ),
      );
      await Promise.all(ws.map((w) => w.drain()));
      expect(runs.size).toBe(total);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      const stats = await queue.stats();
      expect(stats).toEqual([{ kind: 'count', status: 'succeeded', count: total }]);
      const attempts = await storage.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.max('attempts').as('max'))
        .executeTakeFirstOrThrow();
      expect(Number(attempts.max)).toBe(1);
      expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(total);
    });

    it('runs each job exactly once with 3 real worker processes', async () => {
      for (let i = 0; i < 150; i++) await queue.enqueue('count', { i });
      const ran = await runWorkerProcesses(fresh.config, 3);
      const all = ran.flat();
      expect(all).toHaveLength(150);
      expect(new Set(all).size).toBe(150);
      expect(await queue.stats()).toEqual([{ kind: 'count', status: 'succeeded', count: 150 }]);
    });

    it('cancels queued and running jobs; finished ones cannot be cancelled', async () => {
      const log: string[] = [];
      const queued = await queue.enqueue('t', { n: 'queued' });
      expect(await queue.cancel(queued.job.id)).toMatchObject({
        status: 'cancelled',
        lastError: 'cancelled',
      });

      let signal: AbortSignal | undefined;
      const release = gate<string>();
      const running = await queue.enqueue('long', {});
      const w = worker({
        t: ok(log),
        long: {
          run: async ({ signal: s }) => {
            signal = s;
            return release.promise;
          },
        },
      });
      await w.tick();
      expect(log).toEqual([]);
      await queue.cancel(running.job.id, 'user asked');
      await w.heartbeat();
      expect((signal!.reason as JobAbortedError).reason).toBe('cancelled');
      release.open('finished anyway');
      await w.drain();
      expect(await queue.get(running.job.id)).toMatchObject({
        status: 'cancelled',
        lastError: 'user asked',
        result: null,
      });

      const err = await errorOf(queue.cancel(running.job.id));
      expect((err as StorageError).code).toBe('invalid_transition');
      expect((err as StorageError).message).toBe(`job ${running.job.id} is cancelled, cannot be cancelled`);
      expect(
        ((await errorOf(queue.cancel('00000000-0000-7000-8000-000000000000'))) as StorageError).code,
      ).toBe('not_found');
    });

    it('shutdown waits for running jobs and claims nothing new', async () => {
      const finish = gate<string>();
      const w = worker({ t: { run: () => finish.promise } });
      const a = await queue.enqueue('t', {});
      await w.tick();
      const stopping = w.stop({ timeoutMs: 60_000 });
      const b = await queue.enqueue('t', {});
      finish.open('done');
      expect(await stopping).toEqual({ finished: 1, released: [] });
      expect(await queue.get(a.job.id)).toMatchObject({ status: 'succeeded', result: 'done' });
      expect(await w.tick()).toBe(0);
      expect(await queue.get(b.job.id)).toMatchObject({ status: 'queued', attempts: 0 });
    });

    it('shutdown releases jobs still running at the timeout, uncounted, for another worker', async () => {
      let reason: unknown;
      const w = worker({
        t: {
          run: ({ signal }) =>
            new Promise((_, reject) => {
              signal.addEventListener('abort', () => {
                reason = signal.reason;
                reject(signal.reason);
              });
            }),
        },
      });
      const { job } = await queue.enqueue('t', {});
      await w.tick();
      const result = await w.stop({ timeoutMs: 20 });
      expect(result).toEqual({ finished: 0, released: [job.id] });
      expect((reason as JobAbortedError).reason).toBe('shutdown');
      const row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
      expect(row.lastError).toBe(`released: worker ${w.id} shut down before it finished`);
      await worker({ t: { run: () => 'second worker' } }).drain();
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    });

    it('start() polls on its own and picks up jobs enqueued later', async () => {
      const log: string[] = [];
      const w = worker({ t: ok(log) }, { pollMs: 10 });
      w.start();
      await queue.enqueue('t', { n: 'x' });
      await queue.enqueue('t', { n: 'y' });
      await expect.poll(() => log.length, { timeout: 10_000, interval: 10 }).toBe(2);
      await w.stop();
      expect(log.sort()).toEqual(['x', 'y']);
    });
  });
}
