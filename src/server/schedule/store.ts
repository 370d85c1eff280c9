/**
 * Schedule rows (table `schedules`, migration 0003): a cron expression, the job it enqueues and
 * the next due time. Callers upsert by a stable name, so a server can re-sync its schedules on
 * every start without moving or repeating runs.
 */
import type { Kysely, Selectable } from 'kysely';
import { StorageError } from '../storage/errors.js';
import { isId, newId } from '../storage/ids.js';
import { fromJson, toJson } from '../storage/json.js';
import type { Database, SchedulesTable } from '../storage/schema.js';
import { CronError, nextRunAfter, validateCron } from './cron.js';

export interface Schedule {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  jobKind: string;
  payload: Record<string, unknown>;
  scanConfigId: string | null;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleInput {
  name: string;
  cron: string;
  /** IANA zone the expression is read in; default UTC. */
  timezone?: string;
  jobKind: string;
  payload?: Record<string, unknown>;
  scanConfigId?: string | null;
  enabled?: boolean;
}

function toSchedule(row: Selectable<SchedulesTable>): Schedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    jobKind: row.job_kind,
    payload: fromJson<Record<string, unknown>>(row.payload),
    scanConfigId: row.scan_config_id,
    enabled: row.enabled === 1,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function scheduleStore(ctx: { db: Kysely<Database>; clock: () => Date }) {
  const getByName = async (name: string): Promise<Schedule | undefined> => {
    const row = await ctx.db.selectFrom('schedules').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toSchedule(row);
  };

  return {
    getByName,

    async get(id: string): Promise<Schedule | undefined> {
      if (!isId(id)) return undefined;
      const row = await ctx.db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSchedule(row);
    },

    async list(): Promise<Schedule[]> {
      const rows = await ctx.db.selectFrom('schedules').selectAll().orderBy('name').execute();
      return rows.map(toSchedule);
    },

    /**
     * Create or update the schedule called `input.name`. The next run is recomputed (from now)
     * only when the expression, the time zone or enabled changes, so re-syncing an unchanged
     * schedule keeps its due time. `field` names the input in errors (e.g. "schedule").
     */
    async upsert(input: ScheduleInput, field = 'cron'): Promise<Schedule> {
      const timezone = input.timezone ?? 'UTC';
      const cron = input.cron.trim();
      const now = ctx.clock();
      if (input.name.trim() === '') throw new StorageError('invalid', 'schedule name: must not be empty');
      if (input.jobKind.trim() === '')
        throw new StorageError('invalid', 'schedule jobKind: must not be empty');
      try {
        validateCron({ cron, timezone }, field, now);
      } catch (err) {
        if (err instanceof CronError) throw new StorageError('invalid', err.message);
        throw err;
      }
      const enabled = input.enabled ?? true;
      const next = () => (enabled ? nextRunAfter({ cron, timezone }, now, field)!.toISOString() : null);
      const at = now.toISOString();
      const fields = {
        cron,
        timezone,
        job_kind: input.jobKind,
        payload: toJson(input.payload ?? {}),
        scan_config_id: input.scanConfigId ?? null,
        enabled: enabled ? 1 : 0,
        updated_at: at,
      };
      const existing = await getByName(input.name);
      if (existing === undefined) {
        // Two servers syncing the same schedule at start: the second insert does nothing and
        // falls through to the update below, which changes nothing that matters.
        const inserted = await ctx.db
          .insertInto('schedules')
          .values({
            id: newId(now.getTime()),
            name: input.name,
            ...fields,
            next_run_at: next(),
            last_run_at: null,
            created_at: at,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted !== undefined) return toSchedule(inserted);
      }
      const current = existing ?? (await getByName(input.name))!;
      const timingChanged =
        current.cron !== cron || current.timezone !== timezone || current.enabled !== enabled;
      const row = await ctx.db
        .updateTable('schedules')
        .set({ ...fields, ...(timingChanged ? { next_run_at: next() } : {}) })
        .where('name', '=', input.name)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSchedule(row);
    },

    async remove(name: string): Promise<boolean> {
      const result = await ctx.db.deleteFrom('schedules').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Enabled schedules due at `now`, earliest first. */
    async due(now: Date, limit: number): Promise<Schedule[]> {
      const rows = await ctx.db
        .selectFrom('schedules')
        .selectAll()
        .where('enabled', '=', 1)
        .where('next_run_at', '<=', now.toISOString())
        .orderBy('next_run_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toSchedule);
    },

    /**
     * Compare-and-set the due time: moves `id` from `from` to `next` only if nobody did yet.
     * Returns whether this call moved it.
     */
    async advance(id: string, from: string, next: string | null): Promise<boolean> {
      const result = await ctx.db
        .updateTable('schedules')
        .set({ next_run_at: next, last_run_at: from, updated_at: ctx.clock().toISOString() })
        .where('id', '=', id)
        .where('next_run_at', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type ScheduleStore = ReturnType<typeof scheduleStore>;
