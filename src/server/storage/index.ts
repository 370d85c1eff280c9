/**
 * The storage layer `vouch serve` sits on: one API over SQLite (default, a file in the data
 * directory) or PostgreSQL (DATABASE_URL). See docs/adr/0004-storage.md.
 */
import type { Kysely } from 'kysely';
import { connect, type StorageConfig } from './connect.js';
import { type Dialect, migrateToLatest } from './migrations.js';
import { agentsRepo } from './repos/agents.js';
import { apiKeysRepo } from './repos/api-keys.js';
import { auditRepo } from './repos/audit.js';
import type { RepoContext } from './repos/context.js';
import { dashboardRepo } from './repos/dashboard.js';
import { enrollmentTokensRepo } from './repos/enrollment-tokens.js';
import { organisationsRepo } from './repos/organisations.js';
import { resultsRepo } from './repos/results.js';
import { scansRepo } from './repos/scans.js';
import { targetsRepo } from './repos/targets.js';
import { usersRepo } from './repos/users.js';
import type { Database } from './schema.js';

export { type StorageConfig, storageConfigFromEnv } from './connect.js';
export { StorageError, type StorageErrorCode } from './errors.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';
export type { AgentFilter } from './repos/agents.js';
export type { ApiKeyFilter } from './repos/api-keys.js';
export type { AuditFilter } from './repos/audit.js';
export {
  type DashboardSummary,
  type LatestScore,
  SCORE_RANGES,
  type SummaryOptions,
  type TrendPoint,
} from './repos/dashboard.js';
export type { EnrollmentTokenFilter } from './repos/enrollment-tokens.js';
export type { ResultFilter } from './repos/results.js';
export type { ScanFilter } from './repos/scans.js';
export type { TargetFilter } from './repos/targets.js';
export type { UserFilter } from './repos/users.js';
export type * from './types.js';

export interface StorageOptions {
  /** Clock for timestamps and ids; tests pin it. Defaults to the system clock. */
  clock?: () => Date;
}

function repos(ctx: RepoContext) {
  return {
    organisations: organisationsRepo(ctx),
    targets: targetsRepo(ctx),
    scans: scansRepo(ctx),
    results: resultsRepo(ctx),
    audit: auditRepo(ctx),
    users: usersRepo(ctx),
    apiKeys: apiKeysRepo(ctx),
    agents: agentsRepo(ctx),
    enrollmentTokens: enrollmentTokensRepo(ctx),
    dashboard: dashboardRepo(ctx),
  };
}

export type Repositories = ReturnType<typeof repos>;

export interface Storage extends Repositories {
  readonly dialect: Dialect;
  /** Apply pending migrations; returns the names applied. Safe to call on every start. */
  migrate(): Promise<string[]>;
  /**
   * Run several repository calls atomically, e.g. a change and its audit entry. Calls inside
   * must use the `tx` repositories, not the outer ones (those would run outside the transaction,
   * and on SQLite wait for it forever).
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The typed query builder, for queries the repositories do not cover yet (dashboard, jobs). */
  readonly db: Kysely<Database>;
}

export function openStorage(config: StorageConfig, options: StorageOptions = {}): Storage {
  const { db, dialect } = connect(config);
  const clock = options.clock ?? (() => new Date());
  const ctx: RepoContext = { db, clock };
  return {
    ...repos(ctx),
    dialect,
    db,
    migrate: () => migrateToLatest(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(repos({ db: trx, clock }))),
    close: () => db.destroy(),
  };
}
