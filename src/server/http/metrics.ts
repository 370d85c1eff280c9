/**
 * Prometheus metrics for `GET /metrics`. One registry per server instance (tests build several
 * servers in one process; prom-client's global registry would make them collide). Counts that
 * live in the database (scans by status, latest scores, queue depth) are read at scrape time, so
 * every server process sharing a PostgreSQL reports the same truth; durations and HTTP latencies
 * are observed in-process.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { jobQueue } from '../jobs/index.js';
import type { Storage } from '../storage/index.js';
import { SCAN_STATUSES } from '../storage/types.js';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly scanDuration: Histogram<'status'>;
  readonly scansFinished: Counter<'status'>;
  /** Set by the AgentHub whenever an agent connects or disconnects. */
  readonly agentsConnected: Gauge;

  constructor(storage: Storage) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'vouch_http_request_duration_seconds',
      help: 'HTTP request latency by route template',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.scanDuration = new Histogram({
      name: 'vouch_scan_duration_seconds',
      help: 'Wall time of scans run by this process, by final status',
      labelNames: ['status'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers,
    });
    this.scansFinished = new Counter({
      name: 'vouch_scans_finished_total',
      help: 'Scans finished by this process, by final status',
      labelNames: ['status'],
      registers,
    });
    new Gauge({
      name: 'vouch_scans',
      help: 'Scans in the database by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const rows = await storage.db
          .selectFrom('scans')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute();
        this.reset();
        for (const status of SCAN_STATUSES) {
          this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
        }
      },
    });
    new Gauge({
      name: 'vouch_target_latest_score',
      help: 'Score (0-100) of the latest completed scan of each target',
      labelNames: ['target_id', 'target'],
      registers,
      async collect() {
        const rows = await storage.dashboard.latestScores();
        this.reset();
        for (const row of rows) this.set({ target_id: row.targetId, target: row.name }, row.score);
      },
    });
    new Gauge({
      name: 'vouch_job_queue_depth',
      help: 'Jobs in the queue by kind and status (queued, running)',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        const stats = await jobQueue(storage).stats();
        this.reset();
        for (const s of stats) {
          if (s.status === 'queued' || s.status === 'running')
            this.set({ kind: s.kind, status: s.status }, s.count);
        }
      },
    });
    this.agentsConnected = new Gauge({
      name: 'vouch_agents_connected',
      help: 'Agents connected to this process (WebSocket)',
      registers,
    });
    this.agentsConnected.set(0);
  }
}
