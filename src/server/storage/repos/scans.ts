import type { Selectable } from 'kysely';
import type { ScanResult } from '../../../core/results.js';
import { insertRuleResultRows, ruleResultRows } from '../bulk-results.js';
import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import { decodeStringCursor, pageSize, toPage } from '../pagination.js';
import type { ScansTable } from '../schema.js';
import { inTransaction } from '../tx.js';
import {
  type NewScan,
  type Page,
  type PageRequest,
  SCAN_TRIGGERS,
  type Scan,
  type ScanStatus,
  type ScanTrigger,
} from '../types.js';
import { type RepoContext, stamp } from './context.js';
import { resultsRepo } from './results.js';

/**
 * Allowed status changes. Terminal states never change again, so a late "running" from a slow
 * worker cannot resurrect a cancelled scan.
 */
const TRANSITIONS: Record<ScanStatus, readonly ScanStatus[]> = {
  queued: ['running', 'failed', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

const TERMINAL: readonly ScanStatus[] = ['completed', 'failed', 'cancelled'];

export interface ScanFilter extends PageRequest {
  orgId?: string;
  targetId?: string;
  status?: ScanStatus | ScanStatus[];
  trigger?: ScanTrigger;
  /** Only scans created at or after this ISO time. */
  since?: string;
}

function toScan(row: Selectable<ScansTable>): Scan {
  return {
    id: row.id,
    orgId: row.org_id,
    targetId: row.target_id,
    scanConfigId: row.scan_config_id,
    agentId: row.agent_id,
    status: row.status as ScanStatus,
    trigger: row.trigger as ScanTrigger,
    profileId: row.profile_id,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: fromJson<Record<string, unknown>>(row.summary),
    score: row.score,
    error: row.error,
  };
}

export function scansRepo(ctx: RepoContext) {
  const get = async (id: string): Promise<Scan | undefined> => {
    if (!isId(id)) return undefined;
    const row = await ctx.db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toScan(row);
  };

  const newRow = (input: NewScan) => {
    if (!(SCAN_TRIGGERS as readonly string[]).includes(input.trigger)) {
      throw new StorageError('invalid', `unknown scan trigger "${input.trigger}"`);
    }
    const { id, at } = stamp(ctx);
    return {
      id,
      org_id: input.orgId,
      target_id: input.targetId,
      scan_config_id: input.scanConfigId ?? null,
      agent_id: input.agentId ?? null,
      status: 'queued',
      trigger: input.trigger,
      profile_id: input.profileId ?? null,
      idempotency_key: input.idempotencyKey ?? null,
      created_at: at,
      started_at: null,
      finished_at: null,
      summary: null,
      score: null,
      error: null,
    } satisfies Selectable<ScansTable>;
  };

  const byIdempotencyKey = async (orgId: string, key: string): Promise<Scan | undefined> => {
    const row = await ctx.db
      .selectFrom('scans')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row && toScan(row);
  };

  return {
    get,

    /** A queued scan. A duplicate idempotency key is a conflict (use `record` for uploads). */
    async create(input: NewScan): Promise<Scan> {
      const row = newRow(input);
      try {
        await ctx.db.insertInto('scans').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err))
          throw new StorageError('conflict', 'a scan with this idempotency key exists');
        throw err;
      }
      return toScan(row);
    },

    /**
     * Move a scan along queued -> running -> completed|failed|cancelled. The UPDATE is guarded by
     * the allowed previous statuses, so two workers racing on one scan cannot both win.
     */
    async updateStatus(id: string, status: ScanStatus, opts: { error?: string } = {}): Promise<Scan> {
      const from = (Object.keys(TRANSITIONS) as ScanStatus[]).filter((s) => TRANSITIONS[s].includes(status));
      const now = ctx.clock().toISOString();
      const result = await ctx.db
        .updateTable('scans')
        .set({
          status,
          ...(status === 'running' ? { started_at: now } : {}),
          ...(TERMINAL.includes(status) ? { finished_at: now } : {}),
          ...(opts.error !== undefined ? { error: opts.error } : {}),
        })
        .where('id', '=', isId(id) ? id : '')
        .where('status', 'in', from.length > 0 ? from : ['-'])
        .executeTakeFirst();
      const scan = await get(id);
      if (scan === undefined) throw new StorageError('not_found', `scan ${id} not found`);
      if (Number(result.numUpdatedRows) === 0) {
        throw new StorageError('invalid_transition', `scan ${id} is ${scan.status}, cannot become ${status}`);
      }
      return scan;
    },

    /**
     * Store a finished ScanResult for a queued or running scan: the scan row and every rule result
     * in one transaction, so a reader never sees a completed scan with half its results.
     */
    async complete(id: string, result: ScanResult): Promise<Scan> {
      await inTransaction(ctx.db, async (trx) => {
        const updated = await trx
          .updateTable('scans')
          .set({
            status: 'completed',
            started_at: result.startedAt,
            finished_at: result.finishedAt,
            profile_id: result.profile?.id ?? null,
            summary: toJson(result.summary),
            score: result.summary.score.default,
          })
          .where('id', '=', isId(id) ? id : '')
          .where('status', 'in', ['queued', 'running'])
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) {
          const current = await trx
            .selectFrom('scans')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirst();
          if (current === undefined) throw new StorageError('not_found', `scan ${id} not found`);
          throw new StorageError('invalid_transition', `scan ${id} is ${current.status}, cannot complete`);
        }
        await resultsRepo({ ...ctx, db: trx }).insertMany(id, result.results);
      });
      return (await get(id))!;
    },

    /**
     * Store a scan that already ran elsewhere (agent upload): scan row, completed, plus results, in
     * one transaction. With an idempotency key a retried upload returns the stored scan
     * (`created: false`) instead of storing it twice.
     */
    async record(input: NewScan, result: ScanResult): Promise<{ scan: Scan; created: boolean }> {
      const existing = async () => {
        if (input.idempotencyKey == null) return undefined;
        return byIdempotencyKey(input.orgId, input.idempotencyKey);
      };
      const before = await existing();
      if (before) return { scan: before, created: false };
      const row = newRow(input);
      try {
        await inTransaction(ctx.db, async (trx) => {
          await trx
            .insertInto('scans')
            .values({
              ...row,
              status: 'completed',
              profile_id: row.profile_id ?? result.profile?.id ?? null,
              started_at: result.startedAt,
              finished_at: result.finishedAt,
              summary: toJson(result.summary),
              score: result.summary.score.default,
            })
            .execute();
          // The scan row was inserted just now in this transaction: its results start at seq 0.
          await insertRuleResultRows(trx, ruleResultRows(row.id, 0, result.results));
        });
      } catch (err) {
        // Lost a race with a concurrent upload of the same key: that one's row is the answer.
        // Only outside a caller's transaction: in PostgreSQL the failed statement aborted theirs.
        if (isUniqueViolation(err) && !ctx.db.isTransaction) {
          const winner = await existing();
          if (winner) return { scan: winner, created: false };
        }
        throw err;
      }
      return { scan: (await get(row.id))!, created: true };
    },

    /** Newest first. */
    async list(filter: ScanFilter = {}): Promise<Page<Scan>> {
      const limit = pageSize(filter);
      const before = decodeStringCursor(filter.cursor);
      let query = ctx.db.selectFrom('scans').selectAll();
      if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
      if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
      if (filter.trigger !== undefined) query = query.where('trigger', '=', filter.trigger);
      if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
      if (filter.status !== undefined) {
        const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
        if (statuses.length === 0) return { items: [], nextCursor: null };
        query = query.where('status', 'in', statuses);
      }
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toScan, (r) => r.id);
    },
  };
}
