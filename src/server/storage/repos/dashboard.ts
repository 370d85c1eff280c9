/**
 * Dashboard and trend figures for an organisation, in SQL that runs the same on SQLite and
 * PostgreSQL. Days are UTC dates cut from the ISO timestamps (`substr(at, 1, 10)`, ADR 0004).
 *
 * Cost model (indexes of migration 0004, figures in docs/benchmarks.md): every query is bounded by
 * the number of targets or by the days shown, never by the length of the history — the latest
 * scan of a target is one index probe for max(id), the activity a range of one index, the failing
 * rules an index-only read of the latest scans' failed results.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Severity } from '../../../core/results.js';
import { StorageError } from '../errors.js';
import { isId } from '../ids.js';
import type { Database } from '../schema.js';
import type { ScanStatus } from '../types.js';
import type { RepoContext } from './context.js';

/** Ranges of the score distribution: [min, max) on a 0-100 score. */
export const SCORE_RANGES = [
  { range: '0-49', min: 0, max: 50 },
  { range: '50-69', min: 50, max: 70 },
  { range: '70-89', min: 70, max: 90 },
  { range: '90-100', min: 90, max: 101 },
] as const;

export interface DashboardSummary {
  targets: number;
  /** Targets with at least one completed scan. */
  scannedTargets: number;
  /** Mean of each scanned target's latest score, to two decimals (as scan scores); null when none is scanned. */
  averageScore: number | null;
  scoreDistribution: Array<{ range: string; targets: number }>;
  /** Scans created a day (UTC), oldest day first, today last, by status. */
  recentActivity: Array<{ day: string; scans: number; byStatus: Partial<Record<ScanStatus, number>> }>;
  /** Rules failing on the most targets, judged by each target's latest completed scan. */
  topFailingRules: Array<{ ruleId: string; title: string; severity: Severity; failingTargets: number }>;
}

export interface LatestScore {
  targetId: string;
  name: string;
  score: number;
}

export interface TrendPoint {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Mean score of the day's completed scans (by finish time), two decimals; null without scans. */
  score: number | null;
  scans: number;
}

export interface SummaryOptions {
  /** Days of activity, today included (1-366, default 14). */
  activityDays?: number;
  /** Length of the failing-rules list (1-100, default 10). */
  topRules?: number;
}

const DAY_MS = 86_400_000;

