/**
 * Report rendering through the job queue (issue 5: heavy work runs as persisted jobs with retries
 * and concurrency limits). A report of a completed scan never changes, so one job per scan, format
 * and Vouch version renders it once; its result (the document) is what every later request for it
 * is answered with, by any server process sharing the database.
 *
 * The HTTP route enqueues (or finds) the job, wakes this process's worker and waits a bounded time
 * for it; a report that takes longer is answered 202 with Retry-After, and the same GET later
 * returns it (docs/server.md, "Reports").
 */
import { z } from 'zod';
import { TOOL_VERSION } from '../../version.js';
import { type JobHandler, jobQueue, PermanentJobError } from '../jobs/index.js';
import type { Storage } from '../storage/index.js';
import type { Job } from '../storage/repos/jobs.js';
import type { ContentCatalogue } from './content.js';
import {
  REPORT_CONTENT_TYPES,
  renderStoredReport,
  type ServerReportFormat,
  storedScanResult,
} from './report.js';

export const REPORT_RENDER_JOB = 'report.render';

/** Rendering is CPU-bound in this process: two at once leave room for scans and requests. */
const REPORT_CONCURRENCY = 2;

const payloadSchema = z.strictObject({
  scanId: z.string().min(1),
  format: z.enum(Object.keys(REPORT_CONTENT_TYPES) as [ServerReportFormat, ...ServerReportFormat[]]),
});
type ReportPayload = z.infer<typeof payloadSchema>;

export interface RenderedReport {
  contentType: string;
  body: string;
}

export function reportDedupeKey(scanId: string, format: ServerReportFormat): string {
  return `report:${scanId}:${format}:${TOOL_VERSION}`;
}

export function reportJobHandlers(deps: {
  storage: Storage;
  content: ContentCatalogue;
}): Record<string, JobHandler<never>> {
  const handler: JobHandler<ReportPayload> = {
    parse: (payload) => payloadSchema.parse(payload),
    concurrency: REPORT_CONCURRENCY,
    async run({ payload }): Promise<RenderedReport> {
      const scan = await deps.storage.scans.get(payload.scanId);
      if (scan === undefined) throw new PermanentJobError(`scan ${payload.scanId} no longer exists`);
      const target = await deps.storage.targets.get(scan.targetId);
      const result = await storedScanResult(deps.storage, deps.content, scan, target);
      const body = await renderStoredReport(payload.format, result, deps.content);
      return { contentType: REPORT_CONTENT_TYPES[payload.format], body };
    },
  };
  return { [REPORT_RENDER_JOB]: handler as JobHandler<never> };
}

export type ReportJobState =
  | { state: 'done'; report: RenderedReport }
  | { state: 'failed'; job: Job }
  | { state: 'pending'; job: Job };

/**
 * The report job of a scan and format: enqueued once, then waited for up to `waitMs`, polling the
 * job row (the worker may be another process) after waking the local worker.
 */
export async function awaitReportJob(
  storage: Storage,
  request: { scanId: string; format: ServerReportFormat },
  options: { waitMs: number; wake: () => void; pollMs?: number },
): Promise<ReportJobState> {
  const queue = jobQueue(storage);
  const { job: enqueued } = await queue.enqueue(REPORT_RENDER_JOB, request, {
    dedupeKey: reportDedupeKey(request.scanId, request.format),
    // Rendering the same stored rows fails the same way every time: a few tries are enough.
    maxAttempts: 3,
  });
  let job: Job = enqueued;
  const deadline = Date.now() + options.waitMs;
  let woken = false;
  for (;;) {
    if (job.status === 'succeeded') return { state: 'done', report: job.result as RenderedReport };
    if (job.status === 'failed' || job.status === 'cancelled') return { state: 'failed', job };
    if (!woken) {
      options.wake();
      woken = true;
    }
    if (Date.now() >= deadline) return { state: 'pending', job };
    await new Promise((done) => setTimeout(done, options.pollMs ?? 20));
    job = (await queue.get(job.id)) ?? job;
  }
}
