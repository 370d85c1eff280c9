/**
 * Targets: CRUD with labels, the latest scan's status and score, and a daily score trend. A host
 * target's connection is this machine (none), an offline root filesystem (`{root}`) or a remote
 * host over SSH (`{type: 'ssh', …}`, stores/target-connection.ts); an SSH private key is sealed
 * at rest and never returned (`hasPrivateKey`), and audit entries say what changed, not the key.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/rbac.js';
import { auditRepo } from '../../storage/repos/audit.js';
import { TARGET_KINDS, type Target } from '../../storage/types.js';
import { agentOfTarget } from '../agents/hub.js';
import { ownRow, principalOf } from '../auth.js';
import { trend } from '../dashboard.js';
import { HttpError } from '../errors.js';
import { idParams, labelSelectorQuery, labelsSchema, pageQuery } from '../schemas.js';
import { type CredentialsChange, connectionSchema, splitConnection } from '../stores/target-connection.js';
import { createTarget, deleteTarget, updateTarget } from '../stores/targets.js';

/** What an audit entry says about a key change: that it happened, never the key. */
function credentialsAudit(change: CredentialsChange, had: boolean): Record<string, string> {
  if (change === 'keep') return {};
  if (change === 'remove') return had ? { privateKey: 'removed' } : {};
  return { privateKey: had ? 'replaced' : 'set' };
}

export const targetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage, clock, secrets } = app.deps;

  const withLatest = async (target: Target) => {
    const page = await storage.scans.list({ orgId: target.orgId, targetId: target.id, limit: 1 });
    const latest = page.items[0];
    const completed =
      latest?.status === 'completed'
        ? latest
        : (
            await storage.scans.list({
              orgId: target.orgId,
              targetId: target.id,
              status: 'completed',
              limit: 1,
            })
          ).items[0];
    return {
      ...target,
      latestScan: latest
        ? { id: latest.id, status: latest.status, createdAt: latest.createdAt, finishedAt: latest.finishedAt }
        : null,
      score: completed?.score ?? null,
    };
  };

  app.get(
    '/targets',
    {
      config: { action: 'targets:read' },
      schema: {
        tags: ['targets'],
        querystring: z.strictObject({ ...pageQuery, labels: labelSelectorQuery.optional() }),
      },
    },
    async (request) => {
      const page = await storage.targets.list({ orgId: principalOf(request).orgId, ...request.query });
      return { items: await Promise.all(page.items.map(withLatest)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/targets',
    {
      config: { action: 'targets:write' },
      schema: {
        tags: ['targets'],
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          kind: z.enum(TARGET_KINDS).default('host'),
          labels: labelsSchema.default({}),
          connection: connectionSchema.nullable().optional(),
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { connection: input, ...rest } = request.body;
      const { connection, credentials } =
        input === undefined
          ? { connection: null, credentials: 'keep' as const }
          : splitConnection(input, undefined);
      const target = await storage.db.transaction().execute(async (trx) => {
        const created = await createTarget(
          { trx, clock, secrets },
          { orgId: principal.orgId, ...rest, connection },
          credentials,
        );
        await auditRepo({ db: trx, clock }).append({
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: 'target.create',
          subject: `target:${created.id}`,
          details: {
            name: created.name,
            labels: created.labels,
            connection: created.connection,
            ...credentialsAudit(credentials, false),
          },
        });
        return created;
      });
      return reply.status(201).send(target);
    },
  );

  app.get(
    '/targets/:id',
    { config: { action: 'targets:read' }, schema: { tags: ['targets'], params: idParams } },
    async (request) => withLatest(ownRow(request, await storage.targets.get(request.params.id), 'target')),
  );

  app.patch(
    '/targets/:id',
    {
      config: { action: 'targets:write' },
      schema: {
        tags: ['targets'],
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          labels: labelsSchema.optional(),
          connection: connectionSchema.nullable().optional(),
        }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const target = ownRow(request, await storage.targets.get(request.params.id), 'target');
      const { connection: input, ...rest } = request.body;
      // An agent's host is scanned by its agent (scan-jobs.ts): an SSH connection there would be
      // stored but never used, and a key stored for nothing.
      if (input?.type === 'ssh' && (await agentOfTarget(storage.db, target.id)) !== undefined)
        throw new HttpError(
          400,
          'invalid',
          "body.connection: this target is an agent's host, scanned by its agent; create another target for SSH",
        );
      const split = input === undefined ? undefined : splitConnection(input, target);
      const credentials = split?.credentials ?? 'keep';
      return storage.db.transaction().execute(async (trx) => {
        const updated = await updateTarget(
          { trx, clock, secrets },
          target,
          { ...rest, ...(split !== undefined ? { connection: split.connection } : {}) },
          credentials,
        );
        await auditRepo({ db: trx, clock }).append({
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: 'target.update',
          subject: `target:${target.id}`,
          details: {
            changed: Object.keys(request.body),
            ...(split !== undefined ? { connection: updated.connection } : {}),
            ...credentialsAudit(credentials, target.connection?.hasPrivateKey === true),
          },
        });
        return updated;
      });
    },
  );

  app.delete(
    '/targets/:id',
    { config: { action: 'targets:write' }, schema: { tags: ['targets'], params: idParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const target = ownRow(request, await storage.targets.get(request.params.id), 'target');
      await storage.db.transaction().execute(async (trx) => {
        await deleteTarget(trx, target.id);
        await auditRepo({ db: trx, clock }).append({
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: 'target.delete',
          subject: `target:${target.id}`,
          details: { name: target.name },
        });
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/targets/:id/trend',
    {
      config: { action: 'targets:read' },
      schema: {
        tags: ['targets'],
        params: idParams,
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (request) => {
      const target = ownRow(request, await storage.targets.get(request.params.id), 'target');
      return {
        targetId: target.id,
        days: request.query.days,
        series: await trend(storage, target.id, clock(), request.query.days),
      };
    },
  );
};