function checkRange(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new StorageError('invalid', `${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/** The `count` UTC dates ending today, oldest first. */
function daysUpTo(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) =>
    new Date(today - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

// Two decimals: the precision scan scores are stored with, so one scan's average is its score.
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Rule ids ordered by byte value on both backends: PostgreSQL would otherwise use the database's
 * collation (which may ignore underscores), and ties in the failing-rules list would differ.
 */
function byteOrder(db: Kysely<Database>, column: string) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`${sql.ref(column)} collate "C"`
    : sql`${sql.ref(column)}`;
}

export function dashboardRepo(ctx: RepoContext) {
  /** Each target of the organisation with the id of its latest completed scan (null: none). */
  const latestScans = (orgId: string) =>
    ctx.db
      .selectFrom('targets as t')
      .where('t.org_id', '=', orgId)
      .select((eb) =>
        eb
          .selectFrom('scans as s')
          .select((e) => e.fn.max('s.id').as('m'))
          .whereRef('s.target_id', '=', 't.id')
          .where('s.status', '=', 'completed')
          .as('scan_id'),
      );

  const scores = async (orgId: string) => {
    // Each target's latest completed score in one index probe plus one row read (a correlated
    // subquery): joining scans instead made PostgreSQL hash-join the whole scan history.
    const row = await ctx.db
      .with('latest_scores', (db) =>
        db
          .selectFrom('targets as t')
          .where('t.org_id', '=', orgId)
          .select((eb) =>
            eb
              .selectFrom('scans as s')
              .select('s.score')
              .whereRef('s.target_id', '=', 't.id')
              .where('s.status', '=', 'completed')
              .orderBy('s.id', 'desc')
              .limit(1)
              .as('score'),
          ),
      )
      .selectFrom('latest_scores')
      .select((eb) => [
        // count(score) skips targets without a scored completed scan.
        eb.fn.count('score').as('scanned'),
        eb.fn.avg('score').as('average'),
        ...SCORE_RANGES.map(({ min, max }, i) =>
          eb.fn
            .sum(
              eb
                .case()
                .when(eb.and([eb('score', '>=', min), eb('score', '<', max)]))
                .then(eb.lit(1))
                .else(eb.lit(0))
                .end(),
            )
            .as(`range_${i}`),
        ),
      ])
      .executeTakeFirstOrThrow();
    const byRange = row as unknown as Record<string, unknown>;
    const scanned = Number(row.scanned);
    return {
      scannedTargets: scanned,
      averageScore: scanned === 0 || row.average === null ? null : round2(Number(row.average)),
      scoreDistribution: SCORE_RANGES.map(({ range }, i) => ({
        range,
        targets: Number(byRange[`range_${i}`] ?? 0),
      })),
    };
  };

  const activity = async (orgId: string, days: string[]) => {
    const day = sql<string>`substr(created_at, 1, 10)`;
    const rows = await ctx.db
      .selectFrom('scans')
      .select((eb) => [day.as('day'), 'status', eb.fn.countAll().as('n')])
      .where('org_id', '=', orgId)
      .where('created_at', '>=', `${days[0]}T00:00:00.000Z`)
      .groupBy([day, 'status'])
      .execute();
    return days.map((d) => {
      const byStatus: Partial<Record<ScanStatus, number>> = {};
      let scans = 0;
      for (const row of rows) {
        if (row.day !== d) continue;
        byStatus[row.status as ScanStatus] = Number(row.n);
        scans += Number(row.n);
      }
      return { day: d, scans, byStatus };
    });
  };

  const topFailing = async (orgId: string, limit: number) => {
    // Counted from the index alone; titles are fetched for the few rules shown.
    const top = await ctx.db
      .with('latest', () => latestScans(orgId))
      .selectFrom('latest')
      .innerJoin('rule_results as rr', 'rr.scan_id', 'latest.scan_id')
      .where('rr.status', '=', 'fail')
      .select((eb) => ['rr.rule_id', eb.fn.countAll().as('n'), eb.fn.max('rr.scan_id').as('sample')])
      .groupBy('rr.rule_id')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(byteOrder(ctx.db, 'rr.rule_id'))
      .limit(limit)
      .execute();
    if (top.length === 0) return [];
    const described = await ctx.db
      .selectFrom('rule_results')
      .select(['scan_id', 'rule_id', 'title', 'severity'])
      .where('status', '=', 'fail')
      .where((eb) =>
        eb.or(top.map((r) => eb.and([eb('scan_id', '=', String(r.sample)), eb('rule_id', '=', r.rule_id)]))),
      )
      .execute();
    return top.map((r) => {
      const info = described.find((d) => d.scan_id === r.sample && d.rule_id === r.rule_id);
      return {
        ruleId: r.rule_id,
        title: info?.title ?? r.rule_id,
        severity: (info?.severity ?? 'unknown') as Severity,
        failingTargets: Number(r.n),
      };
    });
  };

  return {
    /**
     * Each scored target's latest completed score (all organisations unless one is given), for the
     * metrics gauge. One index probe per target, as `scores` above.
     */
    async latestScores(orgId?: string): Promise<LatestScore[]> {
      let query = ctx.db
        .selectFrom('targets as t')
        .select((eb) => [
          't.id as targetId',
          't.name as name',
          eb
            .selectFrom('scans as s')
            .select('s.score')
            .whereRef('s.target_id', '=', 't.id')
            .where('s.status', '=', 'completed')
            .orderBy('s.id', 'desc')
            .limit(1)
            .as('score'),
        ]);
      if (orgId !== undefined) query = query.where('t.org_id', '=', orgId);
      const rows = await query.execute();
      return rows
        .filter((r) => r.score !== null && r.score !== undefined)
        .map((r) => ({ targetId: r.targetId, name: r.name, score: Number(r.score) }));
    },

    /** The organisation's dashboard: counts, latest scores, activity and failing rules. */
    async summary(orgId: string, options: SummaryOptions = {}): Promise<DashboardSummary> {
      const days = daysUpTo(ctx.clock(), checkRange('activityDays', options.activityDays ?? 14, 366));
      const limit = checkRange('topRules', options.topRules ?? 10, 100);
      const count = ctx.db
        .selectFrom('targets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      // Independent reads: on PostgreSQL they run on separate pooled connections at once; on
      // SQLite they queue on the one connection, which costs nothing extra.
      const [targets, latest, recentActivity, topFailingRules] = await Promise.all([
        count,
        scores(orgId),
        activity(orgId, days),
        topFailing(orgId, limit),
      ]);
      return { targets: Number(targets.n), ...latest, recentActivity, topFailingRules };
    },

    /** One point a day (UTC) for the last `days` days, today included (1-366, default 30). */
    async trend(targetId: string, options: { days?: number } = {}): Promise<TrendPoint[]> {
      const span = daysUpTo(ctx.clock(), checkRange('days', options.days ?? 30, 366));
      if (!isId(targetId)) return span.map((day) => ({ day, score: null, scans: 0 }));
      const day = sql<string>`substr(finished_at, 1, 10)`;
      const rows = await ctx.db
        .selectFrom('scans')
        .select((eb) => [day.as('day'), eb.fn.avg('score').as('score'), eb.fn.countAll().as('n')])
        .where('target_id', '=', targetId)
        .where('status', '=', 'completed')
        .where('finished_at', '>=', `${span[0]}T00:00:00.000Z`)
        .groupBy(day)
        .execute();
      return span.map((d) => {
        const row = rows.find((r) => r.day === d);
        return row === undefined || row.score === null
          ? { day: d, score: null, scans: row === undefined ? 0 : Number(row.n) }
          : { day: d, score: round2(Number(row.score)), scans: Number(row.n) };
      });
    },
  };
}
