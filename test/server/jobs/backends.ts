/**
 * Databases for the job-queue contract: a SQLite file in a temp dir, or a freshly created
 * PostgreSQL database (VOUCH_TEST_PG_URL, default the local server) dropped afterwards. Each
 * `open()` is a separate connection (SQLite) or pool (PostgreSQL): what a separate `vouch serve`
 * process would hold.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  openStorage,
  type Storage,
  type StorageConfig,
  type StorageOptions,
} from '../../../src/server/storage/index.js';

export interface FreshDatabase {
  config: StorageConfig;
  /** A new connection / pool to the same database; closed by dispose(). */
  open(options?: StorageOptions): Storage;
  dispose(): Promise<void>;
}

export type Backend = () => Promise<FreshDatabase>;

function tracking(config: StorageConfig, drop: () => Promise<void>): FreshDatabase {
  const opened: Storage[] = [];
  return {
    config,
    open(options) {
      const storage = openStorage(config, options);
      opened.push(storage);
      return storage;
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close().catch(() => {})));
      await drop();
    },
  };
}

export const sqliteBackend: Backend = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-jobs-'));
  return tracking({ kind: 'sqlite', file: join(dir, 'vouch.db') }, () =>
    rm(dir, { recursive: true, force: true }),
  );
};

export const PG_ADMIN_URL = process.env.VOUCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (err) {
    const where = PG_ADMIN_URL.replace(/\/\/[^@/]*@/, '//***@');
    return `PostgreSQL not reachable at ${where}: ${(err as Error).message}`;
  }
}

export const postgresBackend: Backend = async () => {
  // Generated here, never from input; escapeIdentifier only as belt and braces.
  const name = `vouch_jobs_${process.pid}_${randomBytes(6).toString('hex')}`;
  const quoted = pg.escapeIdentifier(name);
  await adminQuery(`create database ${quoted}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return tracking({ kind: 'postgres', url: url.toString(), maxConnections: 4 }, () =>
    adminQuery(`drop database if exists ${quoted} with (force)`),
  );
};
