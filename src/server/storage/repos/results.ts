import type { Selectable } from 'kysely';
import type { ResultStatus, RuleResult, Severity } from '../../../core/results.js';
import { isId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import { decodeIntCursor, pageSize, toPage } from '../pagination.js';
import type { RuleResultsTable } from '../schema.js';
import { inTransaction } from '../tx.js';
import type { Page, PageRequest, StoredRuleResult } from '../types.js';
import type { RepoContext } from './context.js';

/**
 * Rows per INSERT. 12 parameters a row: 500 rows stay far below SQLite's 32,766 and PostgreSQL's
 * 65,535 bound parameters while keeping round trips few for ~200-result scans.
 */
const CHUNK = 500;

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
        for (let i = 0; i < results.length; i += CHUNK) {
          const rows = results.slice(i, i + CHUNK).map((r, j) => ({
            scan_id: scanId,
            seq: start + i + j,
            rule_id: r.ruleId,
            title: r.title,
            severity: r.severity,
            status: r.status,
            message: r.message,
            evidence: toJson(r.evidence),
            refs: toJson(r.references),
            duration_ms: r.durationMs,
            check_type: r.check.type,
            check_version: r.check.version,
          }));
          await trx.insertInto('rule_results').values(rows).execute();
        }
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
