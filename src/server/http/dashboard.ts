/**
 * Dashboard and trend figures, computed in SQL that runs the same on SQLite and PostgreSQL
 * (timestamps are ISO text, so a day is `substr(at, 1, 10)`, ADR 0004).
 */
import { sql } from 'kysely';
import type { Storage } from '../storage/index.js';
import { latestScores } from './metrics.js';

export const SCORE_RANGES = [
  { range: '0-49', min: 0, max: 50 },
  { range: '50-69', min: 50, max: 70 },
  { range: '70-89', min: 70, max: 90 },
  { range: '90-100', min: 90, max: 101 },
] as const;

const day = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 10)`;

function daysBack(now: Date, days: number): string[] {
  const out: string[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = days - 1; i >= 0; i--) out.push(new Date(today - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

export async function dashboard(storage: Storage, orgId: string, now: Date, activityDays = 14) {
  const targets = await storage.db
    .selectFrom('targets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  const latest = await latestScores(storage, orgId);
  const average =
    latest.length === 0
      ? null
      : Math.round((latest.reduce((a, r) => a + r.score, 0) / latest.length) * 100) / 100;
  const distribution = SCORE_RANGES.map(({ range, min, max }) => ({
    range,
    targets: latest.filter((r) => r.score >= min && r.score < max).length,
  }));

  const days = daysBack(now, activityDays);
  const activityRows = await storage.db
    .selectFrom('scans')
    .select([day('created_at').as('day'), 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('created_at', '>=', `${days[0]}T00:00:00.000Z`)
    .groupBy([day('created_at'), 'status'])
    .execute();
  const activity = days.map((d) => {
    const counts: Record<string, number> = {};
    for (const row of activityRows) if (row.day === d) counts[row.status] = Number(row.n);
    return { day: d, scans: Object.values(counts).reduce((a, n) => a + n, 0), byStatus: counts };
  });

  const latestIds = latest.map((r) => r.scanId);
  const topFailing =
    latestIds.length === 0
      ? []
      : await storage.db
          .selectFrom('rule_results')
          .select([
            'rule_id',
            (eb) => eb.fn.max('title').as('title'),
            (eb) => eb.fn.countAll<number>().as('n'),
          ])
          .where('scan_id', 'in', latestIds)
          .where('status', '=', 'fail')
          .groupBy('rule_id')
          .orderBy('n', 'desc')
          .orderBy('rule_id', 'asc')
          .limit(10)
          .execute();

  return {
    targets: Number(targets.n),
    scannedTargets: latest.length,
    averageScore: average,
    scoreDistribution: distribution,
    recentActivity: activity,
    topFailingRules: topFailing.map((r) => ({
      ruleId: r.rule_id,
      title: r.title ?? r.rule_id,
      failingTargets: Number(r.n),
    })),
  };
}

/** One point per day (UTC), the day's average score of completed scans; null on days without one. */
export async function trend(storage: Storage, targetId: string, now: Date, days: number) {
  const span = daysBack(now, days);
  const rows = await storage.db
    .selectFrom('scans')
    .select([
      day('finished_at').as('day'),
      (eb) => eb.fn.avg<number>('score').as('score'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('target_id', '=', targetId)
    .where('status', '=', 'completed')
    .where('finished_at', '>=', `${span[0]}T00:00:00.000Z`)
    .groupBy(day('finished_at'))
    .execute();
  return span.map((d) => {
    const row = rows.find((r) => r.day === d);
    return {
      day: d,
      score: row === undefined ? null : Math.round(Number(row.score) * 100) / 100,
      scans: row === undefined ? 0 : Number(row.n),
    };
  });
}
