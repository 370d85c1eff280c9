/** Job kinds of the server's own upkeep, shared by the handlers and the schedules that enqueue them. */
export const MAINTENANCE_JOB_KINDS = {
  retentionPurge: 'maintenance.retention-purge',
  staleScanCleanup: 'maintenance.stale-scan-cleanup',
} as const;
