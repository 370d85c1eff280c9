/**
 * One error handler for the whole API. Known errors (validation, storage, auth, user errors from
 * the scanner) become 4xx answers with a message that names the field; everything else is a 500
 * that carries only the request id, so no driver message, path or stack trace reaches a client.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { VouchError } from '../../core/errors.js';
import { AuthError } from '../auth/errors.js';
import { PasswordPolicyError } from '../auth/passwords.js';
import { CronError } from '../schedule/cron.js';
import { StorageError } from '../storage/errors.js';

/** Thrown by route code for answers that are not about a stored row or a credential. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') =>
  new HttpError(403, 'forbidden', message);

export interface ErrorBody {
  error: string;
  message: string;
  requestId?: string;
}

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** `body.schedule: …`, `query.limit: …`; unknown keys are named one by one. */
export function describeValidation(context: string, issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.instancePath
        .split('/')
        .filter((p) => p !== '')
        .join('.');
      const where = path === '' ? context : `${context}.${path}`;
      if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
        return (issue.params.keys as string[]).map((key) => `${where}.${key}: unknown field`).join('; ');
      }
      return `${where}: ${issue.message ?? issue.keyword}`;
    })
    .join('; ');
}

const STORAGE_STATUS: Record<StorageError['code'], number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  invalid_transition: 409,
};

const AUTH_STATUS: Record<AuthError['code'], number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
};

export function classify(err: unknown, bodyLimit: number): { status: number; body: ErrorBody } | undefined {
  if (err instanceof HttpError)
    return { status: err.statusCode, body: { error: err.error, message: err.message } };
  if (err instanceof StorageError) {
    return { status: STORAGE_STATUS[err.code], body: { error: err.code, message: err.message } };
  }
  if (err instanceof AuthError) {
    return { status: AUTH_STATUS[err.code], body: { error: err.code, message: err.message } };
  }
  if (err instanceof PasswordPolicyError) {
    return { status: 400, body: { error: 'invalid', message: `password: ${err.message}` } };
  }
  if (err instanceof CronError) return { status: 400, body: { error: 'invalid', message: err.message } };
  if (err instanceof VouchError) return { status: 400, body: { error: 'invalid', message: err.message } };
  const fe = err as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const message = describeValidation(fe.validationContext ?? 'request', fe.validation as ValidationIssue[]);
    return { status: 400, body: { error: 'invalid', message } };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: { error: 'payload_too_large', message: `request body is larger than ${bodyLimit} bytes` },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { error: 'invalid', message: 'body: malformed JSON' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid', message: 'body: empty JSON body' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: 'send application/json' } };
  }
  if (fe.statusCode === 429) {
    return { status: 429, body: { error: 'rate_limited', message: fe.message ?? 'too many requests' } };
  }
  // Fastify's own client errors (FST_*) have fixed, safe messages.
  if (
    typeof fe.code === 'string' &&
    fe.code.startsWith('FST_') &&
    fe.statusCode !== undefined &&
    fe.statusCode < 500
  ) {
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message ?? 'bad request' } };
  }
  return undefined;
}

export function errorHandler(bodyLimit: number) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = classify(err, bodyLimit);
    if (known !== undefined) {
      if (known.status >= 500) request.log.error({ err }, 'request failed');
      return reply.status(known.status).send(known.body);
    }
    request.log.error({ err }, 'unhandled error');
    const body: ErrorBody = { error: 'internal', message: 'internal server error', requestId: request.id };
    return reply.status(500).send(body);
  };
}
