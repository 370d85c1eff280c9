/**
 * The database schema as Kysely sees it: one interface per table, column types as stored.
 *
 * Portable storage types only (docs/adr/0004-storage.md): ids are UUIDv7 text, timestamps are
 * ISO-8601 UTC text (`Date.prototype.toISOString`, always 24 characters so text order is time
 * order), JSON is text we encode and decode ourselves, numbers are `integer` or `double precision`
 * (pg returns both as JS numbers; `bigint` would come back as a string).
 */
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  /** Stored lowercased; unique across the server (migration 0002). */
  email: string;
  /** Optional login name, unique across the server (migration 0002). */
  name: string | null;
  /** admin | operator | auditor */
  role: string;
  /** argon2id PHC string (src/server/auth/passwords.ts); null: no password login. */
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  user_id: string | null;
  name: string;
  /** First characters of the key, shown to users and used to find the row before verifying the hash. */
  prefix: string;
  /** SHA-256 (hex) of the key's secret part (src/server/auth/opaque-token.ts). */
  key_hash: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

export interface TargetsTable {
  id: string;
  org_id: string;
  kind: string;
  name: string;
  /** JSON object of string -> string; the searchable copy lives in target_labels. */
  labels: string;
  /** Kind-specific connection details (e.g. ssh URL), JSON. */
  connection: string | null;
  /** Sealed JSON of the connection's secrets (SECRET_PLACES.targetCredentials), migration 0005. */
  credentials_encrypted: string | null;
  created_at: string;
  updated_at: string;
}

/** One row per label so label selectors are plain indexed equality joins in both dialects. */
export interface TargetLabelsTable {
  target_id: string;
  key: string;
  value: string;
}

export interface AgentsTable {
  id: string;
  org_id: string;
  target_id: string | null;
  name: string;
  /** Public part of the agent's credential token; finds the row (migration 0002). */
  credential_prefix: string | null;
  /** SHA-256 (hex) of the credential's secret part. */
  credential_hash: string | null;
  version: string | null;
  facts: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface ScanConfigsTable {
  id: string;
  org_id: string;
  name: string;
  profile_id: string;
  /** JSON array of target ids, or null when a label selector is used. */
  target_ids: string | null;
  /** JSON object label -> value, or null when explicit target ids are used. */
  label_selector: string | null;
  /** JSON object of non-sensitive variable overrides. */
  variables: string;
  /** AES-256-GCM sealed JSON of the sensitive overrides (encryption arrives with the API). */
  variables_encrypted: string | null;
  schedule: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScansTable {
  id: string;
  org_id: string;
  target_id: string;
  scan_config_id: string | null;
  agent_id: string | null;
  /** queued | running | completed | failed | cancelled */
  status: string;
  /** manual | schedule | agent */
  trigger: string;
  profile_id: string | null;
  /** Set by uploaders (agents) so a retried upload is stored once. */
  idempotency_key: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON of ScanResult.summary once completed. */
  summary: string | null;
  score: number | null;
  error: string | null;
}

export interface RuleResultsTable {
  scan_id: string;
  /** Position of the result in the scan; with scan_id the primary key and the pagination key. */
  seq: number;
  rule_id: string;
  title: string;
  severity: string;
  status: string;
  message: string;
  evidence: string;
  refs: string;
  duration_ms: number;
  check_type: string;
  check_version: number;
}

export interface AuditLogTable {
  id: string;
  org_id: string | null;
  /** "user:<id>", "apikey:<id>", "agent:<id>", "system". */
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  at: string;
}

/** One-time tokens an admin hands to `vouch agent --enroll`; single use, with an expiry. */
export interface EnrollmentTokensTable {
  id: string;
  org_id: string;
  prefix: string;
  /** SHA-256 (hex) of the token's secret part. */
  token_hash: string;
  note: string | null;
  /** Audit actor of the creator ("user:<id>", ...). */
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The agent it enrolled. */
  agent_id: string | null;
  revoked_at: string | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  /** JSON. */
  payload: string;
  /** queued | running | succeeded | failed | cancelled (migration 0003) */
  status: string;
  /** Higher runs first among due jobs. */
  priority: Generated<number>;
  /** Claims so far, including the running one. */
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** Not claimed before this time (retries are pushed back by the backoff). */
  run_at: string;
  /** Unique when set: enqueueing the same key again returns the existing job. */
  dedupe_key: string | null;
  /** Worker id holding the lease. */
  locked_by: string | null;
  /** Token of the current claim; completions and heartbeats must present it. */
  lease_id: string | null;
  /** Lease end; a running job past it is reclaimed (its worker is presumed dead). */
  locked_until: string | null;
  last_error: string | null;
  /** JSON of what the handler returned. */
  result: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Cron schedules that enqueue jobs (migration 0003, src/server/schedule). */
export interface SchedulesTable {
  id: string;
  /** Stable key callers upsert by ("scan-config:<id>", "maintenance:retention-purge"). */
  name: string;
  cron: string;
  /** IANA time zone the cron expression is read in. */
  timezone: string;
  job_kind: string;
  /** JSON object merged into each enqueued job's payload. */
  payload: string;
  scan_config_id: string | null;
  /** 1 or 0 (portable boolean). */
  enabled: Generated<number>;
  /** Next due time; null when disabled. */
  next_run_at: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  targets: TargetsTable;
  target_labels: TargetLabelsTable;
  agents: AgentsTable;
  scan_configs: ScanConfigsTable;
  scans: ScansTable;
  rule_results: RuleResultsTable;
  audit_log: AuditLogTable;
  enrollment_tokens: EnrollmentTokensTable;
  jobs: JobsTable;
  schedules: SchedulesTable;
}
