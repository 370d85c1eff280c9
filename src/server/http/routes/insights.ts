/** Read-only views across the organisation: dashboard and audit log. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import { pageQuery } from '../schemas.js';

export const insightRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage } = app.deps;

  app.get(
    '/dashboard',
    {
      config: { action: 'dashboard:read' },
      schema: {
        tags: ['dashboard'],
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) }),
      },
    },
    async (request) =>
      storage.dashboard.summary(principalOf(request).orgId, { activityDays: request.query.days }),
  );

  app.get(
    '/audit',
    {
      config: { action: 'audit:read' },
      schema: {
        tags: ['audit'],
        querystring: z.strictObject({
          ...pageQuery,
          actor: z.string().max(200).optional(),
          action: z.string().max(200).optional(),
          subject: z.string().max(200).optional(),
        }),
      },
    },
    async (request) => storage.audit.list({ orgId: principalOf(request).orgId, ...request.query }),
  );
};
