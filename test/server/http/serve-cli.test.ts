/**
 * `vouch serve` as a process: starts with no setup in an empty data directory (SQLite), prints the
 * generated admin password once, answers over HTTP, and exits 0 on SIGTERM after shutting down.
 * Runs the TypeScript sources through the jobs suite's loader hooks, so no build is needed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('vouch serve starts with no setup, serves, and shuts down on SIGTERM', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vouch-serve-cli-'));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.VOUCH_ADMIN_PASSWORD;
  const proc = spawn(
    process.execPath,
    [
      '--import',
      here('../jobs/register-ts.mjs'),
      here('serve-child.ts'),
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  child = proc;
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  // The startup log line names the address; wait for it (an event, not a sleep).
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /vouch serve listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const password = /created admin user "admin" with password (\S+) \(shown once/.exec(out)?.[1];
  expect(password).toHaveLength(24);

  const health = await fetch(new URL('/health', url));
  expect(await health.json()).toMatchObject({ status: 'ok', storage: { dialect: 'sqlite', ok: true } });
  const login = await fetch(new URL('/api/v1/auth/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(login.status).toBe(200);
  // The password is printed once, never logged.
  expect(out.split(password!).length - 1).toBe(1);

  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(out).toContain('"msg":"shutting down"');
}, 60_000);
