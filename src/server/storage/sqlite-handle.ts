/**
 * The better-sqlite3 Database behind a SQLite storage, carried along with every Kysely instance
 * made from it (transactions included) as a do-nothing plugin: Kysely copies an executor's plugins
 * into each transaction, so code that only holds a `Kysely<Database>` — repositories built by
 * callers, like `scansRepo({ db: trx, clock })` — can still reach the driver.
 *
 * Only the ingest fast path (bulk-results.ts) uses it, and only inside a Kysely transaction: while
 * that transaction runs, Kysely's SQLite driver holds its one connection for it, so synchronous
 * statements on the same Database run inside that transaction and nothing can interleave.
 */
import type SQLite from 'better-sqlite3';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Database } from './schema.js';

export class SqliteHandle implements KyselyPlugin {
  constructor(readonly database: SQLite.Database) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The Database under a SQLite storage's Kysely instance or transaction; undefined otherwise. */
export function sqliteDatabaseOf(db: Kysely<Database>): SQLite.Database | undefined {
  for (const plugin of db.getExecutor().plugins) {
    if (plugin instanceof SqliteHandle) return plugin.database;
  }
  return undefined;
}
