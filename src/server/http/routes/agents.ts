/**
 * Agents: an admin creates one-time enrollment tokens; `vouch agent` exchanges one for its own
 * credential at POST /agents/enroll (public: the token is the authentication). The WebSocket the
 * agents keep open comes with `vouch agent`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createEnrollmentToken, enrollAgent } from '../../auth/agents.js';
import { principalOf } from '../auth.js';
import { labelsSchema, pageQuery } from '../schemas.js';

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage, clock, loginRateLimit } = app.deps;

  app.post(
    '/agents/enrollment-tokens',
    {
      config: { action: 'agents:enroll' },
      schema: {
        tags: ['agents'],
        summary: 'Create a one-time enrollment token; the token is in this answer only',
        body: z
          .strictObject({
            ttlSeconds: z.number().int().optional(),
            note: z.string().max(500).nullable().optional(),
          })
          .default({}),
      },
    },
    async (request, reply) => {
      const { enrollmentToken, token } = await createEnrollmentToken(
        storage,
        principalOf(request),
        request.body,
        clock,
      );
      return reply.status(201).send({
        token,
        id: enrollmentToken.id,
        prefix: enrollmentToken.prefix,
        expiresAt: enrollmentToken.expiresAt,
      });
    },
  );

  app.post(
    '/agents/enroll',
    {
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['agents'],
        security: [],
        body: z.strictObject({
          token: z.string().min(1).max(200),
          name: z.string().trim().min(1).max(200),
          version: z.string().max(100).nullable().optional(),
          facts: z.record(z.string(), z.unknown()).nullable().optional(),
          labels: labelsSchema.optional(),
        }),
      },
    },
    async (request, reply) => {
      const { agent, target, credential } = await enrollAgent(storage, request.body);
      return reply.status(201).send({ agentId: agent.id, targetId: target.id, credential });
    },
  );

  app.get(
    '/agents',
    {
      config: { action: 'agents:read' },
      schema: {
        tags: ['agents'],
        querystring: z.strictObject({ ...pageQuery, includeRevoked: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request) => {
      const { includeRevoked, ...page } = request.query;
      const list = await storage.agents.list({
        orgId: principalOf(request).orgId,
        ...page,
        includeRevoked: includeRevoked === 'true',
      });
      return {
        items: list.items.map((a) => ({
          id: a.id,
          name: a.name,
          targetId: a.targetId,
          version: a.version,
          enrolledAt: a.enrolledAt,
          lastSeenAt: a.lastSeenAt,
          revokedAt: a.revokedAt,
          connected: app.deps.agents.isConnected(a.id),
        })),
        nextCursor: list.nextCursor,
      };
    },
  );
};
