/**
 * The server's security core (docs/adr/0005-server-security.md), for the HTTP layer to wire:
 * `authenticate` a request, check `can(principal, action, resource)`, call the services.
 */
export {
  createEnrollmentToken,
  DEFAULT_ENROLLMENT_TTL_SECONDS,
  type EnrollInput,
  enrollAgent,
  revokeAgent,
  revokeEnrollmentToken,
  verifyAgentCredential,
} from './agents.js';
export { type CreateApiKeyInput, createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from './api-keys.js';
export { type Authenticator, authenticate, bearerToken } from './authenticate.js';
export { type EnsureAdminOptions, type EnsureAdminResult, ensureAdmin } from './bootstrap.js';
export { AuthError, type AuthErrorCode } from './errors.js';
export { type LoginResult, login } from './login.js';
export { checkPasswordPolicy, hashPassword, PasswordPolicyError, verifyPassword } from './passwords.js';
export {
  ACTIONS,
  type Action,
  type AgentPrincipal,
  type ApiKeyPrincipal,
  actorOf,
  can,
  type Principal,
  type Resource,
  ROLE_PERMISSIONS,
  rolesWithin,
  type UserPrincipal,
} from './rbac.js';
export { loadJwtKey, type SessionClaims, SessionTokens } from './sessions.js';
export { type SecurityOptions, type ServerSecurity, setUpSecurity } from './setup.js';
export { type CreateUserInput, createUser, disableUser, setPassword, setUserRole } from './users.js';
