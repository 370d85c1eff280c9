/**
 * Cron schedules stored in the database and the tick that enqueues their runs exactly once across
 * server processes (docs/adr/0006-job-queue.md).
 */
import { MAINTENANCE_JOB_KINDS } from '../jobs/handlers/kinds.js';
import type { Schedule, ScheduleStore } from './store.js';

export { CronError, type CronSpec, nextRunAfter, validateCron } from './cron.js';
export { type FiredRun, Scheduler, type SchedulerOptions, scheduleDedupeKey } from './scheduler.js';
export { type Schedule, type ScheduleInput, type ScheduleStore, scheduleStore } from './store.js';

/** The job kind a scan configuration's schedule enqueues; its payload has `scanConfigId`. */
export const SCHEDULED_SCAN_JOB = 'scan.scheduled';

export function scanConfigScheduleName(scanConfigId: string): string {
  return `scan-config:${scanConfigId}`;
}

/**
 * Keep a scan configuration's schedule row in step with its `schedule` field: a cron expression
 * creates or updates it, null removes it. Invalid expressions are a StorageError('invalid') whose
 * message starts with "schedule:". Deleting the configuration removes the row (foreign key).
 */
export async function syncScanConfigSchedule(
  store: ScheduleStore,
  config: { id: string; schedule: string | null; timezone?: string },
): Promise<Schedule | undefined> {
  const name = scanConfigScheduleName(config.id);
  if (config.schedule === null || config.schedule.trim() === '') {
    await store.remove(name);
    return undefined;
  }
  return store.upsert(
    {
      name,
      cron: config.schedule,
      ...(config.timezone !== undefined ? { timezone: config.timezone } : {}),
      jobKind: SCHEDULED_SCAN_JOB,
      payload: { scanConfigId: config.id },
      scanConfigId: config.id,
    },
    'schedule',
  );
}

export interface MaintenanceScheduleOptions {
  /** Default daily at 03:17 UTC (off the hour, when fewer other crons run). */
  retentionCron?: string;
  /** Default every 5 minutes. */
  staleScanCron?: string;
}

/** Register the maintenance schedules; safe to call on every server start. */
export async function ensureMaintenanceSchedules(
  store: ScheduleStore,
  options: MaintenanceScheduleOptions = {},
): Promise<Schedule[]> {
  return [
    await store.upsert(
      {
        name: 'maintenance:retention-purge',
        cron: options.retentionCron ?? '17 3 * * *',
        jobKind: MAINTENANCE_JOB_KINDS.retentionPurge,
      },
      'retentionCron',
    ),
    await store.upsert(
      {
        name: 'maintenance:stale-scan-cleanup',
        cron: options.staleScanCron ?? '*/5 * * * *',
        jobKind: MAINTENANCE_JOB_KINDS.staleScanCleanup,
      },
      'staleScanCron',
    ),
  ];
}
