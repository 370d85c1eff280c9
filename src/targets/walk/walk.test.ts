import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalkValue } from '../../core/facts/fact-values.js';
import { createLocalTransport } from '../local.js';
import { openRootDirTransport } from '../root-dir.js';
import { isRoot, makeTree, removeTree } from '../temp-tree.js';
import { idRanges, WalkAccumulator } from './accumulator.js';
import { findArguments, findWalk, gnuFindAvailable, parallelFindWalk } from './find-walk.js';

const hasFind = await gnuFindAvailable();
let dir: string;
const known = { knownUids: new Set([0, 1, 2, 100]), knownGids: new Set([0, 5]) };

beforeAll(async () => {
  dir = await makeTree({
    'etc/ok': { text: '', mode: 0o644 },
    tmp: { dir: true, mode: 0o1777 },
    'tmp/ww-file': { text: 'x', mode: 0o666 },
    'var/ww-dir': { dir: true, mode: 0o777 },
    'usr/bin/su': { text: '', mode: 0o4755 },
    'usr/bin/wall': { text: '', mode: 0o2755 },
    'usr/bin/link': { link: 'su' }, // 0777 bits, but a symlink is never "world-writable"
    'home/orphan': { text: '', mode: 0o600, uid: 4242, gid: 0 },
    'home/ungrouped': { text: '', mode: 0o600, uid: 100, gid: 777 },
    'home/orphan-link': { link: 'orphan', uid: 4242, gid: 0 },
    'name with spaces/ww': { text: '', mode: 0o646 },
  });
});
afterAll(() => removeTree(dir));

const walkWith = async (walker: 'find' | 'node'): Promise<WalkValue> =>
  (await openRootDirTransport(dir)).walk({ ...known, walker });

describe('walk', () => {
  it('classifies special entries', async () => {
    const value = await walkWith('node');
    expect(value.special.map((entry) => [entry.path, entry.type, entry.mode.toString(8)])).toEqual([
      ['/name with spaces/ww', 'file', '646'],
      ['/tmp', 'dir', '1777'],
      ['/tmp/ww-file', 'file', '666'],
      ['/usr/bin/su', 'file', '4755'],
      ['/usr/bin/wall', 'file', '2755'],
      ['/var/ww-dir', 'dir', '777'],
    ]);
    // the 11 described entries plus /, etc, var, usr, usr/bin, home and "name with spaces"
    expect(value.visited).toBe(18);
  });

  it.skipIf(!isRoot)('classifies unowned and ungrouped entries, links included', async () => {
    const value = await walkWith('node');
    expect(value.unowned.map((entry) => [entry.path, entry.uid, entry.gid])).toEqual([
      ['/home/orphan', 4242, 0],
      ['/home/orphan-link', 4242, 0],
      ['/home/ungrouped', 100, 777],
    ]);
  });

  it.runIf(hasFind)('gives the same answer through find and through Node', async () => {
    const viaFind = await walkWith('find');
    const viaNode = await walkWith('node');
    expect({ ...viaFind, startedAt: 0 }).toEqual({ ...viaNode, startedAt: 0 });
    expect(viaFind.special.length).toBeGreaterThan(0);
  });

  it('walks given roots on the local transport with host paths', async () => {
    const value = await createLocalTransport().walk({ ...known, roots: [`${dir}/usr`] });
    expect(value.special.map((entry) => entry.path)).toEqual([`${dir}/usr/bin/su`, `${dir}/usr/bin/wall`]);
    expect(value.skipped).toEqual([]);
  });

  it('treats every owner as unknown when the target has no accounts', async () => {
    const value = await (await openRootDirTransport(dir)).walk({
      knownUids: new Set(),
      knownGids: new Set(),
    });
    expect(value.unowned.length).toBe(value.visited);
  });
});

describe('idRanges / findArguments', () => {
  it.each([
    [[], []],
    [[0], [[0, 0]]],
    [
      [5, 0, 1, 2, 7, 6, 65534],
      [
        [0, 2],
        [5, 7],
        [65534, 65534],
      ],
    ],
  ])('%j -> %j', (ids, ranges) => {
    expect(idRanges(new Set(ids))).toEqual(ranges);
  });

  it('builds an argv expression (no shell) with id ranges', () => {
    const argv = findArguments(['/r'], new Set([0, 1, 2, 10]), new Set([0]));
    expect(argv.slice(0, 2)).toEqual(['/r', '-xdev']);
    const uidPart = argv.join(' ');
    expect(uidPart).toContain('! ( -uid -3 ) ! -uid 10');
    expect(uidPart).toContain('! -gid 0');
  });
});

describe.skipIf(!hasFind)('parallel find walk', () => {
  it('finds exactly what one find finds, with every entry counted once', async () => {
    // Deep enough that depth-2 subtrees exist and are split among several finds.
    const deep = await makeTree({
      'a/b/c/d/ww': { text: '', mode: 0o666 },
      'a/b/e/suid': { text: '', mode: 0o4755 },
      'a/f/g/orphan': { text: '', mode: 0o600, uid: 4242, gid: 0 },
      'h/i/j/k': { text: '' },
      'h/l/m': { dir: true, mode: 0o777 },
      'n/o': { text: '' },
    });
    try {
      const sequential = new WalkAccumulator(known.knownUids, known.knownGids);
      await findWalk(
        [deep],
        (path) => path.slice(deep.length) || '/',
        sequential,
        known.knownUids,
        known.knownGids,
      );
      const parallel = new WalkAccumulator(known.knownUids, known.knownGids);
      await parallelFindWalk(
        [deep],
        (path) => path.slice(deep.length) || '/',
        parallel,
        known.knownUids,
        known.knownGids,
        3,
      );
      const expected = sequential.result([], 0);
      expect(parallel.result([], 0)).toEqual(expected);
      expect(expected.special.map((entry) => entry.path)).toEqual(['/a/b/c/d/ww', '/a/b/e/suid', '/h/l/m']);
      expect(expected.visited).toBe(19); // the root and 18 entries below it
    } finally {
      await removeTree(deep);
    }
  });
});
