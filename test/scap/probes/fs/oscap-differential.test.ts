/**
 * Differential test: the filesystem probes against oscap 1.3.7 (`oscap-chroot DIR oval eval`) on
 * the same temp tree, object by object: same flag, same items (as multisets). Skipped without oscap.
 *
 * Not compared: a_time (oscap and Vouch read files in between), has_extended_acl (Vouch cannot read
 * ACLs and reports `does not exist`; oscap says false on this tree).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedObject } from '../../../../src/scap/oval-session/probe.js';
import { fileProbe, textfilecontent54Probe } from '../../../../src/scap/probes/fs/index.js';
import { openRootDirTransport } from '../../../../src/targets/root-dir.js';
import { removeTree } from '../../../../src/targets/temp-tree.js';
import {
  contextFor,
  type OscapObject,
  type OscapObjectResult,
  oscapCollect,
  type PlainItem,
  plain,
} from '../system/helpers.js';
import { makeProbeTree } from './tree.js';

const hasOscap = (() => {
  try {
    execFileSync('oscap-chroot', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status !== undefined; // ran, exited non-zero: present
  }
})();

interface Case {
  name: string;
  family: 'ind' | 'unix';
  type: 'file_object' | 'textfilecontent54_object';
  xml: string;
  object: Omit<ResolvedObject, 'id' | 'family' | 'type' | 'hints'>;
}

type Ent = { value?: string; values?: string[]; operation?: string; datatype?: string; nil?: boolean };
const entities = (spec: Record<string, Ent>): ResolvedObject['entities'] =>
  new Map(
    Object.entries(spec).map(([name, e]) => [
      name,
      {
        name,
        nil: e.nil ?? false,
        datatype: e.datatype ?? 'string',
        operation: e.operation ?? 'equals',
        values: e.values ?? (e.value === undefined ? [] : [e.value]),
        varCheck: 'all',
        fromVariable: e.values !== undefined,
      },
    ]),
  );

function xmlOf(prefix: string, behaviors: Record<string, string>, spec: Record<string, Ent>): string {
  const b = Object.entries(behaviors)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('');
  const parts = Object.entries(spec).map(([name, e]) => {
    const attrs = `${e.operation ? ` operation="${e.operation}"` : ''}${e.datatype ? ` datatype="${e.datatype}"` : ''}`;
    if (e.nil) return `<${prefix}:${name} xsi:nil="true"/>`;
    const text = (e.value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return `<${prefix}:${name}${attrs}>${text}</${prefix}:${name}>`;
  });
  return `${Object.keys(behaviors).length > 0 ? `<${prefix}:behaviors${b}/>` : ''}${parts.join('')}`;
}

function fileCase(name: string, behaviors: Record<string, string>, spec: Record<string, Ent>): Case {
  return {
    name,
    family: 'unix',
    type: 'file_object',
    xml: xmlOf('unix', behaviors, spec),
    object: { entities: entities(spec), behaviors },
  };
}

const INSTANCE_ANY: Ent = { value: '1', datatype: 'int', operation: 'greater than or equal' };
function textCase(
  name: string,
  behaviors: Record<string, string>,
  spec: Record<string, Ent>,
  pattern: string,
  instance: Ent = INSTANCE_ANY,
): Case {
  const all = { ...spec, pattern: { value: pattern, operation: 'pattern match' }, instance };
  return {
    name,
    family: 'ind',
    type: 'textfilecontent54_object',
    xml: xmlOf('ind', behaviors, all),
    object: { entities: entities(all), behaviors },
  };
}

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

const IGNORED = new Set(['a_time', 'has_extended_acl']);
function comparable(items: PlainItem[]): string[] {
  return items
    .map((item) => JSON.stringify(Object.entries(item).filter(([name]) => !IGNORED.has(name))))
    .sort();
}

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
    const c = CASES[index] as Case;
    const probe = c.type === 'file_object' ? fileProbe : textfilecontent54Probe;
    const ctx = contextFor(await openRootDirTransport(root));
    const object: ResolvedObject = {
      id: `oval:x:obj:${index + 1}`,
      family: c.family,
      type: c.type,
      hints: { specialModesOnly: false },
      ...c.object,
    };
    const ours = await probe.collect(object, ctx);
    const theirs = oscap[index] as OscapObjectResult;
    const ourFlag = ours.flag === 'complete' && ours.items.length === 0 ? 'does not exist' : ours.flag;
    expect({ flag: ourFlag, items: comparable(ours.items.map(plain)) }).toEqual({
      flag: theirs.flag,
      items: comparable(theirs.items),
    });
  });
});
