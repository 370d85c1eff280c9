import type { Selectable } from 'kysely';
import type { ResultStatus, RuleResult, Severity } from '../../../core/results.js';
import { insertRuleResultRows, ruleResultRows } from '../bulk-results.js';
import { isId } from '../ids.js';
import { fromJson } from '../json.js';
import { decodeIntCursor, pageSize, toPage } from '../pagination.js';
import type { RuleResultsTable } from '../schema.js';
import { inTransaction } from '../tx.js';
import type { Page, PageRequest, StoredRuleResult } from '../types.js';
import type { RepoContext } from './context.js';

export interface ResultFilter extends PageRequest {
  status?: ResultStatus | ResultStatus[];
  severity?: Severity | Severity[];
}

function toStored(row: Selectable<RuleResultsTable>): StoredRuleResult {
  return {
    scanId: row.scan_id,
    seq: row.seq,
    ruleId: row.rule_id,
    title: row.title,
    severity: row.severity as Severity,
    status: row.status as ResultStatus,
    message: row.message,
    evidence: fromJson(row.evidence),
    references: fromJson(row.refs),
    durationMs: row.duration_ms,
    check: { type: row.check_type, version: row.check_version },
  };
}

function asList<T>(value: T | T[] | undefined): T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

export function resultsRepo(ctx: RepoContext) {
  return {
    /**
     * Append results to a scan, keeping their order (seq continues after what is stored), in one
     * transaction: either all rows land or none.
     */
    async insertMany(scanId: string, results: readonly RuleResult[]): Promise<number> {
      if (results.length === 0) return 0;
      return inTransaction(ctx.db, async (trx) => {
        const { max } = await trx
          .selectFrom('rule_results')
          .select((eb) => eb.fn.max('seq').as('max'))
          .where('scan_id', '=', scanId)
          .executeTakeFirstOrThrow();
        const start = max === null ? 0 : Number(max) + 1;
        // The ingest fast path (bulk-results.ts): same rows, fewer statements.
        await insertRuleResultRows(trx, ruleResultRows(scanId, start, results));
        return results.length;
      });
    },

    /** In scan order; status and severity filters accept one value or several (OR). */
    async listForScan(scanId: string, filter: ResultFilter = {}): Promise<Page<StoredRuleResult>> {
      const limit = pageSize(filter);
      const after = decodeIntCursor(filter.cursor);
      if (!isId(scanId)) return { items: [], nextCursor: null };
      let query = ctx.db.selectFrom('rule_results').selectAll().where('scan_id', '=', scanId);
      const statuses = asList(filter.status);
      if (statuses !== undefined) {
        if (statuses.length === 0) return { items: [], nextCursor: null };
        query = query.where('status', 'in', statuses);
      }
      const severities = asList(filter.severity);
      if (severities !== undefined) {
        if (severities.length === 0) return { items: [], nextCursor: null };
        query = query.where('severity', 'in', severities);
      }
      if (after !== undefined) query = query.where('seq', '>', after);
      const rows = await query
        .orderBy('seq', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toStored, (r) => r.seq);
    },
  };
}
