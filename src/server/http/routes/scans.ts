/** Scans: start (202 + a queued job), list with filters, one scan, its results, its report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RESULT_STATUSES, SEVERITIES } from '../../../core/results.js';
import { actorOf } from '../../auth/rbac.js';
import { SCAN_STATUSES, SCAN_TRIGGERS, type Scan } from '../../storage/types.js';
import { ownRow, principalOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { awaitReportJob } from '../report-jobs.js';
import { configTargets, startScans } from '../scan-jobs.js';
import { csvOf, idParams, pageQuery } from '../schemas.js';
import { scanConfigsStore } from '../stores/scan-configs.js';

const startBody = z
  .strictObject({
    targetId: z.string().min(1).max(100).optional(),
    scanConfigId: z.string().min(1).max(100).optional(),
    profileId: z.string().min(1).max(200).optional(),
  })
  .refine((b) => (b.targetId === undefined) !== (b.scanConfigId === undefined), {
    message: 'give exactly one of targetId or scanConfigId',
    path: ['targetId'],
  });

const brief = (scan: Scan) => ({ id: scan.id, status: scan.status, targetId: scan.targetId });

export const scanRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const { storage, clock, secrets, content } = deps;
  const configs = scanConfigsStore({ db: storage.db, clock, secrets });

  app.post(
    '/scans',
    {
      config: { action: 'scans:create' },
      schema: {
        tags: ['scans'],
        summary: 'Start a scan of a target, or of every target of a scan configuration',
        body: startBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { targetId, scanConfigId, profileId } = request.body;
      if (profileId !== undefined) await content.profile(profileId);
      let scans: Scan[];
      if (targetId !== undefined) {
        const target = ownRow(request, await storage.targets.get(targetId), 'target');
        scans = await startScans(deps, {
          orgId: principal.orgId,
          actor: actorOf(principal),
          trigger: 'manual',
          targets: [target],
          profileId: profileId ?? null,
        });
      } else {
        const config = ownRow(request, await configs.get(scanConfigId!), 'scan configuration');
        const targets = await configTargets(storage, config);
        if (targets.length === 0)
          throw new HttpError(
            400,
            'invalid',
            `scanConfigId: configuration "${config.name}" matches no target`,
          );
        scans = await startScans(deps, {
          orgId: principal.orgId,
          actor: actorOf(principal),
          trigger: 'manual',
          targets,
          scanConfig: config,
          profileId: profileId ?? config.profileId,
        });
      }
      const first = scans[0]!;
      return reply.status(202).send({ id: first.id, status: first.status, scans: scans.map(brief) });
    },
  );

  app.get(
    '/scans',
    {
      config: { action: 'scans:read' },
      schema: {
        tags: ['scans'],
        querystring: z.strictObject({
          ...pageQuery,
          status: csvOf(SCAN_STATUSES).optional(),
          targetId: z.string().max(100).optional(),
          trigger: z.enum(SCAN_TRIGGERS).optional(),
        }),
      },
    },
    async (request) => storage.scans.list({ orgId: principalOf(request).orgId, ...request.query }),
  );

  app.get(
    '/scans/:id',
    { config: { action: 'scans:read' }, schema: { tags: ['scans'], params: idParams } },
    async (request) => ownRow(request, await storage.scans.get(request.params.id), 'scan'),
  );

  app.post(
    '/scans/:id/cancel',
    { config: { action: 'scans:cancel' }, schema: { tags: ['scans'], params: idParams } },
    async (request) => {
      const principal = principalOf(request);
      const scan = ownRow(request, await storage.scans.get(request.params.id), 'scan');
      return storage.transaction(async (tx) => {
        const cancelled = await tx.scans.updateStatus(scan.id, 'cancelled');
        await tx.audit.append({
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: 'scan.cancel',
          subject: `scan:${scan.id}`,
        });
        return cancelled;
      });
    },
  );

  app.get(
    '/scans/:id/results',
    {
      config: { action: 'scans:read' },
      schema: {
        tags: ['scans'],
        params: idParams,
        querystring: z.strictObject({
          ...pageQuery,
          status: csvOf(RESULT_STATUSES).optional(),
          severity: csvOf(SEVERITIES).optional(),
        }),
      },
    },
    async (request) => {
      const scan = ownRow(request, await storage.scans.get(request.params.id), 'scan');
      return storage.results.listForScan(scan.id, request.query);
    },
  );

  app.get(
    '/scans/:id/report',
    {
      config: { action: 'reports:read' },
      schema: {
        tags: ['scans'],
        params: idParams,
        querystring: z.strictObject({ format: z.enum(['json', 'html', 'junit', 'sarif']).default('json') }),
      },
    },
    async (request, reply) => {
      const scan = ownRow(request, await storage.scans.get(request.params.id), 'scan');
      if (scan.status !== 'completed' || scan.summary === null) {
        throw new HttpError(
          409,
          'not_ready',
          `scan ${scan.id} is ${scan.status}: reports exist for completed scans`,
        );
      }
      const { format } = request.query;
      // Rendered by the job queue (report-jobs.ts): once per scan and format, by any server process.
      const outcome = await awaitReportJob(
        storage,
        { scanId: scan.id, format },
        { waitMs: app.deps.reportWaitMs, wake: () => app.deps.wakeJobs() },
      );
      if (outcome.state === 'failed') {
        throw new HttpError(500, 'report_failed', `rendering the report failed (job ${outcome.job.id})`);
      }
      if (outcome.state === 'pending') {
        return reply
          .status(202)
          .header('retry-after', '2')
          .send({ status: 'rendering', jobId: outcome.job.id });
      }
      const extension = { json: 'json', html: 'html', junit: 'xml', sarif: 'sarif' }[format];
      return reply
        .type(outcome.report.contentType)
        .header('content-disposition', `attachment; filename="vouch-scan-${scan.id}.${extension}"`)
        .send(outcome.report.body);
    },
  );
};
