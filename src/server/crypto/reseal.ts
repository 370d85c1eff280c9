/**
 * After a key rotation: re-encrypt every sealed value that still needs an old key, so the old key
 * can be dropped from VOUCH_SECRET_KEYS_OLD. Safe to run repeatedly and while the server runs:
 * each row is updated only if its sealed value is still the one that was read (compare-and-set),
 * so a concurrent edit of the same row wins over the reseal instead of being overwritten.
 */
import type { Storage } from '../storage/index.js';
import { SECRET_PLACES, type SecretBox, SecretError } from './secrets.js';

export interface ResealReport {
  /** Sealed values looked at. */
  checked: number;
  /** Re-encrypted under the current key. */
  resealed: number;
  /** Ids of rows no configured key opens (wrong key set, or tampered): left as they are. */
  undecryptable: string[];
}

const BATCH = 200;

export async function resealScanConfigSecrets(storage: Storage, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { checked: 0, resealed: 0, undecryptable: [] };
  let after = '';
  for (;;) {
    const rows = await storage.db
      .selectFrom('scan_configs')
      .select(['id', 'variables_encrypted'])
      .where('variables_encrypted', 'is not', null)
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = row.id;
      const sealed = row.variables_encrypted!;
      report.checked++;
      let fresh: string | undefined;
      try {
        fresh = box.reseal(sealed, SECRET_PLACES.scanConfigVariables(row.id));
      } catch (err) {
        if (!(err instanceof SecretError)) throw err;
        report.undecryptable.push(row.id);
        continue;
      }
      if (fresh === undefined) continue;
      const result = await storage.db
        .updateTable('scan_configs')
        .set({ variables_encrypted: fresh })
        .where('id', '=', row.id)
        .where('variables_encrypted', '=', sealed)
        .executeTakeFirst();
      report.resealed += Number(result.numUpdatedRows);
    }
  }
}
