/**
 * After a key rotation: re-encrypt every sealed value that still needs an old key, so the old key
 * can be dropped from VOUCH_SECRET_KEYS_OLD. Safe to run repeatedly and while the server runs:
 * each row is updated only if its sealed value is still the one that was read (compare-and-set),
 * so a concurrent edit of the same row wins over the reseal instead of being overwritten.
 */
import type { Kysely } from 'kysely';
import type { Storage } from '../storage/index.js';
import { SECRET_PLACES, type SecretBox, SecretError, type SecretPlace } from './secrets.js';

export interface ResealReport {
  /** Sealed values looked at. */
  checked: number;
  /** Re-encrypted under the current key. */
  resealed: number;
  /** Ids of rows no configured key opens (wrong key set, or tampered): left as they are. */
  undecryptable: string[];
}

const BATCH = 200;

/** A column of sealed values, each bound to its row id (the tables share the `id` primary key). */
interface SealedColumn {
  table: 'scan_configs' | 'targets';
  column: 'variables_encrypted' | 'credentials_encrypted';
  place: (rowId: string) => SecretPlace;
}

export const resealScanConfigSecrets = (storage: Storage, box: SecretBox) =>
  resealColumn(storage, box, {
    table: 'scan_configs',
    column: 'variables_encrypted',
    place: SECRET_PLACES.scanConfigVariables,
  });

/** SSH targets' sealed private keys (targets.credentials_encrypted). */
export const resealTargetCredentials = (storage: Storage, box: SecretBox) =>
  resealColumn(storage, box, {
    table: 'targets',
    column: 'credentials_encrypted',
    place: SECRET_PLACES.targetCredentials,
  });

async function resealColumn(storage: Storage, box: SecretBox, spec: SealedColumn): Promise<ResealReport> {
  // The table and column vary, which Kysely's typed builder cannot express; both are fixed above.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const db = storage.db as unknown as Kysely<any>;
  const report: ResealReport = { checked: 0, resealed: 0, undecryptable: [] };
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; sealed: string }> = await db
      .selectFrom(spec.table)
      .select(['id', `${spec.column} as sealed`])
      .where(spec.column, 'is not', null)
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = row.id;
      const sealed = row.sealed;
      report.checked++;
      let fresh: string | undefined;
      try {
        fresh = box.reseal(sealed, spec.place(row.id));
      } catch (err) {
        if (!(err instanceof SecretError)) throw err;
        report.undecryptable.push(row.id);
        continue;
      }
      if (fresh === undefined) continue;
      const result = await db
        .updateTable(spec.table)
        .set({ [spec.column]: fresh })
        .where('id', '=', row.id)
        .where(spec.column, '=', sealed)
        .executeTakeFirst();
      report.resealed += Number(result.numUpdatedRows);
    }
  }
}
