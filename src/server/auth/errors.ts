/**
 * Errors the API maps to answers: `unauthenticated` -> 401 (no or bad credentials), `forbidden`
 * -> 403 (known principal, not allowed), `invalid` -> 400. Messages are safe to show: they never
 * say which part of a credential was wrong.
 */
export type AuthErrorCode = 'unauthenticated' | 'forbidden' | 'invalid';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
