/**
 * The job-queue and scheduler contracts against a real PostgreSQL, a fresh database per test.
 * Without a reachable server the suites are skipped locally (with the reason) and fail in CI.
 */
import { describe, it } from 'vitest';
import { postgresBackend, postgresUnavailable } from './backends.js';
import { runMaintenanceContract } from './maintenance-contract.js';
import { runQueueContract } from './queue-contract.js';
import { runSchedulerContract } from './scheduler-contract.js';

const reason = await postgresUnavailable();

if (reason === undefined) {
  // Four pools stand in for four `vouch serve` processes.
  runQueueContract('postgres', postgresBackend, { workers: 4, jobs: 200 });
  // Three pools = three servers ticking at the same moments.
  runSchedulerContract('postgres', postgresBackend, { schedulers: 3 });
  runMaintenanceContract('postgres', postgresBackend);
} else if (process.env.CI === 'true') {
  describe('job queue: postgres', () => {
    it('needs PostgreSQL in CI', () => {
      throw new Error(`${reason} (set VOUCH_TEST_PG_URL; CI must run the PostgreSQL suite)`);
    });
  });
} else {
  console.warn(`skipping the PostgreSQL job-queue contract: ${reason}`);
  describe.skip(`job queue: postgres (skipped: ${reason})`, () => {
    it('runs when PostgreSQL is reachable', () => {});
  });
}
