import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactProvider } from '../core/engine/fact-provider.js';
import { openRootDirTransport } from '../targets/root-dir.js';
import { makeTree, removeTree } from '../targets/temp-tree.js';
import { MAX_TEXT_BYTES } from './collector.js';
import { createFactProvider } from './index.js';

let dir: string;
let provider: FactProvider;

beforeAll(async () => {
  dir = await makeTree({
    'etc/issue.net': { text: 'Authorized uses only\n', mode: 0o644 },
    'etc/localtime': { link: '/usr/share/zoneinfo/UTC' },
    'usr/share/zoneinfo/UTC': 'TZif',
    'etc/bom': '\uFEFFkey=value\n',
    'etc/latin1': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    'etc/huge': 'a'.repeat(MAX_TEXT_BYTES + 10),
    'etc/fifo': { fifo: true },
    'etc/sysctl.d/10-a.conf': 'net.ipv4.ip_forward = 1\n',
    'etc/sysctl.d/99-masked.conf': { link: '/dev/null' },
    'etc/sysctl.d/.hidden.conf': 'x\n',
    'etc/sysctl.d/readme': 'not matched\n',
    'etc/sysctl.d/sub.conf': { dir: true },
    'usr/lib/sysctl.d/50-default.conf': 'kernel.sysrq = 16\n',
    'usr/lib/sysctl.d/99-masked.conf': 'net.ipv4.ip_forward = 1\n',
  });
  provider = createFactProvider(await openRootDirTransport(dir));
});
afterAll(() => removeTree(dir));

describe('file-text', () => {
  it('reads text and records the file as a source', async () => {
    const result = await provider.collect({ kind: 'file-text', path: '/etc/issue.net' });
    expect(result).toMatchObject({
      status: 'ok',
      value: { path: '/etc/issue.net', exists: true, text: 'Authorized uses only\n' },
    });
    expect(result.sources).toEqual([
      { path: '/etc/issue.net', fingerprint: expect.stringMatching(/^\d+:\d+:21:\d+:\d+$/) },
    ]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reads through a link inside the root, with both link and target as sources', async () => {
    const result = await provider.collect({ kind: 'file-text', path: '/etc/localtime' });
    expect(result).toMatchObject({ status: 'ok', value: { exists: true, text: 'TZif' } });
    expect(result.sources.map((source) => source.path)).toEqual([
      '/etc/localtime',
      '/usr/share/zoneinfo/UTC',
    ]);
  });

  it.each([
    ['/etc/missing', { path: '/etc/missing', exists: false }],
    ['/etc/fifo', { path: '/etc/fifo', exists: true }],
    ['/etc/sysctl.d', { path: '/etc/sysctl.d', exists: true }],
    ['/etc/bom', { path: '/etc/bom', exists: true, text: 'key=value\n' }],
    ['/etc/latin1', { path: '/etc/latin1', exists: true, text: 'caf\uFFFD\n' }],
  ])('%s', async (path, value) => {
    expect(await provider.collect({ kind: 'file-text', path })).toMatchObject({ status: 'ok', value });
  });

  it('truncates files over 4 MiB', async () => {
    const result = await provider.collect({ kind: 'file-text', path: '/etc/huge' });
    if (result.status !== 'ok') throw new Error(result.status);
    const value = result.value as { text: string; truncated: boolean };
    expect(value.truncated).toBe(true);
    expect(value.text.length).toBe(MAX_TEXT_BYTES);
  });

  it('notices a change through fingerprint()', async () => {
    const result = await provider.collect({ kind: 'file-text', path: '/etc/issue.net' });
    const paths = result.sources.map((source) => source.path);
    expect(await provider.fingerprint(paths)).toEqual(result.sources.map((source) => source.fingerprint));
    await appendFile(join(dir, 'etc/issue.net'), 'more\n');
    expect(await provider.fingerprint(paths)).not.toEqual(result.sources.map((source) => source.fingerprint));
    expect(await provider.fingerprint(['/etc/none'])).toEqual(['absent']);
  });
});

describe('stat', () => {
  it.each([
    [{ path: '/etc/issue.net' }, { exists: true, type: 'file', mode: 0o644, uid: expect.any(Number) }],
    [{ path: '/etc/localtime' }, { exists: true, type: 'symlink', linkTarget: '/usr/share/zoneinfo/UTC' }],
    [
      { path: '/etc/localtime', follow: true },
      { exists: true, type: 'file', size: 4 },
    ],
    [{ path: '/etc/missing' }, { exists: false }],
  ])('%j', async (request, value) => {
    expect(await provider.collect({ kind: 'stat', ...request })).toMatchObject({ status: 'ok', value });
  });
});

describe('dir-list', () => {
  it('lists entries sorted, and a missing directory as not existing', async () => {
    const result = await provider.collect({ kind: 'dir-list', path: '/etc/sysctl.d' });
    expect(result).toMatchObject({
      status: 'ok',
      value: {
        exists: true,
        entries: [
          { name: '.hidden.conf', type: 'file' },
          { name: '10-a.conf', type: 'file' },
          { name: '99-masked.conf', type: 'symlink' },
          { name: 'readme', type: 'file' },
          { name: 'sub.conf', type: 'dir' },
        ],
      },
    });
    expect(await provider.collect({ kind: 'dir-list', path: '/nope' })).toMatchObject({
      status: 'ok',
      value: { exists: false, entries: [] },
    });
  });
});

describe('file-glob', () => {
  it('reads matching regular files per dir in order, keeping /dev/null masks as empty files', async () => {
    const result = await provider.collect({
      kind: 'file-glob',
      dirs: ['/etc/sysctl.d', '/run/sysctl.d', '/usr/lib/sysctl.d'],
      pattern: '*.conf',
    });
    expect(result).toMatchObject({
      status: 'ok',
      value: {
        files: [
          { path: '/etc/sysctl.d/10-a.conf', text: 'net.ipv4.ip_forward = 1\n' },
          { path: '/etc/sysctl.d/99-masked.conf', text: '' },
          { path: '/usr/lib/sysctl.d/50-default.conf', text: 'kernel.sysrq = 16\n' },
          { path: '/usr/lib/sysctl.d/99-masked.conf', text: 'net.ipv4.ip_forward = 1\n' },
        ],
      },
    });
    // a missing drop-in dir is a source too: creating it must invalidate the fact
    expect(result.sources).toContainEqual({ path: '/run/sysctl.d', fingerprint: 'absent' });
  });
});
