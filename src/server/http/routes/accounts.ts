/** Login, users and API keys. The services in src/server/auth do the work and the auditing. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys.js';
import { login } from '../../auth/login.js';
import { createUser } from '../../auth/users.js';
import { ROLES } from '../../storage/types.js';
import { principalOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { idParams, pageQuery } from '../schemas.js';

const loginBody = z
  .strictObject({
    username: z.string().min(1).max(320).optional(),
    email: z.string().min(1).max(320).optional(),
    password: z.string().min(1).max(1024),
  })
  .refine((b) => (b.username === undefined) !== (b.email === undefined), {
    message: 'give exactly one of username or email',
    path: ['username'],
  });

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { storage, sessions, clock, loginRateLimit } = app.deps;

  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a user name or email and password for a session token',
        body: loginBody,
        security: [],
      },
    },
    async (request) => {
      const { username, email, password } = request.body;
      const result = await login(storage, sessions, { login: (username ?? email)!, password });
      if (result === undefined) throw new HttpError(401, 'unauthenticated', 'invalid credentials');
      return { token: result.token, expiresAt: result.expiresAt, user: result.user };
    },
  );

  app.get(
    '/users',
    { config: { action: 'users:read' }, schema: { tags: ['users'], querystring: z.strictObject(pageQuery) } },
    async (request) => storage.users.list({ orgId: principalOf(request).orgId, ...request.query }),
  );

  app.post(
    '/users',
    {
      config: { action: 'users:admin' },
      schema: {
        tags: ['users'],
        body: z.strictObject({
          email: z.email().max(320),
          name: z
            .string()
            .min(1)
            .max(100)
            .regex(/^[^@\s]+$/, 'must not contain @ or spaces')
            .optional(),
          role: z.enum(ROLES),
          password: z.string().max(1024).optional(),
        }),
      },
    },
    async (request, reply) => {
      const user = await createUser(storage, principalOf(request), request.body);
      return reply.status(201).send(user);
    },
  );

  app.get(
    '/api-keys',
    {
      config: { action: 'api-keys:manage' },
      schema: {
        tags: ['api-keys'],
        querystring: z.strictObject({ ...pageQuery, all: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request) => {
      const { all, ...page } = request.query;
      return listApiKeys(storage, principalOf(request), { ...page, all: all === 'true' });
    },
  );

  app.post(
    '/api-keys',
    {
      config: { action: 'api-keys:manage' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the token is in this answer only',
        body: z.strictObject({
          name: z.string().min(1).max(100),
          role: z.enum(ROLES).optional(),
          expiresAt: z.iso.datetime().nullable().optional(),
        }),
      },
    },
    async (request, reply) => {
      const { apiKey, token } = await createApiKey(storage, principalOf(request), request.body, clock);
      return reply.status(201).send({ ...apiKey, token });
    },
  );

  app.delete(
    '/api-keys/:id',
    { config: { action: 'api-keys:manage' }, schema: { tags: ['api-keys'], params: idParams } },
    async (request) => revokeApiKey(storage, principalOf(request), request.params.id),
  );
};
