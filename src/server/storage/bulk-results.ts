/**
 * The ingest hot path: writing a scan's rule results (~200-300 rows a scan, thousands of scans an
 * hour). Kysely's per-row cost — building and compiling a multi-row INSERT with 12 parameters a
 * row, and on SQLite preparing that new SQL text every time — was most of the time spent storing a
 * ScanResult (docs/benchmarks.md, "Server ingest and dashboard"). Rows, JSON encoding and
 * transaction boundaries are exactly the Kysely path's; only how the INSERTs are issued differs:
 *
 * - SQLite: one prepared statement per database, reused for every row (better-sqlite3 is
 *   synchronous, so a row costs one bind and one step). MUST run inside a Kysely transaction — see
 *   sqlite-handle.ts for why the raw statements then belong to that transaction.
 * - PostgreSQL: `INSERT ... SELECT * FROM unnest($1::text[], ...)`: 12 array parameters and one
 *   round trip per batch, whatever the row count, and one short statement text for the planner.
 * - Anything else (a Kysely instance built without the handle): Kysely multi-row INSERTs.
 */
import type SQLite from 'better-sqlite3';
import { type Insertable, type Kysely, PostgresAdapter, sql } from 'kysely';
import type { RuleResult } from '../../core/results.js';
import { toJson } from './json.js';
import type { Database, RuleResultsTable } from './schema.js';
import { sqliteDatabaseOf } from './sqlite-handle.js';

/**
 * Rows per statement on the generic path (12 parameters a row: far below SQLite's 32,766 and
 * PostgreSQL's 65,535 bound parameters) and per unnest batch on PostgreSQL (arrays have no
 * parameter limit; the batch only bounds the size of one message).
 */
const CHUNK = 500;
const PG_BATCH = 2000;

type Row = Insertable<RuleResultsTable>;

/** The stored form of results `start`, `start+1`, ... of a scan (the one encoding of evidence). */
export function ruleResultRows(scanId: string, start: number, results: readonly RuleResult[]): Row[] {
  return results.map((r, i) => ({
    scan_id: scanId,
    seq: start + i,
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
}

const statements = new WeakMap<SQLite.Database, SQLite.Statement>();

function sqliteInsert(database: SQLite.Database): SQLite.Statement {
  let statement = statements.get(database);
  if (statement === undefined) {
    statement = database.prepare(
      'insert into rule_results (scan_id, seq, rule_id, title, severity, status, message, evidence, ' +
        'refs, duration_ms, check_type, check_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    statements.set(database, statement);
  }
  return statement;
}

/** A missing field binds as NULL, so it fails on the NOT NULL constraint as on the Kysely path. */
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** Insert rows inside the caller's transaction `trx` (all or none land with it). */
export async function insertRuleResultRows(trx: Kysely<Database>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  if (!trx.isTransaction) throw new Error('insertRuleResultRows must run inside a transaction');
  const database = sqliteDatabaseOf(trx);
  if (database !== undefined) {
    const insert = sqliteInsert(database);
    for (const r of rows) {
      insert.run(
        r.scan_id,
        r.seq,
        orNull(r.rule_id),
        orNull(r.title),
        orNull(r.severity),
        orNull(r.status),
        orNull(r.message),
        orNull(r.evidence),
        orNull(r.refs),
        orNull(r.duration_ms),
        orNull(r.check_type),
        orNull(r.check_version),
      );
    }
    return;
  }
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    for (let i = 0; i < rows.length; i += PG_BATCH) {
      const batch = rows.slice(i, i + PG_BATCH);
      const column = <K extends keyof Row>(key: K) => batch.map((r) => orNull(r[key]));
      await sql`insert into rule_results (scan_id, seq, rule_id, title, severity, status, message,
          evidence, refs, duration_ms, check_type, check_version)
        select * from unnest(${column('scan_id')}::text[], ${column('seq')}::integer[],
          ${column('rule_id')}::text[], ${column('title')}::text[], ${column('severity')}::text[],
          ${column('status')}::text[], ${column('message')}::text[], ${column('evidence')}::text[],
          ${column('refs')}::text[], ${column('duration_ms')}::double precision[],
          ${column('check_type')}::text[], ${column('check_version')}::integer[])`.execute(trx);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('rule_results')
      .values(rows.slice(i, i + CHUNK) as Row[])
      .execute();
  }
}
