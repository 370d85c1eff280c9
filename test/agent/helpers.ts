/**
 * Real processes for the agent suites: `vouch agent` (and `vouch serve`) run as children from the
 * TypeScript sources through the jobs suite's loader hooks (no build needed); the server runs
 * in-process (startServer) or as a child. Tests wait for log lines and API conditions with
 * timeouts, never fixed sleeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
export const LOADER = here('../server/jobs/register-ts.mjs');
export const CLI = here('../server/http/serve-child.ts');
export const PASSWORD = 'agent suite password 1';

const FIXTURES = process.env.VOUCH_FIXTURES ?? here('../../fixtures/build/rootfs');
/** A fixture root filesystem, or undefined when it was not built (the test then skips). */
export function fixtureRoot(name: 'base' | 'hardened' | 'broken'): string | undefined {
  const dir = join(FIXTURES, name);
  return existsSync(join(dir, 'etc/os-release')) ? dir : undefined;
}

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Resolves with the match once the output (stdout+stderr) contains it; rejects on exit/timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnVouch(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', LOADER, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor: Child['waitFor'] = (pattern, timeoutMs = 30_000, from = 0) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out.slice(from));
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
      }, timeoutMs);
      const onExit = () => {
        check();
        done();
        reject(new Error(`exited before ${pattern}; output:\n${out}`));
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
        proc.off('exit', onExit);
      };
      listeners.add(check);
      proc.on('exit', onExit);
      check();
    });
  return {
    proc,
    output: () => out,
    waitFor,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Poll a condition (an API answer) until it holds; the timeout makes a failure a clear error. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export class Api {
  token = '';
  constructor(public base: string) {}
  // biome-ignore lint/suspicious/noExplicitAny: API answers in tests; expect() checks their shape
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }
  async login(username = 'admin', password = PASSWORD): Promise<void> {
    const res = await this.call('POST', '/api/v1/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.json)}`);
    this.token = res.json.token;
  }
  async enrollmentToken(): Promise<string> {
    const res = await this.call('POST', '/api/v1/agents/enrollment-tokens', {});
    if (res.status !== 201) throw new Error(`enrollment token: ${res.status}`);
    return res.json.token;
  }
  async startScan(targetId: string): Promise<string> {
    const res = await this.call('POST', '/api/v1/scans', { targetId });
    if (res.status !== 202) throw new Error(`start scan: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json.id;
  }
  async scan(
    id: string,
  ): Promise<{ status: string; score: number | null; targetId: string; agentId: string | null }> {
    return (await this.call('GET', `/api/v1/scans/${id}`)).json;
  }
  completed(id: string, timeoutMs = 60_000) {
    return until(
      `scan ${id} completed`,
      async () => {
        const scan = await this.scan(id);
        return scan.status === 'completed' ? scan : undefined;
      },
      timeoutMs,
    );
  }
}

/** A fresh PostgreSQL database for one test, or undefined when the server is not reachable. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = process.env.VOUCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `vouch_agent_${process.pid}_${randomBytes(5).toString('hex')}`;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  try {
    await query(`create database ${pg.escapeIdentifier(name)}`);
  } catch {
    return undefined;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`),
  };
}
