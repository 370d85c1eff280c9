import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Run `fn` in a transaction, or in the caller's when there already is one: repositories are
 * built over either a database or a transaction (storage.transaction), and Kysely does not nest.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}
