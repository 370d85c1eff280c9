import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VouchError } from '../core/errors.js';
import { openRootDirTransport, type RootDirTransport } from './root-dir.js';
import { makeTree, removeTree } from './temp-tree.js';

let dir: string;
let target: RootDirTransport;

beforeAll(async () => {
  dir = await makeTree({
    'etc/passwd': 'image:x:0:0::/root:/bin/sh\n',
    'etc/abs-link': { link: '/etc/passwd' },
    'etc/escape': { link: '../../../../../../etc/passwd' },
    'etc/host-only': { link: '/etc/hostname' },
    'etc/fifo': { fifo: true },
    'etc/big': 'x'.repeat(1000),
    'etc/dir-link': { link: '/usr/lib' },
    'usr/lib/b': 'b',
    'usr/lib/a': 'a',
    'usr/lib/sub': { dir: true },
  });
  target = await openRootDirTransport(dir);
});

afterAll(() => removeTree(dir));

const text = async (path: string) => (await target.readFile(path, 1 << 20))?.data.toString('utf8') ?? null;

describe('root-dir transport', () => {
  it('describes an offline root target', () => {
    expect(target.kind).toBe('root');
    expect(target.live).toBe(false);
    expect(target.description).toBe(`root ${dir}`);
  });

  it('rejects a missing directory with an error naming it', async () => {
    const missing = join(dir, 'no-such-dir');
    const error = await openRootDirTransport(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VouchError);
    expect((error as VouchError).message).toContain(missing);
    await expect(openRootDirTransport(join(dir, 'etc/passwd'))).rejects.toThrow(/not a directory/);
  });

  it('re-roots absolute links and clamps .. at the root: no host file leaks', async () => {
    const hostPasswd = await readFile('/etc/passwd', 'utf8');
    expect(await text('/etc/abs-link')).toBe('image:x:0:0::/root:/bin/sh\n');
    expect(await text('/etc/escape')).toBe('image:x:0:0::/root:/bin/sh\n');
    expect(await text('/../../etc/passwd')).not.toBe(hostPasswd);
    // /etc/hostname exists on the host but not in the image
    expect(await text('/etc/host-only')).toBeNull();
    expect(await target.stat('/etc/host-only')).toBeNull();
    expect(await target.realpath('/etc/abs-link')).toBe('/etc/passwd');
  });

  it('lstat sees the link, stat the file; readlink returns the raw link text', async () => {
    expect((await target.lstat('/etc/abs-link'))?.type).toBe('symlink');
    expect((await target.stat('/etc/abs-link'))?.type).toBe('file');
    expect(await target.readlink('/etc/abs-link')).toBe('/etc/passwd');
    expect(await target.readlink('/etc/passwd')).toBeNull();
    expect(await target.lstat('/etc/missing')).toBeNull();
  });

  it('fingerprints as dev:ino:size:mtimeNs:ctimeNs, so chmod changes it', async () => {
    const before = (await target.lstat('/etc/passwd'))?.fingerprint;
    expect(before).toMatch(/^\d+:\d+:27:\d+:\d+$/);
    await chmod(join(dir, 'etc/passwd'), 0o600);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await chmod(join(dir, 'etc/passwd'), 0o644);
    expect((await target.lstat('/etc/passwd'))?.fingerprint).not.toBe(before);
  });

  it('reads through directory links and lists entries sorted', async () => {
    expect(await target.readdir('/etc/dir-link')).toEqual([
      { name: 'a', type: 'file' },
      { name: 'b', type: 'file' },
      { name: 'sub', type: 'dir' },
    ]);
    expect(await target.readdir('/nope')).toBeNull();
  });

  it('truncates at maxBytes and refuses non-regular files without blocking', async () => {
    const read = await target.readFile('/etc/big', 100);
    expect(read?.data.length).toBe(100);
    expect(read?.truncated).toBe(true);
    expect((await target.readFile('/etc/big', 1000))?.truncated).toBe(false);
    await expect(target.readFile('/etc/fifo', 100)).rejects.toThrow(/\/etc\/fifo: not a regular file/);
    await expect(target.readFile('/usr/lib', 100)).rejects.toThrow(/not a regular file/);
  });

  it('refuses to run commands', async () => {
    await expect(target.exec(['id'], { timeoutMs: 1000 })).rejects.toThrow(/offline root/);
  });
});
