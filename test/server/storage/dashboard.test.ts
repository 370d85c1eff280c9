/**
 * The dashboard repository on both backends: latest completed scan per target, score ranges,
 * activity by day and status, failing rules across latest scans, and a target's daily trend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuleResult, ScanResult } from '../../../src/core/results.js';
import { type Storage, StorageError } from '../../../src/server/storage/index.js';
import { type StorageBackend, storageBackends, type TestClock, testClock } from './backends.js';
import { scanResult } from './fixtures.js';

const RULES = ['rule_1', 'rule_2', 'rule_3', 'rule_9', 'B_rule', 'a_rule'];
const DAY = 86_400_000;

/** A completed ScanResult with this score, failing exactly `failing`, finished at `finishedAt`. */
function result(score: number, failing: string[], finishedAt: string): ScanResult {
  const base = scanResult(RULES.length, score);
  const results: RuleResult[] = RULES.map((ruleId, i) => ({
    ...base.results[i]!,
    ruleId,
    title: `Title of ${ruleId}`,
    severity: ruleId === 'rule_1' ? 'high' : 'low',
    status: failing.includes(ruleId) ? 'fail' : 'pass',
  }));
  return { ...base, startedAt: finishedAt, finishedAt, results };
}

describe.each(await storageBackends())('dashboard repository: $name', (backend: StorageBackend) => {
  let s: Storage;
  let dispose: () => Promise<void>;
  let clock: TestClock;
  let orgId: string;

  beforeEach(async () => {
    clock = testClock('2026-02-20T09:00:00.000Z');
    ({ storage: s, dispose } = await backend.open({ clock }));
    await s.migrate();
    orgId = (await s.organisations.create({ name: 'acme' })).id;
  });

  afterEach(async () => {
    await dispose();
  });

  const host = (name: string, org = orgId) => s.targets.create({ orgId: org, kind: 'host', name });
  const record = (targetId: string, r: ScanResult, org = orgId) =>
    s.scans.record({ orgId: org, targetId, trigger: 'agent' }, r);

  it('is empty for an organisation without scans', async () => {
    const summary = await s.dashboard.summary(orgId, { activityDays: 3 });
    expect(summary).toEqual({
      targets: 0,
      scannedTargets: 0,
      averageScore: null,
      scoreDistribution: [
        { range: '0-49', targets: 0 },
        { range: '50-69', targets: 0 },
        { range: '70-89', targets: 0 },
        { range: '90-100', targets: 0 },
      ],
      recentActivity: [
        { day: '2026-02-18', scans: 0, byStatus: {} },
        { day: '2026-02-19', scans: 0, byStatus: {} },
        { day: '2026-02-20', scans: 0, byStatus: {} },
      ],
      topFailingRules: [],
    });
  });

  describe('with a history', () => {
    let a: string;
    let b: string;
    let c: string;

    beforeEach(async () => {
      a = (await host('a')).id;
      b = (await host('b')).id;
      c = (await host('c')).id;
      const d = (await host('d')).id;
      const other = await s.organisations.create({ name: 'other' });
      const foreign = (await host('x', other.id)).id;

      // 2026-02-20: a's first scan (superseded later), another organisation's scan.
      await record(a, result(40, ['rule_9'], '2026-02-20T09:00:05.000Z'));
      await record(foreign, result(10, ['rule_9'], '2026-02-20T09:00:06.000Z'), other.id);
      clock.advance(3 * DAY);
      // 2026-02-23: b completes, then a later scan of b fails (failed scans are not "latest").
      await record(b, result(50, ['rule_1', 'rule_3'], '2026-02-23T09:00:05.000Z'));
      const failed = await s.scans.create({ orgId, targetId: b, trigger: 'schedule' });
      await s.scans.updateStatus(failed.id, 'failed', { error: 'unreachable' });
      clock.advance(2 * DAY);
      // 2026-02-25: a twice, c once, d only queued.
      await record(a, result(80, ['rule_1'], '2026-02-25T08:00:00.000Z'));
      await record(a, result(90, ['rule_1', 'rule_2'], '2026-02-25T09:00:00.000Z'));
      await record(c, result(100, ['rule_1', 'rule_2', 'B_rule', 'a_rule'], '2026-02-25T09:00:10.000Z'));
      await s.scans.create({ orgId, targetId: d, trigger: 'manual' });
    });

    it('summarises the latest completed scan of each target', async () => {
      const summary = await s.dashboard.summary(orgId);
      expect(summary.targets).toBe(4);
      expect(summary.scannedTargets).toBe(3);
      // Latest scores: a 90, b 50, c 100 (a's 40 and 80 are older; b's failed scan has none).
      expect(summary.averageScore).toBe(80);
      expect(summary.scoreDistribution).toEqual([
        { range: '0-49', targets: 0 },
        { range: '50-69', targets: 1 },
        { range: '70-89', targets: 0 },
        { range: '90-100', targets: 2 },
      ]);
    });

    it('counts failing rules over latest scans only, ties in byte order of rule id', async () => {
      const { topFailingRules } = await s.dashboard.summary(orgId);
      expect(topFailingRules).toEqual([
        { ruleId: 'rule_1', title: 'Title of rule_1', severity: 'high', failingTargets: 3 },
        { ruleId: 'rule_2', title: 'Title of rule_2', severity: 'low', failingTargets: 2 },
        { ruleId: 'B_rule', title: 'Title of B_rule', severity: 'low', failingTargets: 1 },
        { ruleId: 'a_rule', title: 'Title of a_rule', severity: 'low', failingTargets: 1 },
        { ruleId: 'rule_3', title: 'Title of rule_3', severity: 'low', failingTargets: 1 },
      ]);
      const top2 = await s.dashboard.summary(orgId, { topRules: 2 });
      expect(top2.topFailingRules.map((r) => r.ruleId)).toEqual(['rule_1', 'rule_2']);
    });

    it('shows activity by creation day and status', async () => {
      const { recentActivity } = await s.dashboard.summary(orgId, { activityDays: 7 });
      expect(recentActivity.map((d) => d.day)).toEqual([
        '2026-02-19',
        '2026-02-20',
        '2026-02-21',
        '2026-02-22',
        '2026-02-23',
        '2026-02-24',
        '2026-02-25',
      ]);
      expect(recentActivity.filter((d) => d.scans > 0)).toEqual([
        { day: '2026-02-20', scans: 1, byStatus: { completed: 1 } },
        { day: '2026-02-23', scans: 2, byStatus: { completed: 1, failed: 1 } },
        { day: '2026-02-25', scans: 4, byStatus: { completed: 3, queued: 1 } },
      ]);
      const short = await s.dashboard.summary(orgId, { activityDays: 2 });
      expect(short.recentActivity.map((d) => [d.day, d.scans])).toEqual([
        ['2026-02-24', 0],
        ['2026-02-25', 4],
      ]);
    });

    it("gives a target's daily trend by finish day", async () => {
      const trend = await s.dashboard.trend(a, { days: 7 });
      expect(trend).toHaveLength(7);
      expect(trend[0]).toEqual({ day: '2026-02-19', score: null, scans: 0 });
      expect(trend.filter((p) => p.scans > 0)).toEqual([
        { day: '2026-02-20', score: 40, scans: 1 },
        { day: '2026-02-25', score: 85, scans: 2 },
      ]);
      // Only completed scans count: b's failed scan is not a point.
      expect((await s.dashboard.trend(b, { days: 7 })).filter((p) => p.scans > 0)).toEqual([
        { day: '2026-02-23', score: 50, scans: 1 },
      ]);
      expect(await s.dashboard.trend(c, { days: 1 })).toEqual([{ day: '2026-02-25', score: 100, scans: 1 }]);
      expect((await s.dashboard.trend(a)).length).toBe(30);
      const unknown = await s.dashboard.trend('not-an-id', { days: 2 });
      expect(unknown).toEqual([
        { day: '2026-02-24', score: null, scans: 0 },
        { day: '2026-02-25', score: null, scans: 0 },
      ]);
    });
  });

  it.each([
    ['activityDays 0', () => s.dashboard.summary(orgId, { activityDays: 0 })],
    ['activityDays 367', () => s.dashboard.summary(orgId, { activityDays: 367 })],
    ['topRules 1.5', () => s.dashboard.summary(orgId, { topRules: 1.5 })],
    ['trend days 0', () => s.dashboard.trend('00000000-0000-7000-8000-000000000000', { days: 0 })],
  ])('refuses %s', async (_label, call) => {
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('invalid');
  });
});
