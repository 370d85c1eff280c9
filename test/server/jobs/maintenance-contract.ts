/**
 * The maintenance job kinds on both backends, run through a real worker: retention purge and
 * stale-scan cleanup.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JobWorker,
  jobQueue,
  MAINTENANCE_JOB_KINDS,
  maintenanceHandlers,
  purgeExpired,
} from '../../../src/server/jobs/index.js';
import type { Storage } from '../../../src/server/storage/index.js';
import { scanResult } from '../storage/fixtures.js';
import type { Backend, FreshDatabase } from './backends.js';
import { type ManualClock, manualClock } from './clock.js';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;

export function runMaintenanceContract(name: string, backend: Backend) {
  describe(`maintenance jobs: ${name}`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;
    let clock: ManualClock;
    let orgId: string;
    let targetId: string;

    beforeEach(async () => {
      fresh = await backend();
      clock = manualClock(new Date(NOW));
      storage = fresh.open({ clock });
      await storage.migrate();
      orgId = (await storage.organisations.create({ name: 'acme' })).id;
      targetId = (await storage.targets.create({ orgId, kind: 'host', name: 'web-1' })).id;
    });

    afterEach(async () => {
      await fresh.dispose();
    });

    async function completedScan(ageMs: number, results = 5): Promise<string> {
      clock.set(new Date(NOW - ageMs));
      const { scan } = await storage.scans.record(
        { orgId, targetId, trigger: 'manual' },
        scanResult(results),
      );
      clock.set(new Date(NOW));
      return scan.id;
    }

    async function runningScan(ageMs: number): Promise<string> {
      clock.set(new Date(NOW - ageMs));
      const scan = await storage.scans.create({ orgId, targetId, trigger: 'schedule' });
      await storage.scans.updateStatus(scan.id, 'running');
      clock.set(new Date(NOW));
      return scan.id;
    }

    async function resultCount(scanId: string): Promise<number> {
      const row = await storage.db
        .selectFrom('rule_results')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('scan_id', '=', scanId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    function worker(config: Parameters<typeof maintenanceHandlers>[1] = {}) {
      return new JobWorker(storage, { handlers: maintenanceHandlers(storage, { clock, ...config }), clock });
    }

    /** Scans and jobs of many ages; returns their ids. */
    async function history() {
      const ids = {
        ancient: await completedScan(400 * DAY),
        old: await completedScan(100 * DAY),
        month: await completedScan(40 * DAY),
        recent: await completedScan(1 * DAY),
        stuck: await runningScan(400 * DAY),
      };
      const queue = jobQueue(storage, { clock });
      const noop = new JobWorker(storage, { handlers: { noop: { run: () => null } }, clock });
      clock.set(new Date(NOW - 10 * DAY));
      await queue.enqueue('noop', {});
      await noop.drain();
      clock.set(new Date(NOW - 1 * DAY));
      await queue.enqueue('noop', {});
      await noop.drain();
      clock.set(new Date(NOW));
      return ids;
    }

    const policy = { resultDays: 30, scanDays: 365, jobDays: 7 };

    it('retention purge deletes results, scans and finished jobs past their horizons, and audits it', async () => {
      const ids = await history();
      const queue = jobQueue(storage, { clock });
      const { job } = await queue.enqueue(MAINTENANCE_JOB_KINDS.retentionPurge, {});
      await worker({ retention: policy }).drain();

      // ancient: whole scan (5 results); old and month: results only; the noop job from 10 days ago.
      expect(await queue.get(job.id)).toMatchObject({
        status: 'succeeded',
        result: { ruleResults: 15, scans: 1, jobs: 1 },
      });
      expect(await storage.scans.get(ids.ancient)).toBeUndefined();
      expect(await storage.scans.get(ids.old)).toMatchObject({ status: 'completed', score: 72.5 });
      expect(await resultCount(ids.old)).toBe(0);
      expect(await resultCount(ids.month)).toBe(0);
      expect(await resultCount(ids.recent)).toBe(5);
      expect(await storage.scans.get(ids.stuck)).toMatchObject({ status: 'running' });
      expect((await queue.list({ kind: 'noop' })).length).toBe(1);

      const audit = (await storage.audit.list({})).items.filter((e) => e.action === 'retention.purge');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: 'system',
        details: { ruleResults: 15, scans: 1, jobs: 1, policy },
      });

      // Nothing left to do: a second run deletes nothing and writes no audit entry.
      await queue.enqueue(MAINTENANCE_JOB_KINDS.retentionPurge, {});
      await worker({ retention: policy }).drain();
      expect((await storage.audit.list({})).items.filter((e) => e.action === 'retention.purge')).toHaveLength(
        1,
      );
    });

    it('retention purge works in batches of any size; null keeps forever', async () => {
      await history();
      expect(await purgeExpired(storage.db, clock(), policy, { batchSize: 1 })).toEqual({
        ruleResults: 15,
        scans: 1,
        jobs: 1,
      });
      await completedScan(500 * DAY);
      expect(
        await purgeExpired(storage.db, clock(), { resultDays: null, scanDays: null, jobDays: null }),
      ).toEqual({ ruleResults: 0, scans: 0, jobs: 0 });
    });

    it('retention purge rejects a bad horizon in the payload without retrying', async () => {
      const queue = jobQueue(storage, { clock });
      const { job } = await queue.enqueue(MAINTENANCE_JOB_KINDS.retentionPurge, { resultDays: 0 });
      await worker().drain();
      const row = (await queue.get(job.id))!;
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.lastError).toMatch(/^invalid payload: .*resultDays/s);
      expect(() => maintenanceHandlers(storage, { retention: { scanDays: -1 } })).toThrow(/scanDays/);
    });

    it('stale-scan cleanup fails scans running longer than the limit, and audits each', async () => {
      const stale = await runningScan(3 * 3_600_000);
      const fresh10 = await runningScan(10 * 60_000);
      clock.set(new Date(NOW - 5 * 3_600_000));
      const queued = (await storage.scans.create({ orgId, targetId, trigger: 'manual' })).id;
      clock.set(new Date(NOW));
      const done = await completedScan(5 * 3_600_000);

      const queue = jobQueue(storage, { clock });
      const { job } = await queue.enqueue(MAINTENANCE_JOB_KINDS.staleScanCleanup, {});
      await worker({ staleScans: { maxRunningMinutes: 120 } }).drain();
      expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', result: { failed: [stale] } });
      const failed = (await storage.scans.get(stale))!;
      expect(failed).toMatchObject({ status: 'failed', finishedAt: new Date(NOW).toISOString() });
      expect(failed.error).toMatch(
        /^stale: running since before 2026-05-31T22:00:00.000Z, longer than the 120 min limit/,
      );
      expect((await storage.scans.get(fresh10))?.status).toBe('running');
      expect((await storage.scans.get(queued))?.status).toBe('queued');
      expect((await storage.scans.get(done))?.status).toBe('completed');
      const audit = (await storage.audit.list({ orgId })).items.filter(
        (e) => e.action === 'scan.failed_stale',
      );
      expect(audit.map((e) => e.subject)).toEqual([`scan:${stale}`]);

      // A payload may tighten the limit for one run.
      const again = await queue.enqueue(MAINTENANCE_JOB_KINDS.staleScanCleanup, { maxRunningMinutes: 5 });
      await worker().drain();
      expect(await queue.get(again.job.id)).toMatchObject({ result: { failed: [fresh10] } });
    });
  });
}
