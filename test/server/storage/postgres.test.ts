/**
 * The storage contract against a real PostgreSQL (VOUCH_TEST_PG_URL, default the local server's
 * `test` database). Each test gets its own freshly created database, dropped afterwards, so
 * parallel runs and leftovers from a crashed run never collide.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { openStorage } from '../../../src/server/storage/index.js';
import { runStorageContract } from './contract.js';

const ADMIN_URL = process.env.VOUCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function unreachable(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@/]*@/, '//***@')}: ${(err as Error).message}`;
  }
}

const reason = await unreachable();

if (reason === undefined) {
  runStorageContract('postgres', async (options) => {
    // Generated here, never from input; escapeIdentifier only as belt and braces.
    const name = `vouch_test_${process.pid}_${randomBytes(6).toString('hex')}`;
    const quoted = pg.escapeIdentifier(name);
    await adminQuery(`create database ${quoted}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const storage = openStorage({ kind: 'postgres', url: url.toString(), maxConnections: 4 }, options);
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await adminQuery(`drop database if exists ${quoted} with (force)`);
      },
    };
  });
} else if (process.env.CI === 'true') {
  describe('storage contract: postgres', () => {
    it('needs PostgreSQL in CI', () => {
      throw new Error(`${reason} (set VOUCH_TEST_PG_URL; CI must run the PostgreSQL suite)`);
    });
  });
} else {
  // The describe title carries the reason too, but default reporters only show it in verbose mode.
  console.warn(`skipping the PostgreSQL storage contract: ${reason}`);
  describe.skip(`storage contract: postgres (skipped: ${reason})`, () => {
    it('runs when PostgreSQL is reachable', () => {});
  });
}
