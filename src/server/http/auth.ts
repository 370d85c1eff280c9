/**
 * Authentication and the first authorisation gate. Every route declares, in its `config`, either
 * `public: true` or the RBAC action it performs. Before the body is even parsed, the bearer token
 * becomes a principal (401 without one) and the action is checked against the principal's own
 * organisation (403 when the role lacks it). Routes that touch one row check again with the row's
 * organisation and answer 404 for another organisation's rows, so their existence does not leak.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Authenticator, authenticate } from '../auth/authenticate.js';
import { type Action, can, type Principal, type Resource } from '../auth/rbac.js';
import { forbidden, HttpError, notFound } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The RBAC action the route performs; required unless `public`. */
    action?: Action;
    /** No credentials needed (login, health, docs). */
    public?: boolean;
  }
}

const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'a valid bearer token (session or API key) is required');

export function registerAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes (404 handler) and public ones pass; the 404 handler reveals nothing.
    if (request.routeOptions.url === undefined || config.public === true) return;
    if (config.action === undefined) {
      // A route without an action is a programming error: fail closed.
      throw new Error(`route ${request.routeOptions.url} declares no RBAC action`);
    }
    const principal = await authenticate(authenticator, request.headers.authorization);
    if (principal === undefined) throw unauthenticated();
    request.principal = principal;
    const ownOrg: Resource =
      config.action === 'api-keys:manage' && principal.kind !== 'agent'
        ? { orgId: principal.orgId, ownerUserId: principal.userId }
        : { orgId: principal.orgId };
    if (!can(principal, config.action, ownOrg)) throw forbidden();
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw unauthenticated();
  return request.principal;
}

/**
 * A row the request wants: undefined or another organisation's is "not found"; otherwise the
 * route's action is checked against the row's own organisation.
 */
export function ownRow<T extends { orgId: string }>(
  request: FastifyRequest,
  row: T | undefined,
  what: string,
  action: Action | undefined = request.routeOptions.config.action,
): T {
  const principal = principalOf(request);
  if (row === undefined || row.orgId !== principal.orgId) throw notFound(what);
  if (action === undefined || !can(principal, action, { orgId: row.orgId })) throw forbidden();
  return row;
}
