/**
 * The storage contract: one suite every backend must pass. sqlite.test.ts and postgres.test.ts
 * run it against a fresh database per test, so tests never see each other's rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Storage, StorageError, type StorageOptions } from '../../../src/server/storage/index.js';
import { ruleResult, scanResult, steppingClock } from './fixtures.js';

export interface OpenedStorage {
  storage: Storage;
  /** Close the storage and remove its database (file or PostgreSQL database). */
  dispose: () => Promise<void>;
}

export type OpenFreshStorage = (options: StorageOptions) => Promise<OpenedStorage>;

async function expectStorageError(promise: Promise<unknown>, code: StorageError['code']): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
}

export function runStorageContract(name: string, open: OpenFreshStorage): void {
  describe(`storage contract: ${name}`, () => {
    let opened: OpenedStorage;
    let s: Storage;
    let orgId: string;

    beforeEach(async () => {
      opened = await open({ clock: steppingClock() });
      s = opened.storage;
      await s.migrate();
      orgId = (await s.organisations.create({ name: 'acme' })).id;
    });

    afterEach(async () => {
      await opened.dispose();
    });

    async function host(nameOf: string, labels: Record<string, string> = {}) {
      return s.targets.create({ orgId, kind: 'host', name: nameOf, labels });
    }

    it('migrates once; a second migrate is a no-op', async () => {
      expect(await s.migrate()).toEqual([]);
      expect(await s.organisations.get(orgId)).toMatchObject({
        name: 'acme',
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    });

    it('creates, gets and lists targets with label selectors', async () => {
      const web = await host('web-1', { env: 'prod', role: 'web' });
      await host('db-1', { env: 'prod', role: 'db' });
      await host('web-2', { env: 'staging', role: 'web' });
      expect(await s.targets.get(web.id)).toEqual(web);
      expect(web.labels).toEqual({ env: 'prod', role: 'web' });
      expect(await s.targets.get('00000000-0000-7000-8000-000000000000')).toBeUndefined();
      expect(await s.targets.get('not-an-id')).toBeUndefined();

      const names = async (labels?: Record<string, string>) =>
        (await s.targets.list({ orgId, ...(labels ? { labels } : {}) })).items.map((t) => t.name);
      expect(await names()).toEqual(['web-1', 'db-1', 'web-2']);
      expect(await names({ env: 'prod' })).toEqual(['web-1', 'db-1']);
      expect(await names({ env: 'prod', role: 'web' })).toEqual(['web-1']);
      expect(await names({ env: 'nope' })).toEqual([]);

      const other = await s.organisations.create({ name: 'other' });
      expect((await s.targets.list({ orgId: other.id })).items).toEqual([]);
    });

    it('rejects duplicate target names, unknown kinds and bad labels', async () => {
      await host('web-1');
      await expectStorageError(host('web-1'), 'conflict');
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      await expectStorageError(s.targets.create({ orgId, kind: 'toaster' as any, name: 'x' }), 'invalid');
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      await expectStorageError(host('y', { env: 3 as any }), 'invalid');
      expect((await s.targets.list({ orgId })).items).toHaveLength(1);
    });

    it('pages targets with a cursor', async () => {
      for (let i = 0; i < 5; i++) await host(`h${i}`);
      const first = await s.targets.list({ orgId, limit: 2 });
      const second = await s.targets.list({ orgId, limit: 2, cursor: first.nextCursor });
      const third = await s.targets.list({ orgId, limit: 2, cursor: second.nextCursor });
      expect([...first.items, ...second.items, ...third.items].map((t) => t.name)).toEqual([
        'h0',
        'h1',
        'h2',
        'h3',
        'h4',
      ]);
      expect(third.nextCursor).toBeNull();
    });

    it('moves scans through their statuses and refuses illegal transitions', async () => {
      const t = await host('web-1');
      const scan = await s.scans.create({ orgId, targetId: t.id, trigger: 'manual', profileId: 'p1' });
      expect(scan).toMatchObject({ status: 'queued', trigger: 'manual', startedAt: null, finishedAt: null });
      expect(await s.scans.get(scan.id)).toEqual(scan);

      const running = await s.scans.updateStatus(scan.id, 'running');
      expect(running.status).toBe('running');
      expect(running.startedAt).not.toBeNull();
      await expectStorageError(s.scans.updateStatus(scan.id, 'queued'), 'invalid_transition');
      const failed = await s.scans.updateStatus(scan.id, 'failed', { error: 'agent went away' });
      expect(failed).toMatchObject({ status: 'failed', error: 'agent went away' });
      expect(failed.finishedAt).not.toBeNull();
      await expectStorageError(s.scans.updateStatus(scan.id, 'running'), 'invalid_transition');
      await expectStorageError(s.scans.updateStatus(scan.id, 'completed'), 'invalid_transition');
      await expectStorageError(
        s.scans.updateStatus('00000000-0000-7000-8000-000000000000', 'running'),
        'not_found',
      );
    });

    it('enforces foreign keys', async () => {
      await expect(
        s.scans.create({ orgId, targetId: '00000000-0000-7000-8000-000000000000', trigger: 'manual' }),
      ).rejects.toThrow();
    });

    it('lists scans newest first, 50 a page by default, with filters', async () => {
      const a = await host('a');
      const b = await host('b');
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const scan = await s.scans.create({ orgId, targetId: a.id, trigger: i % 2 ? 'schedule' : 'manual' });
        ids.push(scan.id);
      }
      const onB = await s.scans.create({ orgId, targetId: b.id, trigger: 'agent' });
      await s.scans.updateStatus(onB.id, 'running');

      const page1 = await s.scans.list({ orgId, targetId: a.id });
      expect(page1.items).toHaveLength(50);
      expect(page1.items[0]!.id).toBe(ids[59]);
      const page2 = await s.scans.list({ orgId, targetId: a.id, cursor: page1.nextCursor });
      expect(page2.items.map((x) => x.id)).toEqual(ids.slice(0, 10).reverse());
      expect(page2.nextCursor).toBeNull();

      expect((await s.scans.list({ orgId, status: 'running' })).items.map((x) => x.id)).toEqual([onB.id]);
      expect((await s.scans.list({ orgId, trigger: 'schedule', limit: 500 })).items).toHaveLength(30);
      expect((await s.scans.list({ orgId, status: [] })).items).toEqual([]);
      await expectStorageError(s.scans.list({ orgId, cursor: 'garbage!' }), 'invalid');
      await expectStorageError(s.scans.list({ orgId, limit: 0 }), 'invalid');
      await expectStorageError(s.scans.list({ orgId, limit: 501 }), 'invalid');
    });

    it('completes a scan with its ScanResult in one transaction and pages its results', async () => {
      const t = await host('web-1');
      const scan = await s.scans.create({ orgId, targetId: t.id, trigger: 'manual' });
      await s.scans.updateStatus(scan.id, 'running');
      const result = scanResult(200, 81.25);
      const done = await s.scans.complete(scan.id, result);
      expect(done).toMatchObject({
        status: 'completed',
        score: 81.25,
        profileId: 'cis_level1_server',
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
      });
      expect(done.summary).toEqual(result.summary);

      const page = await s.results.listForScan(scan.id);
      expect(page.items).toHaveLength(50);
      expect(page.items[0]).toEqual({ scanId: scan.id, seq: 0, ...result.results[0]! });
      expect(page.items[0]!.evidence).toEqual(ruleResult(0).evidence);

      const all = [];
      let cursor: string | null = null;
      do {
        const p = await s.results.listForScan(scan.id, { limit: 64, cursor });
        all.push(...p.items);
        cursor = p.nextCursor;
      } while (cursor !== null);
      expect(all.map((r) => r.ruleId)).toEqual(result.results.map((r) => r.ruleId));

      const fails = await s.results.listForScan(scan.id, { status: 'fail', limit: 500 });
      expect(fails.items.map((r) => r.ruleId)).toEqual(
        result.results.filter((r) => r.status === 'fail').map((r) => r.ruleId),
      );
      const highFails = await s.results.listForScan(scan.id, {
        status: 'fail',
        severity: ['high'],
        limit: 500,
      });
      expect(highFails.items.every((r) => r.status === 'fail' && r.severity === 'high')).toBe(true);
      expect(highFails.items.length).toBe(
        result.results.filter((r) => r.status === 'fail' && r.severity === 'high').length,
      );

      await expectStorageError(s.scans.complete(scan.id, result), 'invalid_transition');
      expect((await s.results.listForScan(scan.id, { limit: 500 })).items).toHaveLength(200);
    });

    it('rolls back the whole ScanResult when one result cannot be stored', async () => {
      const t = await host('web-1');
      const scan = await s.scans.create({ orgId, targetId: t.id, trigger: 'manual' });
      const result = scanResult(120);
      // A NOT NULL violation in the last chunk: earlier rows were already inserted by then.
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid row
      (result.results[110] as any).title = null;
      await expect(s.scans.complete(scan.id, result)).rejects.toThrow();
      expect(await s.scans.get(scan.id)).toMatchObject({ status: 'queued', summary: null, score: null });
      expect((await s.results.listForScan(scan.id)).items).toEqual([]);
    });

    it('appends results in order across insertMany calls', async () => {
      const t = await host('web-1');
      const scan = await s.scans.create({ orgId, targetId: t.id, trigger: 'agent' });
      await s.results.insertMany(scan.id, [ruleResult(0), ruleResult(1)]);
      await s.results.insertMany(scan.id, [ruleResult(2)]);
      expect(await s.results.insertMany(scan.id, [])).toBe(0);
      const page = await s.results.listForScan(scan.id);
      expect(page.items.map((r) => [r.seq, r.ruleId])).toEqual([
        [0, 'rule_0000'],
        [1, 'rule_0001'],
        [2, 'rule_0002'],
      ]);
      expect(page.nextCursor).toBeNull();
    });

    it('records an uploaded scan once per idempotency key', async () => {
      const t = await host('web-1');
      const input = { orgId, targetId: t.id, trigger: 'agent' as const, idempotencyKey: 'agent-1:upload-7' };
      const first = await s.scans.record(input, scanResult(30));
      expect(first.created).toBe(true);
      expect(first.scan).toMatchObject({ status: 'completed', idempotencyKey: 'agent-1:upload-7' });
      const again = await s.scans.record(input, scanResult(30));
      expect(again).toEqual({ scan: first.scan, created: false });
      expect((await s.scans.list({ orgId })).items).toHaveLength(1);
      expect((await s.results.listForScan(first.scan.id, { limit: 500 })).items).toHaveLength(30);
      await expectStorageError(s.scans.create(input), 'conflict');
    });

    it('stores concurrent uploads of one idempotency key once', async () => {
      const t = await host('web-1');
      const input = { orgId, targetId: t.id, trigger: 'agent' as const, idempotencyKey: 'agent-1:upload-8' };
      const outcomes = await Promise.all([1, 2, 3].map(() => s.scans.record(input, scanResult(20))));
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.scan.id)).size).toBe(1);
      expect((await s.results.listForScan(outcomes[0]!.scan.id, { limit: 500 })).items).toHaveLength(20);
    });

    it('keeps an append-only audit log, newest first', async () => {
      const e1 = await s.audit.append({ orgId, actor: 'user:alice', action: 'target.create', subject: 't1' });
      await s.audit.append({
        orgId,
        actor: 'user:bob',
        action: 'scan.start',
        subject: 's1',
        details: { n: 1 },
      });
      await s.audit.append({ orgId: null, actor: 'system', action: 'retention.purge' });
      expect(e1).toMatchObject({ details: {}, at: expect.stringMatching(/^2026-01-01T00:00:\d\d\.000Z$/) });

      const all = await s.audit.list();
      expect(all.items.map((e) => e.action)).toEqual(['retention.purge', 'scan.start', 'target.create']);
      const bob = await s.audit.list({ orgId, actor: 'user:bob' });
      expect(bob.items).toEqual([expect.objectContaining({ subject: 's1', details: { n: 1 } })]);
      const p1 = await s.audit.list({ limit: 2 });
      const p2 = await s.audit.list({ limit: 2, cursor: p1.nextCursor });
      expect(p2.items.map((e) => e.id)).toEqual([e1.id]);

      // The database itself refuses to rewrite history.
      await expect(
        s.db.updateTable('audit_log').set({ action: 'x' }).where('id', '=', e1.id).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(s.db.deleteFrom('audit_log').where('id', '=', e1.id).execute()).rejects.toThrow(
        /append-only/,
      );
      expect((await s.audit.list()).items).toHaveLength(3);
    });

    it('commits a change and its audit entry together, or neither', async () => {
      await s.transaction(async (tx) => {
        const t = await tx.targets.create({ orgId, kind: 'host', name: 'kept', labels: { env: 'prod' } });
        await tx.audit.append({ orgId, actor: 'user:alice', action: 'target.create', subject: t.id });
      });
      await expect(
        s.transaction(async (tx) => {
          const t = await tx.targets.create({
            orgId,
            kind: 'host',
            name: 'dropped',
            labels: { env: 'prod' },
          });
          await tx.audit.append({ orgId, actor: 'user:alice', action: 'target.create', subject: t.id });
          throw new Error('validation failed later');
        }),
      ).rejects.toThrow('validation failed later');
      expect((await s.targets.list({ orgId, labels: { env: 'prod' } })).items.map((t) => t.name)).toEqual([
        'kept',
      ]);
      expect((await s.audit.list({ orgId })).items).toHaveLength(1);
    });
  });
}
