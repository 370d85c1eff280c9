/**
 * Server kill (issue 5, reliability): `vouch serve` runs as a child process, on SQLite and on
 * PostgreSQL (skipped locally when it is not reachable); two agent processes run three scans each; the server is SIGKILLed as soon as the first result is acked,
 * while the other results are being scanned or uploaded. After a restart on the same database
 * and port, every scan completes, every result the agents were acked for before the kill is in
 * the database, nothing is stored twice (one scan row per started scan, as many rule results as
 * each summary counts), and the spools are empty.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/server/storage/index.js';
import { Api, type Child, fixtureRoot, freshPostgres, PASSWORD, spawnVouch, until } from './helpers.js';

const base = fixtureRoot('base');
const hardened = fixtureRoot('hardened');
const children: Child[] = [];
const dirs: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function serveChild(
  dataDir: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ child: Child; url: string }> {
  const child = spawnVouch(['serve', '--port', String(port), '--data-dir', dataDir], {
    VOUCH_ADMIN_PASSWORD: PASSWORD,
    ...env,
  });
  children.push(child);
  const [, url] = await child.waitFor(/vouch serve listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url: url! };
}

const acks = (output: string) => [...output.matchAll(/acked scan-(\S+)/g)].map((m) => m[1]!);

const backends = [
  { name: 'sqlite', database: async () => ({ env: {} as NodeJS.ProcessEnv, drop: async () => undefined }) },
  {
    name: 'postgres',
    database: async () => {
      const db = await freshPostgres();
      return db && { env: { DATABASE_URL: db.url } as NodeJS.ProcessEnv, drop: db.drop };
    },
  },
];

describe.each(backends)('server kill ($name)', (backend) => {
  it.skipIf(base === undefined || hardened === undefined)(
    'a SIGKILLed server loses no acked result and stores no result twice',
    async () => {
      const database = await backend.database();
      if (database === undefined) {
        if (process.env.CI === 'true') throw new Error('PostgreSQL not reachable');
        console.warn('PostgreSQL not reachable: server-kill test on postgres skipped');
        return;
      }
      cleanups.push(database.drop);
      const dataDir = await tempDir('vouch-kill-server-');
      const states = [await tempDir('vouch-kill-a-'), await tempDir('vouch-kill-b-')];
      let server = await serveChild(dataDir, 0, database.env);
      const port = Number(new URL(server.url).port);
      const api = new Api(server.url);
      await api.login();

      // Enroll one by one (each with its own token) and wait until each is connected.
      const agents: { state: string; child: Child }[] = [];
      const targets: string[] = [];
      for (const [i, root] of [base!, hardened!].entries()) {
        const state = states[i]!;
        const token = await api.enrollmentToken();
        const child = spawnVouch([
          'agent',
          '--server',
          server.url,
          '--state-dir',
          state,
          '--root',
          root,
          '--name',
          `host-${i}`,
          '--enroll',
          token,
        ]);
        children.push(child);
        const [, , targetId] = await child.waitFor(/enrolled as agent (\S+) \(target (\S+)\)/);
        await child.waitFor(/connected/);
        agents.push({ state, child });
        targets.push(targetId!);
      }

      const scans: { id: string; target: string }[] = [];
      for (const target of targets) {
        for (let n = 0; n < 3; n++) scans.push({ id: await api.startScan(target), target });
      }
      // Kill the server the moment the first result is acked: the others are mid-scan or mid-upload.
      await Promise.any(agents.map((a) => a.child.waitFor(/acked scan-/, 60_000)));
      server.child.proc.kill('SIGKILL');
      await server.child.exited;
      const ackedBeforeKill = agents.flatMap((a) => acks(a.child.output()));
      expect(ackedBeforeKill.length).toBeGreaterThan(0);

      server = await serveChild(dataDir, port, database.env);
      await api.login();
      for (const scan of scans) await api.completed(scan.id, 90_000);
      for (const agent of agents) {
        await until('spool empty', async () =>
          (await readdir(join(agent.state, 'spool'))).length === 0 ? true : undefined,
        );
      }
      await Promise.all([server.child.stop(), ...agents.map((a) => a.child.stop())]);

      const storage = openStorage(
        database.env.DATABASE_URL !== undefined
          ? { kind: 'postgres', url: database.env.DATABASE_URL }
          : { kind: 'sqlite', file: join(dataDir, 'vouch.db') },
      );
      try {
        for (const target of targets) {
          const rows = await storage.db
            .selectFrom('scans')
            .select('id')
            .where('target_id', '=', target)
            .execute();
          expect(rows.map((r) => r.id).sort()).toEqual(
            scans
              .filter((s) => s.target === target)
              .map((s) => s.id)
              .sort(),
          );
        }
        for (const scan of scans) {
          const stored = await storage.scans.get(scan.id);
          expect(stored?.status).toBe('completed');
          const count = await storage.db
            .selectFrom('rule_results')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('scan_id', '=', scan.id)
            .executeTakeFirstOrThrow();
          expect(Number(count.n)).toBe(stored!.summary!.total);
        }
        for (const id of ackedBeforeKill) expect((await storage.scans.get(id))?.status).toBe('completed');
      } finally {
        await storage.close();
      }
    },
    240_000,
  );
});
