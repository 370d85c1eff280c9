/**
 * The probes on the local transport against `oscap oval eval` on this host, over a temp tree named
 * by absolute paths. Unlike the chroot differential this includes absolute symlinks (both sides
 * resolve them on the host) and exercises the local lister, which takes link target types from
 * find's %Y. Skipped without oscap.
 */
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createLocalTransport } from '../../../../src/targets/local.js';
import { removeTree } from '../../../../src/targets/temp-tree.js';
import { type OscapObjectResult, oscapCollect } from '../system/helpers.js';
import { type Case, expectSameAsOscap, fileCase, hasOscap, textCase } from './cases.js';
import { makeProbeTree } from './tree.js';

const PM = 'pattern match';
const escapeRegex = (path: string) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function cases(root: string): Case[] {
  const r = escapeRegex(root);
  return [
    fileCase(
      'recursive, links followed (incl. absolute)',
      { recurse_direction: 'down' },
      { path: { value: `${root}/etc` }, filename: { value: '^.*\\.conf$', operation: PM } },
    ),
    fileCase(
      'directories, links followed',
      { recurse_direction: 'down', max_depth: '1' },
      { path: { value: `${root}/etc` }, filename: { nil: true } },
    ),
    fileCase('filepath pattern', {}, { filepath: { value: `^${r}/etc/.*\\.conf$`, operation: PM } }),
    fileCase('absolute symlink itself', {}, { filepath: { value: `${root}/etc/abs.conf` } }),
    fileCase(
      'path through an absolute dir link',
      {},
      { path: { value: `${root}/etc/absdir` }, filename: { value: '.*', operation: PM } },
    ),
    textCase(
      'read through an absolute link',
      {},
      { filepath: { value: `${root}/etc/abs.conf` } },
      '^key=(\\d)$',
    ),
    textCase(
      'path + filename pattern, recursive',
      { recurse_direction: 'down' },
      { path: { value: `${root}/etc` }, filename: { value: '\\.conf$', operation: PM } },
      '^key=(\\d)$',
    ),
  ];
}

describe.skipIf(!hasOscap)('filesystem probes vs oscap oval eval (live host)', () => {
  let root: string;
  let list: Case[];
  let oscap: OscapObjectResult[];
  beforeAll(async () => {
    root = await makeProbeTree();
    await symlink(join(root, 'etc/a.conf'), join(root, 'etc/abs.conf'));
    await symlink(join(root, 'data'), join(root, 'etc/absdir'));
    list = cases(root);
    oscap = await oscapCollect(list.map((c) => ({ family: c.family, type: c.type, xml: c.xml })));
  }, 60_000);
  afterAll(() => removeTree(root));

  it.each(cases('/r').map((c, i) => [c.name, i] as const))('%s', async (_name, index) => {
    await expectSameAsOscap(list, index, createLocalTransport(), oscap);
  });
});
