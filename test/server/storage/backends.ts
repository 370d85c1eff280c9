/**
 * Both storage backends for suites that must pass on each (auth repositories, auth services):
 * `describe.each(await storageBackends())`. SQLite is a temp file; PostgreSQL a freshly created
 * database (VOUCH_TEST_PG_URL, default the local server) dropped afterwards. Without a reachable
 * PostgreSQL the postgres backend is left out locally with a warning, and fails when CI=true.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStorage } from '../../../src/server/storage/index.js';
import type { OpenFreshStorage } from './contract.js';

const ADMIN_URL = process.env.VOUCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  open: OpenFreshStorage;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const sqlite: StorageBackend = {
  name: 'sqlite',
  open: async (options) => {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-auth-'));
    const storage = openStorage({ kind: 'sqlite', file: join(dir, 'vouch.db') }, options);
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: StorageBackend = {
  name: 'postgres',
  open: async (options) => {
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
  },
};

async function unreachable(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@/]*@/, '//***@')}: ${(err as Error).message}`;
  }
}

export async function storageBackends(): Promise<StorageBackend[]> {
  const reason = await unreachable();
  if (reason === undefined) return [sqlite, postgres];
  if (process.env.CI === 'true') {
    return [
      sqlite,
      {
        name: 'postgres',
        open: async () => {
          throw new Error(`${reason} (set VOUCH_TEST_PG_URL; CI must run the PostgreSQL suite)`);
        },
      },
    ];
  }
  console.warn(`skipping the PostgreSQL half of this suite: ${reason}`);
  return [sqlite];
}

/** A clock that moves 1 ms per reading (distinct timestamps) and jumps when told. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
}

export function testClock(start = '2026-03-01T12:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  const clock = (() => new Date(t++)) as TestClock;
  clock.advance = (ms) => {
    t += ms;
  };
  return clock;
}
