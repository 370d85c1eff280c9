/**
 * Opening a database: the only place that knows about drivers. Everything above works on
 * `Kysely<Database>` and does not care which dialect it talks to.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { SqliteHandle } from './sqlite-handle.js';

export type StorageConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      /** Pool size per process; several `vouch serve` processes each hold their own pool. */
      maxConnections?: number;
    };

/** `vouch serve` rule: PostgreSQL when DATABASE_URL is set, else a SQLite file in the data directory. */
export function storageConfigFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') return { kind: 'postgres', url };
  return { kind: 'sqlite', file: join(dataDir, 'vouch.db') };
}

export function connect(config: StorageConfig): { db: Kysely<Database>; dialect: Dialect } {
  if (config.kind === 'sqlite') {
    mkdirSync(dirname(config.file), { recursive: true });
    const database = new SQLite(config.file);
    // WAL: readers do not block the writer (API reads during ingest). synchronous=NORMAL is
    // durable across a process kill (SIGKILL): committed pages are in the WAL file already; only
    // an OS crash or power loss can lose the last transactions.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // SQLite does not enforce foreign keys unless asked, per connection.
    database.pragma('foreign_keys = ON');
    // Another process (a CLI, a backup) holding the lock briefly should not fail requests.
    database.pragma('busy_timeout = 5000');
    // The handle plugin lets the ingest fast path reach the driver (sqlite-handle.ts).
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database }),
      plugins: [new SqliteHandle(database)],
    });
    return { db, dialect: 'sqlite' };
  }
  const pool = new pg.Pool({ connectionString: config.url, max: config.maxConnections ?? 10 });
  // An idle client dying (server restart, network blip) is emitted as 'error'; unhandled, that
  // would crash the process. The pool drops the client and the next query opens a new one.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}
