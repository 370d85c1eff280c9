/** What the storage API takes and returns: camelCase, parsed JSON, no database row shapes. */
import type { Evidence, ResultStatus, RuleResult, Severity } from '../../core/results.js';

export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export const SCAN_TRIGGERS = ['manual', 'schedule', 'agent'] as const;
export type ScanTrigger = (typeof SCAN_TRIGGERS)[number];

export const ROLES = ['admin', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Only hosts for now; database, cluster and cloud kinds come later (issue 5). */
export const TARGET_KINDS = ['host'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export type Labels = Record<string, string>;

export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
}

export interface Target {
  id: string;
  orgId: string;
  kind: TargetKind;
  name: string;
  labels: Labels;
  connection: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewTarget {
  orgId: string;
  kind: TargetKind;
  name: string;
  labels?: Labels;
  connection?: Record<string, unknown> | null;
}

export interface Scan {
  id: string;
  orgId: string;
  targetId: string;
  scanConfigId: string | null;
  agentId: string | null;
  status: ScanStatus;
  trigger: ScanTrigger;
  profileId: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** ScanResult.summary of a completed scan. */
  summary: Record<string, unknown> | null;
  /** ScanResult.summary.score.default of a completed scan, 0-100. */
  score: number | null;
  error: string | null;
}

export interface NewScan {
  orgId: string;
  targetId: string;
  trigger: ScanTrigger;
  scanConfigId?: string | null;
  agentId?: string | null;
  profileId?: string | null;
  idempotencyKey?: string | null;
}

export interface StoredRuleResult {
  scanId: string;
  seq: number;
  ruleId: string;
  title: string;
  severity: Severity;
  status: ResultStatus;
  message: string;
  evidence: Evidence[];
  references: Record<string, string[]>;
  durationMs: number;
  check: RuleResult['check'];
}

export interface AuditEntry {
  id: string;
  orgId: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  at: string;
}

export interface NewAuditEntry {
  orgId?: string | null;
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** Keyset pagination: pass `nextCursor` back as `cursor`; null means this was the last page. */
export interface PageRequest {
  cursor?: string | null;
  /** 1-500, default 50. */
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A user as the API sees it: never the password hash (that stays inside the users repository). */
export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export interface NewUser {
  orgId: string;
  email: string;
  name?: string | null;
  role: Role;
  /** argon2id PHC string; null or absent: the user cannot log in with a password. */
  passwordHash?: string | null;
}

/** An API key's metadata: never the secret, never its hash. */
export interface ApiKey {
  id: string;
  orgId: string;
  userId: string | null;
  name: string;
  /** The token's public part, e.g. `vouch_key_0a1b2c3d4e5f6a7b`, so users can tell keys apart. */
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

export interface NewApiKey {
  orgId: string;
  userId: string | null;
  name: string;
  prefix: string;
  keyHash: string;
  role: Role;
  expiresAt?: string | null;
}

export interface Agent {
  id: string;
  orgId: string;
  targetId: string | null;
  name: string;
  version: string | null;
  facts: Record<string, unknown> | null;
  enrolledAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface NewAgent {
  orgId: string;
  targetId: string | null;
  name: string;
  credentialPrefix: string;
  credentialHash: string;
  version?: string | null;
  facts?: Record<string, unknown> | null;
}

export interface EnrollmentToken {
  id: string;
  orgId: string;
  prefix: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  agentId: string | null;
  revokedAt: string | null;
}

export interface NewEnrollmentToken {
  orgId: string;
  prefix: string;
  tokenHash: string;
  createdBy: string;
  expiresAt: string;
  note?: string | null;
}

/** A stored credential row found by its public prefix, with the hash to verify against. */
export interface CredentialMatch<T> {
  row: T;
  hash: string;
}
