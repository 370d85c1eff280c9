/**
 * The RBAC table, exhaustively: every (principal kind, role, action) against an expected matrix
 * written out here by hand, so a change to the policy has to change this file too.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  AGENT_PERMISSIONS,
  type AgentPrincipal,
  type ApiKeyPrincipal,
  actorOf,
  can,
  type Principal,
  ROLE_PERMISSIONS,
  rolesWithin,
  type UserPrincipal,
} from '../../../src/server/auth/rbac.js';
import { ROLES, type Role } from '../../../src/server/storage/types.js';

const ORG = 'org-a';
const OTHER_ORG = 'org-b';

//                        admin operator auditor agent
const EXPECTED: Record<Action, [string, string, string, string]> = {
  'dashboard:read': ['Y', 'Y', 'Y', '-'],
  'targets:read': ['Y', 'Y', 'Y', '-'],
  'targets:write': ['Y', 'Y', '-', '-'],
  'scans:read': ['Y', 'Y', 'Y', '-'],
  'scans:create': ['Y', 'Y', '-', '-'],
  'scans:cancel': ['Y', 'Y', '-', '-'],
  'scan-configs:read': ['Y', 'Y', 'Y', '-'],
  'scan-configs:write': ['Y', 'Y', '-', '-'],
  'reports:read': ['Y', 'Y', 'Y', '-'],
  'rules:read': ['Y', 'Y', 'Y', '-'],
  'rules:import': ['Y', '-', '-', '-'],
  'users:read': ['Y', '-', '-', '-'],
  'users:admin': ['Y', '-', '-', '-'],
  'api-keys:manage': ['Y', 'Y', 'Y', '-'],
  'agents:read': ['Y', 'Y', 'Y', '-'],
  'agents:enroll': ['Y', '-', '-', '-'],
  'agents:manage': ['Y', '-', '-', '-'],
  'audit:read': ['Y', 'Y', 'Y', '-'],
  'agent:connect': ['-', '-', '-', 'Y'],
  'agent:jobs:read': ['-', '-', '-', 'Y'],
  'agent:results:write': ['-', '-', '-', 'Y'],
};
const COLUMN: Record<Role | 'agent', number> = { admin: 0, operator: 1, auditor: 2, agent: 3 };
const expected = (who: Role | 'agent', action: Action) => EXPECTED[action][COLUMN[who]] === 'Y';

const user = (role: Role): UserPrincipal => ({ kind: 'user', userId: `u-${role}`, orgId: ORG, role });
const apiKey = (role: Role, userRole: Role): ApiKeyPrincipal => ({
  kind: 'apikey',
  keyId: `k-${role}-${userRole}`,
  userId: `u-${userRole}`,
  orgId: ORG,
  role,
  userRole,
});
const agent: AgentPrincipal = { kind: 'agent', agentId: 'a-1', orgId: ORG, targetId: 't-1' };

/** The resource a principal would legitimately act on: its own org, its own key, its own jobs. */
function ownResource(p: Principal) {
  return {
    orgId: p.orgId,
    ownerUserId: p.kind === 'agent' ? null : p.userId,
    agentId: p.kind === 'agent' ? p.agentId : null,
  };
}

describe('RBAC policy', () => {
  it('the expected matrix covers exactly the actions the policy knows', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  const cells = ROLES.flatMap((role) => ACTIONS.map((action) => [role, action] as const));
  it.each(cells)('user %s / %s', (role, action) => {
    const p = user(role);
    expect(can(p, action, ownResource(p))).toBe(expected(role, action));
  });

  it.each(ACTIONS.map((a) => [a] as const))('agent / %s (own jobs only)', (action) => {
    expect(can(agent, action, ownResource(agent))).toBe(expected('agent', action));
    // Another agent's jobs and results are never reachable.
    expect(can(agent, action, { orgId: ORG, agentId: 'a-2' })).toBe(false);
    expect(can(agent, action, { orgId: ORG })).toBe(false);
  });

  it('never lets any principal reach another organisation, for any action', () => {
    const principals: Principal[] = [
      ...ROLES.map(user),
      ...ROLES.flatMap((r) => ROLES.map((u) => apiKey(r, u))),
      agent,
    ];
    for (const p of principals) {
      for (const action of ACTIONS) {
        expect(can(p, action, { ...ownResource(p), orgId: OTHER_ORG }), `${actorOf(p)} ${action}`).toBe(
          false,
        );
      }
    }
  });

  it('roles form a chain: auditor ⊂ operator ⊂ admin, and no human role has an agent action', () => {
    const set = (r: Role) => new Set(ROLE_PERMISSIONS[r]);
    for (const a of set('auditor')) expect(set('operator').has(a), a).toBe(true);
    for (const a of set('operator')) expect(set('admin').has(a), a).toBe(true);
    for (const r of ROLES) for (const a of AGENT_PERMISSIONS) expect(set(r).has(a)).toBe(false);
    expect(rolesWithin('admin').sort()).toEqual(['admin', 'auditor', 'operator']);
    expect(rolesWithin('operator').sort()).toEqual(['auditor', 'operator']);
    expect(rolesWithin('auditor')).toEqual(['auditor']);
  });

  it('lets only admins manage other users’ API keys', () => {
    for (const role of ROLES) {
      const p = user(role);
      expect(can(p, 'api-keys:manage', { orgId: ORG, ownerUserId: 'someone-else' })).toBe(role === 'admin');
      expect(can(p, 'api-keys:manage', { orgId: ORG, ownerUserId: null })).toBe(role === 'admin');
    }
  });

  const keyCells = ROLES.flatMap((keyRole) =>
    ROLES.flatMap((userRole) => ACTIONS.map((action) => [keyRole, userRole, action] as const)),
  );
  it.each(keyCells)(
    'API key with role %s owned by a %s / %s: both roles must allow it',
    (keyRole, userRole, action) => {
      const p = apiKey(keyRole, userRole);
      // Keys never manage keys: a leaked key cannot mint its own successor.
      const want =
        action === 'api-keys:manage' ? false : expected(keyRole, action) && expected(userRole, action);
      expect(can(p, action, ownResource(p))).toBe(want);
    },
  );

  it('names principals in the audit log', () => {
    expect(actorOf(user('admin'))).toBe('user:u-admin');
    expect(actorOf(apiKey('auditor', 'admin'))).toBe('apikey:k-auditor-admin');
    expect(actorOf(agent)).toBe('agent:a-1');
  });
});
