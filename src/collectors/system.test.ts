import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactProvider } from '../core/engine/fact-provider.js';
import type { FactRequest } from '../core/facts/fact-request.js';
import type { WalkValue } from '../core/facts/fact-values.js';
import { openRootDirTransport } from '../targets/root-dir.js';
import { makeTree, removeTree } from '../targets/temp-tree.js';
import { collectorKinds, createFactProvider } from './index.js';
import { parseOsRelease } from './os-release.js';
import { WALK_TTL_MS } from './walk.js';

let dir: string;
let empty: string;
let provider: FactProvider;

beforeAll(async () => {
  dir = await makeTree({
    'etc/os-release': { link: '../usr/lib/os-release' },
    'usr/lib/os-release':
      'ID=debian\nVERSION_ID="12"\nID_LIKE="rhel fedora"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    'etc/group': 'root:x:0:\nalice:x:1000:\n',
    'etc/shadow': 'root:*:19000:0:99999:7:::\n',
    'var/lib/dpkg/status':
      'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\n\nPackage: telnetd\nStatus: deinstall ok config-files\nVersion: 1\n',
    'home/alice': { dir: true, mode: 0o700, uid: 1000, gid: 1000 },
    'home/alice/stray': { text: '', uid: 1234, gid: 1000 },
    tmp: { dir: true, mode: 0o777 },
  });
  empty = await makeTree({ 'var/lib/rpm/rpmdb.sqlite': 'SQLite format 3' });
  provider = createFactProvider(await openRootDirTransport(dir));
});
afterAll(async () => {
  await removeTree(dir);
  await removeTree(empty);
});

describe('collectors on an offline root', () => {
  it('covers every fact kind', () => {
    expect([...collectorKinds].sort()).toEqual(
      [
        'command',
        'config-tree',
        'dir-list',
        'dpkg-status',
        'filesystem-usage',
        'network-interfaces',
        'process-environment',
        'sysctl-list',
        'uname',
        'file-glob',
        'file-text',
        'file-tree',
        'group',
        'loaded-modules',
        'mounts',
        'os-release',
        'packages',
        'passwd',
        'shadow',
        'stat',
        'sysctl-runtime',
        'systemd-unit',
        'walk',
      ].sort(),
    );
  });

  it.each<[FactRequest]>([
    [{ kind: 'sysctl-runtime', key: 'net.ipv4.ip_forward' }],
    [{ kind: 'loaded-modules' }],
    [{ kind: 'mounts' }],
    [{ kind: 'command', argv: ['id'] }],
    [{ kind: 'sysctl-list' }],
    [{ kind: 'uname' }],
    [{ kind: 'network-interfaces' }],
    [{ kind: 'process-environment' }],
  ])('%j is unavailable offline', async (request) => {
    const result = await provider.collect(request);
    expect(result.status).toBe('unavailable');
    expect(result.status === 'unavailable' && result.reason).toContain(`root ${dir}`);
  });

  it('reads os-release through its link, quotes stripped', async () => {
    expect(await provider.collect({ kind: 'os-release' })).toMatchObject({
      status: 'ok',
      value: {
        id: 'debian',
        versionId: '12',
        idLike: ['rhel', 'fedora'],
        prettyName: 'Debian GNU/Linux 12 (bookworm)',
      },
    });
  });

  it('defaults os-release per os-release(5) when absent', async () => {
    const bare = createFactProvider(await openRootDirTransport(empty));
    expect(await bare.collect({ kind: 'os-release' })).toMatchObject({
      status: 'ok',
      value: { id: 'linux', versionId: '', prettyName: 'Linux' },
    });
  });

  it('reads accounts', async () => {
    const passwd = await provider.collect({ kind: 'passwd' });
    expect(passwd).toMatchObject({ status: 'ok', value: { path: '/etc/passwd' } });
    expect(passwd.status === 'ok' && (passwd.value as { entries: unknown[] }).entries.length).toBe(2);
    expect(await provider.collect({ kind: 'shadow' })).toMatchObject({
      status: 'ok',
      value: { entries: [{ name: 'root', password: '*', maxDays: 99999 }] },
    });
    expect(await provider.collect({ kind: 'group' })).toMatchObject({
      status: 'ok',
      value: { entries: [{}, {}] },
    });
  });

  it('reads installed dpkg packages', async () => {
    expect(await provider.collect({ kind: 'packages' })).toEqual({
      status: 'ok',
      value: {
        manager: 'dpkg',
        packages: {
          'openssh-server': { name: 'openssh-server', version: '1:9.2p1-2', status: 'install ok installed' },
        },
      },
      sources: [{ path: '/var/lib/dpkg/status', fingerprint: expect.any(String) }],
      durationMs: expect.any(Number),
    });
  });

  it('does not pretend an rpm system has no packages offline', async () => {
    const rpmRoot = createFactProvider(await openRootDirTransport(empty));
    expect(await rpmRoot.collect({ kind: 'packages' })).toMatchObject({
      status: 'unavailable',
      reason: expect.stringContaining('/var/lib/rpm/rpmdb.sqlite'),
    });
  });

  it('walks with the target accounts and a ttl', async () => {
    const result = await provider.collect({ kind: 'walk' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    const value = result.value as WalkValue;
    expect(result.ttlMs).toBe(WALK_TTL_MS);
    expect(result.sources.map((source) => source.path)).toEqual(['/etc/passwd', '/etc/group']);
    expect(value.special.map((entry) => entry.path)).toEqual(['/tmp']);
    if (process.getuid?.() === 0)
      expect(value.unowned.map((entry) => entry.path)).toEqual(['/home/alice/stray']);
  });

  it('turns failures into error results naming the path', async () => {
    const result = await provider.collect({ kind: 'file-text', path: 'relative/path' });
    // never cached: the cause of an error need not show in any fingerprint
    expect(result).toMatchObject({
      status: 'error',
      volatile: true,
      message: expect.stringContaining('relative/path'),
    });
  });
});

describe('os-release parsing', () => {
  it.each([
    ['ID=ubuntu', 'ID', 'ubuntu'],
    ['NAME="Ubuntu"', 'NAME', 'Ubuntu'],
    ["NAME='single'", 'NAME', 'single'],
    ['PRETTY_NAME="with \\"escaped\\" quotes"', 'PRETTY_NAME', 'with "escaped" quotes'],
    ['  VERSION_ID="22.04"  ', 'VERSION_ID', '22.04'],
  ])('%s', (line, key, value) => {
    expect(parseOsRelease(`# comment\n${line}\n`)[key]).toBe(value);
  });
});
