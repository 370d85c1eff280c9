/**
 * Reports are rendered by the job queue (report.render): once per scan and format, answered from
 * the job's result afterwards, 202 + Retry-After while no worker has rendered it yet, 409 for a
 * scan that is not complete (and then no job at all). Run on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_RENDER_JOB } from '../../../src/server/http/report-jobs.js';
import { jobQueue } from '../../../src/server/jobs/index.js';
import { storageBackends } from '../storage/backends.js';
import { scanResult } from '../storage/fixtures.js';
import { type ApiHarness, openApi } from './harness.js';

const backends = await storageBackends();

describe.each(backends)('report jobs on $name', (backend) => {
  let api: ApiHarness;
  let targetId: string;

  beforeAll(async () => {
    api = await openApi(backend);
    const target = await api.storage.targets.create({ orgId: api.orgId, kind: 'host', name: 'reported' });
    targetId = target.id;
  }, 60_000);

  afterAll(async () => {
    await api?.dispose();
  });

  const reportJobs = async () =>
    (await api.storage.db.selectFrom('jobs').selectAll().where('kind', '=', REPORT_RENDER_JOB).execute()).map(
      (row) => ({ status: row.status, attempts: row.attempts, dedupeKey: row.dedupe_key }),
    );

  const completedScan = async (count: number) =>
    (await api.storage.scans.record({ orgId: api.orgId, targetId, trigger: 'agent' }, scanResult(count))).scan
      .id;

  it('renders a report once through the queue and answers later requests from the job', async () => {
    const before = (await reportJobs()).length;
    const id = await completedScan(12);
    const first = await api.request('GET', `/api/v1/scans/${id}/report?format=junit`, {
      token: api.tokens.auditor,
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('application/xml');
    expect(first.body).toContain('<testsuite');
    expect((first.body.match(/<testcase /g) ?? []).length).toBe(12);

    const second = await api.request('GET', `/api/v1/scans/${id}/report?format=junit`, {
      token: api.tokens.operator,
    });
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    const jobs = (await reportJobs()).slice(before);
    expect(jobs).toEqual([
      { status: 'succeeded', attempts: 1, dedupeKey: expect.stringContaining(`report:${id}:junit:`) },
    ]);

    // Another format is another job.
    const json = await api.request('GET', `/api/v1/scans/${id}/report?format=json`, {
      token: api.tokens.auditor,
    });
    expect(json.statusCode).toBe(200);
    expect(json.json().results).toHaveLength(12);
    expect((await reportJobs()).length).toBe(before + 2);
  });

  it('answers 202 with Retry-After while the job waits for a worker, then the report', async () => {
    const id = await completedScan(3);
    const wake = api.app.deps.wakeJobs;
    const waitMs = api.app.deps.reportWaitMs;
    // As a server process without a worker of its own: nothing renders until a worker polls.
    api.app.deps.wakeJobs = () => undefined;
    api.app.deps.reportWaitMs = 50;
    try {
      const pending = await api.request('GET', `/api/v1/scans/${id}/report?format=sarif`, {
        token: api.tokens.auditor,
      });
      expect(pending.statusCode).toBe(202);
      expect(pending.headers['retry-after']).toBe('2');
      const { status, jobId } = pending.json();
      expect(status).toBe('rendering');
      expect((await jobQueue(api.storage).get(jobId))?.status).toBe('queued');
      await api.drain();
      const done = await api.request('GET', `/api/v1/scans/${id}/report?format=sarif`, {
        token: api.tokens.auditor,
      });
      expect(done.statusCode).toBe(200);
      expect(done.json().runs[0].results.length).toBeGreaterThan(0);
    } finally {
      api.app.deps.wakeJobs = wake;
      api.app.deps.reportWaitMs = waitMs;
    }
  });

  it('refuses a report of a scan that is not complete, without queueing anything', async () => {
    const before = (await reportJobs()).length;
    const queued = await api.request('POST', '/api/v1/scans', {
      token: api.tokens.operator,
      body: { targetId },
    });
    expect(queued.statusCode).toBe(202);
    const report = await api.request('GET', `/api/v1/scans/${queued.json().id}/report`, {
      token: api.tokens.auditor,
    });
    expect(report.statusCode).toBe(409);
    expect(report.json().message).toContain('reports exist for completed scans');
    expect((await reportJobs()).length).toBe(before);
  });
});
