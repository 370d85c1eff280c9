/** Unauthenticated operations endpoints: health (with a storage round trip) and Prometheus metrics. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { bearerToken } from '../../auth/authenticate.js';
import { HttpError } from '../errors.js';

function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage, metrics, metricsToken } = app.deps;

  app.get(
    '/health',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and storage check' } },
    async (request, reply) => {
      const started = performance.now();
      try {
        await sql`select 1`.execute(storage.db);
        return {
          status: 'ok',
          storage: { dialect: storage.dialect, ok: true, latencyMs: Math.round(performance.now() - started) },
        };
      } catch (err) {
        request.log.error({ err }, 'health check: storage unreachable');
        return reply
          .status(503)
          .send({ status: 'unavailable', storage: { dialect: storage.dialect, ok: false } });
      }
    },
  );

  app.get(
    '/metrics',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Prometheus metrics' } },
    async (request, reply) => {
      if (
        metricsToken !== undefined &&
        !sameToken(bearerToken(request.headers.authorization), metricsToken)
      ) {
        throw new HttpError(401, 'unauthenticated', 'metrics need the metrics bearer token');
      }
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
};
