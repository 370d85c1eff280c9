import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYMLINKS, resolveInRoot } from './confine.js';
import { makeTree, removeTree } from './temp-tree.js';

let root: string;

beforeAll(async () => {
  const loop: Record<string, { link: string }> = {};
  for (let i = 0; i <= MAX_SYMLINKS; i++) loop[`chain/l${i}`] = { link: `l${i + 1}` };
  loop[`chain/l${MAX_SYMLINKS + 1}`] = { link: '/etc/passwd' };
  root = await makeTree({
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    'etc/abs-link': { link: '/etc/passwd' },
    'etc/rel-link': { link: '../etc/./passwd' },
    'etc/escape': { link: '../../../../etc/passwd' },
    'etc/dotdot-escape': { link: '../../../../../../../../' },
    'etc/dangling': { link: '/nowhere' },
    'etc/self-loop': { link: 'self-loop' },
    lib: { link: 'usr/lib' },
    'usr/lib/os-release': 'ID=test\n',
    'dir-link': { link: '/etc' },
    ...loop,
    // l3 -> … -> l41 -> /etc/passwd is 39 links: with `short` itself, exactly the limit of 40.
    'chain/short': { link: 'l3' },
    'chain/one-too-many': { link: 'l2' },
  });
});

afterAll(() => removeTree(root));

describe('resolveInRoot', () => {
  it.each([
    ['/etc/passwd', true, '/etc/passwd'],
    ['/etc/abs-link', true, '/etc/passwd'],
    ['/etc/abs-link', false, '/etc/abs-link'],
    ['/etc/rel-link', true, '/etc/passwd'],
    ['/etc/escape', true, '/etc/passwd'],
    ['/etc/dotdot-escape', true, '/'],
    ['/../../../etc/passwd', true, '/etc/passwd'],
    ['/etc/../../..', true, '/'],
    ['/lib/os-release', true, '/usr/lib/os-release'],
    ['/dir-link/abs-link', true, '/etc/passwd'],
    ['/dir-link/../usr', true, '/usr'],
    ['/etc/dangling', false, '/etc/dangling'],
    ['/etc//./passwd/', true, '/etc/passwd'],
  ])('%s (follow %s) -> %s', async (path, follow, expected) => {
    expect(await resolveInRoot(root, path, follow)).toBe(expected);
  });

  it.each([
    ['/etc/dangling', 'dangling link'],
    ['/etc/missing', 'missing file'],
    ['/etc/passwd/x', 'file used as a directory'],
    ['/etc/self-loop', 'self loop'],
    ['/chain/l0', 'more than 40 links'],
    ['/chain/one-too-many', '41 links'],
  ])('%s is missing (%s)', async (path) => {
    expect(await resolveInRoot(root, path, true)).toBeNull();
  });

  it('follows a chain within the limit', async () => {
    expect(await resolveInRoot(root, '/chain/short', true)).toBe('/etc/passwd');
  });
});
