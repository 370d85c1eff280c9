/**
 * Scan configurations: a profile, targets (explicit ids or a label selector), variable overrides
 * checked against the profile's variable definitions (sensitive ones sealed at rest and masked in
 * every answer), and an optional cron schedule. Everything is validated before anything is stored.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { SENSITIVE_MASK, type VariableValue } from '../../../core/rules/variables.js';
import { actorOf } from '../../auth/rbac.js';
import { validateCron } from '../../schedule/cron.js';
import { auditRepo } from '../../storage/repos/audit.js';
import type { Database } from '../../storage/schema.js';
import { ownRow, principalOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { idParams, labelsSchema, pageQuery, variableValue } from '../schemas.js';
import { type ScanConfig, type ScanConfigInput, scanConfigsStore } from '../stores/scan-configs.js';

const fields = {
  name: z.string().trim().min(1).max(200),
  profileId: z.string().min(1).max(200),
  targetIds: z.array(z.string().min(1).max(100)).min(1).max(1000).nullable(),
  labelSelector: labelsSchema.nullable(),
  variables: z.record(z.string().min(1).max(200), variableValue),
  schedule: z.string().max(200).nullable(),
};

const createBody = z.strictObject({
  name: fields.name,
  profileId: fields.profileId,
  targetIds: fields.targetIds.optional(),
  labelSelector: fields.labelSelector.optional(),
  variables: fields.variables.default({}),
  schedule: fields.schedule.optional(),
});

const updateBody = z.strictObject({
  name: fields.name.optional(),
  profileId: fields.profileId.optional(),
  targetIds: fields.targetIds.optional(),
  labelSelector: fields.labelSelector.optional(),
  variables: fields.variables.optional(),
  schedule: fields.schedule.optional(),
});

/** What readers see: sensitive overrides as a mask, never their values. */
function masked(config: ScanConfig) {
  const variables: Record<string, VariableValue> = { ...config.variables };
  for (const name of config.sensitiveVariables) variables[name] = SENSITIVE_MASK;
  return { ...config, variables };
}

export const scanConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage, clock, secrets, content } = app.deps;
  const store = scanConfigsStore({ db: storage.db, clock, secrets });

  /** Checks everything that can be checked before a write; throws a 400 naming the field. */
  const prepare = async (
    orgId: string,
    draft: {
      name: string;
      profileId: string;
      targetIds: string[] | null;
      labelSelector: Record<string, string> | null;
      variables: Record<string, VariableValue>;
      schedule: string | null;
    },
  ): Promise<ScanConfigInput> => {
    if ((draft.targetIds === null) === (draft.labelSelector === null)) {
      throw new HttpError(
        400,
        'invalid',
        'targetIds: give either targetIds or labelSelector, not both or neither',
      );
    }
    for (const id of draft.targetIds ?? []) {
      const target = await storage.targets.get(id);
      if (target === undefined || target.orgId !== orgId)
        throw new HttpError(400, 'invalid', `targetIds: unknown target ${id}`);
    }
    const schedule = draft.schedule === null || draft.schedule.trim() === '' ? null : draft.schedule.trim();
    if (schedule !== null) validateCron({ cron: schedule }, 'schedule', clock());
    const { plain, sensitive } = await content.checkOverrides(draft.profileId, draft.variables);
    return { ...draft, schedule, variables: plain, sensitive };
  };

  const audit = (
    trx: Kysely<Database>,
    orgId: string,
    actor: string,
    action: string,
    config: { id: string; name: string },
    details: Record<string, unknown> = {},
  ) =>
    auditRepo({ db: trx, clock }).append({
      orgId,
      actor,
      action,
      subject: `scan_config:${config.id}`,
      details: { name: config.name, ...details },
    });

  app.get(
    '/scan-configs',
    {
      config: { action: 'scan-configs:read' },
      schema: { tags: ['scan-configs'], querystring: z.strictObject(pageQuery) },
    },
    async (request) => {
      const page = await store.list({ orgId: principalOf(request).orgId, ...request.query });
      return { items: page.items.map(masked), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/scan-configs',
    { config: { action: 'scan-configs:write' }, schema: { tags: ['scan-configs'], body: createBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = await prepare(principal.orgId, {
        ...request.body,
        targetIds: request.body.targetIds ?? null,
        labelSelector: request.body.labelSelector ?? null,
        schedule: request.body.schedule ?? null,
      });
      const config = await storage.db.transaction().execute(async (trx) => {
        const created = await store.create(trx, principal.orgId, input);
        await audit(trx, principal.orgId, actorOf(principal), 'scan_config.create', created, {
          profileId: created.profileId,
          schedule: created.schedule,
          variables: Object.keys(input.variables),
          sensitiveVariables: created.sensitiveVariables,
        });
        return created;
      });
      return reply.status(201).send(masked(config));
    },
  );

  app.get(
    '/scan-configs/:id',
    { config: { action: 'scan-configs:read' }, schema: { tags: ['scan-configs'], params: idParams } },
    async (request) => masked(ownRow(request, await store.get(request.params.id), 'scan configuration')),
  );

  app.patch(
    '/scan-configs/:id',
    {
      config: { action: 'scan-configs:write' },
      schema: { tags: ['scan-configs'], params: idParams, body: updateBody },
    },
    async (request) => {
      const principal = principalOf(request);
      const current = ownRow(request, await store.get(request.params.id), 'scan configuration');
      const body = request.body;
      // Only one of targetIds / labelSelector applies: setting one clears the other.
      const targeting =
        body.targetIds != null
          ? { targetIds: body.targetIds, labelSelector: null }
          : body.labelSelector != null
            ? { targetIds: null, labelSelector: body.labelSelector }
            : { targetIds: current.targetIds, labelSelector: current.labelSelector };
      const input = await prepare(principal.orgId, {
        name: body.name ?? current.name,
        profileId: body.profileId ?? current.profileId,
        ...targeting,
        variables: body.variables ?? { ...current.variables, ...(await store.openSensitive(current.id)) },
        schedule: body.schedule === undefined ? current.schedule : body.schedule,
      });
      const config = await storage.db.transaction().execute(async (trx) => {
        const updated = await store.update(trx, current.id, input);
        await audit(trx, principal.orgId, actorOf(principal), 'scan_config.update', updated, {
          changed: Object.keys(body),
        });
        return updated;
      });
      return masked(config);
    },
  );

  app.delete(
    '/scan-configs/:id',
    { config: { action: 'scan-configs:write' }, schema: { tags: ['scan-configs'], params: idParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const current = ownRow(request, await store.get(request.params.id), 'scan configuration');
      await storage.db.transaction().execute(async (trx) => {
        await store.remove(trx, current.id);
        await audit(trx, principal.orgId, actorOf(principal), 'scan_config.delete', current);
      });
      return reply.status(204).send();
    },
  );
};
