/**
 * The HTTP server of `vouch serve`: `buildServer(...)` returns a ready Fastify instance that has
 * not started listening (tests use `app.inject` or `listen({port: 0})`). Starting storage,
 * security, the job worker and the scheduler is `startServer` (runtime.ts).
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { TOOL_VERSION } from '../../scan/run-scan.js';
import type { SessionTokens } from '../auth/sessions.js';
import type { SecretBox } from '../crypto/secrets.js';
import type { Storage } from '../storage/index.js';
import { AgentHub, DEFAULT_SWEEP_MS } from './agents/hub.js';
import { registerAgentSocket } from './agents/socket.js';
import { registerAuth } from './auth.js';
import { ContentCatalogue, type ContentOptions } from './content.js';
import { errorHandler, HttpError } from './errors.js';
import { ServerMetrics } from './metrics.js';
import { registerRoutes } from './routes/index.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Where logs must never show a credential or a sensitive value. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.credential',
  '*.secret',
  '*.privateKey',
  '*.variables',
  'body.password',
  'body.token',
  'body.variables',
];

export interface BuildServerOptions {
  storage: Storage;
  secrets: SecretBox;
  sessions: SessionTokens;
  clock?: () => Date;
  /** Fastify/pino logger options; false (default in tests) for none. */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  bodyLimit?: number;
  /** Requests per minute per client address; login and enroll have their own, lower limit. */
  rateLimit?: { max?: number; loginMax?: number };
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; otherwise it is open. */
  metricsToken?: string;
  content?: ContentOptions;
  /** Shared with the scan job handler so scan durations reach /metrics. */
  metrics?: ServerMetrics;
  /** Behind a reverse proxy: trust X-Forwarded-For for client addresses (rate limits, logs). */
  trustProxy?: boolean;
  /** Interval of the sweep that sends queued scans to the agents connected here (default 5 s). */
  agentSweepMs?: number;
  /** How long GET /scans/:id/report waits for its rendering job before answering 202 (default 15 s). */
  reportWaitMs?: number;
}

export interface ServerDeps {
  storage: Storage;
  secrets: SecretBox;
  sessions: SessionTokens;
  clock: () => Date;
  content: ContentCatalogue;
  metrics: ServerMetrics;
  loginRateLimit: number;
  metricsToken: string | undefined;
  /** Connected agents (WebSocket, agents/socket.ts); the scan job handler dispatches through it. */
  agents: AgentHub;
  reportWaitMs: number;
  agentSweepMs: number;
  /**
   * Asks this process's job worker to look for due jobs now (set by whoever runs the worker; a
   * no-op in a process without one, where another process's worker picks the job up by polling).
   */
  wakeJobs: () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: ServerDeps;
  }
}

export type App = FastifyInstance;

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : {
          level: options.logger === true ? 'info' : (options.logger.level ?? 'info'),
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          ...(options.logger !== true && options.logger.stream ? { stream: options.logger.stream } : {}),
        };
  const app = Fastify({
    logger,
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    // Request ids in every log line and in 500 answers, so a user's report can be matched to logs.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = options.metrics ?? new ServerMetrics(options.storage);
  const deps: ServerDeps = {
    storage: options.storage,
    secrets: options.secrets,
    sessions: options.sessions,
    clock,
    content: new ContentCatalogue(options.content),
    metrics,
    loginRateLimit: options.rateLimit?.loginMax ?? 10,
    metricsToken: options.metricsToken,
    agents: new AgentHub({
      storage: options.storage,
      secrets: options.secrets,
      clock,
      onConnectedCount: (count) => metrics.agentsConnected.set(count),
    }),
    reportWaitMs: options.reportWaitMs ?? 15_000,
    agentSweepMs: options.agentSweepMs ?? DEFAULT_SWEEP_MS,
    wakeJobs: () => undefined,
  };
  app.decorate('deps', deps);

  app.setErrorHandler(errorHandler(bodyLimit));
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  await app.register(helmet, {
    // An API: no inline scripts anywhere; reports are served as downloads.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  await app.register(rateLimit, {
    max: options.rateLimit?.max ?? 600,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => {
      const err = new HttpError(429, 'rate_limited', `rate limit exceeded, retry in ${ctx.after}`);
      return Object.assign(err, { statusCode: 429 });
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vouch API', version: TOOL_VERSION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'session token or API key' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerAuth(app, { storage: options.storage, sessions: options.sessions, clock });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/api/docs', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(registerRoutes);
  // Agents connect over a WebSocket upgrade on the same server (docs/server.md, "Agents").
  registerAgentSocket(app, deps.agents);
  return app;
}
