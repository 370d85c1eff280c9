/**
 * Who may do what: one pure table, no I/O. Every API route names one action and asks
 * `can(principal, action, resource)` before touching data; the RBAC route test (issue 5) walks
 * every route for every role against this table.
 *
 * Roles form a chain, auditor ⊂ operator ⊂ admin (test/server/auth/rbac.test.ts checks that):
 * - auditor: read-only. Sees targets, scans, results, reports, configs (sensitive values masked by
 *   the API), rules, agents and the audit log. Changes nothing except their own API keys.
 * - operator: runs the scanning: targets, scan configs, starting and cancelling scans.
 * - admin: everything, including users, agents (enrollment, revocation) and anyone's API keys.
 * Agents are a separate principal kind with their own actions, which no human role has: an agent
 * may only fetch its own jobs and upload its own results (resource.agentId must be itself).
 */
import type { Role } from '../storage/types.js';

export const ACTIONS = [
  'dashboard:read',
  'targets:read',
  'targets:write',
  'scans:read',
  'scans:create',
  'scans:cancel',
  'scan-configs:read',
  'scan-configs:write',
  'reports:read',
  'rules:read',
  'rules:import',
  'users:read',
  'users:admin',
  'api-keys:manage',
  'agents:read',
  'agents:enroll',
  'agents:manage',
  'audit:read',
  // Agent principals only.
  'agent:connect',
  'agent:jobs:read',
  'agent:results:write',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Everything the API does, by role. Anything not listed is denied. */
export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  auditor: [
    'dashboard:read',
    'targets:read',
    'scans:read',
    'scan-configs:read',
    'reports:read',
    'rules:read',
    'agents:read',
    'audit:read',
    'api-keys:manage',
  ],
  operator: [
    'dashboard:read',
    'targets:read',
    'targets:write',
    'scans:read',
    'scans:create',
    'scans:cancel',
    'scan-configs:read',
    'scan-configs:write',
    'reports:read',
    'rules:read',
    'agents:read',
    'audit:read',
    'api-keys:manage',
  ],
  admin: [
    'dashboard:read',
    'targets:read',
    'targets:write',
    'scans:read',
    'scans:create',
    'scans:cancel',
    'scan-configs:read',
    'scan-configs:write',
    'reports:read',
    'rules:read',
    'rules:import',
    'users:read',
    'users:admin',
    'api-keys:manage',
    'agents:read',
    'agents:enroll',
    'agents:manage',
    'audit:read',
  ],
};

export const AGENT_PERMISSIONS: readonly Action[] = [
  'agent:connect',
  'agent:jobs:read',
  'agent:results:write',
];

/** A logged-in user (session token). */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  orgId: string;
  role: Role;
}

/**
 * A request made with an API key. It holds the key's role AND its owner's current role: it may
 * only do what both allow, so demoting a user also narrows every key they made.
 */
export interface ApiKeyPrincipal {
  kind: 'apikey';
  keyId: string;
  userId: string;
  orgId: string;
  role: Role;
  userRole: Role;
}

export interface AgentPrincipal {
  kind: 'agent';
  agentId: string;
  orgId: string;
  targetId: string | null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal | AgentPrincipal;

/**
 * What is being acted on. `orgId` is required: every row belongs to an organisation, and a
 * principal never reaches another one's. Listing routes pass the principal's own org and filter
 * their queries by it.
 */
export interface Resource {
  orgId: string;
  /** Owner of a per-user resource (an API key): non-admins manage only their own. */
  ownerUserId?: string | null;
  /** The agent a job or result upload belongs to. */
  agentId?: string | null;
}

function roleAllows(role: Role, action: Action): boolean {
  return ROLE_PERMISSIONS[role].includes(action);
}

export function can(principal: Principal, action: Action, resource: Resource): boolean {
  if (resource.orgId !== principal.orgId) return false;

  if (principal.kind === 'agent') {
    return AGENT_PERMISSIONS.includes(action) && resource.agentId === principal.agentId;
  }

  const allowed =
    principal.kind === 'user'
      ? roleAllows(principal.role, action)
      : roleAllows(principal.role, action) && roleAllows(principal.userRole, action);
  if (!allowed) return false;

  if (action === 'api-keys:manage') {
    // A key cannot mint or revoke keys: a leaked key must not be able to make itself a successor
    // that survives its own revocation. Managing keys needs a login session.
    if (principal.kind === 'apikey') return false;
    const isAdmin = principal.role === 'admin';
    return isAdmin || (resource.ownerUserId != null && resource.ownerUserId === principal.userId);
  }
  return true;
}

/** The roles whose permissions are all within `role`'s: what a user may give an API key. */
export function rolesWithin(role: Role): Role[] {
  const mine = ROLE_PERMISSIONS[role];
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) =>
    ROLE_PERMISSIONS[r].every((a) => mine.includes(a)),
  );
}

/** The audit log's actor string for a principal. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'apikey':
      return `apikey:${principal.keyId}`;
    case 'agent':
      return `agent:${principal.agentId}`;
  }
}
