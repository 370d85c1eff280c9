/**
 * The one migration set, shared by SQLite and PostgreSQL. Migrations use Kysely's schema builder
 * with portable column types; the only dialect branch is the append-only guard on audit_log,
 * because triggers have no portable syntax.
 *
 * Rules for future migrations: never edit a released one, add a new key that sorts after the last
 * (Kysely runs them in key order and refuses to run if an applied one is missing).
 */
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

// Migrations work on an untyped handle: the typed schema describes the latest state, not the
// state a migration starts from.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDb = Kysely<any>;

function initial(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'operator', 'auditor')`))
        .addColumn('password_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .addUniqueConstraint('users_org_email_unique', ['org_id', 'email'])
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'operator', 'auditor')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('targets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('connection', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('targets_org_name_unique', ['org_id', 'name'])
        .execute();

      await db.schema
        .createTable('target_labels')
        .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('target_labels_pk', ['target_id', 'key'])
        .execute();
      // Selector lookups go label -> targets.
      await db.schema
        .createIndex('target_labels_key_value')
        .on('target_labels')
        .columns(['key', 'value'])
        .execute();

      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('target_id', 'text', (c) => c.references('targets.id').onDelete('set null'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('credential_hash', 'text')
        .addColumn('version', 'text')
        .addColumn('facts', 'text')
        .addColumn('enrolled_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('scan_configs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('target_ids', 'text')
        .addColumn('label_selector', 'text')
        .addColumn('variables', 'text', (c) => c.notNull())
        .addColumn('variables_encrypted', 'text')
        .addColumn('schedule', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('scan_configs_org_name_unique', ['org_id', 'name'])
        .execute();

      await db.schema
        .createTable('scans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
        .addColumn('scan_config_id', 'text', (c) => c.references('scan_configs.id').onDelete('set null'))
        .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
        )
        .addColumn('trigger', 'text', (c) =>
          c.notNull().check(sql`trigger in ('manual', 'schedule', 'agent')`),
        )
        .addColumn('profile_id', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('summary', 'text')
        .addColumn('score', 'double precision')
        .addColumn('error', 'text')
        .execute();
      // History of one target, newest first (target page, trend); ids are time-ordered UUIDv7.
      await db.schema.createIndex('scans_target_id').on('scans').columns(['target_id', 'id']).execute();
      // Org-wide scan list and dashboard activity.
      await db.schema.createIndex('scans_org_id').on('scans').columns(['org_id', 'id']).execute();
      // Queue and stale-scan cleanup look for queued/running scans.
      await db.schema.createIndex('scans_status').on('scans').columns(['status', 'id']).execute();
      // Both dialects treat NULLs as distinct in unique indexes, so scans without a key never clash.
      await db.schema
        .createIndex('scans_idempotency')
        .on('scans')
        .columns(['org_id', 'idempotency_key'])
        .unique()
        .execute();

      await db.schema
        .createTable('rule_results')
        .addColumn('scan_id', 'text', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('refs', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addColumn('check_type', 'text', (c) => c.notNull())
        .addColumn('check_version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rule_results_pk', ['scan_id', 'seq'])
        .execute();
      // "Failed results of this scan, page 3": filter and keyset order in one index.
      await db.schema
        .createIndex('rule_results_scan_status')
        .on('rule_results')
        .columns(['scan_id', 'status', 'seq'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // No foreign key on purpose: the audit trail outlives what it talks about.
        .addColumn('org_id', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_org_id').on('audit_log').columns(['org_id', 'id']).execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Workers poll "queued and due, oldest first".
      await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();

      await appendOnlyAudit(db, dialect);
    },
  };
}

/**
 * The storage API has no update or delete for audit rows; these triggers make the database refuse
 * them too, so a bug or a hand-written query cannot rewrite history. Static SQL, no input.
 */
async function appendOnlyAudit(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['update', 'delete'] as const) {
      await sql
        .raw(
          `create trigger audit_log_no_${op} before ${op} on audit_log ` +
            `begin select raise(abort, 'audit_log is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function vouch_audit_log_append_only() returns trigger language plpgsql as $$ ` +
        `begin raise exception 'audit_log is append-only'; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      'create trigger audit_log_append_only before update or delete on audit_log ' +
        'for each row execute function vouch_audit_log_append_only()',
    )
    .execute(db);
}

/**
 * Auth (docs/adr/0005-server-security.md): user names, server-wide unique logins, API key expiry,
 * agent credentials and one-time enrollment tokens. Every opaque credential row has a unique
 * public `prefix` (the part of the token before the secret, used to find the row) and a SHA-256
 * hash of the secret; the secret itself is never stored.
 */
const auth: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('users').addColumn('name', 'text').execute();
    // Logins are server-wide (one login form, no organisation picker): an email or a user name
    // identifies one user across all organisations. The repository stores emails lowercased.
    await db.schema.createIndex('users_email_unique').on('users').column('email').unique().execute();
    await db.schema.createIndex('users_name_unique').on('users').column('name').unique().execute();

    await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
    await db.schema.createIndex('api_keys_user_id').on('api_keys').columns(['user_id', 'id']).execute();
    await db.schema.createIndex('api_keys_org_id').on('api_keys').columns(['org_id', 'id']).execute();

    await db.schema.alterTable('agents').addColumn('credential_prefix', 'text').execute();
    await db.schema
      .createIndex('agents_credential_prefix')
      .on('agents')
      .column('credential_prefix')
      .unique()
      .execute();
    await db.schema.createIndex('agents_org_id').on('agents').columns(['org_id', 'id']).execute();

    await db.schema
      .createTable('enrollment_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('prefix', 'text', (c) => c.notNull().unique())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      // Audit actor string of whoever created it ("user:<id>", ...).
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('enrollment_tokens_org_id')
      .on('enrollment_tokens')
      .columns(['org_id', 'id'])
      .execute();
  },
};

export function migrationSet(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_auth': auth,
    '0003_job_queue': jobQueue,
    '0004_dashboard': dashboard,
    '0005_target_credentials': targetCredentials,
  };
}

/** Bring the schema to the latest version. Kysely takes a lock, so concurrent servers are safe. */
export async function migrateToLatest(db: AnyDb, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationSet(dialect) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`storage migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * 0003: the job queue and cron schedules (docs/adr/0006-job-queue.md). The 0001 `jobs` table is
 * rebuilt rather than altered because its status CHECK lacks 'cancelled' and SQLite cannot change
 * a CHECK in place; nothing wrote jobs before this migration, but rows are copied all the same.
 */
const jobQueue: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('jobs_v2')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
      )
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('run_at', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text')
      .addColumn('locked_by', 'text')
      // A fresh token per claim: a worker whose lease was taken over cannot complete the job.
      .addColumn('lease_id', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('result', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    const shared = [
      'id',
      'kind',
      'payload',
      'status',
      'attempts',
      'max_attempts',
      'run_at',
      'locked_by',
      'locked_until',
      'last_error',
      'created_at',
      'updated_at',
    ];
    await db.insertInto('jobs_v2').columns(shared).expression(db.selectFrom('jobs').select(shared)).execute();
    await db.schema.dropTable('jobs').execute();
    await db.schema.alterTable('jobs_v2').renameTo('jobs').execute();
    // Claim order: queued, due, highest priority, oldest run_at.
    await db.schema.createIndex('jobs_claim').on('jobs').columns(['status', 'priority', 'run_at']).execute();
    // Reaping expired leases looks for running jobs by lease end.
    await db.schema.createIndex('jobs_lease').on('jobs').columns(['status', 'locked_until']).execute();
    // Unique forever (like an idempotency key); NULLs are distinct in both dialects.
    await db.schema.createIndex('jobs_dedupe_key').on('jobs').column('dedupe_key').unique().execute();

    await db.schema
      .createTable('schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // Stable key callers upsert by, e.g. "scan-config:<id>" or "maintenance:retention-purge".
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('cron', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('job_kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('scan_config_id', 'text', (c) => c.references('scan_configs.id').onDelete('cascade'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('next_run_at', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('schedules_due')
      .on('schedules')
      .columns(['enabled', 'next_run_at'])
      .execute();
  },
};

/**
 * 0004: indexes for the dashboard (repos/dashboard.ts), measured in docs/benchmarks.md ("Server
 * ingest and dashboard"). Index entries per scan are cheap (one scan per ~200 rule results); on
 * rule_results the existing (scan_id, status, seq) index is replaced by one that also carries
 * rule_id, not joined by a second one, so ingest writes the same number of b-tree entries a row.
 */
const dashboard: Migration = {
  async up(db: AnyDb) {
    // "Latest completed scan of each target": one index seek per target for max(id), however
    // long the history (both dialects turn max() over an index prefix into a single probe).
    await db.schema
      .createIndex('scans_target_status')
      .on('scans')
      .columns(['target_id', 'status', 'id'])
      .execute();
    // Recent activity (scans a day by status): an index-only range scan over the days shown.
    await db.schema
      .createIndex('scans_org_created')
      .on('scans')
      .columns(['org_id', 'created_at', 'status'])
      .execute();
    // Top failing rules over the latest scans: (scan_id, 'fail') -> rule_id from the index alone.
    // Same leading columns as before, so "failed results of this scan, page 3" still uses it.
    await db.schema
      .createIndex('rule_results_scan_status_rule')
      .on('rule_results')
      .columns(['scan_id', 'status', 'seq', 'rule_id'])
      .execute();
    await db.schema.dropIndex('rule_results_scan_status').execute();
  },
};

/**
 * 0005: a target's connection secrets (an SSH target's private key), sealed with the server's
 * SecretBox (AES-256-GCM, AAD = table, column and row id; ADR 0005). A column of its own, not a
 * field of the `connection` JSON, so no code that reads or returns a target's connection can
 * carry the sealed text along by accident.
 */
const targetCredentials: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('targets').addColumn('credentials_encrypted', 'text').execute();
  },
};
