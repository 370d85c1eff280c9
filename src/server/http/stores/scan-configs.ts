/**
 * Scan configurations (table `scan_configs`, migration 0001). The storage layer has no repository
 * for them yet, so this adapter lives with the API that needs it: plain variable overrides as
 * JSON, sensitive ones sealed with AES-256-GCM (SecretBox, AAD bound to the row), and the cron
 * schedule mirrored into the `schedules` table in the same transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { VariableValue } from '../../../core/rules/variables.js';
import { SECRET_PLACES, type SecretBox } from '../../crypto/secrets.js';
import { scheduleStore, syncScanConfigSchedule } from '../../schedule/index.js';
import { isUniqueViolation, StorageError } from '../../storage/errors.js';
import { isId, newId } from '../../storage/ids.js';
import { decodeStringCursor, pageSize, toPage } from '../../storage/pagination.js';
import type { Database, ScanConfigsTable } from '../../storage/schema.js';
import type { Labels, Page, PageRequest } from '../../storage/types.js';

export interface ScanConfig {
  id: string;
  orgId: string;
  name: string;
  profileId: string;
  targetIds: string[] | null;
  labelSelector: Labels | null;
  /** Non-sensitive overrides. */
  variables: Record<string, VariableValue>;
  /** Names of the sensitive overrides (values sealed; `openSensitive` reads them). */
  sensitiveVariables: string[];
  schedule: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScanConfigInput {
  name: string;
  profileId: string;
  targetIds: string[] | null;
  labelSelector: Labels | null;
  variables: Record<string, VariableValue>;
  sensitive: Record<string, VariableValue>;
  schedule: string | null;
}

type Row = Selectable<ScanConfigsTable>;

export function scanConfigsStore(deps: { db: Kysely<Database>; clock: () => Date; secrets: SecretBox }) {
  const { db, clock, secrets } = deps;

  const seal = (id: string, sensitive: Record<string, VariableValue>): string | null =>
    Object.keys(sensitive).length === 0
      ? null
      : secrets.seal(JSON.stringify(sensitive), SECRET_PLACES.scanConfigVariables(id));

  const open = (row: Row): Record<string, VariableValue> =>
    row.variables_encrypted === null
      ? {}
      : JSON.parse(
          secrets.open(row.variables_encrypted, SECRET_PLACES.scanConfigVariables(row.id)).plaintext,
        );

  const toConfig = (row: Row): ScanConfig => ({
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    profileId: row.profile_id,
    targetIds: row.target_ids === null ? null : JSON.parse(row.target_ids),
    labelSelector: row.label_selector === null ? null : JSON.parse(row.label_selector),
    variables: JSON.parse(row.variables),
    sensitiveVariables: Object.keys(open(row)).sort(),
    schedule: row.schedule,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const getRow = async (id: string, trx: Kysely<Database> = db) =>
    isId(id) ? trx.selectFrom('scan_configs').selectAll().where('id', '=', id).executeTakeFirst() : undefined;

  const values = (id: string, input: ScanConfigInput) => ({
    name: input.name,
    profile_id: input.profileId,
    target_ids: input.targetIds === null ? null : JSON.stringify(input.targetIds),
    label_selector: input.labelSelector === null ? null : JSON.stringify(input.labelSelector),
    variables: JSON.stringify(input.variables),
    variables_encrypted: seal(id, input.sensitive),
    schedule: input.schedule,
  });

  const conflict = (err: unknown, name: string): never => {
    if (isUniqueViolation(err))
      throw new StorageError('conflict', `name: scan configuration "${name}" exists`);
    throw err;
  };

  return {
    async get(id: string): Promise<ScanConfig | undefined> {
      const row = await getRow(id);
      return row && toConfig(row);
    },

    /** The sensitive overrides in clear, for the scan that uses them (never for API answers). */
    async openSensitive(id: string): Promise<Record<string, VariableValue>> {
      const row = await getRow(id);
      return row ? open(row) : {};
    },

    /** Runs inside the caller's transaction: the row, its schedule and its audit entry commit together. */
    async create(trx: Kysely<Database>, orgId: string, input: ScanConfigInput): Promise<ScanConfig> {
      const now = clock();
      const id = newId(now.getTime());
      const at = now.toISOString();
      try {
        await trx
          .insertInto('scan_configs')
          .values({ id, org_id: orgId, ...values(id, input), created_at: at, updated_at: at })
          .execute();
      } catch (err) {
        conflict(err, input.name);
      }
      await syncScanConfigSchedule(scheduleStore({ db: trx, clock }), { id, schedule: input.schedule });
      return toConfig((await getRow(id, trx))!);
    },

    async update(trx: Kysely<Database>, id: string, input: ScanConfigInput): Promise<ScanConfig> {
      try {
        await trx
          .updateTable('scan_configs')
          .set({ ...values(id, input), updated_at: clock().toISOString() })
          .where('id', '=', id)
          .execute();
      } catch (err) {
        conflict(err, input.name);
      }
      await syncScanConfigSchedule(scheduleStore({ db: trx, clock }), { id, schedule: input.schedule });
      return toConfig((await getRow(id, trx))!);
    },

    /** The schedule row goes with it (foreign key, on delete cascade); scans keep their history. */
    async remove(trx: Kysely<Database>, id: string): Promise<void> {
      await trx.deleteFrom('scan_configs').where('id', '=', id).execute();
    },

    async list(filter: PageRequest & { orgId: string }): Promise<Page<ScanConfig>> {
      const limit = pageSize(filter);
      const after = decodeStringCursor(filter.cursor);
      let query = db.selectFrom('scan_configs').selectAll().where('org_id', '=', filter.orgId);
      if (after !== undefined) query = query.where('id', '>', after);
      const rows = await query
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toConfig, (r) => r.id);
    },
  };
}

export type ScanConfigsStore = ReturnType<typeof scanConfigsStore>;
