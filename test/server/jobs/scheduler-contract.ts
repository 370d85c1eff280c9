/**
 * The scheduler contract on both backends: due runs become jobs, exactly once, even with several
 * schedulers (separate connections / pools = separate server processes) ticking at the same time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobQueue, MAINTENANCE_JOB_KINDS } from '../../../src/server/jobs/index.js';
import {
  ensureMaintenanceSchedules,
  SCHEDULED_SCAN_JOB,
  Scheduler,
  scanConfigScheduleName,
  scheduleDedupeKey,
  syncScanConfigSchedule,
} from '../../../src/server/schedule/index.js';
import { type Storage, StorageError } from '../../../src/server/storage/index.js';
import type { Backend, FreshDatabase } from './backends.js';
import { type ManualClock, manualClock } from './clock.js';

export function runSchedulerContract(name: string, backend: Backend, options: { schedulers: number }) {
  describe(`scheduler: ${name}`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;
    let clock: ManualClock;
    let scheduler: Scheduler;

    beforeEach(async () => {
      fresh = await backend();
      storage = fresh.open();
      await storage.migrate();
      clock = manualClock('2026-03-01T12:00:00.000Z');
      scheduler = new Scheduler(storage, { clock });
    });

    afterEach(async () => {
      await scheduler.stop();
      await fresh.dispose();
    });

    const jobsOf = async () =>
      (await jobQueue(storage, { clock }).list({ limit: 10_000 })).sort((a, b) => a.id.localeCompare(b.id));

    it('enqueues each due run once, at its time, with the schedule in the payload', async () => {
      const s = await scheduler.store.upsert({
        name: 'every-5',
        cron: '*/5 * * * *',
        jobKind: 'k',
        payload: { a: 1 },
      });
      expect(s).toMatchObject({ nextRunAt: '2026-03-01T12:05:00.000Z', enabled: true, timezone: 'UTC' });

      clock.set('2026-03-01T12:04:59.999Z');
      expect(await scheduler.tick()).toEqual([]);
      clock.set('2026-03-01T12:05:00.000Z');
      const fired = await scheduler.tick();
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatchObject({ scheduleId: s.id, scheduledFor: '2026-03-01T12:05:00.000Z' });
      expect(await scheduler.tick()).toEqual([]);
      clock.set('2026-03-01T12:10:30.000Z');
      expect((await scheduler.tick()).map((f) => f.scheduledFor)).toEqual(['2026-03-01T12:10:00.000Z']);

      const jobs = await jobsOf();
      expect(jobs.map((j) => [j.kind, j.payload, j.dedupeKey])).toEqual([
        [
          'k',
          { a: 1, scheduleId: s.id, scheduledFor: '2026-03-01T12:05:00.000Z' },
          `schedule:${s.id}:2026-03-01T12:05:00.000Z`,
        ],
        [
          'k',
          { a: 1, scheduleId: s.id, scheduledFor: '2026-03-01T12:10:00.000Z' },
          `schedule:${s.id}:2026-03-01T12:10:00.000Z`,
        ],
      ]);
      expect(await scheduler.store.get(s.id)).toMatchObject({
        lastRunAt: '2026-03-01T12:10:00.000Z',
        nextRunAt: '2026-03-01T12:15:00.000Z',
      });
    });

    it('after downtime fires a missed schedule once, not once per missed time', async () => {
      const s = await scheduler.store.upsert({ name: 'every-5', cron: '*/5 * * * *', jobKind: 'k' });
      clock.set('2026-03-02T09:02:00.000Z'); // 21 hours and 252 due times later
      const fired = await scheduler.tick();
      expect(fired.map((f) => f.scheduledFor)).toEqual(['2026-03-01T12:05:00.000Z']);
      expect((await scheduler.store.get(s.id))?.nextRunAt).toBe('2026-03-02T09:05:00.000Z');
      expect(await jobsOf()).toHaveLength(1);
    });

    it('reads cron in the schedule time zone', async () => {
      const s = await scheduler.store.upsert({
        name: 'nine-in-berlin',
        cron: '0 9 * * *',
        timezone: 'Europe/Berlin',
        jobKind: 'k',
      });
      expect(s.nextRunAt).toBe('2026-03-02T08:00:00.000Z'); // CET = UTC+1 in March before the switch
    });

    it(`fires every run exactly once with ${options.schedulers} schedulers ticking concurrently`, async () => {
      const schedulers = Array.from(
        { length: options.schedulers },
        () => new Scheduler(fresh.open(), { clock, batchSize: 3 }),
      );
      for (let i = 0; i < 10; i++) {
        await scheduler.store.upsert({ name: `s${i}`, cron: '* * * * *', jobKind: 'k' });
      }
      let firedTotal = 0;
      for (let minute = 1; minute <= 20; minute++) {
        clock.set(new Date(Date.parse('2026-03-01T12:00:00.000Z') + minute * 60_000));
        const results = await Promise.all(schedulers.map((sch) => sch.tick()));
        firedTotal += results.flat().length;
      }
      const jobs = await jobsOf();
      expect(jobs).toHaveLength(200);
      expect(firedTotal).toBe(200);
      const runs = new Set(
        jobs.map(
          (j) =>
            `${(j.payload as { scheduleId: string }).scheduleId}@${(j.payload as { scheduledFor: string }).scheduledFor}`,
        ),
      );
      expect(runs.size).toBe(200);
      await Promise.all(schedulers.map((sch) => sch.stop()));
    });

    it('a scheduler that died between enqueue and advance is completed by the next tick, without a duplicate', async () => {
      const s = await scheduler.store.upsert({ name: 'hourly', cron: '0 * * * *', jobKind: 'k' });
      clock.set('2026-03-01T13:00:00.000Z');
      // What the dead process left: the run's job exists, the schedule was not advanced.
      await jobQueue(storage, { clock }).enqueue(
        'k',
        {},
        { dedupeKey: scheduleDedupeKey(s.id, s.nextRunAt!) },
      );
      expect(await scheduler.tick()).toEqual([]);
      expect(await jobsOf()).toHaveLength(1);
      expect((await scheduler.store.get(s.id))?.nextRunAt).toBe('2026-03-01T14:00:00.000Z');
    });

    it('upsert keeps the due time of an unchanged schedule and recomputes it on change; disabled never fires', async () => {
      await scheduler.store.upsert({ name: 'x', cron: '0 * * * *', jobKind: 'k' });
      clock.set('2026-03-01T12:30:00.000Z');
      expect(
        await scheduler.store.upsert({ name: 'x', cron: '0 * * * *', jobKind: 'k', payload: { v: 2 } }),
      ).toMatchObject({
        nextRunAt: '2026-03-01T13:00:00.000Z',
        payload: { v: 2 },
      });
      expect(await scheduler.store.upsert({ name: 'x', cron: '45 * * * *', jobKind: 'k' })).toMatchObject({
        nextRunAt: '2026-03-01T12:45:00.000Z',
      });
      expect(
        await scheduler.store.upsert({ name: 'x', cron: '45 * * * *', jobKind: 'k', enabled: false }),
      ).toMatchObject({
        enabled: false,
        nextRunAt: null,
      });
      clock.set('2026-03-02T00:00:00.000Z');
      expect(await scheduler.tick()).toEqual([]);
    });

    it('rejects invalid cron expressions with an error naming the field, storing nothing', async () => {
      const cases: Array<[string, string | undefined, string]> = [
        [
          '61 * * * *',
          undefined,
          'schedule: invalid cron expression "61 * * * *": Invalid value for minute: 61',
        ],
        ['* * * *', undefined, 'schedule: invalid cron expression "* * * *": invalid configuration format'],
        ['  ', undefined, 'schedule: cron expression is empty'],
        ['0 0 30 2 *', undefined, 'schedule: cron expression "0 0 30 2 *" never fires after'],
        ['0 9 * * *', 'Mars/Olympus', 'schedule: unknown time zone "Mars/Olympus"'],
      ];
      for (const [cron, timezone, message] of cases) {
        const err = await scheduler.store
          .upsert({ name: 'bad', cron, ...(timezone ? { timezone } : {}), jobKind: 'k' }, 'schedule')
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err, cron).toBeInstanceOf(StorageError);
        expect((err as StorageError).code).toBe('invalid');
        expect((err as StorageError).message.startsWith(message), (err as Error).message).toBe(true);
      }
      expect(await scheduler.store.list()).toEqual([]);
    });

    it('keeps a scan configuration schedule in step and drops it with the configuration', async () => {
      const org = await storage.organisations.create({ name: 'acme' });
      const at = clock().toISOString();
      const configId = '0190a000-0000-7000-8000-000000000001';
      await storage.db
        .insertInto('scan_configs')
        .values({
          id: configId,
          org_id: org.id,
          name: 'nightly',
          profile_id: 'cis',
          target_ids: '[]',
          label_selector: null,
          variables: '{}',
          variables_encrypted: null,
          schedule: '0 2 * * *',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const s = await syncScanConfigSchedule(scheduler.store, { id: configId, schedule: '0 2 * * *' });
      expect(s).toMatchObject({
        name: scanConfigScheduleName(configId),
        jobKind: SCHEDULED_SCAN_JOB,
        payload: { scanConfigId: configId },
        scanConfigId: configId,
        nextRunAt: '2026-03-02T02:00:00.000Z',
      });
      const bad = await syncScanConfigSchedule(scheduler.store, {
        id: configId,
        schedule: 'every night',
      }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(bad?.message).toMatch(/^schedule: invalid cron expression "every night"/);

      await storage.db.deleteFrom('scan_configs').where('id', '=', configId).execute();
      expect(await scheduler.store.list()).toEqual([]);

      await syncScanConfigSchedule(scheduler.store, { id: 'gone', schedule: null });
      expect(await scheduler.store.list()).toEqual([]);
    });

    it('registers the maintenance schedules idempotently', async () => {
      const first = await ensureMaintenanceSchedules(scheduler.store);
      // A second server starting later (same clock reading) changes nothing.
      const again = await ensureMaintenanceSchedules(new Scheduler(fresh.open(), { clock }).store);
      expect(again).toEqual(first);
      expect(first.map((s) => [s.name, s.jobKind, s.nextRunAt])).toEqual([
        ['maintenance:retention-purge', MAINTENANCE_JOB_KINDS.retentionPurge, '2026-03-02T03:17:00.000Z'],
        [
          'maintenance:stale-scan-cleanup',
          MAINTENANCE_JOB_KINDS.staleScanCleanup,
          '2026-03-01T12:05:00.000Z',
        ],
      ]);
    });
  });
}
