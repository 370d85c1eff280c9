import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalTransport } from './local.js';
import { makeTree, removeTree } from './temp-tree.js';

const local = createLocalTransport();
let dir: string;

beforeAll(async () => {
  dir = await makeTree({ 'file.txt': 'hello\n', link: { link: 'file.txt' } });
});
afterAll(() => removeTree(dir));

describe('local transport', () => {
  it('is live', () => {
    expect(local.kind).toBe('local');
    expect(local.live).toBe(true);
  });

  it('reads host files, including /proc files that report size 0', async () => {
    expect((await local.readFile(join(dir, 'link'), 100))?.data.toString()).toBe('hello\n');
    const status = await local.readFile('/proc/self/status', 1 << 20);
    expect(status?.data.toString()).toMatch(/^Name:/);
    expect(await local.readFile(join(dir, 'missing'), 100)).toBeNull();
    expect(await local.realpath(join(dir, 'link'))).toBe(join(dir, 'file.txt'));
  });

  it('matches the host passwd', async () => {
    const read = await local.readFile('/etc/passwd', 1 << 22);
    expect(read?.data.toString()).toBe(await readFile('/etc/passwd', 'utf8'));
  });

  it('runs argv without a shell, with exit codes, timeouts and a 127 for missing commands', async () => {
    const echo = await local.exec(['echo', '$HOME', ';', 'x'], { timeoutMs: 5000 });
    expect(echo).toMatchObject({ exitCode: 0, stdout: '$HOME ; x\n', timedOut: false });
    expect((await local.exec(['false'], { timeoutMs: 5000 })).exitCode).toBe(1);
    expect(await local.exec(['sleep', '5'], { timeoutMs: 100 })).toMatchObject({
      exitCode: null,
      timedOut: true,
    });
    expect((await local.exec(['/no/such/command'], { timeoutMs: 5000 })).exitCode).toBe(127);
  });

  it('kills what a timed-out command forked, without waiting for it', async () => {
    const start = Date.now();
    const result = await local.exec(['sh', '-c', 'sleep 30 & echo started; sleep 30'], { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: 'started\n' });
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('refuses relative paths', async () => {
    await expect(local.lstat('etc/passwd')).rejects.toThrow(/absolute/);
  });
});
