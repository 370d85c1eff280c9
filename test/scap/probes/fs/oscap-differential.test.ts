/**
 * Differential test: the filesystem probes against oscap 1.3.7 (`oscap-chroot DIR oval eval`) on
 * the same temp tree, object by object: same flag, same items (as multisets). Skipped without oscap.
 * Each case names the oscap behaviour it pins down.
 *
 * Not compared: a_time (oscap and Vouch read files in between), has_extended_acl (Vouch cannot read
 * ACLs and reports `does not exist`; oscap says false on this tree).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openRootDirTransport } from '../../../../src/targets/root-dir.js';
import { removeTree } from '../../../../src/targets/temp-tree.js';
import { type OscapObject, type OscapObjectResult, oscapCollect } from '../system/helpers.js';
import { type Case, expectSameAsOscap, fileCase, hasOscap, textCase } from './cases.js';
import { makeProbeTree } from './tree.js';

const PM = 'pattern match';
const CONF = { value: '^.*\\.conf$', operation: PM };
const CASES: Case[] = [
  fileCase(
    'recursive filename pattern: no directories, symlinks as links',
    { recurse: 'directories', recurse_direction: 'down', max_depth: '-1' },
    { path: { value: '/etc' }, filename: CONF },
  ),
  fileCase(
    'max_depth 0: entries of path only',
    { recurse: 'directories', recurse_direction: 'down', max_depth: '0' },
    { path: { value: '/etc' }, filename: CONF },
  ),
  fileCase(
    'max_depth 1: one level of subdirectories',
    { recurse: 'directories', recurse_direction: 'down', max_depth: '1' },
    { path: { value: '/etc' }, filename: CONF },
  ),
  fileCase(
    'nil filename down: directories up to max_depth, followed dir links',
    { recurse_direction: 'down', max_depth: '1' },
    { path: { value: '/etc' }, filename: { nil: true } },
  ),
  fileCase('nil filename: the directory itself', {}, { path: { value: '/etc' }, filename: { nil: true } }),
  fileCase('filepath naming a directory: nothing', {}, { filepath: { value: '/etc' } }),
  fileCase(
    'filepath pattern: unbounded, links to dirs followed',
    {},
    { filepath: { value: '^/etc/.*\\.conf$', operation: PM } },
  ),
  fileCase('filepath symlink: lstat', {}, { filepath: { value: '/etc/link.conf' } }),
  fileCase('filepath dangling symlink exists', {}, { filepath: { value: '/etc/dangling.conf' } }),
  fileCase('filepath symlink to dir: nothing', {}, { filepath: { value: '/etc/dirlink' } }),
  fileCase(
    'default recurse follows links; a link is one item',
    { recurse_direction: 'down' },
    { path: { value: '/etc' }, filename: CONF },
  ),
  fileCase(
    'recurse up',
    { recurse_direction: 'up', max_depth: '1' },
    { path: { value: '/etc/sub/deeper' }, filename: CONF },
  ),
  fileCase(
    'path pattern without leading slash: nothing',
    {},
    { path: { value: 'etc/sub', operation: PM }, filename: { value: '.*', operation: PM } },
  ),
  fileCase(
    'unanchored path pattern walks from its literal prefix',
    {},
    { path: { value: '/sub', operation: PM }, filename: { value: '.*', operation: PM } },
  ),
  fileCase(
    'unanchored SSG-style path pattern',
    {},
    {
      path: { value: '/etc/cron\\.(daily|hourly|weekly)', operation: PM },
      filename: { value: '.*', operation: PM },
    },
  ),
  fileCase(
    'path through a dir symlink',
    {},
    { path: { value: '/etc/dirlink' }, filename: { value: 'b.conf' } },
  ),
  fileCase('filename equals, direction none', {}, { path: { value: '/etc' }, filename: { value: 'a.conf' } }),
  textCase('captures per instance', {}, { filepath: { value: '/data/k' } }, '^key=(\\d+)$'),
  textCase(
    'non-multiline $ before the final newline',
    { multiline: 'false' },
    { filepath: { value: '/data/k' } },
    'key=(\\d)$',
  ),
  textCase('^ repeats (oscap offset rule)', {}, { filepath: { value: '/data/k' } }, '^'),
  textCase('empty matches x*', {}, { filepath: { value: '/data/ab' } }, 'x*'),
  textCase('unset groups skipped', {}, { filepath: { value: '/data/b' } }, '(a)|(b)(c)?'),
  textCase('a directory is not read', {}, { filepath: { value: '/etc' } }, '.*'),
  textCase('through a symlink', {}, { filepath: { value: '/etc/link.conf' } }, '^key=2', {
    value: '1',
    datatype: 'int',
  }),
  textCase(
    'path + filename, instance >= 2',
    {},
    { path: { value: '/etc' }, filename: { value: '\\.conf$', operation: PM } },
    '^key=(\\d)$',
    { value: '2', datatype: 'int', operation: 'greater than or equal' },
  ),
  textCase('$ multiline counts the end', {}, { filepath: { value: '/data/k' } }, '$'),
  textCase('^\\s*$ does not match after the final newline', {}, { filepath: { value: '/data/k' } }, '^\\s*$'),
  textCase('singleline', { singleline: 'true' }, { filepath: { value: '/data/k' } }, 'key.*$'),
  textCase(
    'filepath pattern',
    {},
    { filepath: { value: '^/etc/.*\\.conf$', operation: PM } },
    '^key=(\\d)$',
    { value: '1', datatype: 'int' },
  ),
  textCase('no trailing newline', {}, { filepath: { value: '/data/nonl' } }, 'key=(\\d)$'),
  textCase('invalid UTF-8 is an error', {}, { filepath: { value: '/data/latin1' } }, 'key'),
  textCase('text ends at NUL', {}, { filepath: { value: '/data/nul' } }, 'key=(\\d)'),
];

describe.skipIf(!hasOscap)('filesystem probes vs oscap-chroot', () => {
  let root: string;
  let oscap: OscapObjectResult[];
  beforeAll(async () => {
    root = await makeProbeTree();
    const objects: OscapObject[] = CASES.map((c) => ({ family: c.family, type: c.type, xml: c.xml }));
    oscap = await oscapCollect(objects, root);
  }, 60_000);
  afterAll(() => removeTree(root));

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, index) => {
    await expectSameAsOscap(CASES, index, await openRootDirTransport(root), oscap);
  });
});
