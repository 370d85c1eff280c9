/**
 * The ingest fast path (src/server/storage/bulk-results.ts) on both backends: it must store
 * exactly the rows the plain Kysely insert stores, for awkward values too, keep order across
 * PostgreSQL batches, and be reachable from repositories built over a caller's transaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuleResult } from '../../../src/core/results.js';
import { insertRuleResultRows, ruleResultRows } from '../../../src/server/storage/bulk-results.js';
import type { Storage } from '../../../src/server/storage/index.js';
import { scansRepo } from '../../../src/server/storage/repos/scans.js';
import { sqliteDatabaseOf } from '../../../src/server/storage/sqlite-handle.js';
import { type StorageBackend, storageBackends, testClock } from './backends.js';
import { ruleResult, scanResult } from './fixtures.js';

/** Values that break naive array literals, JSON or text handling. */
function awkward(): RuleResult[] {
  const texts = ['NULL', '', '{a,b}', '"quoted", \\back\\slash', 'line\nbreak\ttab', 'ünïcode ✓ 🚀', "it's"];
  return texts.map((text, i) => ({
    ...ruleResult(i),
    ruleId: `awkward_${i}_${text}`,
    title: text,
    message: text,
    evidence: [
      { source: 'file', resource: text, detail: text, found: '{"nested": [1, 2]}' },
      { source: 'command', resource: 'big', detail: 'x'.repeat(i === 0 ? 100_000 : 10) },
    ],
    references: { [text || 'empty']: [text, 'NULL'] },
    durationMs: [0, 0.1, 1e-7, 123456.789, 2 ** 40, 3, 7.5][i]!,
    check: { type: text || 'empty', version: [0, 1, 2 ** 31 - 1, 5, 6, 7, 8][i]! },
  }));
}

describe.each(await storageBackends())('ingest fast path: $name', (backend: StorageBackend) => {
  let s: Storage;
  let dispose: () => Promise<void>;
  let orgId: string;
  let targetId: string;

  beforeEach(async () => {
    ({ storage: s, dispose } = await backend.open({ clock: testClock() }));
    await s.migrate();
    orgId = (await s.organisations.create({ name: 'acme' })).id;
    targetId = (await s.targets.create({ orgId, kind: 'host', name: 'web-1' })).id;
  });

  afterEach(async () => {
    await dispose();
  });

  const newScan = async () => (await s.scans.create({ orgId, targetId, trigger: 'agent' })).id;

  it('reaches the driver on SQLite only, inside transactions too', async () => {
    const inTransaction = await s.db.transaction().execute(async (trx) => sqliteDatabaseOf(trx));
    if (backend.name === 'sqlite') {
      expect(sqliteDatabaseOf(s.db)).toBeDefined();
      expect(inTransaction).toBe(sqliteDatabaseOf(s.db));
    } else {
      expect(sqliteDatabaseOf(s.db)).toBeUndefined();
      expect(inTransaction).toBeUndefined();
    }
  });

  it('stores the same rows as a plain Kysely insert, awkward values included', async () => {
    const results = awkward();
    const [fast, plain] = [await newScan(), await newScan()];
    await s.db.transaction().execute(async (trx) => {
      await insertRuleResultRows(trx, ruleResultRows(fast, 0, results));
      await trx
        .insertInto('rule_results')
        .values(ruleResultRows(plain, 0, results))
        .execute();
    });
    const rows = async (scanId: string) =>
      (
        await s.db
          .selectFrom('rule_results')
          .selectAll()
          .where('scan_id', '=', scanId)
          .orderBy('seq')
          .execute()
      ).map(({ scan_id: _, ...row }) => row);
    const stored = await rows(fast);
    expect(stored).toHaveLength(results.length);
    expect(stored).toEqual(await rows(plain));
    const page = await s.results.listForScan(fast, { limit: 500 });
    expect(page.items).toEqual(results.map((r, seq) => ({ scanId: fast, seq, ...r })));
  });

  it('keeps order across batches (2,500 results)', async () => {
    const scanId = await newScan();
    const result = scanResult(2500);
    await s.scans.complete(scanId, result);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await s.results.listForScan(scanId, { limit: 500, cursor });
      seen.push(...page.items.map((r) => `${r.seq}:${r.ruleId}`));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(result.results.map((r, i) => `${i}:${r.ruleId}`));
  });

  it('works for repositories a caller builds over its own transaction, and rolls back with it', async () => {
    const kept = await newScan();
    const dropped = await newScan();
    await s.db.transaction().execute(async (trx) => {
      await scansRepo({ db: trx, clock: testClock() }).complete(kept, scanResult(40));
    });
    await expect(
      s.db.transaction().execute(async (trx) => {
        await scansRepo({ db: trx, clock: testClock() }).complete(dropped, scanResult(40));
        throw new Error('caller changed its mind');
      }),
    ).rejects.toThrow('caller changed its mind');
    expect((await s.results.listForScan(kept, { limit: 500 })).items).toHaveLength(40);
    expect((await s.results.listForScan(dropped, { limit: 500 })).items).toEqual([]);
    expect((await s.scans.get(dropped))?.status).toBe('queued');
  });

  it('refuses to run outside a transaction', async () => {
    const scanId = await newScan();
    await expect(insertRuleResultRows(s.db, ruleResultRows(scanId, 0, [ruleResult(0)]))).rejects.toThrow(
      /inside a transaction/,
    );
  });
});
