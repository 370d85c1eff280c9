import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StorageConfig } from '../../../src/server/storage/index.js';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export interface KilledWorker {
  claimed: string;
  workerId: string;
  signal: NodeJS.Signals | null;
}

/**
 * Start a worker process on `config`, wait until it claimed a job (it then hangs in the handler),
 * and kill it with SIGKILL: no shutdown code runs, its lease is simply left to expire.
 */
export function runKilledWorker(config: StorageConfig, leaseMs: number): Promise<KilledWorker> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        here('register-ts.mjs'),
        here('killed-worker-child.ts'),
        JSON.stringify(config),
        String(leaseMs),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let claim: { claimed: string; workerId: string } | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (claim === undefined && stdout.includes('\n')) {
        claim = JSON.parse(stdout.slice(0, stdout.indexOf('\n')));
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (claim === undefined) {
        reject(new Error(`worker child exited before claiming a job (signal ${signal}): ${stderr}`));
        return;
      }
      resolve({ ...claim, signal });
    });
  });
}

/**
 * Run `count` worker processes on `config` that start claiming at the same moment and drain the
 * queue; returns the job ids each process ran.
 */
export async function runWorkerProcesses(config: StorageConfig, count: number): Promise<string[][]> {
  const children = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      ['--import', here('register-ts.mjs'), here('drain-child.ts'), JSON.stringify(config)],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    ),
  );
  const outputs = children.map((child) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.startsWith('ready\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`worker process exited before ready: ${stderr}`)));
    });
    const done = new Promise<string[]>((resolve, reject) => {
      child.on('exit', (code) => {
        const line = stdout.split('\n')[1];
        if (code !== 0 || line === undefined) reject(new Error(`worker process failed (${code}): ${stderr}`));
        else resolve(JSON.parse(line) as string[]);
      });
    });
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.write('go\n');
  return Promise.all(outputs.map((o) => o.done));
}
