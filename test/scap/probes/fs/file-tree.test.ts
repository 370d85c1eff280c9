/**
 * The `file-tree` fact through the real transports and collectors: find and the Node lister agree,
 * the root transport confines symlinks, depth / follow / select / filesystems behave as documented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactProvider } from '../../../../src/collectors/index.js';
import type { FileTreeValue } from '../../../../src/core/facts/fact-values.js';
import { createLocalTransport } from '../../../../src/targets/local.js';
import { openRootDirTransport } from '../../../../src/targets/root-dir.js';
import { makeTree, removeTree } from '../../../../src/targets/temp-tree.js';
import type { TreeOptions } from '../../../../src/targets/transport.js';
import { gnuFindAvailable } from '../../../../src/targets/walk/find-walk.js';
import { sortTreeEntries, treeFindArguments } from '../../../../src/targets/walk/tree-list.js';

const hasFind = await gnuFindAvailable();
let root: string;

beforeAll(async () => {
  root = await makeTree({
    'etc/a.conf': 'a\n',
    'etc/ww': { text: '', mode: 0o666 },
    'etc/suid': { text: '', mode: 0o4755 },
    'etc/sub/b.conf': 'b\n',
    'etc/sub/deeper/c': 'c\n',
    'etc/dirlink': { link: 'sub' },
    'etc/abs': { link: '/opt' }, // absolute: must resolve inside the root
    'etc/loop': { link: '.' }, // a link to its own directory: never followed
    'etc/name with space': '',
    'opt/x': 'x\n',
    'srv/stray': { text: 's\n', uid: 4242, gid: 4343 },
  });
});
afterAll(() => removeTree(root));

const shape = (value: FileTreeValue) =>
  value.entries.map(
    (e) => `${e.depth} ${e.type}${e.targetType !== undefined ? `->${e.targetType}` : ''} ${e.path}`,
  );

async function list(options: Omit<TreeOptions, 'lister'>, lister: 'find' | 'node') {
  return (await openRootDirTransport(root)).listTree?.({ ...options, lister }) as Promise<FileTreeValue>;
}

const LISTERS = hasFind ? (['find', 'node'] as const) : (['node'] as const);

describe.each(LISTERS)('file-tree via %s', (lister) => {
  it.each<[string, Omit<TreeOptions, 'lister'>, string[]]>([
    [
      'depth 1',
      { path: '/etc', maxDepth: 1 },
      [
        '0 dir /etc',
        '1 file /etc/a.conf',
        '1 symlink->dir /etc/abs',
        '1 symlink->dir /etc/dirlink',
        '1 symlink->dir /etc/loop',
        '1 file /etc/name with space',
        '1 dir /etc/sub',
        '1 file /etc/suid',
        '1 file /etc/ww',
      ],
    ],
    ['a file root', { path: '/etc/a.conf' }, ['0 file /etc/a.conf']],
    // The owner pushdown: only entries whose uid (gid) is none of the given ids.
    ['uidNotIn', { path: '/srv', uidNotIn: [0, 1000] }, ['1 file /srv/stray']],
    ['gidNotIn', { path: '/srv', gidNotIn: [0] }, ['1 file /srv/stray']],
    ['uidNotIn keeps nothing owned', { path: '/srv', uidNotIn: [0, 4242] }, []],
    [
      'a symlinked root is followed',
      { path: '/etc/dirlink' },
      [
        '0 symlink->dir /etc/dirlink',
        '1 file /etc/dirlink/b.conf',
        '1 dir /etc/dirlink/deeper',
        '2 file /etc/dirlink/deeper/c',
      ],
    ],
    [
      'follow: links descended, confined, loops not',
      { path: '/etc', follow: true, maxDepth: 2 },
      [
        '0 dir /etc',
        '1 file /etc/a.conf',
        '1 symlink->dir /etc/abs',
        '2 file /etc/abs/x',
        '1 symlink->dir /etc/dirlink',
        '2 file /etc/dirlink/b.conf',
        '2 dir /etc/dirlink/deeper',
        '1 symlink->dir /etc/loop',
        '1 file /etc/name with space',
        '1 dir /etc/sub',
        '2 file /etc/sub/b.conf',
        '2 dir /etc/sub/deeper',
        '1 file /etc/suid',
        '1 file /etc/ww',
      ],
    ],
    [
      'select special: ww, suid bits and links',
      { path: '/etc', select: 'special' },
      [
        '1 symlink->dir /etc/abs',
        '1 symlink->dir /etc/dirlink',
        '1 symlink->dir /etc/loop',
        '1 file /etc/suid',
        '1 file /etc/ww',
      ],
    ],
  ])('%s', async (_name, options, expected) => {
    expect(shape(await list(options, lister))).toEqual(expected);
  });

  it('reports a missing root', async () => {
    expect(await list({ path: '/nope' }, lister)).toEqual({
      path: '/nope',
      exists: false,
      entries: [],
      visited: 0,
    });
  });
});

describe('file-tree', () => {
  it.runIf(hasFind)('find and Node agree on every field', async () => {
    const a = await list({ path: '/', follow: true }, 'find');
    const b = await list({ path: '/', follow: true }, 'node');
    // atime is left out: listing a directory updates its atime between the two runs.
    const round = (v: FileTreeValue) =>
      v.entries.map(({ atimeMs: _, ...e }) => ({
        ...e,
        ctimeMs: Math.floor(e.ctimeMs),
        mtimeMs: Math.floor(e.mtimeMs),
      }));
    expect(round(a)).toEqual(round(b));
    expect(a.visited).toBe(b.visited);
  });

  it('is collected through the provider on the local transport with host paths', async () => {
    const provider = createFactProvider(createLocalTransport());
    const result = await provider.collect({ kind: 'file-tree', path: `${root}/etc/sub`, maxDepth: 1 });
    expect(result.status === 'ok' && result.value.entries.map((e) => e.path)).toEqual([
      `${root}/etc/sub`,
      `${root}/etc/sub/b.conf`,
      `${root}/etc/sub/deeper`,
    ]);
    expect(result.volatile).toBe(true);
  });

  it.each(LISTERS)('lists the local host from / with absolute paths (%s)', async (lister) => {
    const value = await createLocalTransport().listTree?.({ path: '/', maxDepth: 1, lister });
    const paths = value?.entries.map((e) => e.path) ?? [];
    expect(paths).toContain('/etc');
    expect(paths.every((path) => path.startsWith('/'))).toBe(true);
  });

  it('builds an argv (no shell) that prunes non-local filesystems but lists their mount points', () => {
    const argv = treeFindArguments('/r', { maxDepth: 3, filesystems: 'local', special: true });
    expect(argv.slice(0, 5)).toEqual(['/r', '-mindepth', '1', '-maxdepth', '3']);
    expect(argv.join(' ')).toContain('-fstype proc -o -fstype fuse.proc -o -fstype sysfs');
    expect(argv.join(' ')).toContain(') -prune -o -true , ( -perm /6002 -printf');
  });
});

describe('sortTreeEntries', () => {
  it('orders by path component, as a pre-order walk visits', () => {
    const entries = ['/a-b', '/a/b', '/a', '/a/b/c', '/a.d', '/'].map((path) => ({ path }));
    expect(sortTreeEntries(entries).map((e) => e.path)).toEqual([
      '/',
      '/a',
      '/a/b',
      '/a/b/c',
      '/a-b',
      '/a.d',
    ]);
  });
});

describe.runIf(hasFind)('parallel find listing', () => {
  it.each<[string, Omit<TreeOptions, 'lister' | 'workers'>]>([
    ['all', { path: '/' }],
    ['same filesystem', { path: '/', filesystems: 'same' }],
    ['local filesystems', { path: '/', filesystems: 'local' }],
    ['special only', { path: '/', select: 'special' }],
    ['following links', { path: '/', follow: true }],
  ])('gives what one find gives: %s', async (_name, options) => {
    const deep = await makeTree({
      'a/b/c/d/ww': { text: '', mode: 0o666 },
      'a/b/e/suid': { text: '', mode: 0o4755 },
      'a/f/g/x': '',
      'h/i/j/k': { text: '' },
      'h/l/m': { dir: true, mode: 0o777 },
      'h/l/link': { link: '../../a' },
      'n/o': { text: '' },
    });
    try {
      const transport = await openRootDirTransport(deep);
      const one = await transport.listTree?.({ ...options, lister: 'find', workers: 1 });
      const three = await transport.listTree?.({ ...options, lister: 'find', workers: 3 });
      const strip = (v?: FileTreeValue) => ({ ...v, entries: v?.entries.map(({ atimeMs: _, ...e }) => e) });
      expect(strip(three)).toEqual(strip(one));
      expect(one?.entries.length).toBeGreaterThan(3);
    } finally {
      await removeTree(deep);
    }
  });
});
