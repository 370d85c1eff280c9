/**
 * `vouch serve` as a function: open storage (SQLite in the data directory, or DATABASE_URL),
 * migrate, set up keys and the first admin, build the HTTP server, start the job worker and the
 * scheduler, listen. `close()` shuts down in the reverse order: stop taking requests, stop firing
 * schedules, let running jobs finish (or release them at the timeout), close the database.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setUpSecurity } from '../auth/setup.js';
import { JobWorker, maintenanceHandlers } from '../jobs/index.js';
import { ensureMaintenanceSchedules, Scheduler } from '../schedule/index.js';
import { openStorage, storageConfigFromEnv } from '../storage/index.js';
import { ServerMetrics } from './metrics.js';
import { reportJobHandlers } from './report-jobs.js';
import { scanJobHandlers } from './scan-jobs.js';
import { buildServer } from './server.js';

export interface StartOptions {
  host: string;
  port: number;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Where the one-time admin password and the startup lines go (default stdout). */
  print?: (line: string) => void;
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** Job worker settings (tests shorten the poll interval). */
  worker?: { pollMs?: number; concurrency?: number };
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Exposed so tests can await queued jobs (`worker.drain()`) instead of sleeping. */
  worker: JobWorker;
  scheduler: Scheduler;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const config = storageConfigFromEnv(options.dataDir, env);
  const storage = openStorage(config);
  try {
    const applied = await storage.migrate();
    const security = await setUpSecurity(storage, { dataDir: options.dataDir, env });
    if (security.admin.created) {
      const admin = security.admin.user;
      if (security.admin.generatedPassword !== undefined) {
        print(
          `vouch: created admin user "${admin.name ?? admin.email}" with password ${security.admin.generatedPassword}` +
            ' (shown once; set VOUCH_ADMIN_PASSWORD to choose it)',
        );
      } else {
        print(
          `vouch: created admin user "${admin.name ?? admin.email}" with the password from VOUCH_ADMIN_PASSWORD`,
        );
      }
    }
    const metrics = new ServerMetrics(storage);
    const content = { cacheDir: join(options.dataDir, 'cache') };
    const metricsToken =
      env.VOUCH_METRICS_TOKEN !== undefined && env.VOUCH_METRICS_TOKEN !== ''
        ? env.VOUCH_METRICS_TOKEN
        : undefined;
    const app = await buildServer({
      storage,
      secrets: security.secrets,
      sessions: security.sessions,
      logger: options.logger ?? true,
      metrics,
      content,
      ...(metricsToken !== undefined ? { metricsToken } : {}),
      trustProxy: env.VOUCH_TRUST_PROXY === 'true',
    });
    const log = app.log;
    const worker = new JobWorker(storage, {
      handlers: {
        ...maintenanceHandlers(storage),
        ...scanJobHandlers({
          storage,
          secrets: security.secrets,
          clock: () => new Date(),
          content: app.deps.content,
          metrics,
          // Scans of agent targets go to the agent over its WebSocket instead of running here.
          agents: app.deps.agents,
        }),
        ...reportJobHandlers({ storage, content: app.deps.content }),
      },
      ...(options.worker?.pollMs !== undefined ? { pollMs: options.worker.pollMs } : {}),
      ...(options.worker?.concurrency !== undefined ? { concurrency: options.worker.concurrency } : {}),
      onError: (err, job) => log.error({ err, jobId: job?.id }, 'job worker error'),
    });
    // A report request wakes the worker instead of waiting for its next poll.
    app.deps.wakeJobs = () => {
      void worker.tick().catch((err: unknown) => log.error({ err }, 'job worker wake failed'));
    };
    const scheduler = new Scheduler(storage, { onError: (err) => log.error({ err }, 'scheduler error') });
    await ensureMaintenanceSchedules(scheduler.store);
    const address = await app.listen({ host: options.host, port: options.port });
    worker.start();
    scheduler.start();
    log.info(
      { storage: config.kind, migrationsApplied: applied, keys: security.keys, worker: worker.id },
      `vouch serve listening on ${address}`,
    );
    let closing: Promise<void> | undefined;
    return {
      app,
      url: address,
      worker,
      scheduler,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await scheduler.stop();
          const stopped = await worker.stop({ timeoutMs: options.shutdownTimeoutMs ?? 30_000 });
          if (stopped.released.length > 0)
            log.warn({ released: stopped.released }, 'jobs released at shutdown');
          await storage.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await storage.close().catch(() => undefined);
    throw err;
  }
}
